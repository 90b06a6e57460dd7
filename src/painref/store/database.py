"""The compiled store: one SQLite database holding the validated records and their full-text index.

Reading and validating the YAML costs more than everything else a command does, so the merged,
validated data is compiled once into an SQLite file in the user cache folder and every later run
reads only the rows it needs. The file is keyed on painref's version and on each source file's
path, size, modification time and inode; it is written to a temporary file and renamed into place,
rebuilt when stale, damaged or not what painref wrote, and simply not kept when the folder cannot
be written (the store is then built in memory). `painref validate` never uses it: validating
means reading the files as they are now. The file opens in the stock `sqlite3` shell.

Tables: `procedure`, `drug`, `condition` (one row per record: id, name, origin file and the record
as JSON in the schema's own shape), `guideline` and `lexicon` (one row each), `name` (every id,
name, alias, synonym and CPT code, folded for exact lookup), `word` (the unstemmed vocabulary, for
typo correction), and the FTS5 indexes `procedure_text`, `drug_text` and `condition_text`.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import sqlite3
import time
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from .. import __version__
from ..errors import StoreDamaged
from ..model.procedure import Procedure
from ..model.record import Record
from .paths import display_name
from .reading import PROCEDURE_COLUMNS, SMALL_COLUMNS, Store

__all__ = ["Store", "StoreDamaged", "build", "compact", "in_memory", "open_store"]

FORMAT = "1"
# A source changed this recently may change again within one timestamp tick with the same size,
# so it is not compiled to disk until it settles.
SETTLE_SECONDS = 2.0
KEEP_STORES = 4  # older compiled stores in the folder are removed
STALE_SECONDS = 600  # a temporary file this old is no run's work in progress
TOKENIZER = "porter unicode61 remove_diacritics 2"
KINDS = ("procedure", "drug", "condition")

_SCHEMA = f"""
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE procedure(pos INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, name TEXT NOT NULL,
                       category TEXT NOT NULL, origin TEXT NOT NULL, record TEXT NOT NULL);
CREATE TABLE drug(pos INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, name TEXT NOT NULL,
                  origin TEXT NOT NULL, record TEXT NOT NULL);
CREATE TABLE condition(pos INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, name TEXT NOT NULL,
                       origin TEXT NOT NULL, record TEXT NOT NULL);
CREATE TABLE guideline(record TEXT NOT NULL);
CREATE TABLE lexicon(record TEXT NOT NULL);
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
_MARKER = re.compile(r"\s*\[[a-z0-9][a-z0-9-]*\]")
_NON_ALNUM = re.compile(r"[^0-9a-z]+")
WORD = re.compile(r"[^\W_]+")


def compact(text: str) -> str:
    """Fold case, punctuation and spaces: 'TF-ESI', 'tf esi' and 'TFESI' are one key."""
    return _NON_ALNUM.sub("", text.casefold())


def words_of(text: str) -> list[str]:
    return WORD.findall(text.casefold())


# --- building ---------------------------------------------------------------------------------


def _plain_text(parts: Iterable[str]) -> str:
    """Texts for the index: citation markers dropped (they are reference keys, not content)."""
    return " | ".join(_MARKER.sub("", part) for part in parts if part)


def _texts(value: Any) -> list[str]:
    from .checks import record_texts

    return [text for _, text in record_texts(value)]


def procedure_columns(p: Procedure) -> tuple[str, ...]:
    """The text of each full-text column of a procedure, in PROCEDURE_COLUMNS order."""
    names = [p.id.replace("-", " "), p.name, *p.aliases]
    treats = [*p.conditions, p.category.replace("-", " "), *p.regions]
    codes = [f"{c.code} {c.meaning}" for c in p.cpt_codes]
    summary = [p.summary, *(_texts(p.brief) if p.brief else [])]
    body = [
        *p.indications,
        *_texts(p.contraindications),
        *p.imaging.modalities,
        p.imaging.notes,
        *p.technique,
        *_texts(p.medications),
        p.outcomes.expected,
        *_texts(p.complications),
        *p.recovery,
        p.anticoagulation_note or "",
        p.evidence,
        *p.regulatory,
        *p.coverage,
        *p.caveats,
    ]
    patient = [p.patient_title or "", p.patient_summary, *(_texts(p.patient) if p.patient else [])]
    return tuple(_plain_text(column) for column in (names, treats, codes, summary, body, patient))


def _plain_json(record: Record) -> str:
    from ..model.schema import to_plain

    return json.dumps(to_plain(record), ensure_ascii=False, separators=(",", ":"))


