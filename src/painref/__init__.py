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
    from .model.procedure import Procedure
    from .query.search import Hit
    from .store.database import Store


def load(overlays: tuple[str, ...] | list[str] = ()) -> Store:
    """The bundled data plus any overlay files, compiled in memory (raises DatasetError)."""
    from .store.database import open_store
    from .store.paths import bundled_paths
    from .store.sources import load as read_sources

    return open_store([*bundled_paths(), *overlays], None, lambda: read_sources(overlays))


def get(store: Store, procedure_id: str) -> Procedure | None:
    return store.get(procedure_id)


def search(store: Store, query: str, limit: int | None = 10) -> list[Hit]:
    from .query.search import search as search_store

    return search_store(store, query, limit=limit)


__all__ = ["__version__", "get", "load", "search"]
