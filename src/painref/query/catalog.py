"""Browsing the dataset: filter procedures by attribute, and count the values that exist."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence

from ..model.procedure import Listing


def filter_procedures(
    procedures: Sequence[Listing],
    *,
    category: str | None = None,
    region: str | None = None,
    imaging: str | None = None,
    risk: str | None = None,
) -> list[Listing]:
    """The procedures matching every filter given (None means any)."""
    return [
        p
        for p in procedures
        if (category is None or p.category == category)
        and (region is None or region in p.regions)
        and (imaging is None or imaging in p.modalities)
        and (risk is None or p.anticoagulation_risk == risk)
    ]


def facets(procedures: Sequence[Listing]) -> dict[str, dict[str, int]]:
    """Each filterable attribute's values with how many procedures have them, commonest first."""

    def count(values: Callable[[Listing], Sequence[str]]) -> dict[str, int]:
        counter: Counter[str] = Counter(v for p in procedures for v in values(p))
        return dict(sorted(counter.items(), key=lambda item: (-item[1], item[0])))

    return {
        "categories": count(lambda p: [p.category]),
        "regions": count(lambda p: p.regions),
        "imaging": count(lambda p: p.modalities),
        "risk": count(lambda p: [p.anticoagulation_risk]),
        "conditions": count(lambda p: [c.casefold() for c in p.conditions]),
    }
