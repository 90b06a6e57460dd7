"""Columns of wrapped text: the one table layout every view uses.

The views only need left-to-right columns that wrap text, so this draws them directly rather
than through Rich's `Table` (which measures every cell twice). The look follows Rich's SIMPLE_HEAD
box: a bold header row, a rule under it, no vertical lines, one space of padding either side of
each column.

A word is never cut in two while it could fit: every wrapping column is at least as wide as its
longest word (headers included). When the terminal is too narrow for that, optional columns are
left out (the least important first), and when even the columns that must stay do not fit, each
row is drawn as a record instead: its fixed cells on one line, each wrapping cell indented under
them, as `apt search` does.
"""

from __future__ import annotations

from collections.abc import Sequence

from .styled import Block, Line, Text, fit, restyle, wrap

Cell = str | Text | Block
_UNLIMITED = 1 << 16  # wider than any terminal
_READABLE = 20  # the width a wrapping column keeps before an optional column is added


class Column:
    """A column: `ratio` shares out the width among wrapping columns; 0 keeps it unwrapped.

    `priority` makes it optional: shown only when it fits beside the columns that must stay and
    the optional ones more important than it (a lower number). None: always shown.
    """

    __slots__ = ("header", "priority", "ratio", "right", "style")

    def __init__(
        self,
        header: str | Text = "",
        style: str = "",
        ratio: int = 1,
        right: bool = False,
        priority: int | None = None,
    ) -> None:
        self.header = header
        self.style = style
        self.ratio = ratio
        self.right = right
        self.priority = priority


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
        self._measured: dict[int, tuple[list[int], list[int]]] = {}

    # --- layout ---------------------------------------------------------------------------------

    def _overhead(self, count: int | None = None) -> int:
        count = len(self.columns) if count is None else count
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

    def _measure(self, width: int) -> tuple[list[int], list[int]]:
        """Each column's least width (its longest word; a fixed column's longest line) and most
        width (its longest line). Kept per width: choosing the columns, fitting them and
        drawing them each ask, and a long table has hundreds of cells to measure."""
        if width not in self._measured:
            self._measured[width] = self._measure_cells(width)
        least, most = self._measured[width]
        return list(least), list(most)

    def _measure_cells(self, width: int) -> tuple[list[int], list[int]]:
        count = len(self.columns)
        least, most = [0] * count, [0] * count
        for i, column in enumerate(self.columns):
            cells = [column.header] * self.header + [row[i] for row in self.rows]
            for cell in cells:
                word, line = self._extent(cell, width)
                least[i], most[i] = max(least[i], word), max(most[i], line)
            if not column.ratio:
                least[i] = most[i]
        return least, most

    def shown(self, width: int) -> list[int] | None:
        """The columns drawn at `width` (by position): those that must stay, then each optional
        one, most important first, that still leaves every wrapping column a readable width.
        None when the columns that must stay do not fit their longest words: the rows are then
        drawn as records."""
        least, most = self._measure(width)
        # An optional column is added only while every wrapping column keeps a readable width
        # (a few words a line), not merely its longest word.
        readable = [min(m, max(w, _READABLE)) if c.ratio else m
                    for w, m, c in zip(least, most, self.columns, strict=True)]  # fmt: skip

        def fits(columns: list[int], floor: list[int]) -> bool:
            return sum(floor[i] for i in columns) + self._overhead(len(columns)) <= width

        chosen = [i for i, c in enumerate(self.columns) if c.priority is None]
        if not fits(chosen, least):
            return None
        optional = [i for i, c in enumerate(self.columns) if c.priority is not None]
        for i in sorted(optional, key=lambda i: (self.columns[i].priority, i)):
            if fits([*chosen, i], readable):
                chosen.append(i)
        return sorted(chosen)

    def fits(self, width: int) -> bool:
        """Whether every column can be drawn at `width` without cutting a word."""
        return self.shown(width) == list(range(len(self.columns)))

    def _only(self, shown: list[int]) -> Grid:
        return Grid(
            [self.columns[i] for i in shown],
            [[row[i] for i in shown] for row in self.rows],
            title=self.title,
            header=self.header,
            gap_between_rows=self.gap_between_rows,
            padding=self.padding,
            edge=self.edge,
        )

    def widths(self, width: int) -> list[int]:
        """Each column's text width when the whole grid may use `width` cells.

        Unwrapped columns get their longest line. Wrapping columns get their longest line too if
        everything fits; otherwise each first gets its longest word (when all of those fit) and the
        rest of the room is shared by ratio, no column taking more than its longest line. Only
        when even the longest words do not fit are words folded.
        """
        count = len(self.columns)
        least, most = self._measure(width)
        flexible = [i for i, column in enumerate(self.columns) if column.ratio]
        result = list(most)
        room = max(width - self._overhead(), count) - sum(
            most[i] for i in range(count) if i not in flexible
        )
        if sum(most[i] for i in flexible) <= room:
            return result
        floors_fit = sum(least[i] for i in flexible) <= room
        floor = {i: least[i] if floors_fit else 1 for i in flexible}

        # Share the room by ratio, each column kept between its floor and its longest line: the
        # widest shares whose clamped sum still fits (found by halving), then what rounding down
        # left over, a cell each, to the columns that can still grow.
        def clamped(scale: float) -> dict[int, int]:
            return {
                i: int(min(most[i], max(floor[i], scale * self.columns[i].ratio))) for i in flexible
            }

        low, high = 0.0, float(room)
        for _ in range(40):
            middle = (low + high) / 2
            low, high = (middle, high) if sum(clamped(middle).values()) <= room else (low, middle)
        shares = clamped(low)
        left = room - sum(shares.values())
        for i in flexible:
            if left > 0 and shares[i] < most[i]:
                shares[i] += 1
                left -= 1
        for i, share in shares.items():
            result[i] = share
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
        shown = self.shown(width)
        if shown is None:
            return self._records(width)
        if len(shown) < len(self.columns):
            return self._only(shown).lines(width)
        return self._table(width)

    def _table(self, width: int) -> list[Line]:
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

    def _records(self, width: int) -> list[Line]:
        """Each row as a record: the fixed cells on one line, the wrapping cells under them."""
        _, most = self._measure(width)
        fixed = [i for i, c in enumerate(self.columns) if not c.ratio]
        lead = " " if self.edge else ""
        indent = len(lead) + 2
        if len(fixed) > 1:  # the text lines up under the second fixed cell (the id after a #)
            indent = len(lead) + most[fixed[0]] + 2
        lines: list[Line] = []
        if self.title is not None:
            lines += Text(self.title, style="italic").lines(width)
        if self.edge:
            lines.append([])
        for number, row in enumerate(self.rows):
            if number:
                lines.append([])
            first: Line = [(lead, "")] if lead else []
            below: list[Line] = []  # a fixed cell's further lines (fixed cells are rarely two)
            for place, i in enumerate(fixed):
                drawn = self._cell_lines(row[i], self.columns[i], most[i])
                first += [("  ", "")] * bool(place) + drawn[0]
                below += drawn[1:]
            room = max(width - indent, 1)
            for cell, column in self._record_cells(row):
                below += self._cell_lines(cell, column, room)
            if fixed:
                lines.append(first)
            lines += [[(" " * indent, ""), *line] for line in below if _visible(line)]
        if self.edge and self.rows:
            lines.append([])
        return lines

    def _record_cells(self, row: Sequence[Cell]) -> list[tuple[Cell, Column]]:
        """A record's wrapping cells: the first on its own, the others joined on one line with
        ' · ' between them (each in its column's style) when they are text."""
        cells = [(row[i], c) for i, c in enumerate(self.columns) if c.ratio]
        rest = [(cell, c) for cell, c in cells[1:] if not isinstance(cell, str) or cell]
        texts = [
            Text(cell, column.style) if isinstance(cell, str) else cell
            for cell, column in rest
            if isinstance(cell, str | Text)
        ]
        if len(rest) < 2 or len(texts) < len(rest):
            return cells[:1] + rest
        joined = Text()
        for number, text in enumerate(texts):
            if number:
                joined.append(" · ", "dim")
            joined.append(text)
        return [*cells[:1], (joined, Column())]

    def extent(self) -> tuple[int, int]:
        # at its widest every column has its longest line; at its narrowest, one cell each
        widths = self.widths(_UNLIMITED)
        return len(widths), sum(widths) + self._overhead()


def _visible(line: Line) -> bool:
    return any(text.strip() for text, _ in line)
