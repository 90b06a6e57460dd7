"""What each command does, free of any CLI framework: `dispatch` runs a command from the values
that either reading of argv (`launch.parse` or the Typer app) found for it."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

from ..table import BY_NAME
from .common import State, execute, report_config, words


def _runner(command: str) -> Callable[..., None]:
    # Imported per command, so a run loads only the module it needs.
    if command in ("search", "show", "compare", "list", "export"):
        from . import procedures

        runners: dict[str, Callable[..., None]] = {
            "search": procedures.search,
            "show": procedures.show,
            "compare": procedures.compare,
            "list": procedures.list_procedures,
            "export": procedures.export,
        }
        return runners[command]
    if command == "config":
        from .config import config

        return config
    if command == "anticoag":
        from .anticoag import anticoag

        return anticoag
    if command in ("for", "conditions"):
        from .conditions import for_condition, list_conditions

        return for_condition if command == "for" else list_conditions
    from .validate import validate

    return validate


def print_version() -> None:
    from ... import __version__

    sys.stdout.write(f"painref {__version__}\n")


def dispatch(command: str, global_values: dict[str, Any], values: dict[str, Any]) -> int:
    """Run one command; its exit code. Both readings of argv come through here."""
    if command == "version":
        print_version()
        return 0
    if command == "help":
        from ..help import app_help, command_help

        named = values.get("command")
        sys.stdout.write(command_help(named) if named else app_help())
        return 0
    from ...errors import ConfigError
    from ...store import config

    try:
        settings = config.load()
    except ConfigError as exc:
        return report_config(exc.problems)
    color = "never" if global_values.get("no_color") else global_values.get("color")
    data = global_values.get("data") or []
    state = State(data, color, bool(global_values.get("no_pager")), settings)
    spec = BY_NAME[command]
    values = dict(values)
    if spec.argument is not None and spec.argument.join:
        values[spec.argument.name] = words(values.get(spec.argument.name))
    try:
        return execute(
            _runner(command), state, json_output=bool(global_values.get("json_output")), **values
        )
    except KeyboardInterrupt:
        sys.stderr.write("\nAborted!\n")
        return 130


def complete(what: str, incomplete: str) -> list[str]:
    """Shell completion: procedure ids, drug and condition names, filter values, fields, formats."""
    from .completion import complete as complete_values

    return complete_values(what, incomplete)
