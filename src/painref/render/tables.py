"""Tables for search results, the procedure list, facets and comparisons."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from .text import bullets, clean, heading, literal, paragraph

if TYPE_CHECKING:  # annotations only: `search` should not pay for importing compare
    from ..compare import Row
    from ..model import Procedure
    from ..search import Hit

_MIN_COLUMN = 18  # below this a side-by-side column is unreadable; compare stacks instead


_WIDE = 90  # from here on, tables show their secondary columns


def search_table(query: str, hits: Sequence[Hit], width: int) -> Table:
    """Results best first; below full width the category and the matched text are left out."""
    wide = width >= _WIDE
    table = Table(title=f"Results for '{clean(query)}'", box=box.SIMPLE_HEAD, title_justify="left")
    table.add_column("#", justify="right", style="dim", no_wrap=True)
    table.add_column("ID", style="bold cyan", no_wrap=True)
    table.add_column("Name", ratio=3, overflow="fold")
    if wide:
        table.add_column("Category", style="magenta", overflow="fold")
        table.add_column("Matched", ratio=2, overflow="fold")
    table.add_column("Score", justify="right", no_wrap=True)
    for number, hit in enumerate(hits, start=1):
        extra: list[RenderableType] = (
            [hit.category, literal(f"{hit.field}: {hit.matched}")] if wide else []
        )
        table.add_row(str(number), hit.id, literal(hit.name), *extra, f"{hit.score:.0f}")
    return table


def list_table(procedures: Sequence[Procedure], width: int) -> Table:
    """Every procedure; below full width the regions and risk class are left out."""
    wide = width >= _WIDE
    table = Table(box=box.SIMPLE_HEAD)
    table.add_column("ID", style="bold cyan", no_wrap=True)
    table.add_column("Name", ratio=3, overflow="fold")
    table.add_column("Category", style="magenta", overflow="fold")
    if wide:
        table.add_column("Regions", overflow="fold")
        table.add_column("Risk", overflow="fold")
    for p in procedures:
        extra = [", ".join(p.regions), p.anticoagulation_risk] if wide else []
        table.add_row(p.id, literal(p.name), p.category, *extra)
    return table


def id_table(columns: Sequence[tuple[str, int]], rows: Iterable[Sequence[str]]) -> Table:
    """An id column, then text columns sharing the width by ratio (the drug and condition lists)."""
    table = Table(box=box.SIMPLE_HEAD)
    table.add_column("ID", style="bold cyan", no_wrap=True)
    for title, ratio in columns:
        table.add_column(title, ratio=ratio, overflow="fold")
    for row_id, *cells in rows:
        table.add_row(row_id, *(literal(cell) for cell in cells))
    return table


def facets_view(facets: dict[str, dict[str, int]]) -> Group:
    parts: list[RenderableType] = []
    for name, counts in facets.items():
        table = Table(box=None, show_header=False, padding=(0, 2, 0, 0))
        table.add_column(overflow="fold")
        table.add_column(justify="right", style="dim")
        for value, count in counts.items():
            table.add_row(literal(value), str(count))
        parts += [heading(name.capitalize()), table, Text("")]
    return Group(*parts)


def compare_view(
    procedures: Sequence[Procedure], rows: Sequence[Row], width: int
) -> RenderableType:
    """Side by side while each column stays readable; otherwise one block per attribute."""
    label_width = max(len(row.label) for row in rows) if rows else 8
    per_column = (width - label_width - 3 * len(procedures)) // max(len(procedures), 1)
    if per_column >= _MIN_COLUMN:
        return _side_by_side(procedures, rows)
    return _stacked(procedures, rows)


def _cell(lines: Sequence[str]) -> RenderableType:
    """One line as text; several as a hanging-indent list that keeps wrapped lines aligned."""
    if len(lines) == 1:
        return paragraph(lines[0])
    return bullets(lines)


def _side_by_side(procedures: Sequence[Procedure], rows: Sequence[Row]) -> Table:
    table = Table(box=box.SIMPLE_HEAD, show_lines=True)
    table.add_column("", style="bold", no_wrap=True)
    for p in procedures:
        header = literal(p.name, "bold")
        header.append(f"\n{p.id}", style="cyan")
        table.add_column(header, ratio=1, overflow="fold")
    for row in rows:
        table.add_row(row.label, *(_cell(cell) for cell in row.cells))
    return table


def _stacked(procedures: Sequence[Procedure], rows: Sequence[Row]) -> Group:
    parts: list[RenderableType] = []
    for row in rows:
        parts.append(heading(row.label))
        grid = Table.grid(padding=(0, 1))
        grid.add_column(style="bold cyan", no_wrap=True)
        grid.add_column(overflow="fold")
        for p, cell in zip(procedures, row.cells, strict=True):
            grid.add_row(p.id, _cell(cell))
        parts += [grid, Text("")]
    return Group(*parts)
