"""The user's config file: overlays loaded on every run, the clinic's details, display defaults.

The file is TOML (`paths.config_file()` says where; `PAINREF_CONFIG` names another, empty means
none). A run without one costs one `stat`: `tomllib` is imported only when the file exists. A file
that is there but wrong is never ignored: every problem is reported with its line and the run
stops (exit 2), as a broken data file does, because a clinic that set its overlays or its phone
number must not get handouts without them by accident.

Paths in the file may start with `~`; a relative path is read from the file's folder.
"""

import os
import re
import stat
from collections.abc import Callable
from typing import Any, NamedTuple

from ..errors import ConfigError, Problem
from .paths import config_file

MAX_CONFIG_BYTES = 1024 * 1024  # a config file is a few hundred bytes; anything this big is not one
AUDIENCES = ("patient", "clinician")
COLORS = ("auto", "always", "never")


class Setting(NamedTuple):
    value: Any
    line: int | None  # where the file sets it


class Config(NamedTuple):
    """The settings a config file gives (only those it gives), and the files they name."""

    path: str | None  # the file looked for; None when PAINREF_CONFIG is set empty
    found: bool = False
    settings: dict[str, Setting] = {}  # noqa: RUF012  # a field default, shared, never mutated
    folder_files: tuple[str, ...] = ()  # the overlay folder's *.yaml files, in name order

    def get(self, key: str) -> Any:
        setting = self.settings.get(key)
        return None if setting is None else setting.value

    def line(self, key: str) -> int | None:
        setting = self.settings.get(key)
        return None if setting is None else setting.line

    @property
    def overlays(self) -> tuple[str, ...]:
        """Every overlay the file names, in the order they apply: its files, then the folder's."""
        return (*(self.get("data.overlays") or ()), *self.folder_files)


def _text(value: Any) -> tuple[Any, str | None]:
    if not isinstance(value, str) or not value.strip():
        return None, "must be non-empty text in quotes"
    if any(ord(c) < 32 or ord(c) == 127 for c in value):
        return None, "must be one line of text, without control characters"
    if len(value) > 200:
        return None, "is too long (at most 200 characters)"
    return value.strip(), None


def _choice(allowed: tuple[str, ...]) -> Callable[[Any], tuple[Any, str | None]]:
    def check(value: Any) -> tuple[Any, str | None]:
        if isinstance(value, str) and value.strip().lower() in allowed:
            return value.strip().lower(), None
        return None, f"must be one of {', '.join(repr(a) for a in allowed)}"

    return check


def _pager(value: Any) -> tuple[Any, str | None]:
    if value is False:
        return False, None
    if isinstance(value, str) and value.strip():
        return value.strip(), None
    return None, "must be a command in quotes, such as 'less -FRX', or false to never page"


def _paths(value: Any) -> tuple[Any, str | None]:
    if isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value):
        return tuple(value), None
    return None, 'must be a list of file paths in quotes, such as ["~/painref/local.yaml"]'


def _path(value: Any) -> tuple[Any, str | None]:
    if isinstance(value, str) and value.strip():
        return value, None
    return None, "must be a folder path in quotes"


# Every setting, by table and key, with its check (value -> (clean value, problem or None)).
SETTINGS: dict[str, Callable[[Any], tuple[Any, str | None]]] = {
    "data.overlays": _paths,
    "data.folder": _path,
    "clinic.name": _text,
    "clinic.phone": _text,
    "clinic.address": _text,
    "handout.audience": _choice(AUDIENCES),
    "display.pager": _pager,
    "display.color": _choice(COLORS),
}
TABLES = tuple(dict.fromkeys(key.partition(".")[0] for key in SETTINGS))


def load(path: str | None = None) -> Config:
    """The config in force: `path`, else the platform's file. Raises ConfigError."""
    path = config_file() if path is None else path
    if path is None:
        return Config(None)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return Config(path)
    except OSError as exc:
        raise ConfigError([Problem(path, None, "", f"cannot be read: {exc.strerror}")]) from None
    return _read(path, info)


def _read(path: str, info: os.stat_result) -> Config:
    def fail(message: str, line: int | None = None) -> ConfigError:
        return ConfigError([Problem(path, line, "", message)])

    if not stat.S_ISREG(info.st_mode):
        raise fail("is not a regular file")
    if info.st_size > MAX_CONFIG_BYTES:
        raise fail(f"is too large for a config file ({info.st_size:,} bytes)")
    try:
        with open(path, "rb") as source:
            text = source.read(MAX_CONFIG_BYTES + 1).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise fail(f"not UTF-8 text ({exc.reason})") from None
    except OSError as exc:
        raise fail(f"cannot be read: {exc.strerror}") from None
    import tomllib

    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise fail(*_toml_problem(str(exc), text)) from None
    problems: list[Problem] = []
    settings = _settings(document, text, path, problems)
    folder_files: tuple[str, ...] = ()
    if not problems:
        folder_files = _check_files(settings, path, problems)
    if problems:
        raise ConfigError(problems)
    return Config(path, True, settings, folder_files)


