"""The parse cache: used when fresh, rebuilt when stale or corrupt, skipped when not writable."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from painref import cache, dataset
from painref.paths import bundled_path
from painref.schema import to_plain

from .conftest import Invoke, make_entry


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("PAINREF_CACHE_DIR", str(folder))
    return folder


def _files(folder: Path) -> list[Path]:
    return sorted(folder.iterdir()) if folder.exists() else []


def _forbid_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the YAML was parsed although a fresh cache existed")

    monkeypatch.setattr(dataset, "load", refuse)


def test_first_run_writes_the_cache_and_the_second_reads_it(
    cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    parsed = cache.load([bundled_path()])
    written = _files(cache_dir)
    assert len(written) == 1 and written[0].suffix == ".cache"
    _forbid_parsing(monkeypatch)
    cached = cache.load([bundled_path()])
    assert cached.ids == parsed.ids
    assert cached.origins == parsed.origins
    # Every procedure comes back field for field, and names/categories match without building.
    for procedure_id in parsed.ids:
        assert cached.summary(procedure_id) == parsed.summary(procedure_id)
        assert to_plain(cached.get(procedure_id)) == to_plain(parsed.get(procedure_id))


def _age(path: Path, seconds: int = 3600) -> None:
    """Make a file look last modified an hour ago (settled, so it may be cached)."""
    old = path.stat().st_mtime - seconds
    os.utime(path, (old, old))


def test_a_file_edited_moments_ago_is_not_cached_until_it_settles(
    cache_dir: Path, write_dataset: Callable[..., Path]
) -> None:
    overlay = write_dataset([make_entry(name="Fresh name")])
    assert cache.load([bundled_path(), str(overlay)]).summary("test-block")[0] == "Fresh name"
    assert _files(cache_dir) == []  # could still change within one timestamp tick
    _age(overlay)
    cache.load([bundled_path(), str(overlay)])
    assert len(_files(cache_dir)) == 1


def test_an_edited_overlay_is_read_again_even_with_the_same_size_and_mtime(
    cache_dir: Path, write_dataset: Callable[..., Path]
) -> None:
    overlay = write_dataset([make_entry(name="First name")])
    _age(overlay)
    before = overlay.stat()
    first = cache.load([bundled_path(), str(overlay)])
    assert first.summary("test-block")[0] == "First name"
    assert len(_files(cache_dir)) == 1
    overlay = write_dataset([make_entry(name="Other name")])  # same size
    os.utime(overlay, ns=(before.st_atime_ns, before.st_mtime_ns))  # and the same mtime
    second = cache.load([bundled_path(), str(overlay)])
    assert second.summary("test-block")[0] == "Other name"
    assert second.get("test-block").name == "Other name"  # type: ignore[union-attr]


def test_a_new_painref_version_rebuilds(cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache.load([bundled_path()])
    (target,) = _files(cache_dir)
    before = target.read_bytes()
    monkeypatch.setattr(cache, "__version__", "999.0")
    cache.load([bundled_path()])
    assert target.read_bytes() != before


def _records_part(blob: bytes) -> tuple[int, int]:
    """Where the records lie in a cache file: after the header and the index (see cache.py)."""
    table = blob[len(cache.MAGIC) : cache._TOP]
    header_length, index_length = (int.from_bytes(table[i : i + 4], "big") for i in (0, 8))
    return cache._TOP + header_length + index_length, len(blob)


def _flip(blob: bytes, at: int) -> bytes:
    return blob[:at] + bytes([blob[at] ^ 0xFF]) + blob[at + 1 :]


@pytest.mark.parametrize(
    "damage",
    [
        lambda blob: b"garbage",
        lambda blob: blob[: len(blob) // 2],  # truncated
        lambda blob: blob[:-10],  # cut short by a few bytes
        lambda blob: _flip(blob, cache._TOP + 5),  # a byte of the header: its CRC fails
        lambda blob: _flip(blob, _records_part(blob)[0] - 5),  # a byte of the index: CRC fails
        lambda blob: b"",
    ],
    ids=["garbage", "truncated", "cut-short", "header", "index", "empty"],
)
def test_a_corrupt_cache_is_ignored_and_rebuilt(
    cache_dir: Path, damage: Callable[[bytes], bytes]
) -> None:
    reference = cache.load([bundled_path()])
    (target,) = _files(cache_dir)
    good = target.read_bytes()
    target.write_bytes(damage(good))
    again = cache.load([bundled_path()])
    assert again.ids == reference.ids
    assert to_plain(again.get("medial-branch-rfa")) == to_plain(reference.get("medial-branch-rfa"))
    assert target.read_bytes() == good  # rebuilt in place


def test_a_damaged_record_is_read_from_the_sources_and_the_cache_rebuilt(
    cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reference = cache.load([bundled_path()])
    (target,) = _files(cache_dir)
    good = target.read_bytes()
    # Records are checked only when one is used (by zlib), not on every start-up: damage the
    # middle of the records part, which the header and index checks do not cover.
    start, end = _records_part(good)
    middle = (start + end) // 2
    target.write_bytes(good[:middle] + bytes(64) + good[middle + 64 :])
    damaged = cache.load([bundled_path()])
    assert damaged.ids == reference.ids  # header and index were intact: the file was used
    for procedure_id in reference.ids:  # every record, damaged or not, comes back right
        assert to_plain(damaged.get(procedure_id)) == to_plain(reference.get(procedure_id))
    assert target.read_bytes() == good  # written whole again when the damage was found


def test_a_damaged_record_of_a_procedure_edited_away_meanwhile_is_reported_not_raised(
    cache_dir: Path, monkeypatch: pytest.MonkeyPatch, invoke: Invoke
) -> None:
    assert invoke("show", "medial-branch-rfa", "--json").exit_code == 0  # writes the cache
    (target,) = _files(cache_dir)
    blob = target.read_bytes()
    start, end = _records_part(blob)
    target.write_bytes(blob[:start] + bytes(end - start) + blob[end:])  # every record damaged
    # As if the data file lost the entry between reading the cache and reading the record:
    monkeypatch.setattr(cache, "_parse", lambda paths: cache.Dataset(()))
    result = invoke("show", "medial-branch-rfa")
    assert result.exit_code == 2
    assert (
        "medial-branch-rfa is no longer in the data files; run the command again" in result.stderr
    )
    assert "Traceback" not in result.output + result.stderr


def test_an_unwritable_cache_folder_is_skipped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, invoke: Invoke
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder would go")
    monkeypatch.setenv("PAINREF_CACHE_DIR", str(blocker / "painref"))
    result = invoke("show", "medial-branch-rfa", "--json")
    assert result.exit_code == 0
    assert result.stderr == ""
    assert blocker.read_text().startswith("a file")


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root ignores permissions")
def test_a_read_only_cache_folder_is_skipped(cache_dir: Path, invoke: Invoke) -> None:
    cache_dir.mkdir()
    cache_dir.chmod(0o500)
    try:
        result = invoke("show", "medial-branch-rfa", "--json")
    finally:
        cache_dir.chmod(0o700)
    assert result.exit_code == 0 and result.stderr == ""
    assert _files(cache_dir) == []


def test_a_failed_write_leaves_nothing_behind(
    cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(*args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(cache.os, "replace", fail)
    loaded = cache.load([bundled_path()])
    assert len(loaded) > 0
    assert _files(cache_dir) == []  # no half-written or temporary file


def test_the_cache_can_be_switched_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAINREF_CACHE_DIR", "")
    monkeypatch.chdir(tmp_path)
    assert len(cache.load([bundled_path()])) > 0
    assert list(tmp_path.iterdir()) == []


def test_invalid_data_is_never_cached(
    cache_dir: Path, write_dataset: Callable[..., Path], invoke: Invoke
) -> None:
    overlay = write_dataset([make_entry(category="not-a-category")])
    result = invoke("--data", str(overlay), "show", "test-block")
    assert result.exit_code == 2
    assert "not-a-category" in result.stderr
    assert _files(cache_dir) == []


def test_default_cache_folder_follows_the_platform(monkeypatch: pytest.MonkeyPatch) -> None:
    from painref import paths

    monkeypatch.delenv("PAINREF_CACHE_DIR", raising=False)
    monkeypatch.setattr(paths.sys, "platform", "linux")
    monkeypatch.setenv("XDG_CACHE_HOME", "/xdg")
    assert paths.cache_dir() == os.path.join("/xdg", "painref")
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", "/home/u")
    assert paths.cache_dir() == os.path.join("/home/u", ".cache", "painref")
    monkeypatch.setattr(paths.sys, "platform", "darwin")
    assert paths.cache_dir() == os.path.join("/home/u", "Library", "Caches", "painref")
    monkeypatch.setattr(paths.sys, "platform", "win32")
    monkeypatch.setenv("LOCALAPPDATA", "C:/Users/u/AppData/Local")
    assert paths.cache_dir() == os.path.join("C:/Users/u/AppData/Local", "painref", "Cache")
