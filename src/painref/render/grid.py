"""Columns of wrapped text: the one table layout every view uses.

The views only need left-to-right columns that fold long words, so this draws them directly
rather than through Rich's `Table` (which measures every cell twice). The look follows Rich's
SIMPLE_HEAD box: a bold header row, a rule under it, no vertical lines, one space of padding
either side of each column.
"""

from __future__ import annotations

from collections.abc import Sequence

from .styled import Block, Line, Text, fit, restyle, wrap

Cell = str | Text | Block
_UNLIMITED = 1 << 16  # wider than any terminal


class Column:
    """A column: `ratio` shares out the width among wrapping columns; 0 keeps it unwrapped."""

    __slots__ = ("header", "ratio", "right", "style")

    def __init__(
        self, header: str | Text = "", style: str = "", ratio: int = 1, right: bool = False
    ) -> None:
        self.header = header
        self.style = style
        self.ratio = ratio
        self.right = right


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
    def _extent(cell: Cell, width: int) -> tuple[int, int]:
        """A cell's longest word and longest line: the least and most width it can use."""
        if isinstance(cell, str):
            cell = Text(cell)
        word, line = cell.extent()
        if isinstance(cell, Text):
            return word, line
        return min(word, width), min(line, width)  # as Rich measures a renderable

    def widths(self, width: int) -> list[int]:
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
                word, line = self._extent(cell, width)
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

    @staticmethod
    def _cell_lines(cell: Cell, column: Column, width: int) -> list[Line]:
        if isinstance(cell, str):
            lines: list[Line] = [
                [(line, column.style)] for part in cell.split("\n") for line in wrap(part, width)
            ]
        else:
            lines = [restyle(line, column.style) for line in cell.lines(width)]
        return [fit(line, width, column.right) for line in lines] or [[(" " * width, "")]]

    def _row(self, cells: Sequence[Cell], widths: list[int], header: bool) -> list[Line]:
        drawn = [
            self._cell_lines(cell, column, width)
            for cell, column, width in zip(cells, self.columns, widths, strict=True)
        ]
        pad = (" " * self.padding, "")
        height = max(len(lines) for lines in drawn)
        if header:
            # Headers sit on the rule, so a short one lines up with its neighbours' last line.
            drawn = [
                [[(" " * w, "")]] * (height - len(lines))
                + [restyle(line, "bold") for line in lines]
                for lines, w in zip(drawn, widths, strict=True)
            ]
        rows = []
        for index in range(height):
            line: Line = [(" ", "")] if self.edge else []
            for number, (lines, width) in enumerate(zip(drawn, widths, strict=True)):
                if number:
                    line.append((" ", ""))
                line.append(pad)
                line += lines[index] if index < len(lines) else [(" " * width, "")]
                line.append(pad)
            if self.edge:
                line.append((" ", ""))
            rows.append(line)
        return rows

    def lines(self, width: int) -> list[Line]:
        widths = self.widths(width)
        total = sum(widths) + self._overhead()
        lines: list[Line] = []
        if self.title is not None:
            lines += Text(self.title, style="italic").lines(width)
        blank: Line = [(" " * total, "")]
        if self.edge:
            lines.append(blank)
        if self.header:
            lines += self._row([c.header for c in self.columns], widths, True)
            lines.append([(" " + "─" * (total - 2) + " ", "")])
        for number, row in enumerate(self.rows):
            if number and self.gap_between_rows:
                lines.append(blank)
            lines += self._row(row, widths, False)
        if self.edge and self.rows:
            lines.append(blank)
        return lines

    def extent(self) -> tuple[int, int]:
        # at its widest every column has its longest line; at its narrowest, one cell each
        widths = self.widths(_UNLIMITED)
        return len(widths), sum(widths) + self._overhead()
