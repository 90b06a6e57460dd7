"""painref: an offline reference for interventional pain-management procedures.

The library knows nothing of terminals:

    >>> import painref
    >>> data = painref.load()
    >>> painref.get(data, "transforaminal-esi").anticoagulation_risk
    'intermediate'
    >>> [hit.id for hit in painref.search(data, "TFESI")][:1]
    ['transforaminal-esi']
"""

from __future__ import annotations

from typing import TYPE_CHECKING

__version__ = "0.1.0"

if TYPE_CHECKING:
    from .model import Dataset, Procedure
    from .search import Hit


def load(overlays: tuple[str, ...] | list[str] = ()) -> Dataset:
    """The bundled dataset plus any overlay files (raises painref.errors.DatasetError)."""
    from .dataset import load as _load

    return _load(overlays)


def get(dataset: Dataset, procedure_id: str) -> Procedure | None:
    return dataset.get(procedure_id)


def search(dataset: Dataset, query: str, limit: int | None = 10) -> list[Hit]:
    from .search import SearchIndex

    return SearchIndex(dataset).search(query, limit=limit)


__all__ = ["__version__", "get", "load", "search"]
