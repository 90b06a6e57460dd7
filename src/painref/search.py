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
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from functools import cached_property
from typing import Any, Literal

from .model import Dataset, Procedure

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
_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def normalize(text: str) -> str:
    """Fold case and punctuation: 'Trans-foraminal  ESI' -> 'trans foraminal esi'."""
    return _NON_ALNUM.sub(" ", text.casefold()).strip()


def compact(text: str) -> str:
    """Normalize and drop spaces, so 'TF ESI', 'tf-esi' and 'TFESI' are one key."""
    return normalize(text).replace(" ", "")


# Not frozen, no generated __eq__/__repr__: see the note in model.py on start-up cost.
@dataclass(slots=True, eq=False, repr=False)
class Hit:
    id: str
    score: float
    field: Field
    matched: str  # the text that matched, as written in the dataset
    exact: bool
    dataset: Dataset = dataclass_field(repr=False, compare=False)

    @property
    def name(self) -> str:
        return self.dataset.summary(self.id)[0]

    @property
    def category(self) -> str:
        return self.dataset.summary(self.id)[1]

    @property
    def procedure(self) -> Procedure:
        # Built on demand: a search over a large overlay builds only the hits it prints.
        procedure = self.dataset.get(self.id)
        assert procedure is not None  # hits only ever name ids of their own dataset
        return procedure


Owner = tuple[int, Field, str]  # (procedure position, field, the text as written)


