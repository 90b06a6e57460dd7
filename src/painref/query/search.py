"""Find procedures, drugs and conditions by whatever words people type.

Ranking, in order:
1. exact hits: the whole query is an id, name, alias (or synonym) or a CPT code, after folding
   case, punctuation and spaces, so `TFESI`, `tf-esi` and `transforaminal-esi` land on the same
   entry with score 100;
2. full-text relevance (SQLite FTS5, BM25) over every field that describes the entry, names and
   aliases weighted highest (see `store.database` for the columns and weights). The query's words
   are joined by OR, never all required; lay words are first replaced by clinical ones from the
   lexicon; a word the index does not know is corrected against the index's own vocabulary
   (rapidfuzz) or, failing that, tried as a prefix; adjacent words also count as a phrase.
Scores below 100 are relative: the best full-text hit gets 99 and the others their share of its
relevance. Ties keep dataset order, which puts the more common procedure of a family first; the
same order serves `search` and `show`, so both agree on the best match.
"""

from collections.abc import Sequence
from itertools import pairwise
from typing import TYPE_CHECKING, NamedTuple

from ..store.layout import compact
from ..store.reading import Store
from .words import CPT, WORD, Query, parse

if TYPE_CHECKING:
    from ..model.procedure import Procedure

AMBIGUITY_MARGIN = 5.0
MAX_ALTERNATIVES = 8  # a longer "also close" list is a search result, not a note
FUZZY_MIN = 0.8  # how close an unknown word must be to a known one to be read as it
FUZZY_SHORT = 0.75  # the same, for a word of five letters or fewer
SUGGEST_MIN = 60.0
CANDIDATES = 50  # full-text hits ranked before the limit is applied
RELEVANCE, COVERAGE = 0.3, 0.7  # how BM25 and query coverage blend (see _full_text)
PRIOR = 0.05  # at most 5% for coming first in the dataset (see _full_text)
NAME_SHARE = 2.0  # a query word found in an entry's names counts this much again
NAMED = 0.5  # for an entry whose name or alias stands whole inside the query (see _named_in_query)
MAX_NAME_WORDS = 5
CODED = 0.5  # for an entry that lists a CPT code the query names beside other words
# A word about the next step of care ("before ablation") still counts for relevance (it may name
# anatomy both steps share) but not for how much of the query an entry answers.
ASIDE = 0.0
_COLUMN_FIELDS = {
    "procedure": ("name", "condition", "cpt", "summary", "text", "patient"),
    "drug": ("name", "text"),
    "condition": ("name", "summary"),
}


class Hit(NamedTuple):
    """One record a query found, and why."""

    id: str
    score: float
    field: str  # id, name, alias, cpt, condition, summary, text or patient
    matched: str  # the text that matched, as written in the data (or an excerpt of it)
    exact: bool
    store: Store
    position: int  # in file order
    kind: str = "procedure"

    @property
    def name(self) -> str:
        return self.store.summary_at(self.position)[0]

    @property
    def category(self) -> str:
        return self.store.summary_at(self.position)[1]

    @property
    def procedure(self) -> "Procedure":
        # Decoded on demand: a search over a large overlay decodes only what it prints.
        return self.store.at(self.position)


def search(
    store: Store, text: str, limit: int | None = 10, kind: str = "procedure", marked: bool = True
) -> list[Hit]:
    """Records matching `text`, best first (see the module's docstring).

    With `marked`, each full-text hit returned says which field matched and how (`field`,
    `matched`); without, those are empty: finding where a hit matched costs more than ranking
    it, and `resolve` needs only the order.
    """
    query = parse(text, store.phrasebook())
    exact = exact_hits(store, text, kind, query)
    ranked = _full_text(store, query, kind, (limit or None) if marked else 0)
    seen = {hit.position for hit in exact}
    hits = exact + [hit for hit in ranked if hit.position not in seen]
    return hits[:limit] if limit else hits


def exact_hits(
    store: Store, text: str, kind: str = "procedure", query: Query | None = None
) -> list[Hit]:
    """Score-100 hits: the whole text is a name, or (for procedures) it names CPT codes and
    nothing else. `query` is the text taken apart, when the caller has it; a text without a
    code is looked up as typed, without the lexicon."""
    keys = [compact(text)]
    if kind == "procedure" and any(CPT.match(word) for word in WORD.findall(text.casefold())):
        query = query or parse(text, store.phrasebook())
        if query.codes and not query.tokens:
            keys += query.codes
    return _key_hits(store, kind, keys)


def _key_hits(store: Store, kind: str, keys: Sequence[str]) -> list[Hit]:
    """Score-100 hits for names folded to any of `keys`, in file order, one per record."""
    found: dict[int, Hit] = {}
    for key in keys:
        for position, field, matched in store.exact(kind, key) if key else ():
            found.setdefault(position, _hit(store, kind, position, 100.0, field, matched, True))
    return sorted(found.values(), key=lambda h: h.position)


