"""The parse cache: YAML that has not changed is not parsed and validated again.

Parsing and validating the bundled dataset costs more than everything else a `painref show` does,
and a 5,000-entry overlay takes seconds. After the first run the merged, validated dataset is kept
in the user cache folder as one marshal file:

- keyed on the painref version and each source file's path, size, times and inode, so an edited
  file or a new painref rebuilds it (a file edited in the last two seconds is not cached yet);
- one file per combination of source files (bundled alone, bundled plus an overlay, ...);
- written to a temporary file and renamed into place, so a reader never sees half a file;
- its header and index checked with CRCs before use, and each record by zlib when it is used;
  rebuilt when corrupt, truncated or of another format;
- skipped silently when the folder cannot be created or written (a read-only home still works).

Only data that validated without a single problem is stored, so a record can be rebuilt into model
objects without checks. Procedures are stored one record each, read from the file and built on
first use; the search tables and each procedure's name and category are stored ready-made.
marshal (not pickle) is used: it can only produce plain values, never run code or build arbitrary
objects; a record names its class, which must be one of the model's record classes.
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
from typing import Any, BinaryIO

from . import __version__
from .model import RECORD_CLASSES, Dataset, Procedure, Record, field_names
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


# The file: MAGIC; the length and CRC (4 bytes each) of the three parts; then the parts:
#   the header (format, version, fingerprint), marshalled;
#   the index (ids, origins, search tables, names and categories), marshalled;
#   the records, each compressed on its own and joined (their ends are in the index).
# A run reads the header and index, checked against their CRCs, and then only the records it
# uses (one for `show`, none for `search`): each carries zlib's own checksum, checked when it is
# decompressed. Records are most of the file, so they are never read or checked as a whole.
_WORD = 4
_PARTS = 3
_TOP = len(MAGIC) + 2 * _WORD * _PARTS


class _Records:
    """The records part of an open cache file, read one record at a time."""

    def __init__(self, file: BinaryIO, start: int, ends: array[int]) -> None:
        self._file = file
        self._start = start
        self._ends = ends

    def __len__(self) -> int:
        return len(self._ends)

    def __getitem__(self, position: int) -> bytes:
        begin = self._ends[position - 1] if position else 0
        self._file.seek(self._start + begin)
        return self._file.read(self._ends[position] - begin)

    def __del__(self) -> None:
        self._file.close()


def _read_index(file: BinaryIO, fingerprint: Fingerprint) -> tuple[bytes, int] | None:
    """The index of a cache file and where its records start; None when the file is not one,
    is cut short, fails a CRC or was made for other sources or another painref."""
    top = file.read(_TOP)
    if len(top) < _TOP or not top.startswith(MAGIC):
        return None
    table = [int.from_bytes(top[i : i + _WORD], "big") for i in range(len(MAGIC), _TOP, _WORD)]
    (header_length, header_crc, index_length, index_crc, records_length, _) = table
    records_start = _TOP + header_length + index_length
    if os.fstat(file.fileno()).st_size != records_start + records_length:
        return None
    head = file.read(header_length + index_length)
    header, index = head[:header_length], head[header_length:]
    if zlib.crc32(header) != header_crc or zlib.crc32(index) != index_crc:
        return None
    try:
        if marshal.loads(header) != _header(fingerprint):
            return None  # another format, painref version or source files
    except (EOFError, ValueError, TypeError):
        return None
    return index, records_start


def read(target: str, fingerprint: Fingerprint, paths: Sequence[str]) -> Dataset | None:
    """The cached dataset, or None when the file is missing, stale, corrupt or unreadable."""
    try:
        file = open(target, "rb")  # noqa: SIM115  # kept open by _Records for later reads
    except OSError:
        return None
    try:
        found = _read_index(file, fingerprint)
    except OSError:
        found = None
    if found is None:
        file.close()
        return None
    index, records_start = found
    try:
        ids, record_ends, origin_names, origin_codes, tables, summaries = marshal.loads(index)
        names = Joined[str](*summaries[0])
        categories, category_codes = summaries[1], summaries[2]
        records = _Records(file, records_start, array("I", record_ends))
        origins = [origin_names[code] for code in array("H", origin_codes)]
    except (EOFError, ValueError, TypeError, IndexError):
        file.close()
        return None
    if not len(ids) == len(records) == len(names) == len(category_codes) == len(origins):
        return None

    reparsed: list[Dataset] = []  # the sources, parsed once if a damaged record turns up

    def build(position: int) -> Procedure:
        try:
            packed = zlib.decompress(records[position])
        except (zlib.error, OSError):
            if not reparsed:
                reparsed.append(_reparse(target, fingerprint, paths))
            return _same_procedure(reparsed[0], ids[position], target)
        procedure = unpack(marshal.loads(packed))
        assert isinstance(procedure, Procedure)  # guarded by zlib's check and the format number
        return procedure

    def summary(position: int) -> tuple[str, str]:
        return names[position], categories[category_codes[position]]

    return Dataset.deferred(ids, origins, build, tables, summary)


def _reparse(target: str, fingerprint: Fingerprint, paths: Sequence[str]) -> Dataset:
    """The sources parsed again after a record failed its check, and the cache file written
    anew from them, unless they changed since this run read the cache (then it is dropped).
    """
    with _collector_paused():
        dataset = _parse(paths)
        unchanged = _fingerprint(paths) == fingerprint
        if not (unchanged and write(target, fingerprint, dataset)):
            with contextlib.suppress(OSError):
                os.unlink(target)  # the next run writes a good one
    return dataset


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
    parts = (marshal.dumps(_header(fingerprint)), marshal.dumps(index), b"".join(records))
    table = b"".join(
        number.to_bytes(_WORD, "big") for part in parts for number in (len(part), zlib.crc32(part))
    )
    blob = MAGIC + table + b"".join(parts)
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
