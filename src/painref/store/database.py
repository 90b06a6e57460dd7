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
import os
import sqlite3
import time
from collections.abc import Callable, Sequence
from typing import Any

from .. import __version__
from ..errors import StoreDamaged
from .layout import FORMAT, KEEP_STORES, SCHEMA, SETTLE_SECONDS, STALE_SECONDS
from .paths import display_name
from .reading import Store

__all__ = ["Store", "StoreDamaged", "in_memory", "open_store", "source_key"]


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
    """A short, stable name for the store of these sources (the full key is checked inside the
    file): the key's 48-bit FNV-1a hash, a few lines rather than loading zlib on every run."""
    digest = 0xCBF29CE484222325
    for byte in key.encode("utf-8", "surrogateescape"):
        digest = ((digest ^ byte) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return f"store-{digest >> 16:012x}.sqlite"


_STATEMENTS = frozenset(part.strip() for part in SCHEMA.split(";") if part.strip())
_FTS_TABLES = ("procedure_text", "drug_text", "condition_text")
# FTS5's own tables beside each index (`procedure_text_data` ...), named without a pattern: a
# regular expression would cost more to compile than every other check of the file together.
_SHADOW = frozenset(
    f"{table}_{part}"
    for table in _FTS_TABLES
    for part in ("data", "idx", "content", "docsize", "config")
)


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
        elif sql not in _STATEMENTS and not (kind == "table" and name in _SHADOW):
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
                from .build import build

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
    from .build import build

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
        if connection is not None:
            connection.close()
        if path is not None and os.path.lexists(path):
            with contextlib.suppress(OSError):
                os.unlink(path)
        return _compile(catalog_of, key, keep)

    if connection is None:
        connection = _compile(catalog_of, key, keep)
    return Store(connection, repair)
