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
import functools
import json
import os
import re
import sqlite3
import time
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Concatenate, ParamSpec, TypeVar

from .. import __version__
from ..errors import DatasetError, Problem, StoreDamaged
from ..model.condition import Condition
from ..model.drug import Drug, DrugTable, Guideline
from ..model.lexicon import Lexicon
from ..model.procedure import Procedure
from ..model.record import Record
from .paths import display_name

FORMAT = "1"
T = TypeVar("T", bound=Record)
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


# --- the store --------------------------------------------------------------------------------


_DAMAGE = (
    sqlite3.DatabaseError,  # not a database, malformed, a table or column missing
    StoreDamaged,  # a row missing, or not what painref wrote
    ValueError,  # JSON that does not parse
    TypeError,
    KeyError,
    IndexError,
    RecursionError,  # JSON nested without end
)
R = TypeVar("R")
P = ParamSpec("P")


def _healing(read: Callable[Concatenate[Store, P], R]) -> Callable[Concatenate[Store, P], R]:
    """Make a read of the store untrusting: whatever comes back other than painref wrote it
    rebuilds the store from the sources (`repair`, once per run) and reads again.

    A read that began before a rebuild (one made by a read inside it) simply reads again; one
    that fails on a store rebuilt just now raises StoreDamaged (a real fault: the command that
    asked reports it, see `commands.common.execute`).
    """

    @functools.wraps(read)
    def untrusting(self: Store, /, *args: P.args, **kwargs: P.kwargs) -> R:
        generation = self.generation
        try:
            return read(self, *args, **kwargs)
        except _DAMAGE as damage:
            if isinstance(damage, sqlite3.OperationalError) and "syntax error" in str(damage):
                raise  # an FTS5 query painref built wrongly: a bug, not damage
            if self.generation == generation:
                self._heal(damage)
        try:
            return read(self, *args, **kwargs)
        except _DAMAGE as damage:  # e.g. a position or id the damaged store handed out earlier
            if isinstance(damage, sqlite3.OperationalError) and "syntax error" in str(damage):
                raise
            raise StoreDamaged(str(damage) or type(damage).__name__) from damage

    return untrusting


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise StoreDamaged(f"expected text, found {type(value).__name__}")
    return value


