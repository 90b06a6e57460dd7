"""The lay-language lexicon: the words people type, mapped to the words the entries use.

`data/lexicon.yaml` holds every synonym search knows ("shot" -> injection, "tailbone" -> coccyx,
British and American spellings) and the filler words a query may drop; none of them lives in code.
"""

from typing import Annotated

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
