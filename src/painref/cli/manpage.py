"""The man page, painref(1), written from the command table (`table.py`): the same words as
`--help`, so the two cannot drift apart.

`python -m painref.cli.manpage > man/painref.1` rewrites the shipped page; a test and CI check
that it is current, and the wheel installs it as share/man/man1/painref.1 (see pyproject.toml),
so `man painref` works wherever that folder is on the man path.
"""

from __future__ import annotations

import sys

from .. import __version__
from .table import COMMANDS, GLOBAL_OPTIONS, HELP_FLAGS, VERSION_FLAGS, Command, Option

SUMMARY = "offline reference for interventional pain procedures"

DESCRIPTION = (
    "painref finds interventional pain procedures by whatever words are typed (names, "
    "abbreviations, brand names, CPT codes, conditions, plain words), shows one in full or on "
    "one screen, compares several side by side, tells when a blood thinner stops and restarts "
    "around a procedure, lays out what can be offered for a condition, and writes handouts. "
    "Every fact is tied to a reference. It works offline from data shipped with it."
)
NOTICE = (
    "Reference only, not medical advice. Decisions about a procedure, and about stopping any "
    "medicine, belong to the patient and the treating clinicians."
)
ENVIRONMENT = (
    ("PAINREF_DATA", "Extra data files, as with --data, separated by : (; on Windows)."),
    (
        "PAINREF_CACHE_DIR",
        "Where the compiled store is kept (default: the user cache folder); empty: no cache.",
    ),
    (
        "PAINREF_PAGER, PAGER",
        "The pager for long views on a terminal (default: less -FRX); empty or cat: none.",
    ),
    ("NO_COLOR", "When set and not empty, no colour (as --color never)."),
    ("FORCE_COLOR", "When set, styled output even when not on a terminal (never paged)."),
    ("COLUMNS, LINES", "The width and height to draw for, instead of the terminal's."),
)
EXIT_STATUS = (
    ("0", "Success."),
    ("1", "Nothing found (suggestions are printed on standard error)."),
    ("2", "Bad usage, or a data file that does not validate."),
)


def escape(text: str) -> str:
    """Text as roff prints it: backslashes and hyphens kept, no line read as a request."""
    text = text.replace("\\", "\\e").replace("-", "\\-")
    return "\n".join("\\&" + line if line[:1] in ".'" else line for line in text.split("\n"))


def _bold(text: str) -> str:
    return f"\\fB{escape(text)}\\fR"


def _metavar(option: Option) -> str:
    if option.kind == "flag":
        return ""
    if option.choices and (option.metavar is None or len(option.choices) <= 3):
        return "|".join(option.choices)
    return option.metavar or ("N" if option.kind == "int" else "VALUE")


def _option(option: Option) -> list[str]:
    flags = ", ".join(f"\\fB{escape(flag)}\\fR" for flag in option.flags)
    value = _metavar(option)
    head = f"{flags} \\fI{escape(value)}\\fR" if value else flags
    text = option.help
    if option.choices and "|" not in value:
        text += f" One of: {', '.join(option.choices)}."
    return [".TP", head, escape(text)]


def _synopsis(command: Command) -> str:
    argument = ""
    if command.argument is not None:
        argument = f" \\fI{escape(command.argument.name.upper())}\\fR..."
    options = " [\\fIOPTIONS\\fR]" if command.options else ""
    return f"\\fBpainref {escape(command.name)}\\fR{argument}{options}"


def _command(command: Command) -> list[str]:
    lines = [f'.SS "{escape(command.name)}"', _synopsis(command), ".br", escape(command.help)]
    if command.argument is not None:
        lines += [".TP", f"\\fI{escape(command.argument.name.upper())}\\fR"]
        lines.append(escape(command.argument.help))
    for option in command.options:
        lines += _option(option)
    lines += [".PP", "Examples:", ".RS", ".nf", *(escape(e) for e in command.examples)]
    lines += [".fi", ".RE"]
    return lines


# The page's date, as man pages give it: when its text last changed. A fixed value (not
# today's date) so the generated page stays byte-for-byte in step with the checked-in one.
PAGE_DATE = "2026-12-01"


def render() -> str:
    """The page, in roff with the man macros."""
    lines = [
        ".\\\" Generated from painref's command table by painref.cli.manpage; do not edit.",
        f'.TH PAINREF 1 "{PAGE_DATE}" "painref {escape(__version__)}" "painref manual"',
        ".nh",  # ids such as medial-branch-rfa are never broken at a hyphen
        ".SH NAME",
        f"painref \\- {escape(SUMMARY)}",
        ".SH SYNOPSIS",
        "\\fBpainref\\fR [\\fIGLOBAL OPTIONS\\fR] \\fICOMMAND\\fR [\\fIARGUMENTS\\fR] "
        "[\\fIOPTIONS\\fR]",
        ".br",
        "\\fBpainref\\fR " + " | ".join(_bold(flag) for flag in VERSION_FLAGS),
        ".SH DESCRIPTION",
        escape(DESCRIPTION),
        ".PP",
        f"\\fB{escape(NOTICE)}\\fR",
        ".SH GLOBAL OPTIONS",
        "Accepted before or after the command.",
    ]
    for option in GLOBAL_OPTIONS:
        lines += _option(option)
    lines += [".TP", ", ".join(f"\\fB{escape(flag)}\\fR" for flag in VERSION_FLAGS)]
    lines += ["Print the version and exit."]
    lines += [".TP", ", ".join(f"\\fB{escape(flag)}\\fR" for flag in HELP_FLAGS)]
    lines += ["Show help for painref or for one command, with examples."]
    lines += [".TP", "\\fB\\-\\-install\\-completion\\fR, \\fB\\-\\-show\\-completion\\fR"]
    lines += [
        "Install, or print, shell completion for the current shell: procedure ids, drug and "
        "condition names, filter values, fields, sections and formats."
    ]
    lines += [".SH COMMANDS"]
    for command in COMMANDS:
        lines += _command(command)
    lines += [".SH OUTPUT"]
    lines += [
        escape(
            "Colour only on a terminal. A view longer than the terminal is shown through the "
            "pager, never when the output is piped. Piped, search and list print one "
            "tab-separated line per procedure. With --json only JSON is printed on standard "
            "output; notes go to standard error."
        )
    ]
    lines += [".SH ENVIRONMENT"]
    for name, text in ENVIRONMENT:
        lines += [".TP", f"\\fB{escape(name)}\\fR", escape(text)]
    lines += [".SH EXIT STATUS"]
    for code, text in EXIT_STATUS:
        lines += [".TP", f"\\fB{code}\\fR", escape(text)]
    lines += [".SH SEE ALSO", "\\fBless\\fR(1)"]
    return "\n".join(lines) + "\n"


def main() -> None:
    sys.stdout.write(render())


if __name__ == "__main__":
    main()