def build(connection: sqlite3.Connection, catalog: Any, key: str) -> None:
    """Fill an empty database from a merged catalog, in one transaction."""
    with connection:
        connection.executescript(_SCHEMA)
        rows: list[tuple[Any, ...]] = []
        names: list[tuple[str, str, int, str, str]] = []
        vocabulary: dict[str, set[str]] = {kind: set() for kind in KINDS}
        for pos, (p, origin) in enumerate(
            zip(catalog.procedures, catalog.procedure_origins, strict=True)
        ):
            rows.append((pos, p.id, p.name, p.category, origin, _plain_json(p)))
            for field, text in (("id", p.id), ("name", p.name), *(("alias", a) for a in p.aliases)):
                names.append(("procedure", compact(text), pos, field, text))
            for code in p.cpt_codes:
                names.append(("procedure", code.code.casefold(), pos, "cpt", code.code))
            columns = procedure_columns(p)
            connection.execute(
                f"INSERT INTO procedure_text(rowid, {', '.join(PROCEDURE_COLUMNS)}) "
                f"VALUES (?{', ?' * len(columns)})",
                (pos, *columns),
            )
            for column in columns:
                vocabulary["procedure"].update(words_of(column))
        connection.executemany("INSERT INTO procedure VALUES (?, ?, ?, ?, ?, ?)", rows)
        _small(
            connection,
            "drug",
            catalog.drugs,
            catalog.drug_origins,
            names,
            vocabulary,
            lambda d: [d.id, d.name, *d.aliases],
            lambda d: [d.drug_class, *d.caveats],
        )
        _small(
            connection,
            "condition",
            catalog.conditions,
            catalog.condition_origins,
            names,
            vocabulary,
            lambda c: [c.id, c.name, *c.synonyms],
            lambda c: [c.summary],
        )
        connection.executemany("INSERT INTO name VALUES (?, ?, ?, ?, ?)", names)
        connection.executemany(
            "INSERT OR IGNORE INTO word VALUES (?, ?)",
            ((kind, term) for kind, terms in vocabulary.items() for term in terms),
        )
        if catalog.guideline is not None:
            connection.execute(
                "INSERT INTO guideline VALUES (?)", (_plain_json(catalog.guideline),)
            )
        connection.execute("INSERT INTO lexicon VALUES (?)", (_plain_json(catalog.lexicon),))
        connection.executemany(
            "INSERT INTO meta VALUES (?, ?)",
            (("format", FORMAT), ("painref", __version__), ("key", key)),
        )


def _small(
    connection: sqlite3.Connection,
    kind: str,
    records: Sequence[Any],
    origins: Sequence[str],
    names: list[tuple[str, str, int, str, str]],
    vocabulary: dict[str, set[str]],
    name_texts: Callable[[Any], list[str]],
    body_texts: Callable[[Any], list[str]],
) -> None:
    """A drug or condition table, its exact names and its full-text index."""
    for pos, (record, origin) in enumerate(zip(records, origins, strict=True)):
        connection.execute(
            f"INSERT INTO {kind} VALUES (?, ?, ?, ?, ?)",
            (pos, record.id, record.name, origin, _plain_json(record)),
        )
        texts = name_texts(record)
        for i, text in enumerate(texts):
            names.append((kind, compact(text), pos, ("id", "name")[i] if i < 2 else "alias", text))
        columns = (
            _plain_text(t.replace("-", " ") if i == 0 else t for i, t in enumerate(texts)),
            _plain_text(body_texts(record)),
        )
        connection.execute(
            f"INSERT INTO {kind}_text(rowid, names, body) VALUES (?, ?, ?)", (pos, *columns)
        )
        for column in columns:
            vocabulary[kind].update(words_of(column))


# --- opening ----------------------------------------------------------------------------------


def source_key(paths: Sequence[str]) -> tuple[str, bool]:
    """What the store depends on, and whether every source has settled (see SETTLE_SECONDS)."""
    parts = [f"painref {__version__} store {FORMAT}"]
    settled = True
    now = time.time()
    for path in paths:
        try:
            info = os.stat(path)
        except OSError:
            parts.append(f"{display_name(path)} missing")
            continue
        name = display_name(os.path.abspath(path))  # text SQLite can store (undecodable bytes)
        parts.append(f"{name} {info.st_size} {info.st_mtime_ns} {info.st_ino}")
        settled = settled and now - info.st_mtime > SETTLE_SECONDS
    return "\n".join(parts), settled


def _file_name(key: str) -> str:
    import zlib  # a short, stable name; the full key is checked inside the file

    digest = zlib.crc32(key.encode("utf-8", "surrogateescape")) ^ (len(key) << 32)
    return f"store-{digest:012x}.sqlite"


_STATEMENTS = frozenset(part.strip() for part in _SCHEMA.split(";") if part.strip())
_FTS_TABLES = ("procedure_text", "drug_text", "condition_text")
_SHADOW = re.compile(rf"(?:{'|'.join(_FTS_TABLES)})_(?:data|idx|content|docsize|config)")