def _toml_problem(message: str, text: str) -> tuple[str, int | None]:
    """tomllib's message as 'not valid TOML: ...' and its line ('at end of document': the last)."""
    found = re.search(r" \(at line (\d+), column (\d+)\)$", message)
    if found:
        reason = message[: found.start()]
        return f"not valid TOML: {reason} (column {found[2]})", int(found[1])
    reason = message.removesuffix(" (at end of document)")
    return f"not valid TOML: {reason} (at the end of the file)", text.count("\n") + 1


def _settings(
    document: dict[str, Any], text: str, path: str, problems: list[Problem]
) -> dict[str, Setting]:
    settings: dict[str, Setting] = {}
    for table, values in document.items():
        if table not in TABLES:
            problems.append(Problem(path, _line_of(text, table), table, _unknown(table)))
            continue
        if not isinstance(values, dict):
            message = f"must be a table: [{table}] on a line of its own, its settings under it"
            problems.append(Problem(path, _line_of(text, table), table, message))
            continue
        for key, value in values.items():
            dotted = f"{table}.{key}"
            line = _line_of(text, dotted)
            check = SETTINGS.get(dotted)
            if check is None:
                problems.append(Problem(path, line, dotted, _unknown(dotted)))
                continue
            clean, problem = check(value)
            if problem:
                problems.append(Problem(path, line, dotted, problem))
                continue
            if dotted == "data.overlays":
                clean = tuple(_resolve(p, path) for p in clean)
            elif dotted == "data.folder":
                clean = _resolve(clean, path)
            settings[dotted] = Setting(clean, line)
    return settings


def _unknown(name: str) -> str:
    table, _, key = name.rpartition(".")
    close = [known for known in SETTINGS if known.rpartition(".")[2] == key]
    if close:
        return f"unknown setting; did you mean {close[0]}?"
    if table in TABLES:
        keys = [known.partition(".")[2] for known in SETTINGS if known.startswith(table + ".")]
        return f"unknown setting; [{table}] has {', '.join(keys)}"
    return f"unknown setting; the tables are {', '.join(f'[{t}]' for t in TABLES)}"


def _resolve(value: str, config_path: str) -> str:
    expanded = os.path.expanduser(value.strip())
    return os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(config_path)), expanded))


def _check_files(
    settings: dict[str, Setting], path: str, problems: list[Problem]
) -> tuple[str, ...]:
    """Overlay files must exist, and the folder must be one; the folder's *.yaml files."""
    overlays = settings.get("data.overlays", Setting((), None))
    for overlay in overlays.value:
        if not os.path.isfile(overlay):
            problems.append(Problem(path, overlays.line, "data.overlays", f"no file {overlay}"))
    folder = settings.get("data.folder")
    if folder is None:
        return ()
    try:
        entries = list(os.scandir(folder.value))
    except OSError as exc:
        reason = "no such folder" if isinstance(exc, FileNotFoundError) else exc.strerror
        problems.append(Problem(path, folder.line, "data.folder", f"{folder.value}: {reason}"))
        return ()
    # Hidden files are left out: editors keep their swap and lock files beside the real one.
    names = sorted(
        e.name
        for e in entries
        if e.name.endswith(".yaml") and not e.name.startswith(".") and e.is_file()
    )
    return tuple(os.path.join(folder.value, name) for name in names)


def _line_of(text: str, dotted: str) -> int | None:
    """The line that sets a table or `table.key`, read from the text (tomllib keeps no lines)."""
    table, _, key = dotted.partition(".")
    header = re.compile(r"^\s*\[\s*([A-Za-z0-9_\"'-]+)\s*\]")
    name = r"[\"']?" + re.escape(key or table) + r"[\"']?"
    assignment = re.compile(r"^\s*" + name + r"\s*=")
    dotted_assignment = re.compile(
        r"^\s*[\"']?" + re.escape(table) + r"[\"']?\s*\.\s*" + name + r"\s*="
    )
    current = ""
    table_line = None
    for number, line in enumerate(text.splitlines(), start=1):
        found = header.match(line)
        if found:
            current = found[1].strip("\"'")
            if current == table and table_line is None:
                table_line = number
                if not key:
                    return number
            continue
        if key and current == table and assignment.match(line):
            return number
        if current == "" and (dotted_assignment.match(line) if key else assignment.match(line)):
            return number
    return table_line


STARTER = """\
# painref's config file. painref reads it on every run; `painref config` shows what is in force
# and where each value came from. Lines starting with # are comments: remove the # in front of
# a setting to use it. A mistake in this file stops painref with the line to fix.
# On Windows, write paths in single quotes: 'C:\\painref\\local'.

[data]
# Overlay files layered over the bundled data, in this order, after those in PAINREF_DATA and
# before --data. A relative path is read from this file's folder; ~ is your home folder.
# overlays = ["~/painref/our-protocols.yaml"]
# A folder of overlays: every *.yaml file in it, in name order, after the files above.
# folder = "~/painref/local"

[clinic]
# Printed at the top of every patient handout; the phone number also where the handout says
# when to call. --clinic-name and --clinic-phone override them for one export.
# name = "Riverside Pain Clinic"
# phone = "555-0100"
# address = "12 River Road, Springfield"

[handout]
# Who `painref export` writes for when --for is not given: "patient" or "clinician".
# audience = "patient"

[display]
# The pager for long views (a command), or false to never page; PAGER when not set.
# pager = "less -FRX"
# When to use colour: "auto" (on a terminal), "always" or "never". --color overrides it.
# color = "auto"
"""
