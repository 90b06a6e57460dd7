"""Columns of wrapped text: the one table layout every view uses.

Rich's `Table` measures every cell twice and brings its own module tree (about 10 ms of imports,
a tenth of a `painref search`); the views only need left-to-right columns that fold long words,
so this draws them directly. The look follows Rich's SIMPLE_HEAD box: a bold header row, a rule
under it, no vertical lines, one space of padding either side of each column.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
from rich.measure import Measurement
from rich.segment import Segment
from rich.style import Style
from rich.text import Text

from .text import wrapped

Cell = str | Text | RenderableType
Line = list[Segment]


@dataclass(frozen=True, slots=True)
class Column:
    """A column: `ratio` shares out the width among wrapping columns; 0 keeps it unwrapped."""

    header: str | Text = ""
    style: str = ""
    ratio: int = 1
    right: bool = False


class Grid:
    """Rows of cells under optional headers; wrapping columns share what the fixed ones leave."""

    def __init__(
        self,
        columns: Sequence[Column],
        rows: Sequence[Sequence[Cell]],
        *,
        title: str | None = None,
        header: bool = True,
        gap_between_rows: bool = False,
        padding: int = 1,
        edge: bool = True,
    ) -> None:
        self.columns = list(columns)
        self.rows = [list(row) for row in rows]
        self.title = title
        self.header = header
        self.gap_between_rows = gap_between_rows
        self.padding = padding
        self.edge = edge  # a blank column at each side and a blank line above and below

    # --- layout ---------------------------------------------------------------------------------

    def _overhead(self) -> int:
        count = len(self.columns)
        return 2 * self.padding * count + (count - 1) + (2 if self.edge else 0)

    @staticmethod
    def _extent(console: Console, cell: Cell) -> tuple[int, int]:
        """A cell's longest word and longest line: the least and most width it can use."""
        if isinstance(cell, str | Text):
            plain = cell if isinstance(cell, str) else cell.plain
            lines = plain.split("\n")
            word = max((cell_len(w) for line in lines for w in line.split()), default=0)
            return word, max(cell_len(line) for line in lines)
        measured = Measurement.get(console, console.options, cell)
        return measured.minimum, measured.maximum

    def widths(self, console: Console, width: int) -> list[int]:
        """Each column's text width when the whole grid may use `width` cells.

        Unwrapped columns get their longest line. Wrapping columns get their longest line too if
        everything fits; otherwise each first gets its longest word (when all of those fit) and the
        rest of the room is shared by ratio, no column taking more than its longest line. Only
        when even the longest words do not fit are words folded.
        """
        count = len(self.columns)
        least, most = [0] * count, [0] * count
        for i, column in enumerate(self.columns):
            cells = [column.header] * self.header + [row[i] for row in self.rows]
            for cell in cells:
                word, line = self._extent(console, cell)
                least[i], most[i] = max(least[i], word), max(most[i], line)
        flexible = [i for i, column in enumerate(self.columns) if column.ratio]
        result = list(most)
        room = max(width - self._overhead(), count) - sum(
            most[i] for i in range(count) if i not in flexible
        )
        if sum(most[i] for i in flexible) <= room:
            return result
        floors_fit = sum(least[i] for i in flexible) <= room
        floor = [least[i] if floors_fit else 1 for i in range(count)]
        # Share the room by ratio. A column whose share is more than its longest line keeps just
        # that, one whose share is less than its floor gets the floor; the rest is shared again.
        pending = list(flexible)
        while pending:
            total = sum(self.columns[i].ratio for i in pending)
            share = {i: room * self.columns[i].ratio / total for i in pending}
            settle = [i for i in pending if share[i] >= most[i]] or [
                i for i in pending if share[i] < floor[i]
            ]
            if not settle:
                given = 0
                for i in pending:
                    result[i] = int(share[i])
                    given += result[i]
                for i in pending[: room - given]:  # what rounding down left over
                    result[i] += 1
                break
            for i in settle:
                result[i] = most[i] if share[i] >= most[i] else floor[i]
                room -= result[i]
                pending.remove(i)
        return result

    # --- drawing --------------------------------------------------------------------------------

    def _cell_lines(
        self, console: Console, options: ConsoleOptions, cell: Cell, column: Column, width: int
    ) -> list[Line]:
        style = console.get_style(column.style) if column.style else Style()
        lines: list[Line] = []
        if isinstance(cell, str | Text):
            text = cell if isinstance(cell, Text) else Text(cell)
            for part in text.split("\n", allow_blank=True):
                for line in wrapped(console, part, width):
                    if isinstance(line, str):
                        lines.append([Segment(line, style)])
                    else:
                        lines.append(list(Segment.apply_style(line.render(console), style)))
        else:
            drawn = console.render_lines(cell, options.update_width(width), pad=False)
            lines = [list(Segment.apply_style(line, style)) for line in drawn]
        return [self._fit(line, width, column.right) for line in lines] or [[Segment(" " * width)]]

    @staticmethod
    def _fit(line: Line, width: int, right: bool) -> Line:
        length = Segment.get_line_length(line)
        if length >= width:
            return Segment.adjust_line_length(line, width)
        pad = Segment(" " * (width - length))
        return [pad, *line] if right else [*line, pad]

    def _row(
        self,
        console: Console,
        options: ConsoleOptions,
        cells: Sequence[Cell],
        widths: list[int],
        header: bool,
    ) -> RenderResult:
        drawn = [
            self._cell_lines(console, options, cell, column, width)
            for cell, column, width in zip(cells, self.columns, widths, strict=True)
        ]
        bold = console.get_style("bold")
        pad = Segment(" " * self.padding)
        edge = Segment(" ") if self.edge else None
        height = max(len(lines) for lines in drawn)
        if header:
            # Headers sit on the rule, so a short one lines up with its neighbours' last line.
            drawn = [
                [[Segment(" " * w)]] * (height - len(lines)) + lines
                for lines, w in zip(drawn, widths, strict=True)
            ]
        for index in range(height):
            if edge:
                yield edge
            for number, (lines, width) in enumerate(zip(drawn, widths, strict=True)):
                if number:
                    yield Segment(" ")
                yield pad
                line = lines[index] if index < len(lines) else [Segment(" " * width)]
                yield from Segment.apply_style(line, bold) if header else line
                yield pad
            if edge:
                yield edge
            yield Segment.line()

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        widths = self.widths(console, options.max_width)
        total = sum(widths) + self._overhead()
        if self.title is not None:
            yield Text(str(self.title), style="italic")
        if self.edge:
            yield Segment(" " * total + "\n")
        if self.header:
            yield from self._row(console, options, [c.header for c in self.columns], widths, True)
            yield Segment(" " + "─" * (total - 2) + " \n")
        for number, row in enumerate(self.rows):
            if number and self.gap_between_rows:
                yield Segment(" " * total + "\n")
            yield from self._row(console, options, row, widths, False)
        if self.edge and self.rows:
            yield Segment(" " * total + "\n")

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        widths = self.widths(console, options.max_width)
        return Measurement(len(widths), sum(widths) + self._overhead())
