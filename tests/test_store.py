"""The compiled store: built once in the cache folder, reused, rebuilt when stale or damaged,
skipped when the folder cannot be written, readable with the stock sqlite3 tools."""

from __future__ import annotations

import json
import os
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from .conftest import Invoke, make_entry

WriteDataset = Callable[..., Path]


def _stores(folder: Path) -> list[Path]:
    return sorted(folder.glob("store-*.sqlite"))


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("PAINREF_CACHE_DIR", str(folder))
    return folder


def _settled(path: Path) -> Path:
    """Age a file's timestamps past the settle time, as an edit made a while ago would be."""
    old = time.time() - 60
    os.utime(path, (old, old))
    return path


def test_the_first_run_builds_one_store_and_the_next_reuses_it(cache: Path, invoke: Invoke) -> None:
    assert invoke("show", "tfesi", "--json").exit_code == 0
    [store] = _stores(cache)
    built = store.stat().st_mtime_ns
    assert invoke("search", "kyphoplasty").exit_code == 0
    assert _stores(cache) == [store] and store.stat().st_mtime_ns == built


def test_the_store_opens_in_plain_sqlite_with_records_and_a_full_text_index(
    cache: Path, invoke: Invoke
) -> None:
    invoke("list")
    [store] = _stores(cache)
    with sqlite3.connect(store) as db:
        count = db.execute("SELECT count(*) FROM procedure").fetchone()[0]
        record = json.loads(
            db.execute("SELECT record FROM procedure WHERE id = 'caudal-esi'").fetchone()[0]
        )
        found = db.execute(
            "SELECT p.id FROM procedure_text JOIN procedure p ON p.pos = procedure_text.rowid "
            "WHERE procedure_text MATCH 'coccyx' ORDER BY rank LIMIT 3"
        ).fetchall()
    assert count >= 60 and record["id"] == "caudal-esi"
    assert found  # the index answers a plain FTS5 query


def test_a_changed_overlay_is_read_again(
    cache: Path, write_dataset: WriteDataset, invoke: Invoke
) -> None:
    path = _settled(write_dataset([make_entry(id="local-block", name="First name")]))
    assert '"First name"' in invoke("--data", str(path), "show", "local-block", "--json").stdout
    path.write_text(path.read_text("utf-8").replace("First name", "Second name"), "utf-8")
    _settled(path)
    assert '"Second name"' in invoke("--data", str(path), "show", "local-block", "--json").stdout


def test_a_file_edited_a_moment_ago_is_used_but_not_kept(
    cache: Path, write_dataset: WriteDataset, invoke: Invoke
) -> None:
    path = write_dataset([make_entry(id="local-block", name="Fresh")])  # just written
    assert '"Fresh"' in invoke("--data", str(path), "show", "local-block", "--json").stdout
    assert _stores(cache) == []  # not compiled to disk until it settles


@pytest.mark.parametrize(
    "damage",
    [
        lambda p: p.write_bytes(b"not a database at all" * 100),
        lambda p: p.write_bytes(p.read_bytes()[: p.stat().st_size // 3]),
        lambda p: _sql(p, "DROP TABLE procedure"),
        lambda p: _sql(p, "UPDATE meta SET value = 'other' WHERE key = 'key'"),
        lambda p: _sql(p, "UPDATE procedure SET record = '{\"id\": 3}' WHERE id = 'caudal-esi'"),
        lambda p: _sql(p, "UPDATE procedure SET record = 'not json' WHERE id = 'caudal-esi'"),
        lambda p: _sql(p, "DELETE FROM procedure WHERE id = 'caudal-esi'"),
    ],
    ids=["garbage", "truncated", "table-dropped", "wrong-key", "wrong-record", "not-json",
         "row-missing"],
)  # fmt: skip
def test_a_damaged_store_is_rebuilt_and_the_answer_is_right(
    damage: Callable[[Path], None], cache: Path, invoke: Invoke
) -> None:
    first = invoke("show", "caudal-esi", "--json")
    [store] = _stores(cache)
    damage(store)
    again = invoke("show", "caudal-esi", "--json")
    assert again.exit_code == 0, again.stderr
    assert json.loads(again.stdout) == json.loads(first.stdout)
    assert "Traceback" not in again.stderr


def _sql(path: Path, statement: str) -> None:
    with sqlite3.connect(path) as db:
        db.execute(statement)


def test_an_unwritable_cache_folder_is_skipped(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, invoke: Invoke
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv("PAINREF_CACHE_DIR", str(blocker / "cache"))  # a folder under a file
    result = invoke("search", "sacroiliac")
    assert result.exit_code == 0 and result.stdout.startswith("sacroiliac")
    assert result.stderr == ""


def test_an_empty_cache_setting_switches_the_store_file_off(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, invoke: Invoke
) -> None:
    monkeypatch.setenv("PAINREF_CACHE_DIR", "")
    monkeypatch.chdir(tmp_path)
    assert invoke("show", "mbb", "--json").exit_code == 0
    assert list(tmp_path.rglob("store-*")) == []


def test_validate_never_uses_the_store(cache: Path, invoke: Invoke) -> None:
    assert invoke("validate").exit_code == 0
    assert _stores(cache) == []


def test_only_the_newest_stores_are_kept(
    cache: Path, write_dataset: WriteDataset, invoke: Invoke
) -> None:
    for i in range(7):
        path = _settled(write_dataset([make_entry(id=f"local-{i}")], name=f"o{i}.yaml"))
        assert invoke("--data", str(path), "show", f"local-{i}", "--json").exit_code == 0
    assert 1 <= len(_stores(cache)) <= 5


def test_queries_read_the_same_with_the_stored_phrasebook_as_with_the_lexicon() -> None:
    """The store keeps the lexicon's phrases taken apart; a query must be read exactly as the
    lexicon itself would have it read (lay words, phrases, stopwords, British spellings)."""
    import painref
    from painref.model.lexicon import Phrasebook
    from painref.query.words import parse
    from painref.store.sources import load

    stored = painref.load().phrasebook()
    fresh = Phrasebook.of(load().lexicon)
    assert stored.phrases == fresh.phrases and stored.stopwords == fresh.stopwords
    for query in ("shot in my tailbone", "burn the nerves in my neck", "low back pain L4-5",
                  "anaesthetic for my sciatica", "cement, no balloon"):  # fmt: skip
        assert parse(query, stored) == parse(query, fresh), query