def _uri(path: str) -> str:
    """A read-only SQLite URI for `path`: '?', '#' and '%' in a folder name (and any byte outside
    ASCII) percent-encoded, or SQLite would read them as the URI's query or fragment."""
    safe = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/-_.~:\\")
    encoded = "".join(chr(b) if b in safe else f"%{b:02X}" for b in os.fsencode(path))
    return f"file:{encoded}?mode=ro"


def _is_painrefs(connection: sqlite3.Connection, key: str) -> bool:
    """Whether an opened file is a store painref wrote for exactly these sources: the meta rows,
    and a schema of painref's statements and FTS5's own tables only (no view or trigger: a
    crafted file could hide a query that never ends behind a table's name)."""
    meta = dict(connection.execute("SELECT key, value FROM meta").fetchall())
    if meta != {"format": FORMAT, "painref": __version__, "key": key}:
        return False
    found = connection.execute("SELECT type, name, sql FROM sqlite_master").fetchall()
    statements = {sql for _, _, sql in found}
    for kind, name, sql in found:
        if sql is None:
            if not (kind == "index" and str(name).startswith("sqlite_autoindex_")):
                return False
        elif sql not in _STATEMENTS and not (kind == "table" and _SHADOW.fullmatch(str(name))):
            return False
    return statements >= _STATEMENTS


def _open_file(path: str, key: str) -> sqlite3.Connection | None:
    """The compiled store at `path` if it is painref's, complete and for exactly these sources."""
    if not os.path.isfile(path):
        return None
    connection = None
    try:
        connection = sqlite3.connect(_uri(path), uri=True, check_same_thread=False)
        if _is_painrefs(connection, key):
            return connection
    except (sqlite3.DatabaseError, ValueError, TypeError):
        pass
    if connection is not None:
        connection.close()
    return None


def _compile(catalog_of: Callable[[], Any], key: str, folder: str | None) -> sqlite3.Connection:
    """Build a store from the sources: in the folder when it can be written, else in memory."""
    catalog = catalog_of()
    if folder is not None:
        import tempfile

        try:
            os.makedirs(folder, exist_ok=True)
            _tidy(folder)
            handle, temporary = tempfile.mkstemp(prefix="store-", suffix=".tmp", dir=folder)
            os.close(handle)
        except OSError:
            folder = None
        else:
            try:
                connection = sqlite3.connect(temporary)
                build(connection, catalog, key)
                connection.close()
                target = os.path.join(folder, _file_name(key))
                os.replace(temporary, target)
                opened = _open_file(target, key)
                if opened is not None:
                    return opened
            except (OSError, sqlite3.DatabaseError):
                pass
            finally:
                if os.path.exists(temporary):
                    os.unlink(temporary)
    connection = sqlite3.connect(":memory:", check_same_thread=False)
    build(connection, catalog, key)
    return connection


def _tidy(folder: str) -> None:
    """Remove what earlier runs left: stores beyond the newest few, and temporary files (with
    SQLite's journal beside them) that a run killed while compiling left behind."""
    try:
        entries = [e for e in os.scandir(folder) if e.name.startswith("store-") and e.is_file()]
    except OSError:
        return
    now = time.time()
    stores = sorted((e for e in entries if e.name.endswith(".sqlite")), key=lambda e: -_mtime(e))
    stale = [
        e
        for e in entries
        if e.name.endswith((".tmp", ".tmp-journal", ".tmp-wal")) and now - _mtime(e) > STALE_SECONDS
    ]
    for entry in [*stores[KEEP_STORES:], *stale]:
        with contextlib.suppress(OSError):
            os.unlink(entry.path)


def _mtime(entry: os.DirEntry[str]) -> float:
    try:
        return entry.stat().st_mtime
    except OSError:  # removed meanwhile by another run
        return 0.0


def in_memory(catalog: Any) -> Store:
    """A store built in memory from a merged catalog (for the library and tests)."""
    connection = sqlite3.connect(":memory:", check_same_thread=False)
    build(connection, catalog, "memory")
    return Store(connection)


def open_store(sources: Sequence[str], folder: str | None, catalog_of: Callable[[], Any]) -> Store:
    """The store for these source files: the compiled one if current, else compiled now.

    `catalog_of()` reads and merges the sources (raising DatasetError for a bad file); it is
    called only when the store must be built.
    """
    key, settled = source_key(sources)
    keep = folder if settled else None
    path = os.path.join(keep, _file_name(key)) if keep else None
    connection = _open_file(path, key) if path else None

    def repair() -> sqlite3.Connection:
        if connection is not None:
            connection.close()
        if path is not None and os.path.lexists(path):
            with contextlib.suppress(OSError):
                os.unlink(path)
        return _compile(catalog_of, key, keep)

    if connection is None:
        connection = _compile(catalog_of, key, keep)
    return Store(connection, repair)
