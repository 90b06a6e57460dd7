"""Blood thinners around a procedure: the drug a query names, and the answer for a procedure."""

from typing import NamedTuple

from ..model.drug import Drug
from ..store.reading import Store
from .search import exact_hits, named_in, search
from .search import suggestions as close_ids

AMBIGUITY_MARGIN = 5.0


class DrugMatch(NamedTuple):
    """What a drug query found: one drug, or several that the words fit equally well."""

    drugs: tuple[Drug, ...]
    matched: str  # the name, brand or class word that matched, as written in the data
    exact: bool


def find_drug(store: Store, text: str) -> DrugMatch | None:
    """The drug a query names: by id, name, brand or class word, in any words, or with a typo.

    A word shared by several drugs (a class such as "DOAC") returns all of them, and so do words
    that fit two drugs about equally; they are never narrowed to one by guessing. A drug must be
    named: words that appear only in a drug's notes find nothing.
    """
    exact = exact_hits(store, text, "drug")  # most often the drug's name, as typed
    if exact:
        return DrugMatch(tuple(store.drug_at(h.position) for h in exact), exact[0].matched, True)
    hits = [hit for hit in search(store, text, limit=None, kind="drug") if hit.field != "text"]
    if not hits:
        return None
    # A drug the query names by a brand or generic name ("Effient after a heart attack") is the
    # answer, whatever else the words touch; words that fit several drugs list them all.
    named = named_in(store, text, "drug")
    best = hits[0]
    if best.position in named:
        close = [
            h for h in hits if h.position in named and h.score >= best.score - AMBIGUITY_MARGIN
        ]
    else:
        close = [h for h in hits if h.score >= best.score - AMBIGUITY_MARGIN]
    return DrugMatch(tuple(store.drug_at(h.position) for h in close), best.matched, False)


def suggestions(store: Store, text: str, limit: int = 3) -> list[str]:
    """Drug ids close to a query that matched nothing, for a 'did you mean' line."""
    return close_ids(store, text, "drug", limit)
