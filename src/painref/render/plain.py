"""Tab-separated lines for pipes: stable, uncoloured, one record a line, easy to cut and grep."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..model.procedure import Listing
    from ..query.search import Hit


def _row(*cells: str) -> str:
    # Tabs and newlines inside a cell would break the columns; data text never needs them here.
    return "\t".join(" ".join(cell.split()) for cell in cells) + "\n"


def hit_lines(hits: Sequence[Hit]) -> str:
    return rows(
        (h.id, h.name, h.category, f"{h.score:.0f}", f"{h.field}: {h.matched}") for h in hits
    )


def procedure_lines(procedures: Sequence[Listing]) -> str:
    return rows(
        (p.id, p.name, p.category, ",".join(p.regions), p.anticoagulation_risk) for p in procedures
    )


def rows(records: Iterable[Sequence[str]]) -> str:
    """One tab-separated line per record, cells as given."""
    return "".join(_row(*cells) for cells in records)