def _int(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise StoreDamaged(f"expected an integer, found {type(value).__name__}")
    return value


def _storable(value: Any) -> Any:
    """A query parameter SQLite can take: text with undecodable bytes (lone surrogates, from a
    typed argument) has them replaced; it can match nothing either way."""
    if isinstance(value, str) and not value.isascii():
        return value.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return value


class Store:
    """Read access to a compiled store: records by id or position, and full-text queries.

    Records are decoded (and validated again: the cache folder is untrusted) only when asked for,
    so `show ID` on a 5,000-entry overlay decodes one procedure, not 5,000. Every read goes
    through `_healing`: a row that does not decode, a value of the wrong type or a failing query
    rebuilds the file (`open_store`'s `repair`) and reads again.
    """

    def __init__(
        self, connection: sqlite3.Connection, repair: Callable[[], sqlite3.Connection] | None = None
    ) -> None:
        self._db = connection
        self._repair = repair
        self.generation = 0  # how many times the store was rebuilt during this run
        self._ids: tuple[str, ...] | None = None
        self._positions: dict[str, int] | None = None
        self._built: dict[tuple[str, int], Any] = {}

    # -- low level
    @_healing
    def rows(self, sql: str, parameters: Sequence[Any] = ()) -> list[Any]:
        """The rows of a query (the methods below check what each row holds)."""
        return self._db.execute(sql, [_storable(p) for p in parameters]).fetchall()

    def _heal(self, cause: BaseException) -> None:
        if self._repair is None:
            raise StoreDamaged(str(cause)) from cause
        repair, self._repair = self._repair, None  # once: a fresh store that fails is a fault
        self._db = repair()
        self.generation += 1
        self._built.clear()
        self._ids = self._positions = None

    def rebuild(self) -> bool:
        """Rebuild now, if that has not been done in this run; whether it was."""
        if self._repair is None:
            return False
        self._heal(StoreDamaged("rebuild"))
        return True

    def _decode(self, cls: type[T], kind: str, pos: int, text: Any) -> T:
        from ..model.schema import INVALID, build

        problems: list[str] = []
        value = build(cls, json.loads(_text(text)), kind, None, lambda *p: problems.append(p[2]))
        if value is INVALID or not isinstance(value, cls):
            raise StoreDamaged(f"{kind} row {pos} does not decode")
        return value

    @_healing
    def _record(self, cls: type[T], kind: str, pos: int) -> T:
        built = self._built.get((kind, pos))
        if built is None:
            found = self.rows(f"SELECT record FROM {kind} WHERE pos = ?", (pos,))
            if not found:
                raise StoreDamaged(f"{kind} row {pos} is missing")
            built = self._built[(kind, pos)] = self._decode(cls, kind, pos, found[0][0])
        return built

    # -- procedures
    @property
    @_healing
    def ids(self) -> tuple[str, ...]:
        if self._ids is None:
            found = self.rows("SELECT pos, id FROM procedure ORDER BY pos")
            if [_int(pos) for pos, _ in found] != list(range(len(found))):
                raise StoreDamaged("procedure positions are not 0, 1, 2 ...")
            self._ids = tuple(_text(row[1]) for row in found)
        return self._ids

    def __len__(self) -> int:
        return len(self.ids)

    def position(self, procedure_id: str) -> int:
        if self._positions is None:
            self._positions = {pid: i for i, pid in enumerate(self.ids)}
        return self._positions[procedure_id]

    def at(self, position: int) -> Procedure:
        return self._record(Procedure, "procedure", position)

    @_healing
    def id_at(self, kind: str, position: int) -> str:
        """The id of the record of this kind at `position` (positions come from this store)."""
        if kind == "procedure":
            ids = self.ids
            if not 0 <= position < len(ids):
                raise StoreDamaged(f"no procedure at position {position}")
            return ids[position]
        found = self.rows(f"SELECT id FROM {kind} WHERE pos = ?", (position,))
        if not found:
            raise StoreDamaged(f"no {kind} at position {position}")
        return _text(found[0][0])

    @_healing
    def count(self, kind: str) -> int:
        if kind == "procedure":
            return len(self.ids)  # checked: positions 0, 1, 2 ... with nothing missing or extra
        return _int(self.rows(f"SELECT count(*) FROM {kind}")[0][0])

    @_healing
    def get(self, procedure_id: str) -> Procedure | None:
        found = self.rows("SELECT pos FROM procedure WHERE id = ?", (procedure_id,))
        return self.at(_int(found[0][0])) if found else None

    @_healing
    def summary_at(self, position: int) -> tuple[str, str]:
        """(name, category) of a procedure, without decoding it."""
        found = self.rows("SELECT name, category FROM procedure WHERE pos = ?", (position,))
        if not found:
            raise StoreDamaged(f"procedure row {position} is missing")
        return _text(found[0][0]), _text(found[0][1])

    @_healing
    def summary(self, procedure_id: str) -> tuple[str, str]:
        """(name, category) of a procedure by id, without decoding it (KeyError, healed: an id
        a record of this store names that the store does not hold)."""
        return self.summary_at(self.position(procedure_id))

    def origin(self, procedure_id: str) -> str:
        return self.record_origin("procedure", procedure_id)

    @property
    @_healing
    def procedures(self) -> tuple[Procedure, ...]:
        return tuple(self.at(i) for i in range(len(self.ids)))

    # -- drugs, conditions, lexicon
    @_healing
    def drugs(self) -> tuple[Drug, ...]:
        return tuple(self._record(Drug, "drug", i) for i in range(self.count("drug")))

    @_healing
    def drug_table(self) -> DrugTable:
        found = self.rows("SELECT record FROM guideline")
        drugs = self.drugs()
        if not found:
            if drugs:  # the sources never give drugs without a guideline (sources.read_all)
                raise StoreDamaged("the guideline row is missing")
            raise DatasetError(
                [Problem("drug table", None, "guideline", "no file gives the guideline")]
            )
        guideline = self._decode(Guideline, "guideline", 0, found[0][0])
        return DrugTable(guideline, drugs)

    @_healing
    def conditions(self) -> tuple[Condition, ...]:
        return tuple(
            self._record(Condition, "condition", i) for i in range(self.count("condition"))
        )

    @_healing
    def record_origin(self, kind: str, record_id: str) -> str:
        found = self.rows(f"SELECT origin FROM {kind} WHERE id = ?", (record_id,))
        return _text(found[0][0]) if found else ""

    @_healing
    def lexicon(self) -> Lexicon:
        found = self.rows("SELECT record FROM lexicon")
        if len(found) != 1:  # `build` always writes the one row, empty or not
            raise StoreDamaged("the lexicon row is missing")
        return self._decode(Lexicon, "lexicon", 0, found[0][0])

    # -- search primitives
    @_healing
    def exact(self, kind: str, key: str) -> list[tuple[int, str, str]]:
        """(position, field, text) of every name of this kind whose folded form is `key`."""
        return [
            (_int(pos), _text(field), _text(text))
            for pos, field, text in self.rows(
                "SELECT pos, field, text FROM name WHERE kind = ? AND key = ? ORDER BY pos, rowid",
                (kind, key),
            )
        ]

    @_healing
    def holds(self, kind: str, term: str) -> bool:
        """Whether the full-text index of this kind matches one FTS5 term (already quoted)."""
        table = f"{kind}_text"
        return bool(self.rows(f"SELECT 1 FROM {table} WHERE {table} MATCH ? LIMIT 1", (term,)))

    @_healing
    def names(self, kind: str) -> list[tuple[int, str, str]]:
        """(position, field, text) of every name of this kind but CPT codes, for suggestions."""
        return [
            (_int(pos), _text(field), _text(text))
            for pos, field, text in self.rows(
                "SELECT pos, field, text FROM name WHERE kind = ? AND field != 'cpt'", (kind,)
            )
        ]

    @_healing
    def known(self, kind: str, term: str) -> bool:
        return bool(self.rows("SELECT 1 FROM word WHERE kind = ? AND term = ?", (kind, term)))

    @_healing
    def vocabulary(self, kind: str) -> list[str]:
        return [_text(row[0]) for row in self.rows("SELECT term FROM word WHERE kind = ?", (kind,))]

    @_healing
    def containing(self, kind: str, term: str) -> set[int]:
        """Positions of the records a single FTS5 term (already quoted) matches."""
        rows = self.rows(f"SELECT rowid FROM {kind}_text WHERE {kind}_text MATCH ?", (term,))
        return {_int(row[0]) for row in rows}

    @_healing
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
        return [(_int(row[0]), float(row[1]), tuple(_text(c) for c in row[2:])) for row in found]


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
