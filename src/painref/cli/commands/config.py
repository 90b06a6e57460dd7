"""The config command: the config file's path, every setting in force and where it came from."""

import os
import sys
from typing import Any, NamedTuple

from ...errors import EXIT_USAGE, CommandExit
from .common import State, err, print_json

DEFAULT_PAGER = "less -FRX"  # what the pager runs when neither the config nor PAGER names one


class Row(NamedTuple):
    """One setting in force: its value (None when unset), where it came from, and the line."""

    name: str
    value: Any
    origin: str  # config file, default, not set, PAGER, command line, ...
    line: int | None = None


def config(state: State, init: bool = False, json_output: bool = False) -> None:
    if init:
        _init(state, json_output)
        return
    rows = settings_in_force(state)
    files = data_files(state)
    settings = state.config
    if json_output:
        print_json(
            {
                "file": settings.path,
                "found": settings.found,
                "settings": {
                    row.name: {"value": _plain(row.value), "from": row.origin, "line": row.line}
                    for row in rows
                },
                "data_files": [{"path": path, "from": origin} for path, origin in files],
            }
        )
        return
    from ...render.config import config_text

    sys.stdout.write(config_text(settings.path, settings.found, rows, files))


def _plain(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


def settings_in_force(state: State) -> list[Row]:
    """Every setting: the config file's value where it sets one, else what painref uses."""
    from ...store.config import SETTINGS

    settings = state.config
    rows = []
    for name in SETTINGS:
        line = settings.line(name)
        if name in settings.settings:
            rows.append(Row(name, settings.get(name), "config file", line))
        elif name == "handout.audience":
            rows.append(Row(name, "patient", "default"))
        else:
            rows.append(Row(name, None, "not set"))
    rows = [_pager(state, row) if row.name == "display.pager" else row for row in rows]
    return [_color(state, row) if row.name == "display.color" else row for row in rows]


def _pager(state: State, row: Row) -> Row:
    if state.no_pager and state.config.get("display.pager") is not False:
        return Row(row.name, False, "--no-pager")
    if row.origin == "config file":
        return row
    pager = os.environ.get("PAGER", "").strip()
    return Row(row.name, pager, "PAGER") if pager else Row(row.name, DEFAULT_PAGER, "default")


def _color(state: State, row: Row) -> Row:
    if state.color_option is not None:
        return Row(row.name, state.color, "command line")
    if row.origin == "config file":
        return row
    return Row(row.name, "auto", "default")


def data_files(state: State) -> list[tuple[str, str]]:
    """Every data file read, in the order it applies, with where painref was told of it."""
    from ...store.paths import DATA_ENV, bundled_paths, env_overlays

    settings = state.config
    return [
        *((path, "bundled") for path in bundled_paths()),
        *((path, DATA_ENV) for path in env_overlays(os.environ.get(DATA_ENV))),
        *((path, "config file, data.overlays") for path in settings.get("data.overlays") or ()),
        *((path, "config file, data.folder") for path in settings.folder_files),
        *((path, "--data") for path in state.data),
    ]


def _init(state: State, json_output: bool) -> None:
    from ...store.config import STARTER
    from ...store.paths import CONFIG_ENV

    path = state.config.path
    if path is None:
        err(
            f"Error: {CONFIG_ENV} is set empty, so painref reads no config file.\n"
            f"Unset it, or set it to a file name, to write one."
        )
        raise CommandExit(EXIT_USAGE)
    if state.config.found or os.path.lexists(path):
        err(
            f"Error: {path} already exists; painref config --init never replaces it.\n"
            "Edit it, or move it away first. See what it sets with: painref config"
        )
        raise CommandExit(EXIT_USAGE)
    try:
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        with open(path, "x", encoding="utf-8", newline="\n") as out:  # "x": never over a file
            out.write(STARTER)
    except FileExistsError:
        err(f"Error: {path} already exists; painref config --init never replaces it.")
        raise CommandExit(EXIT_USAGE) from None
    except OSError as exc:
        err(f"Error: could not write {path}: {exc.strerror or exc}")
        raise CommandExit(EXIT_USAGE) from None
    if json_output:
        print_json({"file": path, "written": True})
        return
    sys.stdout.write(
        f"Wrote a starter config file: {path}\n"
        "Every setting in it is commented out. Edit it, then check it with: painref config\n"
    )
