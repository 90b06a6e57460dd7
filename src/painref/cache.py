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
from collections.abc import Iterator, Sequence
from typing import Any

from . import __version__
from .model import RECORD_CLASSES, Dataset, Procedure, Record
from .packed import Joined, ends_of
from .paths import cache_dir

FORMAT = 5
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
    cached = read(target, fingerprint, paths)
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


# The file: MAGIC, then three parts, each as a 4-byte length, a 4-byte CRC and the bytes:
#   the header (format, version, fingerprint), marshalled;
#   the records, each compressed on its own and joined (their ends are in the index);
#   the index (ids, origins, search tables, names and categories), marshalled.
# The header and index are checked against their CRCs on every read. The records are not: a run
# uses one or a few of them, and each carries zlib's own checksum, checked on decompression.
_WORD = 4
Part = tuple[bytes, int, int]  # stored CRC, where the part starts and ends in the file


def _parts(blob: bytes) -> list[Part] | None:
    """Where each part of a cache file lies; None when it is not one or is cut short."""
    if not blob.startswith(MAGIC):
        return None
    parts = []
    offset = len(MAGIC)
    for _ in range(3):
        start = offset + 2 * _WORD
        end = start + int.from_bytes(blob[offset : offset + _WORD], "big")
        if end > len(blob):
            return None
        parts.append((blob[offset + _WORD : start], start, end))
        offset = end
    return parts if offset == len(blob) else None


def _checked(blob: bytes, part: Part) -> memoryview | None:
    """A part's bytes (without a copy: the file may be megabytes) if they match their CRC."""
    crc, start, end = part
    view = memoryview(blob)[start:end]
    return view if zlib.crc32(view).to_bytes(_WORD, "big") == crc else None


def read(target: str, fingerprint: Fingerprint, paths: Sequence[str]) -> Dataset | None:
    """The cached dataset, or None when the file is missing, stale, corrupt or unreadable."""
    try:
        with open(target, "rb") as cached:
            blob = cached.read()
    except OSError:
        return None
    parts = _parts(blob)
    if parts is None:
        return None
    header, index = _checked(blob, parts[0]), _checked(blob, parts[2])
    if header is None or index is None:
        return None
    try:
        if marshal.loads(header) != _header(fingerprint):
            return None  # another format, painref version or source files
        ids, record_ends, origin_names, origin_codes, tables, summaries = marshal.loads(index)
        names = Joined[str](*summaries[0])
        categories, category_codes = summaries[1], summaries[2]
        ends = array("I", record_ends)
        origins = [origin_names[code] for code in array("H", origin_codes)]
    except (EOFError, ValueError, TypeError, IndexError):
        return None
    if not len(ids) == len(ends) == len(names) == len(category_codes) == len(origins):
        return None
    first = parts[1][1]  # where the records start

    reparsed: list[Dataset] = []  # the sources, parsed once if a damaged record turns up

    def build(position: int) -> Procedure:
        start = first + (ends[position - 1] if position else 0)
        try:
            packed = zlib.decompress(blob[start : first + ends[position]])
        except zlib.error:
            if not reparsed:
                reparsed.append(_reparse(target, paths))
            return _same_procedure(reparsed[0], ids[position], target)
        procedure = unpack(marshal.loads(packed))
        assert isinstance(procedure, Procedure)  # guarded by zlib's check and the format number
        return procedure

    def summary(position: int) -> tuple[str, str]:
        return names[position], categories[category_codes[position]]

    return Dataset.deferred(ids, origins, build, tables, summary)


def _reparse(target: str, paths: Sequence[str]) -> Dataset:
    """The sources parsed again, after a record failed its check; the damaged file is dropped so
    the next run writes a good one. (The header and index matched, so the sources are the same.)
    """
    with contextlib.suppress(OSError):
        os.unlink(target)
    with _collector_paused():
        return _parse(paths)


def _same_procedure(dataset: Dataset, procedure_id: str, target: str) -> Procedure:
    procedure = dataset.get(procedure_id)
    if procedure is None:  # a data file was edited while this command ran
        from .errors import DatasetError, Problem

        message = f"{procedure_id} is no longer in the data files; run the command again"
        raise DatasetError([Problem(target, None, "", message)])
    return procedure


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


def _part(data: bytes) -> bytes:
    return len(data).to_bytes(_WORD, "big") + zlib.crc32(data).to_bytes(_WORD, "big") + data


def write(target: str, fingerprint: Fingerprint, dataset: Dataset) -> bool:
    """Store the dataset atomically; False (and nothing left behind) when that is not possible."""
    import tempfile

    from .search import build_tables

    procedures = dataset.procedures
    tables = dataset.search_tables if dataset.search_tables is not None else build_tables(dataset)
    # compressed: a record is read once per run at most, and the file is 5 times smaller
    records = [zlib.compress(marshal.dumps(pack(procedure)), 1) for procedure in procedures]
    categories = sorted({procedure.category for procedure in procedures})
    origin_names = sorted(set(dataset.origins))
    origin_code = {origin: code for code, origin in enumerate(origin_names)}
    index = (
        list(dataset.ids),
        ends_of(len(record) for record in records),
        origin_names,
        array("H", [origin_code[origin] for origin in dataset.origins]).tobytes(),
        tables,
        (
            Joined.of([procedure.name for procedure in procedures], "").packed(),
            categories,
            bytes(categories.index(procedure.category) for procedure in procedures),
        ),
    )
    blob = MAGIC + b"".join(
        _part(part)
        for part in (marshal.dumps(_header(fingerprint)), b"".join(records), marshal.dumps(index))
    )
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
