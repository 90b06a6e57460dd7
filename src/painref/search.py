"""Find procedures by whatever words people type.

Ranking, in order:
1. exact hits on an id, alias or name (after folding case, punctuation and spaces), so that
   `TFESI`, `tf-esi` and `transforaminal-esi` all land on the same entry with score 100;
2. fuzzy scores (rapidfuzz WRatio) over ids, names, aliases, the conditions a procedure treats and
   its category, with conditions and categories weighted slightly below names so that a procedure
   called by the query outranks one that merely treats it.
Ties keep dataset order, which puts the more common procedure of a family first.
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Callable, Sequence
from functools import cached_property
from typing import Any, Generic, Literal, NamedTuple, TypeVar

from .model import Dataset, Procedure
from .packed import Joined, SortedMap

Field = Literal["id", "alias", "name", "condition", "category"]

# How much a fuzzy hit on each kind of text counts, relative to a hit on the name.
_WEIGHTS: dict[Field, float] = {
    "id": 1.0,
    "name": 1.0,
    "alias": 1.0,
    "condition": 0.95,
    "category": 0.85,
}
# When two hits score the same, the earlier kind wins.
_FIELD_ORDER: dict[Field, int] = {"id": 0, "alias": 1, "name": 2, "condition": 3, "category": 4}
MIN_SCORE = 60.0
SUGGEST_SCORE = 30.0
AMBIGUITY_MARGIN = 5.0
MAX_ALTERNATIVES = 8  # a longer "also close" list is a search result, not a note
_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def normalize(text: str) -> str:
    """Fold case and punctuation: 'Trans-foraminal  ESI' -> 'trans foraminal esi'."""
    return _NON_ALNUM.sub(" ", text.casefold()).strip()


def compact(text: str) -> str:
    """Normalize and drop spaces, so 'TF ESI', 'tf-esi' and 'TFESI' are one key."""
    return normalize(text).replace(" ", "")


class Hit(NamedTuple):
    """One procedure a query found, and why."""

    id: str
    score: float
    field: Field
    matched: str  # the text that matched, as written in the dataset
    exact: bool
    dataset: Dataset
    position: int  # in the dataset's file order

    @property
    def name(self) -> str:
        return self.dataset.summary_at(self.position)[0]

    @property
    def category(self) -> str:
        return self.dataset.summary_at(self.position)[1]

    @property
    def procedure(self) -> Procedure:
        # Built on demand: a search over a large overlay builds only the hits it prints.
        return self.dataset.at(self.position)


Owner = tuple[int, Field, str]  # (procedure position, field, the text as written)
_FIELDS: tuple[Field, ...] = ("id", "alias", "name", "condition", "category")
_FIELD_CODE = {field: code for code, field in enumerate(_FIELDS)}


def _ints(values: list[int]) -> bytes:
    return array("I", values).tobytes()


class _Tables:
    """What the index looks things up in, derived from a dataset in one pass.

    Kept in a compact form that loads fast from the parse cache, because a query touches only a
    few of its entries: the exact keys and the vocabulary are sorted maps searched by bisection,
    the candidates behind a key are packed integer arrays decoded on use, and candidate texts are
    one joined string. With 5,000 procedures (35,000 candidate strings) the tables load in well
    under a millisecond, where dicts and lists of the same data took about ten.
    """

    __slots__ = ("_exact", "_fields", "_letters", "_positions", "_postings", "texts")

    def __init__(
        self,
        exact: SortedMap,  # compact id/alias/name -> candidates (packed ints)
        postings: SortedMap,  # word -> candidates containing it (packed ints)
        positions: bytes,  # candidate -> procedure position (packed ints)
        fields: bytes,  # candidate -> field code, one byte each
        letters: bytes,  # candidate -> letters in its words (packed ints)
        texts: Joined[str],  # candidate -> the text as written in the dataset
    ) -> None:
        self._exact = exact
        self._postings = postings
        self._positions = array("I", positions)
        self._fields = fields
        self._letters = array("I", letters)
        self.texts = texts

    @classmethod
    def build(cls, dataset: Dataset) -> _Tables:
        """Index every candidate string of every procedure (builds all procedures)."""
        exact: dict[str, list[int]] = {}
        postings: dict[str, list[int]] = {}
        positions: list[int] = []
        fields = bytearray()
        letters: list[int] = []
        texts: list[str] = []
        for position, procedure in enumerate(dataset.procedures):
            for field, text in _candidates(procedure):
                candidate = len(texts)
                if field in ("id", "alias", "name"):
                    exact.setdefault(compact(text), []).append(candidate)
                words = normalize(text).split()
                for word in set(words):
                    postings.setdefault(word, []).append(candidate)
                positions.append(position)
                fields.append(_FIELD_CODE[field])
                letters.append(sum(len(word) for word in words))
                texts.append(text)
        return cls(
            SortedMap.of({key: _ints(found) for key, found in exact.items()}),
            SortedMap.of({word: _ints(found) for word, found in postings.items()}),
            _ints(positions),
            bytes(fields),
            _ints(letters),
            Joined.of(texts, ""),
        )

    def packed(self) -> tuple[Any, ...]:
        """The tables as plain data for the parse cache (marshal-able: no custom objects)."""
        return (
            self._exact.packed(),
            self._postings.packed(),
            self._positions.tobytes(),
            self._fields,
            self._letters.tobytes(),
            self.texts.packed(),
        )

    @classmethod
    def unpacked(cls, packed: tuple[Any, ...]) -> _Tables:
        exact, postings, positions, fields, letters, texts = packed
        return cls(
            SortedMap.unpacked(exact),
            SortedMap.unpacked(postings),
            positions,
            fields,
            letters,
            Joined(*texts),
        )

    @property
    def vocabulary(self) -> list[str]:
        return list(self._postings.keys)

    def has_word(self, word: str) -> bool:
        return word in self._postings

    def extensions(self, prefix: str) -> list[str]:
        """Vocabulary words that start with `prefix` and are longer than it."""
        return self._postings.starting_with(prefix)

    def exact(self, key: str) -> list[int]:
        found = self._exact.get(key)
        return array("I", found).tolist() if found else []

    def containing(self, word: str) -> list[int]:
        found = self._postings.get(word)
        return array("I", found).tolist() if found else []

    def owner(self, candidate: int) -> Owner:
        field = _FIELDS[self._fields[candidate]]
        return self._positions[candidate], field, self.texts[candidate]

    def best_per_procedure(
        self, covered: dict[int, float], total_weight: int, min_score: float
    ) -> dict[int, tuple[float, int, int]]:
        """Score candidates by how much of the query they cover; keep each procedure's best.

        `covered` maps a candidate to the letter-weighted score of the query words it covers, out
        of `total_weight`. A candidate scores the share of the query it explains, nudged up when
        the query also covers most of the candidate's letters, times its field's weight. Returns
        procedure position -> (score, field rank, -candidate), the earlier candidate winning a
        tie. This loop runs once per candidate (thousands for a common word in a large dataset),
        so it reads the arrays directly.
        """
        positions, fields, letters = self._positions, self._fields, self._letters
        weights = [_WEIGHTS[field] for field in _FIELDS]
        ranks = [-_FIELD_ORDER[field] for field in _FIELDS]
        best: dict[int, tuple[float, int, int]] = {}
        for index, amount in covered.items():
            query_coverage = amount / total_weight  # 0-100: how much of the query this explains
            candidate_coverage = min(1.0, total_weight / max(letters[index], 1))
            code = fields[index]
            score = round(query_coverage * (0.9 + 0.1 * candidate_coverage) * weights[code], 1)
            if score < min_score:
                continue
            key = (score, ranks[code], -index)
            position = positions[index]
            current = best.get(position)
            if current is None or key > current:
                best[position] = key
        return best


class SearchIndex:
    """Candidate strings for every procedure, built once per dataset.

    Fuzzy matching works word by word: each query word is matched (allowing typos and prefixes)
    against the vocabulary of all candidate words, and a candidate scores by how much of the query
    it covers, nudged up when the query also covers most of the candidate. Matching whole strings
    instead lets a single shared word such as "nerve" drag in every nerve block.
    """

    def __init__(self, dataset: Dataset) -> None:
        self.dataset = dataset

    @cached_property
    def _tables(self) -> _Tables:
        # Built on first use, so `show <exact-id>` never pays for indexing the whole dataset;
        # a dataset from the parse cache brings its tables ready-made.
        packed = self.dataset.search_tables
        if packed is not None:
            return _Tables.unpacked(packed)
        return _Tables.build(self.dataset)

    def _hit(self, owner: Owner, score: float, exact: bool) -> Hit:
        position, kind, text = owner
        return Hit(self.dataset.ids[position], score, kind, text, exact, self.dataset, position)

    def exact(self, query: str) -> list[Hit]:
        """Procedures whose id, alias or name is the query, best kind of hit first."""
        hits: dict[str, Hit] = {}
        tables = self._tables
        for candidate in tables.exact(compact(query)):
            hit = self._hit(tables.owner(candidate), 100.0, exact=True)
            current = hits.get(hit.id)
            if current is None or _FIELD_ORDER[hit.field] < _FIELD_ORDER[current.field]:
                hits[hit.id] = hit
        return sorted(hits.values(), key=lambda h: _FIELD_ORDER[h.field])

    def search(self, query: str, limit: int | None = 10, min_score: float = MIN_SCORE) -> list[Hit]:
        """Ranked hits for a query; exact hits first, then fuzzy ones at or above `min_score`."""
        words = normalize(query).split()
        if not words:
            return []
        exact = {hit.position: hit for hit in self.exact(query)}
        fuzzy = self._fuzzy(words, min_score)  # an exact hit on a procedure always wins
        # Ranked as (not exact, -score, field order, file position); Hits are made only for the
        # ones returned, as a common word can match thousands of procedures.
        order = [(False, -100.0, _FIELD_ORDER[hit.field], p) for p, hit in exact.items()]
        order += [
            (True, -score, -rank, p) for p, (score, rank, _) in fuzzy.items() if p not in exact
        ]
        order.sort()
        chosen = order[:limit] if limit else order
        tables = self._tables
        return [
            exact[p] if p in exact else self._hit(tables.owner(-fuzzy[p][2]), -score, exact=False)
            for _, score, _, p in chosen
        ]

    def _word_matches(self, word: str) -> dict[str, float]:
        """Vocabulary words that could be what the user meant by `word`, with a 0-100 score."""
        matches: dict[str, float] = {}
        tables = self._tables
        if len(word) <= 3:  # short words are abbreviations: fuzzy matches on them are noise
            if tables.has_word(word):
                matches[word] = 100.0
            return matches
        if tables.has_word(word):
            # A word the dataset uses is taken as meant, not as a typo: only its longer and
            # shorter forms ("block" / "blocks") are added, scored as rapidfuzz's ratio would
            # score them, and rapidfuzz (tens of milliseconds to import) is not loaded at all.
            matches[word] = 100.0
            for token in (word[:-1], word[:-2]):
                if len(token) >= 4 and tables.has_word(token):
                    matches[token] = 200.0 * len(token) / (len(word) + len(token))
        else:
            from rapidfuzz import fuzz, process  # deferred: only typos need it

            cutoff = 80.0 if len(word) <= 5 else 75.0
            for token, score, _ in process.extract(
                word, list(tables.vocabulary), scorer=fuzz.ratio, limit=None, score_cutoff=cutoff
            ):
                matches[token] = max(matches.get(token, 0.0), score)
        for token in tables.extensions(word):  # "kypho" -> "kyphoplasty"
            matches[token] = max(matches.get(token, 0.0), 90.0)
        return matches

    def _fuzzy(self, words: list[str], min_score: float) -> dict[int, tuple[float, int, int]]:
        """Procedure position -> (score, field rank, -candidate) of its best fuzzy candidate."""
        per_word = [self._word_matches(word) for word in words]
        weights = [len(word) for word in words]
        total_weight = sum(weights)
        tables = self._tables
        # How much of the query each candidate covers: for every query word, the best score of
        # the candidate's words, found from the postings (a candidate's text is never re-read).
        covered: dict[int, float] = {}
        for weight, matches in zip(weights, per_word, strict=True):
            best_here: dict[int, float] = {}
            for token, token_score in matches.items():
                for index in tables.containing(token):
                    if token_score > best_here.get(index, 0.0):
                        best_here[index] = token_score
            for index, token_score in best_here.items():
                covered[index] = covered.get(index, 0.0) + weight * token_score
        return tables.best_per_procedure(covered, total_weight, min_score)

    def suggestions(self, query: str, limit: int = 3) -> list[str]:
        """Close ids for a 'did you mean' line when nothing passed the normal threshold."""
        return [hit.id for hit in self.search(query, limit=limit, min_score=SUGGEST_SCORE)]


def _candidates(procedure: Procedure) -> list[tuple[Field, str]]:
    return [
        ("id", procedure.id),
        ("name", procedure.name),
        *(("alias", alias) for alias in procedure.aliases),
        *(("condition", condition) for condition in procedure.conditions),
        ("category", procedure.category),
    ]


class Resolution(NamedTuple):
    """What `show NAME` found: the procedure to show and any others the name could mean."""

    best: Hit
    alternatives: tuple[Hit, ...]  # the closest few, best first
    more: int = 0  # further close matches not listed (see `painref search`)

    @property
    def ambiguous(self) -> bool:
        return bool(self.alternatives)


def resolve(index: SearchIndex, query: str) -> Resolution | None:
    """The procedure a name or query most likely means, with close runners-up when unclear.

    An exact id is never ambiguous. Otherwise every hit within a few points of the best one is
    offered as an alternative (e.g. `epidural`: interlaminar, transforaminal, caudal, blood patch).
    Among hits that close, the one earliest in the dataset is shown: scores a point or two apart
    say more about alias length than about intent, and the dataset lists the usual procedure of
    a family first.
    """
    by_id = index.dataset.get(query.strip())
    if by_id is not None:
        position = index.dataset.position(by_id.id)
        hit = Hit(by_id.id, 100.0, "id", by_id.id, True, index.dataset, position)
        return Resolution(hit, ())
    hits = index.search(query, limit=None)
    if not hits:
        return None
    top = hits[0]
    close = [h for h in hits if h.exact == top.exact and h.score >= top.score - AMBIGUITY_MARGIN]
    best = min(close, key=lambda h: index.dataset.position(h.id))
    others = [h for h in close if h is not best]
    return Resolution(best, tuple(others[:MAX_ALTERNATIVES]), len(others[MAX_ALTERNATIVES:]))


def build_tables(dataset: Dataset) -> tuple[Any, ...]:
    """The search tables of a dataset as plain data, for the parse cache."""
    return _Tables.build(dataset).packed()


# --- matching small named lists (drugs, conditions) -------------------------------------------

T = TypeVar("T")
Scorer = Callable[[str, str], float]


def wratio(query: str, text: str) -> float:
    """rapidfuzz's weighted ratio: tolerant of typos, partial words and extra words."""
    from rapidfuzz import fuzz, utils  # deferred, as everywhere: exact lookups never need it

    return fuzz.WRatio(query, text, processor=utils.default_process)


