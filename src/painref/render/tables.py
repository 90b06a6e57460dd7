"""Tables for search results, the procedure list, facets and comparisons."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from .grid import Cell, Column, Grid
from .styled import Block, Group, Text
from .text import bullets, clean, heading, literal, paragraph

if TYPE_CHECKING:  # annotations only: `search` should not pay for importing compare
    from ..model.procedure import Listing, Procedure
    from ..query.compare import Row
    from ..query.search import Hit

_MIN_COLUMN = 18  # below this a side-by-side column is unreadable; compare stacks instead


_ID = Column("ID", style="bold cyan", ratio=0)


def search_table(query: str, hits: Sequence[Hit]) -> Grid:
    """Results best first; what matched, the score and the category as the width allows."""
    columns = [
        Column("#", style="dim", ratio=0, right=True),
        _ID,
        Column("Name", ratio=3),
        Column("Category", style="magenta", priority=3),
        Column("Matched", ratio=2, priority=1),
        Column("Score", ratio=0, right=True, priority=2),
    ]
    rows: list[list[Cell]] = [
        [
            str(number),
            hit.id,
            literal(hit.name),
            hit.category,
            literal(f"{hit.field}: {hit.matched}"),
            f"{hit.score:.0f}",
        ]
        for number, hit in enumerate(hits, start=1)
    ]
    return Grid(columns, rows, title=f"Results for '{clean(query)}'")


def list_table(procedures: Sequence[Listing]) -> Grid:
    """Every procedure; the risk class, category and regions as the width allows."""
    columns = [
        _ID,
        Column("Name", ratio=3),
        Column("Category", style="magenta", priority=2),
        Column("Regions", priority=3),
        Column("Risk", priority=1),
    ]
    rows: list[list[Cell]] = [
        [p.id, literal(p.name), p.category, ", ".join(p.regions), p.anticoagulation_risk]
        for p in procedures
    ]
    return Grid(columns, rows)


def id_table(columns: Sequence[tuple[str, int]], rows: Iterable[Sequence[str]]) -> Grid:
    """An id column, then text columns sharing the width by ratio (the drug and condition lists)."""
    cells: list[list[Cell]] = [
        [row_id, *(literal(cell) for cell in rest)] for row_id, *rest in rows
    ]
    return Grid([_ID, *(Column(title, ratio=ratio) for title, ratio in columns)], cells)


def facets_view(facets: dict[str, dict[str, int]]) -> Group:
    parts: list[Block] = []
    columns = [Column(), Column(style="dim", ratio=0, right=True)]
    for name, counts in facets.items():
        rows: list[list[Cell]] = [[literal(value), str(count)] for value, count in counts.items()]
        grid = Grid(columns, rows, header=False, padding=0, edge=False)
        parts += [heading(name.capitalize()), grid, Text("")]
    return Group(*parts)


def compare_view(procedures: Sequence[Procedure], rows: Sequence[Row], width: int) -> Block:
    """Side by side while each column stays readable and no word is cut; otherwise one block
    per attribute."""
    label_width = max(len(row.label) for row in rows) if rows else 8
    per_column = (width - label_width - 3 * len(procedures)) // max(len(procedures), 1)
    side_by_side = _side_by_side(procedures, rows)
    if per_column >= _MIN_COLUMN and side_by_side.fits(width):
        return side_by_side
    return _stacked(procedures, rows)


def _cell(lines: Sequence[str]) -> Block:
    """One line as text; several as a hanging-indent list that keeps wrapped lines aligned."""
    if len(lines) == 1:
        return paragraph(lines[0])
    return bullets(lines)


def _side_by_side(procedures: Sequence[Procedure], rows: Sequence[Row]) -> Grid:
    columns = [Column("", style="bold", ratio=0)]
    for p in procedures:
        header = literal(p.name, "bold")
        header.append(f"\n{p.id}", style="cyan")
        columns.append(Column(header))
    cells: list[list[Cell]] = [[row.label, *(_cell(cell) for cell in row.cells)] for row in rows]
    return Grid(columns, cells, gap_between_rows=True)


def _stacked(procedures: Sequence[Procedure], rows: Sequence[Row]) -> Group:
    parts: list[Block] = []
    columns = [Column(style="bold cyan", ratio=0), Column()]
    for row in rows:
        cells: list[list[Cell]] = [
            [p.id, _cell(cell)] for p, cell in zip(procedures, row.cells, strict=True)
        ]
        grid = Grid(columns, cells, header=False, padding=0, edge=False)
        parts += [heading(row.label), grid, Text("")]
    return Group(*parts)
