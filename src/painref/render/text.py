"""Small building blocks shared by the views."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from .styled import Block, Group, Line, Text, cell_len, text_extent, wrap
from .styled import clean as clean  # the rule every Text applies; views import it from here

RISK_STYLE = {"low": "green", "intermediate": "yellow", "high": "bold red"}  # bleeding risk

NOTICE = (
    "Reference only, not medical advice. Decisions about a procedure belong to you and your "
    "treating clinicians."
)


def literal(text: str, style: str = "") -> Text:
    return Text(text, style=style)


def heading(title: str) -> Text:
    return Text(title, style="bold cyan")


class Bullets:
    """A hanging-indent list: wrapped lines stay aligned under their first word."""

    def __init__(
        self,
        items: Iterable[str],
        marker: str = "•",
        numbered: bool = False,
        left: int = 0,
        markers: Sequence[str] | None = None,
        marker_style: str = "dim",
    ) -> None:
        self.items = [clean(item) for item in items]
        self.marker_style = marker_style
        self.markers = (
            list(markers)
            if markers is not None
            else [f"{n}." if numbered else marker for n in range(1, len(self.items) + 1)]
        )
        widest = max((cell_len(m) for m in self.markers), default=0)
        # `left` spaces before every line; no marker at all makes a plain wrapped paragraph
        self.indent = left + (widest + 1 if widest else 0)
        self.left = left

    def lines(self, width: int) -> list[Line]:
        room = max(width - self.indent, 1)
        hang: Line = [(" " * self.indent, "")] if self.indent else []
        lines: list[Line] = []
        for marker, item in zip(self.markers, self.items, strict=True):
            lead: Line = [(" " * self.left, "")] if self.left else []
            if marker:
                gap = " " * (self.indent - self.left - cell_len(marker))
                lead += [(marker, self.marker_style), (gap, "")]
            for paragraph in item.split("\n"):
                for text in wrap(paragraph, room):
                    lines.append([*lead, (text, "")])
                    lead = hang  # the marker goes on the item's first line only
        return lines

    def extent(self) -> tuple[int, int]:
        if not self.items:
            return 0, 0
        word, longest = text_extent([p for item in self.items for p in item.split("\n")])
        return self.indent + max(word, 1), self.indent + longest


def bullets(items: Iterable[str], marker: str = "•", numbered: bool = False) -> Bullets:
    return Bullets(items, marker, numbered)


def paragraph(text: str) -> Bullets:
    """Wrapped text without a marker."""
    return Bullets([text], marker="")


def labelled(label: str, value: str) -> Text:
    return Text.assemble((f"{label}: ", "bold"), literal(value))


def section(title: str, *body: Block) -> Group:
    return Group(Text(""), heading(title), *body)
