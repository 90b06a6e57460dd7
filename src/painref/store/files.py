"""The shared first steps of reading any data file: bytes, YAML, the top-level shape, records.

Every problem in a file is collected before anything is refused, so a clinician fixing a file sees
the whole list at once. A data file is untrusted input: it must be a regular file no larger than
`MAX_FILE_BYTES`, and YAML aliases may not expand it beyond `MAX_NODES` values.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

import yaml

from ..errors import Problem
from ..model.schema import INVALID, SCHEMA_VERSION, Report, build, child_line, key_text
from ..printable import quote
from . import yamlio
from .paths import display_name

T = TypeVar("T")
# A clinic's overlay holds tens of entries (about 4 KB each); the benchmark's 5,000-entry file is
# about 25 MB. Anything larger is refused before it is read.
MAX_FILE_BYTES = 64 * 1024 * 1024


_NO_DOCUMENT = object()


def read_text(path: str | os.PathLike[str], problems: list[Problem]) -> str | None:
    """A data file's text, or None with the reason added to `problems`.

    Only a regular file is read: a FIFO would block, /dev/zero and /dev/urandom never end, and
    opening some devices does something. The kind is checked before opening and again on what was
    opened (the path may have changed meanwhile), and the size before reading and while reading
    (the file may grow), so no read goes past MAX_FILE_BYTES.
    """
    name = display_name(path)
    try:
        if not _regular(os.stat(path), name, problems):
            return None
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
        with os.fdopen(os.open(path, flags), "rb") as source:
            if not _regular(os.fstat(source.fileno()), name, problems):
                return None
            data = source.read(MAX_FILE_BYTES + 1)
        if len(data) > MAX_FILE_BYTES:
            problems.append(Problem(name, None, "", _too_large(len(data))))
            return None
        return data.decode("utf-8")
    except FileNotFoundError:
        problems.append(Problem(name, None, "", "file not found"))
    except UnicodeDecodeError as exc:
        problems.append(Problem(name, None, "", f"not UTF-8 text ({exc.reason})"))
    except OSError as exc:
        problems.append(Problem(name, None, "", f"cannot be read: {exc.strerror or exc}"))
    except ValueError:  # a NUL character in the name
        problems.append(Problem(name, None, "", "cannot be read: the name holds a NUL character"))
    return None


def _regular(info: os.stat_result, name: str, problems: list[Problem]) -> bool:
    """Whether `info` is of a regular file small enough to read; else the reason, in `problems`."""
    if stat.S_ISDIR(info.st_mode):
        problems.append(Problem(name, None, "", "is a folder, not a dataset file"))
    elif not stat.S_ISREG(info.st_mode):
        problems.append(Problem(name, None, "", "is not a regular file (a device or pipe?)"))
    elif info.st_size > MAX_FILE_BYTES:
        problems.append(Problem(name, None, "", _too_large(info.st_size)))
    else:
        return True
    return False


def _too_large(size: int) -> str:
    return f"is too large for a data file ({size:,} bytes; the limit is {MAX_FILE_BYTES:,})"


def parse_document(text: str, name: str, problems: list[Problem], lined: bool = True) -> Any:
    """Safe YAML (with line numbers when `lined`, see `yamlio.load`); `_NO_DOCUMENT` (and a
    problem) when it is not valid YAML."""
    try:
        document, duplicate_keys = yamlio.load(text, lined)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        message = " ".join(str(part) for part in (exc.context, exc.problem) if part)
        problems.append(Problem(name, line, "", f"not valid YAML: {message}"))
        return _NO_DOCUMENT
    except yaml.YAMLError as exc:
        problems.append(Problem(name, None, "", f"not valid YAML: {exc}"))
        return _NO_DOCUMENT
    for line, key in duplicate_keys:
        problems.append(Problem(name, line, key_text(key), "key appears twice in the same mapping"))
    return document


def check_top_level(
    document: Any, list_key: str, allowed: Sequence[str], name: str, problems: list[Problem]
) -> bool:
    """The shared shape of every data file: a mapping with `schema_version` and a list."""
    if not isinstance(document, dict) or not isinstance(document.get(list_key), list):
        problems.append(
            Problem(name, 1, "", f"expected a mapping with a '{list_key}:' list at the top")
        )
        return False
    for key in document:
        if key not in ("schema_version", *allowed):
            problems.append(
                Problem(name, child_line(document, key), key_text(key), "unknown top-level key")
            )
    version = document.get("schema_version", SCHEMA_VERSION)
    if version != SCHEMA_VERSION:
        line = child_line(document, "schema_version")
        problems.append(Problem(name, line, "schema_version", f"must be {SCHEMA_VERSION}"))
    return True


Check = Callable[[Any], Iterable[tuple[str, str]]]  # a record -> (sub-path, message) pairs


def build_records(
    document: dict[str, Any],
    list_key: str,
    cls: type[T],
    check: Check,
    report: Report,
) -> list[tuple[T, Any, int | None]]:
    """Build and check each record of a data file's list; ids must be unique.

    Returns each record that validated with its raw entry and line. `check(record)` yields
    (sub-path, message) for rules a type cannot say; a problem inside a list item (`pathway[2]`)
    is reported at that item's line. A repeated id is reported even when the entry is invalid.
    """
    records: list[tuple[T, Any, int | None]] = []
    first_line: dict[str, int | None] = {}
    raw_list = document[list_key]
    for index, raw in enumerate(raw_list):
        where = f"{list_key}[{index}]"
        line = child_line(raw_list, index)
        raw_id = raw.get("id") if isinstance(raw, dict) else None
        if isinstance(raw_id, str):
            if raw_id in first_line:
                message = f"duplicate id {quote(raw_id)} (first at line {first_line[raw_id]})"
                report(f"{where}.id", line, message)
            else:
                first_line[raw_id] = line
        record = build(cls, raw, where, line, report)
        if record is INVALID:
            continue
        for sub_path, message in check(record):
            report(f"{where}.{sub_path}", line_at(raw, sub_path, line), message)
        records.append((record, raw, line))
    return records


def reporter(name: str, problems: list[Problem]) -> Report:
    """A `report(path, line, message)` that adds a problem in file `name` to `problems`."""

    def report(path: str, line: int | None, message: str) -> None:
        problems.append(Problem(name, line, path, message))

    return report


def open_document(
    document: Any, name: str, list_key: str, allowed: Sequence[str], problems: list[Problem]
) -> dict[str, Any] | None:
    """A parsed document if it is of the shared top-level shape, else None (with the problem)."""
    if document is _NO_DOCUMENT or not check_top_level(document, list_key, allowed, name, problems):
        return None
    assert isinstance(document, dict)  # check_top_level refused anything else
    return document


def line_at(raw: Any, dotted: str, default: int | None) -> int | None:
    """The line of a field path such as `complications[2].frequency` inside a raw entry."""
    line = default
    node = raw
    for part in re.findall(r"[^.\[\]]+|\[\d+\]", dotted):
        key: Any = int(part[1:-1]) if part.startswith("[") else part
        line = child_line(node, key, line)
        try:
            node = node[key]
        except (KeyError, IndexError, TypeError):
            break
    return line
