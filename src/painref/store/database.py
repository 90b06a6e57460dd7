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
import sqlite3
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar, cast

from .. import __version__
from ..errors import DatasetError, Problem
from ..model.record import Record

if TYPE_CHECKING:  # decoded records; each command imports only the kinds it reads
    from ..model.condition import Condition
    from ..model.drug import Drug, DrugTable
    from ..model.lexicon import Lexicon
    from ..model.procedure import Procedure
from .layout import (
    FORMAT,
    KEEP_STORES,
    PROCEDURE_COLUMNS,
    PROCEDURE_WEIGHTS,
    SETTLE_SECONDS,
    SMALL_COLUMNS,
    SMALL_WEIGHTS,
)

T = TypeVar("T", bound=Record)


class StoreDamaged(Exception):
    """A row read back from the store is not what painref wrote."""


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
        return cast(T, built)

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
        from ..model.procedure import Procedure

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
        from ..model.drug import Drug

        return tuple(self._record(Drug, "drug", i) for i in range(int(count)))

    def drug_table(self) -> DrugTable:
        found = self.rows("SELECT record FROM guideline")
        if not found:
            raise DatasetError(
                [Problem("drug table", None, "guideline", "no file gives the guideline")]
            )
        from ..model.drug import DrugTable, Guideline

        guideline = self._decode(Guideline, "guideline", 0, found[0][0])
        return DrugTable(guideline, self.drugs())

    def conditions(self) -> tuple[Condition, ...]:
        count = self.rows("SELECT count(*) FROM condition")[0][0]
        from ..model.condition import Condition

        return tuple(self._record(Condition, "condition", i) for i in range(int(count)))

    def record_origin(self, kind: str, record_id: str) -> str:
        found = self.rows(f"SELECT origin FROM {kind} WHERE id = ?", (record_id,))
        return str(found[0][0]) if found else ""

    def lexicon(self) -> Lexicon:
        from ..model.lexicon import Lexicon

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
                from .build import build

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
    from .build import build

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
    from .build import build

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
