"""The parse cache: YAML that has not changed is not parsed and validated again.

Parsing and validating the bundled dataset costs more than everything else a `painref show` does,
and a 5,000-entry overlay takes seconds. After the first run the merged, validated dataset is kept
in the user cache folder as one marshal file:

- keyed on the painref version and each source file's path, size, times and inode, so an edited
  file or a new painref rebuilds it (a file edited in the last two seconds is not cached yet);
- one file per combination of source files (bundled alone, bundled plus an overlay, ...);
- written to a temporary file and renamed into place, so a reader never sees half a file;
- checked with a CRC before use, and rebuilt when corrupt, truncated or of another format;
- skipped silently when the folder cannot be created or written (a read-only home still works).

Only data that validated without a single problem is stored, so a record can be rebuilt into model
objects without checks. Procedures are stored one record each and built on first use; the search
tables and each procedure's name and category are stored ready-made. marshal (not pickle) is
used: it can only produce plain values, never run code or build arbitrary objects; a record names
its class, which must be one of the model's record classes.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import marshal
import os
import time
import zlib
from array import array
from collections.abc import Iterable, Iterator, Sequence
from itertools import accumulate
from typing import Any

from . import __version__
from .model import RECORD_CLASSES, Dataset, Procedure, Record
from .paths import cache_dir

FORMAT = 4
MAGIC = b"painref-cache\n"
Fingerprint = tuple[tuple[str, int, int, int, int], ...]
SETTLE_NS = 2_000_000_000


def load(paths: Sequence[str]) -> Dataset:
    """The merged dataset of `paths`, from the cache when it is fresh (raises DatasetError)."""
    fingerprint = _fingerprint(paths)
    directory = cache_dir()
    if fingerprint is None or directory is None:
        with _collector_paused():
            return _parse(paths)
    target = os.path.join(directory, _file_name(fingerprint))
    cached = read(target, fingerprint)
    if cached is not None:
        return cached
    with _collector_paused():
        dataset = _parse(paths)
        if _settled(fingerprint):
            from .search import build_tables

            # Built once: the cache stores them, and this run's search uses them too.
            dataset.search_tables = build_tables(dataset)
            write(target, fingerprint, dataset)
    return dataset


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector while a large dataset is built.

    Building allocates hundreds of thousands of objects that all stay alive, and none of them form
    cycles, so the collector's passes over the growing heap find nothing; they cost a quarter of a
    5,000-entry first run. It is switched back on (if it was on) as soon as building ends.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _parse(paths: Sequence[str]) -> Dataset:
    from .dataset import load as load_files  # the YAML parser is imported only on a cache miss

    return load_files(paths, include_bundled=False)


def _fingerprint(paths: Sequence[str]) -> Fingerprint | None:
    """What identifies the sources; None when one cannot be read (the loader reports why).

    Path, size, modification and change times and inode: an edit, a replacement or a touch
    changes at least one. Reading and checksumming the files instead would cost more than the
    rest of a cached start-up with a large overlay. The one edit these can miss (same size,
    within one timestamp tick) is ruled out by `_settled`.
    """
    parts = []
    for path in paths:
        try:
            stat = os.stat(path)
        except OSError:
            return None
        parts.append(
            (os.path.realpath(path), stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino)
        )
    return tuple(parts)


def _settled(fingerprint: Fingerprint) -> bool:
    """True when every source is older than a timestamp tick could hide an edit.

    A file changed in the last two seconds could change again within the same tick without its
    size or times changing; such a file is parsed on every run until it has settled.
    """
    newest = max(mtime for _, _, mtime, _, _ in fingerprint)
    return time.time_ns() - newest > SETTLE_NS


def _file_name(fingerprint: Fingerprint) -> str:
    # Named by the paths only: an edited file overwrites its own stale cache, not a new one.
    names = "\0".join(path for path, *_ in fingerprint)
    return f"procedures-{zlib.crc32(names.encode()):08x}-{len(fingerprint)}.cache"


def _header(fingerprint: Fingerprint) -> tuple[Any, ...]:
    return (FORMAT, __version__, fingerprint)


def read(target: str, fingerprint: Fingerprint) -> Dataset | None:
    """The cached dataset, or None when the file is missing, stale, corrupt or unreadable."""
    try:
        with open(target, "rb") as cached:
            blob = cached.read()
    except OSError:
        return None
    if not blob.startswith(MAGIC) or len(blob) < len(MAGIC) + 4:
        return None
    checksum = blob[len(MAGIC) : len(MAGIC) + 4]
    payload = memoryview(blob)[len(MAGIC) + 4 :]  # no copy of a file that may be megabytes
    if zlib.crc32(payload).to_bytes(4, "big") != checksum:
        return None
    try:
        header, ids, origins, records, tables, summaries = marshal.loads(payload)
        record_ends, name_ends = array("I", records[1]), array("I", summaries[1])
    except (EOFError, ValueError, TypeError, IndexError):
        return None
    finally:
        payload.release()
    # marshal turns the fingerprint's tuples into tuples again, so equality is exact.
    if header != _header(fingerprint) or not len(ids) == len(record_ends) == len(name_ends):
        return None
    # Records and summaries stay as one string each until a position is asked for: unmarshalling
    # 5,000 small objects per run costs more than the search over them.
    record_blob = records[0]
    names, categories, category_codes = summaries[0], summaries[2], summaries[3]

    def build(position: int) -> Procedure:
        start = record_ends[position - 1] if position else 0
        packed = zlib.decompress(record_blob[start : record_ends[position]])
        procedure = unpack(marshal.loads(packed))
        assert isinstance(procedure, Procedure)  # guarded by the CRC and the format number
        return procedure

    def summary(position: int) -> tuple[str, str]:
        start = name_ends[position - 1] if position else 0
        return names[start : name_ends[position]], categories[category_codes[position]]

    return Dataset.deferred(ids, origins, build, tables, summary)


def pack(value: Any) -> Any:
    """A model value as marshal-able data: a record becomes a dict naming its class under ''."""
    if isinstance(value, str):
        return value
    if isinstance(value, Record):
        from .schema import field_names  # only when writing: the cached start-up never needs it

        packed = {"": type(value).__name__}
        for name in field_names(type(value)):
            child = getattr(value, name)
            if child is not None:
                packed[name] = pack(child)
        return packed
    if isinstance(value, tuple):
        return tuple([pack(item) for item in value])
    if isinstance(value, dt.date):
        return {"": "date", "iso": value.isoformat()}
    return value


def unpack(value: Any) -> Any:
    """The model value `pack` made; tuples of text come back as they are, untouched."""
    if type(value) is dict:
        kind = value[""]
        if kind == "date":
            return dt.date.fromisoformat(value["iso"])
        fields = {name: unpack(child) for name, child in value.items() if name}
        return RECORD_CLASSES[kind](**fields)
    if type(value) is tuple and value and type(value[0]) is not str:
        return tuple(unpack(item) for item in value)
    return value


def _ends(lengths: Iterable[int]) -> bytes:
    """Where each piece of a joined string or blob ends, as packed unsigned ints."""
    return array("I", accumulate(lengths)).tobytes()


def write(target: str, fingerprint: Fingerprint, dataset: Dataset) -> bool:
    """Store the dataset atomically; False (and nothing left behind) when that is not possible."""
    import tempfile

    from .search import build_tables

    procedures = dataset.procedures
    tables = dataset.search_tables if dataset.search_tables is not None else build_tables(dataset)
    # compressed: a record is read once per run at most, and the file is 5 times smaller
    records = [zlib.compress(marshal.dumps(pack(procedure)), 1) for procedure in procedures]
    categories = sorted({procedure.category for procedure in procedures})
    payload = marshal.dumps(
        (
            _header(fingerprint),
            list(dataset.ids),
            dict(dataset.origins),
            (b"".join(records), _ends(len(record) for record in records)),
            tables,
            (
                "".join(procedure.name for procedure in procedures),
                _ends(len(procedure.name) for procedure in procedures),
                categories,
                bytes(categories.index(procedure.category) for procedure in procedures),
            ),
        )
    )
    blob = MAGIC + zlib.crc32(payload).to_bytes(4, "big") + payload
    temporary: str | None = None
    try:
        folder = os.path.dirname(target)
        os.makedirs(folder, mode=0o700, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=".cache")
        with os.fdopen(handle, "wb") as out:
            out.write(blob)
        os.replace(temporary, target)
    except OSError:
        if temporary is not None:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
        return False
    return True
