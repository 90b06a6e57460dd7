"""From what a person typed to the words and levels a search looks for.

The steps, in order: fold case; pick out CPT codes and spinal levels ("L5-S1", "C5-6", "T8-T9"),
which name a region; replace lay words and phrases with the clinical words the entries use, from
the lexicon (data, never code); drop filler words. What remains are plain lowercase tokens that
`search` quotes before they reach SQLite's MATCH, so no typed character is ever an operator.
"""

import re
from functools import cache
from typing import NamedTuple

from ..model.lexicon import Phrasebook
from ..model.procedure import REGIONS

WORD = re.compile(r"[^\W_]+")
CPT = re.compile(r"^\d{4}[0-9a-z]$")
# A spinal level or span as clinicians write it: L5-S1, L4/5, C5-6, T8-T9, S1. Compiled on
# first use: it is the costliest pattern to compile, and most queries hold no digit.
_LEVEL = r"\b([ctls])(\d{1,2})(?:\s*[-/\u2013]\s*(?:([ctls])?(\d{1,2})))?\b"


@cache
def _level_pattern() -> re.Pattern[str]:
    return re.compile(_LEVEL, re.IGNORECASE)


def _has_digit(text: str) -> bool:
    return any(character.isdigit() for character in text)


_LEVEL_REGION = {"c": "cervical", "t": "thoracic", "l": "lumbar", "s": "sacral"}


class Query(NamedTuple):
    """A query taken apart: what the person typed, the tokens to search for, what it names."""

    text: str
    tokens: tuple[str, ...]  # content words, lexicon expansions included, in order
    typed: tuple[str, ...]  # the content words as typed (before expansion), for phrase boosts
    codes: tuple[str, ...]  # CPT codes named
    regions: tuple[str, ...]  # regions named by a level or a region word
    # tokens only from a clause about the next step of care ("... before ablation"): they are
    # searched for, but do not count as what the query asks for (see search._full_text)
    aside: tuple[str, ...] = ()


def levels(text: str) -> list[str]:
    """The regions a query's spinal levels name: 'L5-S1' -> lumbar, sacral."""
    found: list[str] = []
    if not _has_digit(text):
        return found  # every level has a number
    for first, _, second, _ in _level_pattern().findall(text):
        for letter in (first, second):
            region = _LEVEL_REGION.get(letter.lower()) if letter else None
            if region and region not in found:
                found.append(region)
    return found


def parse(text: str, book: Phrasebook) -> Query:
    """Take a query apart (see the module's docstring)."""
    folded = text.casefold()
    regions = levels(folded)
    # the level tokens themselves match no text
    spans = _level_pattern().sub(" ", folded) if regions else folded
    words = WORD.findall(spans)
    codes = tuple(w for w in words if CPT.match(w))
    stop = book.stopwords
    main: list[str] = []
    other: list[str] = []
    for clause in _clauses(spans):
        here, there = _other_step(_drop_negated(
            [w for w in WORD.findall(clause) if not CPT.match(w) and w != "cpt"]
        ))  # fmt: skip
        main += here
        other += there
    # Phrases match on content words, so "base of my skull" finds "base of the skull".
    typed = [w for w in main if w not in stop]
    if not typed:  # "before a knee replacement" alone: then that is what the query is about
        typed, other = [w for w in other if w not in stop], []
    content = _expand(typed, book)
    aside = [w for w in _expand([w for w in other if w not in stop], book) if w not in content]
    for word in content:
        if word in REGIONS and word not in regions:
            regions.append(word)
    tokens = list(dict.fromkeys([*content, *aside]))
    for region in regions:
        if region not in tokens:
            tokens.append(region)
    return Query(
        text, tuple(tokens), tuple(typed), codes, tuple(regions), tuple(dict.fromkeys(aside))
    )


# A clause that starts with "before" (or "prior to") is about the next step of care: "a numbing
# test before they burn the nerves" asks for the test, not the burning. It ends at punctuation or
# at "for". "After" is not such a word: what comes after it is as often the cause the query is
# about ("headache after a lumbar puncture", "groin pain after hernia surgery").
CLAUSE_ENDS = frozenset({"for", "because"})


def _clauses(text: str) -> list[str]:
    for mark in ",;!?":
        text = text.replace(mark, ".")
    return text.split(".")


def _other_step(words: list[str]) -> tuple[list[str], list[str]]:
    """A clause's words: those about what the query asks for, and those about another step."""
    main: list[str] = []
    other: list[str] = []
    inside = False
    for i, word in enumerate(words):
        if word == "before" or (word == "prior" and words[i + 1 : i + 2] == ["to"]):
            inside = True
            continue
        if word in CLAUSE_ENDS:
            inside = False
        (other if inside else main).append(word)
    return main, other


NEGATIONS = frozenset({"no", "not", "without"})


def _drop_negated(words: list[str]) -> list[str]:
    """Words with what a negation rules out removed: "cement, no balloon" is not about balloons."""
    out: list[str] = []
    skip = False
    for word in words:
        if word in NEGATIONS:
            skip = True
            continue
        if not skip:
            out.append(word)
        skip = False
    return out


def _expand(words: list[str], book: Phrasebook) -> list[str]:
    """The words with every lexicon phrase they contain followed by what it means.

    The longest phrase wins where phrases overlap; a phrase's own words stay in the query (they
    may be in the entries too), its meanings are added after them.
    """
    phrases = book.phrases
    out: list[str] = []
    i = 0
    while i < len(words):
        for size in range(min(book.longest, len(words) - i), 0, -1):
            found = phrases.get(tuple(words[i : i + size]))
            if found is not None:
                out += [*words[i : i + size], *found]
                i += size
                break
        else:
            out.append(words[i])
            i += 1
    return out
