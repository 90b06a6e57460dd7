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
from typing import Any, TypeVar, cast

from .. import __version__
from ..errors import DatasetError, Problem
from ..model.condition import Condition
from ..model.drug import Drug, DrugTable, Guideline
from ..model.lexicon import Lexicon
from ..model.procedure import Procedure
from ..model.record import Record

FORMAT = "1"
T = TypeVar("T", bound=Record)
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


class StoreDamaged(Exception):
    """A row read back from the store is not what painref wrote."""


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


# --- the store --------------------------------------------------------------------------------


class Store:
    """Read access to a compiled store: records by id or position, and full-text queries.

    Records are decoded (and validated again: the cache folder is untrusted) only when asked for,
    so `show ID` on a 5,000-entry overlay decodes one procedure, not 5,000. A row that does not
    decode raises StoreDamaged; `open_store`'s `repair` rebuilds the file and retries.
    """

    def __init__(
        self, connection: sqlite3.Connection, repair: Callable[[], sqlite3.Connection] | None = None
    ) -> None:
        self._db = connection
        self._repair = repair
        self._ids: tuple[str, ...] | None = None
        self._positions: dict[str, int] | None = None
        self._built: dict[tuple[str, int], Any] = {}

    # -- low level
    def rows(self, sql: str, parameters: Sequence[Any] = ()) -> list[Any]:
        try:
            return self._db.execute(sql, parameters).fetchall()
        except sqlite3.DatabaseError as exc:
            if isinstance(exc, sqlite3.OperationalError) and "fts5" in str(exc):
                raise  # a query the caller built wrongly: a bug, not damage
            self._heal(exc)
            return self._db.execute(sql, parameters).fetchall()

    def _heal(self, cause: Exception) -> None:
        if self._repair is None:
            raise StoreDamaged(str(cause)) from cause
        self._db = self._repair()
        self._repair = None  # once: a store built just now that fails again is a real fault
        self._built.clear()
        self._ids = self._positions = None

    def _decode(self, cls: type[T], kind: str, pos: int, text: str) -> T:
        from ..model.schema import INVALID, build

        problems: list[str] = []
        try:
            value = build(cls, json.loads(text), kind, None, lambda *p: problems.append(p[2]))
        except (ValueError, TypeError, RecursionError):
            value = INVALID
        if value is INVALID or not isinstance(value, cls):
            raise StoreDamaged(f"{kind} row {pos} does not decode")
        return value

    def _record(self, cls: type[T], kind: str, pos: int) -> T:
        built = self._built.get((kind, pos))
        if built is None:
            for attempt in (0, 1):
                found = self.rows(f"SELECT record FROM {kind} WHERE pos = ?", (pos,))
                try:
                    if not found or not isinstance(found[0][0], str):
                        raise StoreDamaged(f"{kind} row {pos} is missing")
                    built = self._decode(cls, kind, pos, found[0][0])
                    break
                except StoreDamaged as damage:
                    if attempt or self._repair is None:
                        raise
                    self._heal(damage)
            self._built[(kind, pos)] = built
        return cast("T", built)

    # -- procedures
    @property
    def ids(self) -> tuple[str, ...]:
        if self._ids is None:
            self._ids = tuple(
                str(row[0]) for row in self.rows("SELECT id FROM procedure ORDER BY pos")
            )
        return self._ids

    def __len__(self) -> int:
        return len(self.ids)

    def position(self, procedure_id: str) -> int:
        if self._positions is None:
            self._positions = {pid: i for i, pid in enumerate(self.ids)}
        return self._positions[procedure_id]

    def at(self, position: int) -> Procedure:
        return self._record(Procedure, "procedure", position)

    def get(self, procedure_id: str) -> Procedure | None:
        found = self.rows("SELECT pos FROM procedure WHERE id = ?", (procedure_id,))
        return self.at(int(found[0][0])) if found else None

    def summary_at(self, position: int) -> tuple[str, str]:
        """(name, category) of a procedure, without decoding it."""
        found = self.rows("SELECT name, category FROM procedure WHERE pos = ?", (position,))
        if not found:
            raise StoreDamaged(f"procedure row {position} is missing")
        return str(found[0][0]), str(found[0][1])

    def summary(self, procedure_id: str) -> tuple[str, str]:
        """(name, category) of a procedure by id, without decoding it."""
        return self.summary_at(self.position(procedure_id))

    def origin(self, procedure_id: str) -> str:
        found = self.rows("SELECT origin FROM procedure WHERE id = ?", (procedure_id,))
        return str(found[0][0]) if found else ""

    @property
    def procedures(self) -> tuple[Procedure, ...]:
        return tuple(self.at(i) for i in range(len(self.ids)))

    # -- drugs, conditions, lexicon
    def drugs(self) -> tuple[Drug, ...]:
        count = self.rows("SELECT count(*) FROM drug")[0][0]
        return tuple(self._record(Drug, "drug", i) for i in range(int(count)))

    def drug_table(self) -> DrugTable:
        found = self.rows("SELECT record FROM guideline")
        if not found:
            raise DatasetError(
                [Problem("drug table", None, "guideline", "no file gives the guideline")]
            )
        guideline = self._decode(Guideline, "guideline", 0, found[0][0])
        return DrugTable(guideline, self.drugs())

    def conditions(self) -> tuple[Condition, ...]:
        count = self.rows("SELECT count(*) FROM condition")[0][0]
        return tuple(self._record(Condition, "condition", i) for i in range(int(count)))

    def record_origin(self, kind: str, record_id: str) -> str:
        found = self.rows(f"SELECT origin FROM {kind} WHERE id = ?", (record_id,))
        return str(found[0][0]) if found else ""

    def lexicon(self) -> Lexicon:
        found = self.rows("SELECT record FROM lexicon")
        if not found:
            return Lexicon()
        return self._decode(Lexicon, "lexicon", 0, found[0][0])

    # -- search primitives
    def exact(self, kind: str, key: str) -> list[tuple[int, str, str]]:
        """(position, field, text) of every name of this kind whose folded form is `key`."""
        return [
            (int(pos), str(field), str(text))
            for pos, field, text in self.rows(
                "SELECT pos, field, text FROM name WHERE kind = ? AND key = ? ORDER BY pos, rowid",
                (kind, key),
            )
        ]

    def known(self, kind: str, term: str) -> bool:
        return bool(self.rows("SELECT 1 FROM word WHERE kind = ? AND term = ?", (kind, term)))

    def vocabulary(self, kind: str) -> list[str]:
        return [str(row[0]) for row in self.rows("SELECT term FROM word WHERE kind = ?", (kind,))]

    def containing(self, kind: str, term: str) -> set[int]:
        """Positions of the records a single FTS5 term (already quoted) matches."""
        rows = self.rows(f"SELECT rowid FROM {kind}_text WHERE {kind}_text MATCH ?", (term,))
        return {int(row[0]) for row in rows}

    def match(
        self, kind: str, expression: str, limit: int
    ) -> list[tuple[int, float, tuple[str, ...]]]:
        """(position, BM25 rank, each column highlighted) of the best matches, best first.

        `expression` is an FTS5 query the caller has built from quoted tokens only. Matched
        words are marked with \\x02 ... \\x03 in the highlighted columns.
        """
        columns = PROCEDURE_COLUMNS if kind == "procedure" else SMALL_COLUMNS
        weights = PROCEDURE_WEIGHTS if kind == "procedure" else SMALL_WEIGHTS
        table = f"{kind}_text"
        marks = ", ".join(f"highlight({table}, {i}, char(2), char(3))" for i in range(len(columns)))
        found = self.rows(
            f"SELECT rowid, bm25({table}, {', '.join(map(str, weights))}) AS rank, {marks} "
            f"FROM {table} WHERE {table} MATCH ? ORDER BY rank LIMIT ?",
            (expression, limit),
        )
        return [(int(row[0]), float(row[1]), tuple(str(c) for c in row[2:])) for row in found]


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
            parts.append(f"{path} missing")
            continue
        parts.append(f"{os.path.abspath(path)} {info.st_size} {info.st_mtime_ns} {info.st_ino}")
        settled = settled and now - info.st_mtime > SETTLE_SECONDS
    return "\n".join(parts), settled


