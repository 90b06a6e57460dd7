"""What the compiled store looks like: its format, columns and weights, and the folded keys of
its name table. Shared by `build` (which writes a store) and `database` (which reads one), and
small, because every run imports it."""

from __future__ import annotations

import re

FORMAT = "1"
# A source changed this recently may change again within one timestamp tick with the same size,
# so it is not compiled to disk until it settles.
SETTLE_SECONDS = 2.0
KEEP_STORES = 4  # older compiled stores in the folder are removed
TOKENIZER = "porter unicode61 remove_diacritics 2"
# Columns of each full-text index, and their BM25 weights: names count most, then what a
# procedure treats and its codes, then its summary, then the rest of its text.
PROCEDURE_COLUMNS = ("names", "conditions", "codes", "summary", "body", "patient")
PROCEDURE_WEIGHTS = (10.0, 5.0, 4.0, 2.0, 1.0, 1.5)
SMALL_COLUMNS = ("names", "body")
SMALL_WEIGHTS = (10.0, 1.0)
KINDS = ("procedure", "drug", "condition")

_NON_ALNUM = re.compile(r"[^0-9a-z]+")
WORD = re.compile(r"[^\W_]+")


def compact(text: str) -> str:
    """Fold case, punctuation and spaces: 'TF-ESI', 'tf esi' and 'TFESI' are one key."""
    return _NON_ALNUM.sub("", text.casefold())


def words_of(text: str) -> list[str]:
    return WORD.findall(text.casefold())
