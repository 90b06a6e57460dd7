"""Finding the condition a query names."""

from typing import NamedTuple

from ..model.condition import Condition
from ..store.reading import Store
from .search import search
from .search import suggestions as close_ids

AMBIGUITY_MARGIN = 3.0


class ConditionMatch(NamedTuple):
    """One condition a query matched, with the name or synonym that matched it."""

    item: Condition
    score: float
    matched: str
    exact: bool


def find(store: Store, text: str, limit: int = 5) -> list[ConditionMatch]:
    """Conditions a query names, best first: exact names and synonyms, then by relevance."""
    return [
        ConditionMatch(store.condition_at(hit.position), hit.score, hit.matched, hit.exact)
        for hit in search(store, text, limit=limit, kind="condition")
    ]


def suggestions(store: Store, text: str, limit: int = 3) -> list[str]:
    return close_ids(store, text, "condition", limit)
