"""What the compiled store looks like: its format, columns and weights, and the folded keys of
its name table. Shared by `build` (which writes a store) and `database` (which reads one), and
small, because every run imports it."""

from __future__ import annotations

import re

FORMAT = "3"  # 2: each procedure's listing; 3: the lexicon's phrasebook
# A source changed this recently may change again within one timestamp tick with the same size,
# so it is not compiled to disk until it settles.
SETTLE_SECONDS = 2.0
KEEP_STORES = 4  # older compiled stores in the folder are removed
STALE_SECONDS = 600  # a temporary file this old is no run's work in progress
TOKENIZER = "porter unicode61 remove_diacritics 2"
# Columns of each full-text index, and their BM25 weights: names count most, then what a
# procedure treats and its codes, then its summary, then the rest of its text.
PROCEDURE_COLUMNS = ("names", "conditions", "codes", "summary", "body", "patient")
PROCEDURE_WEIGHTS = (10.0, 5.0, 4.0, 2.0, 1.0, 1.5)
SMALL_COLUMNS = ("names", "body")
SMALL_WEIGHTS = (10.0, 1.0)
KINDS = ("procedure", "drug", "condition")

SCHEMA = f"""
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE procedure(pos INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, name TEXT NOT NULL,
                       category TEXT NOT NULL, origin TEXT NOT NULL, record TEXT NOT NULL,
                       listing TEXT NOT NULL);
CREATE TABLE drug(pos INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, name TEXT NOT NULL,
                  origin TEXT NOT NULL, record TEXT NOT NULL);
CREATE TABLE condition(pos INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, name TEXT NOT NULL,
                       origin TEXT NOT NULL, record TEXT NOT NULL);
CREATE TABLE guideline(record TEXT NOT NULL);
CREATE TABLE lexicon(record TEXT NOT NULL, phrasebook TEXT NOT NULL);
CREATE TABLE name(kind TEXT NOT NULL, key TEXT NOT NULL, pos INTEGER NOT NULL,
                  field TEXT NOT NULL, text TEXT NOT NULL);
CREATE INDEX name_key ON name(kind, key);
CREATE TABLE word(kind TEXT NOT NULL, term TEXT NOT NULL, PRIMARY KEY(kind, term)) WITHOUT ROWID;
CREATE VIRTUAL TABLE procedure_text USING fts5({", ".join(PROCEDURE_COLUMNS)},
                                              tokenize = '{TOKENIZER}');
CREATE VIRTUAL TABLE drug_text USING fts5({", ".join(SMALL_COLUMNS)}, tokenize = '{TOKENIZER}');
CREATE VIRTUAL TABLE condition_text USING fts5({", ".join(SMALL_COLUMNS)},
                                              tokenize = '{TOKENIZER}');
"""

_NON_ALNUM = re.compile(r"[^0-9a-z]+")
WORD = re.compile(r"[^\W_]+")


def compact(text: str) -> str:
    """Fold case, punctuation and spaces: 'TF-ESI', 'tf esi' and 'TFESI' are one key."""
    return _NON_ALNUM.sub("", text.casefold())


def words_of(text: str) -> list[str]:
    return WORD.findall(text.casefold())
