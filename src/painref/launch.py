"""The console-script entry point, with a fast lane for the commands people type most.

Importing Typer (and the Click it vendors) costs more than everything else `painref show` does,
so the plain forms of `show`, `search` and `compare` -- words, `--json`, and the global `--data`
and `--no-color` -- are recognised here and run straight through `commands`. Anything else (help,
other options, other commands, missing arguments, completion) goes to the full Typer app in
`cli.py`, which runs the very same command functions; a test checks both lanes agree.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

FAST_COMMANDS = ("show", "search", "compare")


class FastCall:
    """A command line the fast lane can run, as parsed by `parse`."""

    def __init__(self, command: str, words: list[str], json_output: bool, data: list[str],
                 no_color: bool) -> None:  # fmt: skip
        self.command = command
        self.words = words
        self.json_output = json_output
        self.data = data
        self.no_color = no_color


def parse(argv: Sequence[str]) -> FastCall | None:
    """The fast-lane reading of argv, or None when Typer must handle it."""
    data: list[str] = []
    no_color = False
    i = 0
    while i < len(argv):  # global options, before the command
        arg = argv[i]
        if arg == "--no-color":
            no_color = True
        elif arg == "--data" and i + 1 < len(argv) and not argv[i + 1].startswith("-"):
            i += 1
            data.append(argv[i])
        elif arg.startswith("--data=") and len(arg) > len("--data="):
            data.append(arg[len("--data=") :])
        else:
            break
        i += 1
    if i >= len(argv) or argv[i] not in FAST_COMMANDS:
        return None
    command, rest = argv[i], argv[i + 1 :]
    json_output = False
    words: list[str] = []
    for arg in rest:
        if arg == "--json":
            json_output = True
        elif arg.startswith("-"):  # --help, --fields, --limit, "--", negative-looking words ...
            return None
        else:
            words.append(arg)
    needed = 2 if command == "compare" else 1
    if len([w for w in words if w.strip()]) < needed:
        return None  # Typer gives the usage message, or the prompt on a terminal
    return FastCall(command, words, json_output, data, no_color)


def run(call: FastCall) -> int:
    from . import commands

    state = commands.State(call.data, call.no_color)
    try:
        if call.command == "show":
            return commands.execute(
                commands.show, state, commands.words(call.words), call.json_output
            )
        if call.command == "search":
            text = commands.words(call.words)
            return commands.execute(
                commands.search, state, text, commands.SEARCH_LIMIT, call.json_output
            )
        return commands.execute(commands.compare, state, call.words, [], call.json_output)
    except KeyboardInterrupt:
        sys.stderr.write("\nAborted!\n")
        return 1


def main(argv: Sequence[str] | None = None) -> None:
    """Console-script entry point."""
    import signal

    if hasattr(signal, "SIGPIPE"):
        # `painref list | head -1` should end quietly, as cat and grep do.
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    call = parse(sys.argv[1:] if argv is None else argv)
    if call is not None:
        sys.exit(run(call))
    from .cli import app

    app(args=None if argv is None else list(argv))
