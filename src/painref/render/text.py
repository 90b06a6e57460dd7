"""Small building blocks shared by the views."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.measure import Measurement
from rich.segment import Segment
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


class Bullets:
    """A hanging-indent list: wrapped lines stay aligned under their first word.

    Drawn line by line instead of as a two-column `Table.grid`, which measured about three times
    slower on a full procedure view (tables measure every cell twice before drawing).
    """

    def __init__(
        self,
        items: Iterable[str],
        marker: str = "•",
        numbered: bool = False,
        left: int = 0,
        markers: Sequence[str] | None = None,
    ) -> None:
        self.items = [literal(item) for item in items]
        self.markers = (
            list(markers)
            if markers is not None
            else [f"{n}." if numbered else marker for n in range(1, len(self.items) + 1)]
        )
        widest = max((cell_len(m) for m in self.markers), default=0)
        # `left` spaces before every line; no marker at all makes a plain wrapped paragraph
        self.indent = left + (widest + 1 if widest else 0)
        self.left = left

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = max(options.max_width - self.indent, 1)
        marker_style = console.get_style("dim")
        blank = Segment(" " * self.indent)
        for marker, item in zip(self.markers, self.items, strict=True):
            for number, line in enumerate(wrapped(console, item, width)):
                if number == 0:
                    if self.left:
                        yield Segment(" " * self.left)
                    yield Segment(marker, marker_style)
                    yield Segment(" " * (self.indent - self.left - cell_len(marker)))
                else:
                    yield blank
                if isinstance(line, str):
                    yield Segment(line)
                else:
                    yield from line.render(console)
                yield Segment.line()

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        if not self.items:
            return Measurement(0, 0)
        widest_word = max(
            (cell_len(word) for item in self.items for word in item.plain.split()), default=1
        )
        longest = max(cell_len(item.plain) for item in self.items)
        return Measurement(self.indent + widest_word, self.indent + longest).clamp(
            max_width=options.max_width
        )


_WORD = re.compile(r"\s*\S+\s*")


def wrap_ascii(text: str, width: int) -> list[str]:
    """Rich's word wrap (overflow="fold") for one line of printable ASCII, without Text objects.

    The same greedy rule as `rich._wrap.divide_line`: a word goes on the line if its letters fit,
    a word longer than the width is cut into width-sized pieces, and whitespace past the width is
    dropped. A test checks it against Rich for every list item in the bundled dataset; it exists
    because wrapping through Text objects was a third of the time of `painref show`.
    """
    breaks: list[int] = []
    position = 0
    for match in _WORD.finditer(text):
        start, word = match.start(), match.group()
        length = len(word.rstrip())
        if width - position >= length:
            position += len(word)
        elif length > width:
            pieces = [word[i : i + width] for i in range(0, len(word), width)]
            for number, piece in enumerate(pieces):
                if start:
                    breaks.append(start)
                if number == len(pieces) - 1:
                    position = len(piece)
                else:
                    start += len(piece)
        elif position and start:
            breaks.append(start)
            position = len(word)
    lines = []
    for begin, end in zip([0, *breaks], [*breaks, len(text)], strict=True):
        line = text[begin:end]
        if len(line) > width:
            spaces = len(line) - len(line.rstrip())
            line = line[: len(line) - min(spaces, len(line) - width)]
        lines.append(line[:width])
    return lines


def wrapped(console: Console, item: Text, width: int) -> Sequence[str | Text]:
    """One line of text folded to `width`: plain strings when the fast wrap applies."""
    plain = item.plain
    if not item.spans and not item.style and plain.isascii() and plain.isprintable():
        return wrap_ascii(plain, width)
    return list(item.wrap(console, width, overflow="fold"))


def bullets(items: Iterable[str], marker: str = "•", numbered: bool = False) -> Bullets:
    return Bullets(items, marker, numbered)


def paragraph(text: str) -> Bullets:
    """Wrapped text without a marker; prints as `literal(text)` would, through the fast wrap."""
    return Bullets([text], marker="")


def labelled(label: str, value: str) -> Text:
    line = Text(f"{label}: ", style="bold")
    line.append_text(literal(value))
    return line


def section(title: str, *body: RenderableType) -> Group:
    return Group(Text(""), heading(title), *body)
