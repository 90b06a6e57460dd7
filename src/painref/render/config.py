"""`painref config` as plain text: the file, each setting in force with its origin, the data files.

Plain lines rather than a styled view: the output is short, is often pasted into a message to
whoever looks after painref, and reads the same piped or on a terminal.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from .text import clean


class SettingRow(Protocol):
    @property
    def name(self) -> str: ...
    @property
    def value(self) -> Any: ...
    @property
    def origin(self) -> str: ...
    @property
    def line(self) -> int | None: ...


def _value(value: Any) -> str:
    if value is None:
        return "-"
    if value is False:
        return "false (never)"
    if isinstance(value, tuple | list):
        return ", ".join(value) if value else "-"
    return str(value)


def _pad(text: str, width: int) -> str:
    """Text in a column of `width`, and never less than two spaces before the next column."""
    return text + " " * max(2, width - len(text))


def _origin(row: SettingRow) -> str:
    return f"{row.origin}, line {row.line}" if row.line else row.origin


def config_text(
    path: str | None,
    found: bool,
    rows: Sequence[SettingRow],
    files: Sequence[tuple[str, str]],
) -> str:
    if path is None:
        lines = ["Config file: none (PAINREF_CONFIG is set empty)"]
    elif found:
        lines = [f"Config file: {path}"]
    else:
        lines = [
            f"Config file: {path} (not there: painref uses its defaults)",
            "Write a starter file with: painref config --init",
        ]
    width = max(len(row.name) for row in rows) + 2
    values = [_value(row.value) for row in rows]
    value_width = min(max(len(v) for v in values) + 2, 48)  # a long value pushes its origin on
    lines += ["", "Settings in force:"]
    for row, value in zip(rows, values, strict=True):
        lines.append(f"  {_pad(row.name, width)}{_pad(value, value_width)}{_origin(row)}")
    lines += ["", "Data files, in the order they apply (a later file's entry replaces an earlier):"]
    path_width = min(max(len(name) for name, _ in files) + 2, 64)
    lines += [f"  {_pad(name, path_width)}{origin}" for name, origin in files]
    return "".join(clean(line) + "\n" for line in lines)
