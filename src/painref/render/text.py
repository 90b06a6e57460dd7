"""Small building blocks shared by the views."""

from __future__ import annotations

import re
from collections.abc import Iterable

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

NOTICE = (
    "Reference only, not medical advice. Decisions about a procedure belong to you and your "
    "treating clinicians."
)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def clean(text: str) -> str:
    """Make control characters visible, so escape sequences in data never reach the terminal."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def literal(text: str, style: str = "") -> Text:
    return Text(clean(text), style=style)


def heading(title: str) -> Text:
    return Text(title, style="bold cyan")


def bullets(items: Iterable[str], marker: str = "•", numbered: bool = False) -> Table:
    """A hanging-indent list: wrapped lines stay aligned under their first word."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True, style="dim")
    grid.add_column(overflow="fold")
    for number, item in enumerate(items, start=1):
        grid.add_row(f"{number}." if numbered else marker, literal(item))
    return grid


def labelled(label: str, value: str) -> Text:
    line = Text(f"{label}: ", style="bold")
    line.append_text(literal(value))
    return line


def section(title: str, *body: RenderableType) -> Group:
    return Group(Text(""), heading(title), *body)