def _hit(
    store: Store, kind: str, position: int, score: float, field: str, matched: str, exact: bool
) -> Hit:
    return Hit(store.id_at(kind, position), score, field, matched, exact, store, position, kind)


def _full_text(store: Store, query: Query, kind: str, marked: int | None) -> list[Hit]:
    """Hits ranked by BM25 blended with coverage: how much of the query (by rarity) they hold.

    BM25 over OR'd words lets one common word in a heavily weighted name outrank an entry that
    holds every word of the query ("Chassaignac tubercle block" would find every block by name);
    weighting each entry by the share of the query's rare words it contains puts the entry that
    answers the whole query first.
    The best `marked` hits (all when None) say where they matched.
    """
    query = _spelled(store, query, kind)
    terms = _terms(store, query, kind)
    if not terms:
        return []
    expression = " OR ".join(terms)
    rows = store.match(kind, expression, CANDIDATES)
    if not rows:
        return []
    total = store.count(kind)
    # Coverage counts single words; adjacent-word phrases only add to BM25's relevance (a phrase
    # that straddles two ideas, "balloon compression" in "Kyphon balloon compression fracture",
    # must not decide what the query is about).
    words = [term for term in terms if " " not in term]
    holders = {term: store.containing(kind, term) for term in words}
    in_names = {term: store.containing(kind, f"names : {term}") for term in words}
    aside = {term for token in query.aside for term in (_quote(token), _quote(token) + "*")}
    weights = {
        term: _idf(total, len(found)) * (ASIDE if term in aside else 1.0)
        for term, found in holders.items()
    }
    whole = (1.0 + NAME_SHARE) * sum(weights.values()) or 1.0
    named = _named_in_query(store, query, kind)
    coded = {p for code in query.codes for p, _, _ in store.exact(kind, code)}
    best_rank = -rows[0][1] or 1.0
    blended = []
    for position, rank in rows:
        held = sum(w for term, w in weights.items() if position in holders[term])
        held += NAME_SHARE * sum(w for term, w in weights.items() if position in in_names[term])
        value = RELEVANCE * (-rank) / best_rank + COVERAGE * held / whole
        value += NAMED * named.get(position, 0.0) + (CODED if position in coded else 0.0)
        # Scores a few points apart say more about field lengths than about intent, and the
        # dataset lists the usual procedure of a family first: a small prior for file order.
        value *= 1.0 + PRIOR * (1.0 - position / max(total, 1))
        blended.append((value, position))
    top = max(value for value, _ in blended) or 1.0
    scored = sorted(
        ((round(max(1.0, 99.0 * value / top), 1), position) for value, position in blended),
        key=lambda item: (-item[0], item[1]),
    )
    shown = [position for _, position in scored[:marked]]
    marks = store.marked(kind, expression, shown)
    hits = []
    for score, position in scored:
        field, matched = _what_matched(kind, marks[position]) if position in marks else ("", "")
        hits.append(_hit(store, kind, position, score, field, matched, False))
    return hits


def named_in(store: Store, text: str, kind: str = "procedure") -> set[int]:
    """Positions of the entries whose name or alias stands whole inside the query."""
    query = _spelled(store, parse(text, store.phrasebook()), kind)
    return set(_named_in_query(store, query, kind))


def _named_in_query(store: Store, query: Query, kind: str) -> dict[int, float]:
    """Entries named inside a longer query ("Kyphon balloon", "Aleve twice a day"): for each,
    the share of the query's words its longest name or alias covers."""
    words = query.typed
    if not words:
        return {}
    spans: dict[str, int] = {}
    for size in range(1, min(MAX_NAME_WORDS, len(words)) + 1):
        for start in range(len(words) - size + 1):
            key = compact(" ".join(words[start : start + size]))
            if len(key) >= 3:
                spans[key] = max(spans.get(key, 0), size)
    marks = ",".join("?" * len(spans))
    found = store.rows(
        f"SELECT pos, key FROM name WHERE kind = ? AND field != 'cpt' AND key IN ({marks})",
        (kind, *spans),
    )
    named: dict[int, float] = {}
    for position, key in found:
        share = 0.5 + 0.5 * spans[str(key)] / len(words)  # any whole name counts; longer, more
        named[int(position)] = max(named.get(int(position), 0.0), share)
    return named


def _idf(total: int, holding: int) -> float:
    import math

    return math.log((total - holding + 0.5) / (holding + 0.5) + 1.0)


def _quote(token: str) -> str:
    return '"' + token.replace('"', '""') + '"'


def _spelled(store: Store, query: Query, kind: str) -> Query:
    """The query with each word the index does not know replaced by its correction, if any."""
    seen: dict[str, str] = {}

    def fix(word: str) -> str:
        if word not in seen:
            known = _known(store, kind, word)
            seen[word] = word if known else (_correct(store, kind, word) or word)
        return seen[word]

    return query._replace(
        tokens=tuple(dict.fromkeys(fix(t) for t in query.tokens)),
        typed=tuple(fix(w) for w in query.typed),
        aside=tuple(fix(w) for w in query.aside),
    )


