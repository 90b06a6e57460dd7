"""The console-script entry point: one reading of argv, from the command table, for every command.

`parse` reads argv against `table` (global options before or after the command, `--opt=value`,
`--` ending the options) and runs the command through `commands.dispatch`; help screens are
drawn from the same table (`help.py`). It hands over to the Typer application built from the
same table (`app.build`) only for shell completion and usage errors, whose messages are then
Typer's. Importing Typer costs more than everything else a command does, so the common path
never imports it; a test runs every command both ways and requires the same output and exit.
"""

import contextlib
import os
import sys
from collections.abc import Sequence
from typing import Any, NamedTuple

from .table import BY_NAME, GLOBAL_OPTIONS, HELP_FLAGS, VERSION_FLAGS, Option


class Call(NamedTuple):
    """A command line read against the table: the command, global values and its own values."""

    command: str
    global_values: dict[str, Any]
    values: dict[str, Any]


def _defaults(options: Sequence[Option]) -> dict[str, Any]:
    return {o.name: (list(o.default) if o.kind == "texts" else o.default) for o in options}


def _find(options: Sequence[Option], flag: str) -> Option | None:
    for option in options:
        if flag in option.flags:
            return option
    return None


def _convert(option: Option, raw: str) -> Any:
    """An option's value as its kind says; raises ValueError when it is not of that kind."""
    if option.kind == "int":
        value = int(raw)
        if value < 1:
            raise ValueError(raw)
        return value
    if option.kind == "float":
        return float(raw)
    return raw.lower() if option.choices else raw


def parse(argv: Sequence[str]) -> Call | None:
    """The reading of argv, or None when Typer must handle it (help, completion, bad usage)."""
    if any(name.startswith("_PAINREF_COMPLETE") for name in os.environ):
        return None
    global_values = _defaults(GLOBAL_OPTIONS)
    command = None
    values: dict[str, Any] = {}
    words: list[str] = []
    args = list(argv)
    i = 0
    while i < len(args):
        arg = args[i]
        i += 1
        if arg == "--":
            if command is None:
                return None
            words += args[i:]
            break
        if arg in HELP_FLAGS:
            return Call("help", global_values, {"command": command})
        if arg in ("--install-completion", "--show-completion"):
            return None
        if arg in VERSION_FLAGS and command is None:
            return Call("version", global_values, {})
        if arg.startswith("-") and len(arg) > 1 and not _is_number(arg):
            flag, eq, raw = arg.partition("=")
            own = _find(BY_NAME[command].options, flag) if command else None
            option = own or _find(GLOBAL_OPTIONS, flag)
            if option is None:
                return None
            target = values if own else global_values
            if option.kind == "flag":
                if eq:
                    return None
                target[option.name] = True
                continue
            if not eq:
                if i >= len(args):
                    return None
                raw = args[i]
                i += 1
            try:
                value = _convert(option, raw)
            except ValueError:
                return None
            if option.kind == "texts":
                target.setdefault(option.name, list(option.default or ())).append(value)
            else:
                target[option.name] = value
            continue
        if command is None:
            if arg not in BY_NAME:
                return None
            command = arg
            values = _defaults(BY_NAME[command].options)
            continue
        words.append(arg)
    if command is None:
        return Call("help", global_values, {"command": None}) if not args else None
    spec = BY_NAME[command]
    if spec.argument is not None:
        values[spec.argument.name] = words
    elif words:
        return None  # a command without arguments was given some: Typer says so
    return Call(command, global_values, values)


def _is_number(arg: str) -> bool:
    try:
        float(arg)
    except ValueError:
        return False
    return True


def main(argv: Sequence[str] | None = None) -> None:
    """Console-script entry point: every command line runs inside `streams.run`, which makes
    closed, full and non-UTF-8 standard streams safe for both ways of reading argv."""
    import signal

    from .streams import run

    if hasattr(signal, "SIGPIPE"):
        # `painref list | head -1` should end quietly, as cat and grep do.
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    args = sys.argv[1:] if argv is None else list(argv)
    code = run(lambda: _run(args))
    if argv is None:
        # painref is the program here, not a caller's function: it ends without the
        # interpreter's teardown, which frees every module and object one by one (about 5 ms,
        # a sixth of a warm command). Nothing is lost: `run` has flushed both streams inside
        # its guard, every file painref writes is closed where it is written, a pager has been
        # waited for, and nothing registers an exit handler.
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(OSError, ValueError, AttributeError):
                stream.flush()
        os._exit(code)
    sys.exit(code)


def _run(args: list[str]) -> int:
    call = parse(args)
    if call is not None:
        from .commands import dispatch

        return dispatch(call.command, call.global_values, call.values)
    from .app import build

    try:
        build()(args=args, prog_name="painref")
    except SystemExit as done:  # Typer ends every run this way; its code is the run's
        return done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
    return 0
