"""Help screens drawn from the command table, without Typer (whose import alone costs more than
`painref show`). The Typer app built from the same table shows the same options; a test holds
every command and option to having help text and every command to having examples."""

from __future__ import annotations

import os
import textwrap

from .table import (
    BY_NAME,
    COMMANDS,
    GLOBAL_OPTIONS,
    HELP_FLAGS,
    VERSION_FLAGS,
    Command,
    Option,
)

SUMMARY = "Offline reference for interventional pain procedures. Not medical advice."


def _width() -> int:
    try:
        return max(40, min(int(os.environ.get("COLUMNS", "")), 100))
    except ValueError:
        return 80


def _flags(option: Option) -> str:
    flags = ", ".join(option.flags)
    if option.kind == "flag":
        return flags
    metavar = option.metavar or option.name.upper()
    if option.choices:
        metavar = "[" + "|".join(option.choices) + "]"
    return f"{flags} {metavar}"


def _rows(rows: list[tuple[str, str]], width: int) -> list[str]:
    left = min(max((len(name) for name, _ in rows), default=0) + 2, 30)
    lines: list[str] = []
    for name, text in rows:
        wrapped = textwrap.wrap(text, max(20, width - left - 4)) or [""]
        if len(name) + 2 > left:
            lines.append(f"  {name}")
            lines += [" " * (left + 2) + line for line in wrapped]
        else:
            lines.append(f"  {name:<{left}}{wrapped[0]}")
            lines += [" " * (left + 2) + line for line in wrapped[1:]]
    return lines


def _option_rows(options: tuple[Option, ...]) -> list[tuple[str, str]]:
    rows = []
    for option in options:
        text = option.help
        if option.kind not in ("flag", "texts") and option.default is not None:
            text += f" [default: {option.default}]"
        rows.append((_flags(option), text))
    return rows


def app_help() -> str:
    width = _width()
    lines = ["Usage: painref [OPTIONS] COMMAND [ARGS]...", "", *textwrap.wrap(SUMMARY, width)]
    lines += ["", "Options:"]
    rows = _option_rows(GLOBAL_OPTIONS)
    rows += [(", ".join(reversed(VERSION_FLAGS)), "Show the version and exit."),
             ("--install-completion", "Install completion for the current shell."),
             ("--show-completion", "Show completion for the current shell."),
             (", ".join(HELP_FLAGS), "Show this message and exit.")]  # fmt: skip
    lines += _rows(rows, width)
    lines += ["", "Commands:"]
    lines += _rows([(c.name, c.help.split(". ")[0].rstrip(".") + ".") for c in COMMANDS], width)
    lines += ["", "Examples:", *(f"  {c.examples[0]}" for c in COMMANDS)]
    lines += ["", "Global options may come before or after the command. See: painref COMMAND -h"]
    return "\n".join(lines) + "\n"


def command_help(name: str) -> str:
    spec: Command = BY_NAME[name]
    width = _width()
    argument = f" [{spec.argument.name.upper()}]..." if spec.argument else ""
    lines = [f"Usage: painref {spec.name} [OPTIONS]{argument}", ""]
    lines += textwrap.wrap(spec.help, width)
    if spec.argument:
        lines += ["", "Arguments:"]
        lines += _rows([(f"[{spec.argument.name.upper()}]...", spec.argument.help)], width)
    lines += ["", "Options:"]
    rows = _option_rows(spec.options) + _option_rows(GLOBAL_OPTIONS)
    rows.append((", ".join(HELP_FLAGS), "Show this message and exit."))
    lines += _rows(rows, width)
    lines += ["", "Examples:", *(f"  {example}" for example in spec.examples)]
    return "\n".join(lines) + "\n"