def edit_ratio(query: str, text: str) -> float:
    """Plain edit-distance similarity: for 'did you mean', where WRatio's partial matching finds
    some likeness in almost any word and would name unrelated records."""
    from rapidfuzz import fuzz, utils

    return fuzz.ratio(query, text, processor=utils.default_process)


def any_word_order(query: str, text: str) -> float:
    """Token-set ratio, so "cancer pain pancreas" finds "pancreatic cancer pain", with WRatio as
    a floor for typos."""
    from rapidfuzz import fuzz, utils

    return max(
        fuzz.token_set_ratio(query, text, processor=utils.default_process), wratio(query, text)
    )


class NameMatch(NamedTuple, Generic[T]):
    """One record a query matched, with the name, alias or synonym that matched it."""

    item: T
    score: float
    matched: str  # as written in the data
    exact: bool


def match_names(
    items: Sequence[T],
    names: Callable[[T], Sequence[str]],
    query: str,
    score: Scorer,
    floor: float,
) -> list[NameMatch[T]]:
    """Records whose names match a query, best first, one match per record.

    Exact matches (after `compact`) win and are all returned, in data order; otherwise each
    record scores by its best-scoring name under `score`, and those at or above `floor` return.
    The drug and condition lookups share this; procedures have their own index (SearchIndex).
    """
    key = compact(query)
    if not key:
        return []
    exact: dict[int, NameMatch[T]] = {}
    for position, item in enumerate(items):
        for text in names(item):
            if position not in exact and compact(text) == key:
                exact[position] = NameMatch(item, 100.0, text, exact=True)
    if exact:
        return list(exact.values())
    best: dict[int, NameMatch[T]] = {}
    for position, item in enumerate(items):
        for text in names(item):
            value = score(query, text)
            current = best.get(position)
            if value >= floor and (current is None or value > current.score):
                best[position] = NameMatch(item, round(value, 1), text, exact=False)
    return sorted(best.values(), key=lambda match: -match.score)


def close_names(
    items: Sequence[T],
    names: Callable[[T], Sequence[str]],
    ident: Callable[[T], str],
    query: str,
    score: Scorer,
    floor: float,
    limit: int = 3,
) -> list[str]:
    """Ids of the records closest to a query that matched nothing, for a 'did you mean' line."""
    scored = sorted(
        ((max(score(query, text) for text in names(item)), ident(item)) for item in items),
        reverse=True,
    )
    return [item_id for value, item_id in scored[:limit] if value >= floor]
