"""The lay-language lexicon: the words people type, mapped to the words the entries use.

`data/lexicon.yaml` holds every synonym search knows ("shot" -> injection, "tailbone" -> coccyx,
British and American spellings) and the filler words a query may drop; none of them lives in code.
"""

import re
from typing import Annotated, Any

from .record import Meta, Record, Text, record


@record
class Synonym(Record):
    """Words or phrases people type, and the clinical words they stand for."""

    words: Annotated[tuple[Text, ...], Meta("what people type (lowercase)", min_items=1)]
    means: Annotated[tuple[Text, ...], Meta("the words the entries use", min_items=1)]


@record
class Lexicon(Record):
    """Synonyms and the filler words a query may drop."""

    stopwords: Annotated[tuple[Text, ...], Meta("words that never decide a search")] = ()
    synonyms: tuple[Synonym, ...] = ()


def words_in(text: str) -> list[str]:
    """The words of a text as a query sees them: folded case, letters and digits only."""
    return re.findall(r"[^\W_]+", text.casefold())  # compiled once, when a store is built


class Phrasebook:
    """A lexicon made ready for reading queries: its stopwords, and each phrase by its content
    words with the words it means, longest phrase first wherever phrases overlap.

    Derived from a Lexicon (`of`); the compiled store keeps one beside the lexicon it came
    from, so a query is read without building the lexicon's records first."""

    __slots__ = ("longest", "phrases", "stopwords")

    def __init__(
        self, stopwords: frozenset[str], phrases: dict[tuple[str, ...], list[str]]
    ) -> None:
        self.stopwords = stopwords
        self.phrases = phrases
        self.longest = max((len(key) for key in phrases), default=0)

    @classmethod
    def of(cls, lexicon: Lexicon) -> "Phrasebook":
        # A query's words are single tokens: only a stopword of one word can ever match one.
        stop = frozenset(word for word in lexicon.stopwords if word.split() == [word])
        phrases: dict[tuple[str, ...], list[str]] = {}
        for synonym in lexicon.synonyms:
            meaning = [word for text in synonym.means for word in words_in(text)]
            for phrase in synonym.words:
                key = tuple(word for word in words_in(phrase) if word not in stop)
                if key:
                    phrases.setdefault(key, []).extend(meaning)
        return cls(stop, phrases)

    def to_plain(self) -> dict[str, Any]:
        """Words joined by spaces (no word holds one): a flat form that reads back quickly."""
        return {
            "stopwords": " ".join(sorted(self.stopwords)),
            "phrases": {" ".join(key): " ".join(meaning) for key, meaning in self.phrases.items()},
        }

    @classmethod
    def from_plain(cls, data: Any) -> "Phrasebook":
        """The phrasebook `to_plain` wrote; TypeError for anything of another shape (the store
        that holds it is untrusted)."""
        if not isinstance(data, dict) or set(data) != {"stopwords", "phrases"}:
            raise TypeError("not a phrasebook")
        stop, phrases = data["stopwords"], data["phrases"]
        if not isinstance(stop, str) or not isinstance(phrases, dict):
            raise TypeError("not a phrasebook")
        if not all(isinstance(meaning, str) for meaning in phrases.values()):
            raise TypeError("not a phrasebook")
        book = {tuple(key.split()): meaning.split() for key, meaning in phrases.items()}
        if () in book:
            raise TypeError("a phrase without words")
        return cls(frozenset(stop.split()), book)
