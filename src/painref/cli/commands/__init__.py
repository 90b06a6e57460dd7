"""What each command does, free of any CLI framework: `dispatch` runs a command from the values
that either reading of argv (`launch.parse` or the Typer app) found for it."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

from ...errors import EXIT_USAGE
from ..table import BY_NAME, Command
from .common import State, execute, report_config, words


def _runner(command: str) -> Callable[..., None]:
    # Imported per command, so a run loads only the module it needs.
    if command == "export":
        from .export import export

        return export
    if command in ("search", "show", "compare", "list"):
        from . import procedures

        runners: dict[str, Callable[..., None]] = {
            "search": procedures.search,
            "show": procedures.show,
            "compare": procedures.compare,
            "list": procedures.list_procedures,
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
    too_long = _too_long(spec, values)
    if too_long:
        sys.stderr.write(f"Error: {too_long}\nSee 'painref {command} --help'.\n")
        return EXIT_USAGE
    try:
        return execute(
            _runner(command), state, json_output=bool(global_values.get("json_output")), **values
        )
    except KeyboardInterrupt:
        sys.stderr.write("\nAborted!\n")
        return 130


# A query is searched word by word (a typo is corrected against the whole vocabulary), so its
# size is bounded before any of that: 3,000 words took ten seconds, and every message repeats it.
MAX_QUERY_WORDS = 30
MAX_QUERY_CHARACTERS = 300
MAX_NAMES = 30  # procedures one compare or export may name
_QUERIES = ("procedures", "drugs", "conditions")  # what completes a value that is searched


def _too_long(spec: Command, values: dict[str, Any]) -> str | None:
    """Why a searched value of this command line is too long to search, if one is."""
    searched = [o.name for o in spec.options if o.complete in _QUERIES]
    if spec.argument is not None and spec.argument.complete in _QUERIES:
        names = values.get(spec.argument.name)
        if isinstance(names, list):
            if len(names) > MAX_NAMES:
                return f"{len(names):,} names given; at most {MAX_NAMES} at once."
            searched += [spec.argument.name]
        else:
            searched.append(spec.argument.name)
    for name in searched:
        value = values.get(name)
        for text in value if isinstance(value, list) else [value]:
            if not isinstance(text, str):
                continue
            count = len(text.split())
            if count > MAX_QUERY_WORDS or len(text) > MAX_QUERY_CHARACTERS:
                return (
                    f"a query of {count:,} words and {len(text):,} characters is too long to "
                    f"search (at most {MAX_QUERY_WORDS} words and {MAX_QUERY_CHARACTERS} "
                    "characters)."
                )
    return None


def complete(what: str, incomplete: str) -> list[str]:
    """Shell completion: procedure ids, drug and condition names, filter values, fields, formats."""
    from .completion import complete as complete_values

    return complete_values(what, incomplete)