def _terms(store: Store, query: Query, kind: str) -> list[str]:
    """The FTS5 terms of a spelled query: each word quoted (a prefix when the index does not
    know it), its codes, and adjacent known words as phrases."""
    terms: list[str] = []
    for token in query.tokens:
        if _known(store, kind, token):
            terms.append(_quote(token))
        elif len(token) >= 3 and not token.isdigit():
            terms.append(_quote(token) + "*")
    terms += [_quote(code) for code in query.codes]
    typed = [w for w in query.typed if _known(store, kind, w)]
    terms += [_quote(f"{a} {b}") for a, b in pairwise(typed)]
    return list(dict.fromkeys(terms))


def _known(store: Store, kind: str, token: str) -> bool:
    """Whether the index holds the word (through its stemmer: 'injections' finds 'injection')."""
    return store.holds(kind, _quote(token))


def _correct(store: Store, kind: str, token: str) -> str | None:
    """The index's closest word to an unknown one, when one is clearly close (a typo)."""
    if len(token) < 4 or token.isdigit():
        return None
    from rapidfuzz import process  # only for a word the index does not know
    from rapidfuzz.distance import OSA

    # Optimal string alignment counts a swap of two letters ("cadual") as one edit.
    cutoff = FUZZY_SHORT if len(token) <= 5 else FUZZY_MIN
    best = process.extractOne(
        token, store.vocabulary(kind), scorer=OSA.normalized_similarity, score_cutoff=cutoff
    )
    return str(best[0]) if best else None


def _what_matched(kind: str, marked: Sequence[str]) -> tuple[str, str]:
    """The field that matched (the highest-weighted column with a mark) and its matched text."""
    fields = _COLUMN_FIELDS[kind]
    for field, text in zip(fields, marked, strict=False):
        if "\x02" not in text:
            continue
        if field in ("name", "condition", "cpt"):
            for part in text.split(" | "):
                if "\x02" in part:
                    return field, _unmark(part)
        start = text.index("\x02")
        left = text.rfind(" | ", 0, start)
        right = text.find(" | ", start)
        excerpt = text[left + 3 if left >= 0 else 0 : right if right >= 0 else len(text)]
        return field, _shorten(
            _unmark(excerpt), _unmark(text[left + 3 if left >= 0 else 0 : start])
        )
    return fields[0], ""


def _unmark(text: str) -> str:
    return text.replace("\x02", "").replace("\x03", "")


def _shorten(excerpt: str, before: str, width: int = 80) -> str:
    """An excerpt of about `width` characters around where the match starts."""
    if len(excerpt) <= width:
        return excerpt
    start = max(0, len(before) - width // 3)
    cut = excerpt[start : start + width]
    return ("…" if start else "") + cut.strip() + "…"


# --- one name, for show, compare and export -------------------------------------------------


class Resolution(NamedTuple):
    """What a name found: the record to use and any others the name could mean."""

    best: Hit
    alternatives: tuple[Hit, ...]  # the closest few, best first
    more: int = 0  # further close matches not listed (see `painref search`)

    @property
    def ambiguous(self) -> bool:
        return bool(self.alternatives)


def resolve(store: Store, text: str, kind: str = "procedure") -> Resolution | None:
    """The record a name most likely means (the first search result), and close runners-up.

    An exact id is never ambiguous. Otherwise every hit within a few points of the best one is
    offered as an alternative (e.g. `epidural`: interlaminar, transforaminal, caudal).
    """
    # With an exact hit, only the other exact hits can be close to it: no full-text search.
    hits = exact_hits(store, text, kind) or search(store, text, None, kind, marked=False)
    if not hits:
        return None
    best = hits[0]
    if best.exact and best.field == "id":
        return Resolution(best, ())
    close = [
        h for h in hits[1:] if h.exact == best.exact and h.score >= best.score - AMBIGUITY_MARGIN
    ]
    return Resolution(best, tuple(close[:MAX_ALTERNATIVES]), len(close[MAX_ALTERNATIVES:]))


def suggestions(store: Store, text: str, kind: str = "procedure", limit: int = 3) -> list[str]:
    """Ids whose names are closest to a query that found nothing, for a 'did you mean' line."""
    from rapidfuzz import fuzz, utils

    scored: dict[int, float] = {}
    for position, _field, name in store.names(kind):
        value = fuzz.WRatio(text, name, processor=utils.default_process)
        if value >= SUGGEST_MIN and value > scored.get(position, 0.0):
            scored[position] = value
    best = sorted(scored.items(), key=lambda item: (-item[1], item[0]))[:limit]
    return [_hit(store, kind, position, 0.0, "", "", False).id for position, _ in best]