def _file_name(key: str) -> str:
    import zlib  # a short, stable name; the full key is checked inside the file

    digest = zlib.crc32(key.encode("utf-8", "surrogateescape")) ^ (len(key) << 32)
    return f"store-{digest:012x}.sqlite"


def _open_file(path: str, key: str) -> sqlite3.Connection | None:
    """The compiled store at `path` if it is painref's, complete and for exactly these sources."""
    if not os.path.isfile(path):
        return None
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        meta = dict(connection.execute("SELECT key, value FROM meta").fetchall())
        if (
            meta.get("format") == FORMAT
            and meta.get("painref") == __version__
            and meta.get("key") == key
        ):
            return connection
        connection.close()
    except (sqlite3.DatabaseError, ValueError, TypeError):
        pass
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
    """Remove what earlier runs left: stores beyond the newest few, and stale temporary files."""
    try:
        entries = [e for e in os.scandir(folder) if e.name.startswith("store-") and e.is_file()]
    except OSError:
        return
    now = time.time()
    stores = sorted(
        (e for e in entries if e.name.endswith(".sqlite")), key=lambda e: -e.stat().st_mtime
    )
    stale = [e for e in entries if e.name.endswith(".tmp") and now - e.stat().st_mtime > 600]
    for entry in [*stores[KEEP_STORES:], *stale]:
        with contextlib.suppress(OSError):
            os.unlink(entry.path)


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
        if path is not None and os.path.exists(path):
            with contextlib.suppress(OSError):
                os.unlink(path)
        return _compile(catalog_of, key, keep)

    if connection is None:
        connection = _compile(catalog_of, key, keep)
    return Store(connection, repair)