@dataclass(slots=True, eq=False, repr=False)
class _Tables:
    """What the index looks things up in, derived from a dataset in one pass."""

    exact: dict[str, list[Owner]]  # compact id/alias/name -> owners
    owners: list[Owner]  # one per candidate string
    tokens: list[tuple[str, ...]]  # the candidate's words
    lengths: list[int]  # letters in the candidate's words
    postings: dict[str, list[int]]  # word -> candidates containing it
    vocabulary: list[str]
    position: dict[str, int]  # procedure id -> dataset order, the final tie-break

    @classmethod
    def build(cls, dataset: Dataset) -> _Tables:
        """Index every candidate string of every procedure (builds all procedures)."""
        exact: dict[str, list[Owner]] = {}
        owners: list[Owner] = []
        tokens: list[tuple[str, ...]] = []
        postings: dict[str, list[int]] = {}
        for position, procedure in enumerate(dataset.procedures):
            for field, text in _candidates(procedure):
                owner = (position, field, text)
                if field in ("id", "alias", "name"):
                    exact.setdefault(compact(text), []).append(owner)
                words = tuple(normalize(text).split())
                for word in set(words):
                    postings.setdefault(word, []).append(len(owners))
                owners.append(owner)
                tokens.append(words)
        return cls(
            exact=exact,
            owners=owners,
            tokens=tokens,
            lengths=[sum(len(word) for word in words) for words in tokens],
            postings=postings,
            vocabulary=list(postings),
            position={procedure_id: i for i, procedure_id in enumerate(dataset.ids)},
        )

    def packed(self) -> tuple[Any, ...]:
        """The tables as plain data for the parse cache (marshal-able: no custom objects)."""
        return (self.exact, self.owners, self.tokens, self.lengths, self.postings)

    @classmethod
    def unpacked(cls, packed: tuple[Any, ...], dataset: Dataset) -> _Tables:
        exact, owners, tokens, lengths, postings = packed
        return cls(
            exact=exact,
            owners=owners,
            tokens=tokens,
            lengths=lengths,
            postings=postings,
            vocabulary=list(postings),
            position={procedure_id: i for i, procedure_id in enumerate(dataset.ids)},
        )


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
            return _Tables.unpacked(packed, self.dataset)
        return _Tables.build(self.dataset)

    def _hit(self, owner: Owner, score: float, exact: bool) -> Hit:
        position, kind, text = owner
        return Hit(self.dataset.ids[position], score, kind, text, exact, self.dataset)

    def exact(self, query: str) -> list[Hit]:
        """Procedures whose id, alias or name is the query, best kind of hit first."""
        hits: dict[str, Hit] = {}
        for owner in self._tables.exact.get(compact(query), []):
            hit = self._hit(owner, 100.0, exact=True)
            current = hits.get(hit.id)
            if current is None or _FIELD_ORDER[hit.field] < _FIELD_ORDER[current.field]:
                hits[hit.id] = hit
        return sorted(hits.values(), key=lambda h: _FIELD_ORDER[h.field])

    def search(self, query: str, limit: int | None = 10, min_score: float = MIN_SCORE) -> list[Hit]:
        """Ranked hits for a query; exact hits first, then fuzzy ones at or above `min_score`."""
        words = normalize(query).split()
        if not words:
            return []
        best: dict[str, Hit] = {hit.id: hit for hit in self.exact(query)}
        for hit in self._fuzzy(words, min_score):
            current = best.get(hit.id)
            if current is None or _better(hit, current):
                best[hit.id] = hit
        position = self._tables.position
        ranked = sorted(
            best.values(),
            key=lambda h: (not h.exact, -h.score, _FIELD_ORDER[h.field], position[h.id]),
        )
        return ranked[:limit] if limit else ranked

    def _word_matches(self, word: str) -> dict[str, float]:
        """Vocabulary words that could be what the user meant by `word`, with a 0-100 score."""
        matches: dict[str, float] = {}
        tables = self._tables
        if len(word) <= 3:  # short words are abbreviations: fuzzy matches on them are noise
            if word in tables.postings:
                matches[word] = 100.0
            return matches
        if word in tables.postings:
            # A word the dataset uses is taken as meant, not as a typo: only its longer and
            # shorter forms ("block" / "blocks") are added, scored as rapidfuzz's ratio would
            # score them, and rapidfuzz (tens of milliseconds to import) is not loaded at all.
            matches[word] = 100.0
            for token in tables.vocabulary:
                shorter_form = len(word) - 2 <= len(token) < len(word) and len(token) >= 4
                if shorter_form and word.startswith(token):
                    matches[token] = 200.0 * len(token) / (len(word) + len(token))
        else:
            from rapidfuzz import fuzz, process  # deferred: only typos need it

            cutoff = 80.0 if len(word) <= 5 else 75.0
            for token, score, _ in process.extract(
                word, tables.vocabulary, scorer=fuzz.ratio, limit=None, score_cutoff=cutoff
            ):
                matches[token] = max(matches.get(token, 0.0), score)
        for token in tables.vocabulary:
            if len(token) > len(word) and token.startswith(word):  # "kypho" -> "kyphoplasty"
                matches[token] = max(matches.get(token, 0.0), 90.0)
        return matches

    def _fuzzy(self, words: list[str], min_score: float) -> list[Hit]:
        per_word = [self._word_matches(word) for word in words]
        weights = [len(word) for word in words]
        total_weight = sum(weights)
        tables = self._tables
        candidates = {i for found in per_word for token in found for i in tables.postings[token]}
        best: dict[int, Hit] = {}
        for index in candidates:
            tokens = tables.tokens[index]
            covered = 0.0
            for weight, matches in zip(weights, per_word, strict=True):
                covered += weight * max((matches.get(t, 0.0) for t in tokens), default=0.0)
            query_coverage = covered / total_weight  # 0-100: how much of the query this explains
            candidate_coverage = min(1.0, total_weight / max(tables.lengths[index], 1))
            owner = tables.owners[index]
            score = query_coverage * (0.9 + 0.1 * candidate_coverage) * _WEIGHTS[owner[1]]
            score = round(score, 1)
            if score < min_score:
                continue
            hit = self._hit(owner, score, exact=False)
            current = best.get(owner[0])
            if current is None or _better(hit, current):
                best[owner[0]] = hit
        return list(best.values())

    def suggestions(self, query: str, limit: int = 3) -> list[str]:
        """Close ids for a 'did you mean' line when nothing passed the normal threshold."""
        return [hit.id for hit in self.search(query, limit=limit, min_score=SUGGEST_SCORE)]


def _better(new: Hit, old: Hit) -> bool:
    if old.exact:
        return False
    return (new.score, -_FIELD_ORDER[new.field]) > (old.score, -_FIELD_ORDER[old.field])


def _candidates(procedure: Procedure) -> list[tuple[Field, str]]:
    return [
        ("id", procedure.id),
        ("name", procedure.name),
        *(("alias", alias) for alias in procedure.aliases),
        *(("condition", condition) for condition in procedure.conditions),
        ("category", procedure.category),
    ]


@dataclass(slots=True, eq=False, repr=False)
class Resolution:
    """What `show NAME` found: the procedure to show and any others the name could mean."""

    best: Hit
    alternatives: tuple[Hit, ...]

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
        return Resolution(Hit(by_id.id, 100.0, "id", by_id.id, True, index.dataset), ())
    hits = index.search(query, limit=None)
    if not hits:
        return None
    top = hits[0]
    close = [h for h in hits if h.exact == top.exact and h.score >= top.score - AMBIGUITY_MARGIN]
    best = min(close, key=lambda h: index._tables.position[h.id])
    return Resolution(best, tuple(h for h in close if h is not best))


def build_tables(dataset: Dataset) -> tuple[Any, ...]:
    """The search tables of a dataset as plain data, for the parse cache."""
    return _Tables.build(dataset).packed()
