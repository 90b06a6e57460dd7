"""Styled text and blocks of lines: what every view is made of.

The views need a small part of Rich: text carrying styles, Rich's word wrap (long words folded),
blocks stacked one under another, and columns (`grid.py`). Importing Rich's console for that
costs about 25 ms, a quarter of a `painref show`, so these few pieces are written here with Rich's
rules; tests hold the wrap, the cell widths and the colour codes to Rich's own.

A view is a `Block`: it can say how narrow and how wide it can be drawn (`extent`), and draw
itself as lines of (text, style) pieces at a given width (`lines`). `console.py` writes the lines.
Styles are Rich's style words ("bold cyan", "dim italic"); a later word wins over an earlier one
of its kind, so "bold" + "yellow" + "red" draws bold red.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import pairwise
from typing import Protocol

from ..printable import printable

Style = str
Piece = tuple[str, Style]
Line = list[Piece]


class Block(Protocol):
    def lines(self, width: int) -> list[Line]:
        """The block drawn `width` cells wide (no line longer, lines not padded)."""

    def extent(self) -> tuple[int, int]:
        """The least width it can use without folding words, and the most it would use."""


def combine(base: Style, style: Style) -> Style:
    """`style` drawn over `base`."""
    return f"{base} {style}" if base and style else base or style


# --- cell widths ------------------------------------------------------------------------------

# Code points drawn one cell wide in Rich's tables (a test checks every one of them): Latin, the
# general punctuation people type (dashes, quotes, bullets), arrows, maths and box drawing.
_ONE_CELL = (
    (0x20, 0x7E),
    (0xA0, 0x2FF),
    (0x2010, 0x2027),
    (0x2030, 0x205E),
    (0x2190, 0x22FF),
    (0x2500, 0x257F),
)


def simple(text: str) -> bool:
    """Whether every character of `text` is one cell wide (then widths are lengths).

    Checked over the text's distinct characters (a few dozen in a paragraph) rather than with a
    pattern: compiling one cost more than every width a view measures."""
    return text.isascii() or all(_one_cell(ord(character)) for character in set(text))


def _one_cell(code: int) -> bool:
    return any(start <= code <= end for start, end in _ONE_CELL)


def cell_len(text: str) -> int:
    """How many terminal cells `text` takes."""
    if simple(text):
        return len(text)
    from rich.cells import cell_len as rich_cell_len  # wide, combining and emoji: Rich's tables

    return rich_cell_len(text)


def _chop(word: str, width: int) -> list[str]:
    """A word too long for any line, cut into pieces of at most `width` cells."""
    if simple(word):
        return [word[i : i + width] for i in range(0, len(word), width)]
    from rich.cells import chop_cells

    return chop_cells(word, width)


def _crop(text: str, width: int) -> str:
    if simple(text):
        return text[:width]
    from rich.cells import set_cell_size

    return set_cell_size(text, width)


def text_extent(paragraphs: Sequence[str]) -> tuple[int, int]:
    """(longest word, longest paragraph) in cells: the least and most width the text can use."""
    word = line = 0
    for paragraph in paragraphs:
        if simple(paragraph):  # the common case: cells are characters, measured in C
            word = max(word, max(map(len, paragraph.split()), default=0))
            line = max(line, len(paragraph))
        else:
            word = max(word, max(map(cell_len, paragraph.split()), default=0))
            line = max(line, cell_len(paragraph))
    return word, line


# --- word wrap --------------------------------------------------------------------------------

_WORD = re.compile(r"\s*\S+\s*")


def wrap_spans(text: str, width: int) -> list[tuple[int, int]]:
    """Where each line of `text` (one paragraph, no newline) starts and ends, folded to `width`.

    Rich's rule (`rich._wrap.divide_line`, then `rstrip_end` and `truncate`): a word goes on the
    line if its letters fit, a word longer than the width is cut into width-sized pieces, and
    whitespace past the width is dropped.
    """
    measure = len if simple(text) else cell_len
    breaks: list[int] = []
    position = 0
    for match in _WORD.finditer(text):
        start, word = match.start(), match.group()
        length = measure(word.rstrip())
        if width - position >= length:
            position += measure(word)
        elif length > width:
            pieces = _chop(word, width)
            for number, piece in enumerate(pieces):
                if start:
                    breaks.append(start)
                if number == len(pieces) - 1:
                    position = measure(piece)
                else:
                    start += len(piece)
        elif position and start:
            breaks.append(start)
            position = measure(word)
    spans = []
    for begin, end in zip([0, *breaks], [*breaks, len(text)], strict=True):
        if end - begin > width:  # Rich counts characters here, not cells
            spaces = (end - begin) - len(text[begin:end].rstrip())
            end -= min(spaces, end - begin - width)
        spans.append((begin, end))
    return spans


def wrap(text: str, width: int) -> list[str]:
    """One paragraph of unstyled text folded to `width`, as Rich folds it."""
    lines = [text[begin:end] for begin, end in wrap_spans(text, width)]
    if simple(text):
        return [line[:width] for line in lines]
    return [_crop(line, width) if cell_len(line) > width else line for line in lines]


# --- styled text ------------------------------------------------------------------------------


def clean(text: str) -> str:
    """Text as a view may draw it: escape sequences and other hidden characters shown, not obeyed
    (`painref.printable`), and tabs as spaces to the next stop of 8, as a terminal draws them.

    Every `Text` applies it to what it is given, so no view can put raw data on the terminal.
    """
    text = printable(text)
    return text.expandtabs(8) if "\t" in text else text


class Text:
    """Text with a base style and styled spans, like `rich.text.Text` (the parts views use)."""

    __slots__ = ("plain", "spans", "style")

    def __init__(self, text: str = "", style: Style = "") -> None:
        self.plain = clean(text) if text else text
        self.style = style
        self.spans: list[tuple[int, int, Style]] = []

    @classmethod
    def assemble(cls, *parts: str | Text | tuple[str, Style]) -> Text:
        text = cls()
        for part in parts:
            if isinstance(part, tuple):
                text.append(*part)
            else:
                text.append(part)
        return text

    def append(self, text: str | Text, style: Style = "") -> Text:
        """Add text at the end; `style` (or a Text's own styles) apply to the added part only."""
        offset = len(self.plain)
        if isinstance(text, Text):
            self.plain += text.plain
            if text.style:
                self.spans.append((offset, len(self.plain), text.style))
            self.spans += [(offset + s, offset + e, span) for s, e, span in text.spans]
        else:
            self.plain += clean(text)
            if style and text:
                self.spans.append((offset, len(self.plain), style))
        return self

    def pieces(self, begin: int, end: int) -> Line:
        """The characters begin:end, split where their style changes."""
        if not self.spans:
            return [(self.plain[begin:end], self.style)] if end > begin else []
        cuts = sorted(
            {begin, end, *(p for s, e, _ in self.spans for p in (s, e) if begin < p < end)}
        )
        line: Line = []
        for start, stop in pairwise(cuts):
            style = self.style
            for span_start, span_end, span_style in self.spans:  # later spans win
                if span_start <= start and stop <= span_end:
                    style = combine(style, span_style)
            line.append((self.plain[start:stop], style))
        return line

    def lines(self, width: int) -> list[Line]:
        lines: list[Line] = []
        offset = 0
        for paragraph in self.plain.split("\n"):
            exact = simple(paragraph)  # else cells and characters differ: measure every line
            for begin, end in wrap_spans(paragraph, width):
                line = self.pieces(offset + begin, offset + end)
                lines.append(crop(line, width) if end - begin > width or not exact else line)
            offset += len(paragraph) + 1
        return lines

    def extent(self) -> tuple[int, int]:
        return text_extent(self.plain.split("\n"))


class Group:
    """Blocks one under another."""

    __slots__ = ("blocks",)

    def __init__(self, *blocks: Block) -> None:
        self.blocks = blocks

    def lines(self, width: int) -> list[Line]:
        return [line for block in self.blocks for line in block.lines(width)]

    def extent(self) -> tuple[int, int]:
        extents = [block.extent() for block in self.blocks]
        return max((e[0] for e in extents), default=0), max((e[1] for e in extents), default=0)


# --- lines ------------------------------------------------------------------------------------


def line_length(line: Sequence[Piece]) -> int:
    return sum(cell_len(text) for text, _ in line)


def crop(line: Line, width: int) -> Line:
    """The line cut to at most `width` cells."""
    kept: Line = []
    room = width
    for text, style in line:
        length = cell_len(text)
        if length > room:
            if room:
                kept.append((_crop(text, room), style))
            break
        kept.append((text, style))
        room -= length
    return kept


def strip_end(line: Line) -> Line:
    """The line without the spaces at its end (padding a reader cannot see)."""
    kept = list(line)
    while kept and not kept[-1][0].rstrip(" "):
        kept.pop()
    if kept and kept[-1][0].endswith(" "):
        text, style = kept[-1]
        kept[-1] = (text.rstrip(" "), style)
    return kept


def fit(line: Line, width: int, right: bool = False) -> Line:
    """The line padded (on the left when `right`) or cut to exactly `width` cells."""
    length = line_length(line)
    if length >= width:
        return crop(line, width) if length > width else line
    pad = (" " * (width - length), "")
    return [pad, *line] if right else [*line, pad]


def restyle(line: Line, base: Style) -> Line:
    """The line with `base` under each piece's own style."""
    return [(text, combine(base, style)) for text, style in line] if base else line
