"""The compiled store is untrusted input: whatever was done to the file, a command answers as it
would from a fresh store (rebuilding it), or says in one line that it cannot. Each case tampers
with a real store file through the sqlite3 module or by overwriting its bytes. The store is
compiled from the small dataset of `hostile_kit` (rebuilding it is then quick)."""

from __future__ import annotations

import glob
import os
import shutil
import sqlite3
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from painref.store import database, paths

from .hostile_kit import Run, assert_clean, bundled, run, write_base

COMMANDS = [
    ("show", "test-block"),
    ("--json", "show", "other-block"),
    ("search", "testing", "shot"),
    ("search", "tesst"),  # a typo: the vocabulary
    ("list",),
    ("anticoag", "td", "-p", "test-block"),
    ("for", "testitis"),
    ("conditions",),
    ("compare", "test-block", "ob"),
    ("show", "zzzzqx"),  # nothing found: the suggestions read every name
]
Tamper = Callable[[str], None]


def _sql(*statements: str) -> Tamper:
    def tamper(path: str) -> None:
        with sqlite3.connect(path) as db:
            for statement in statements:
                db.executescript(statement)
        db.close()

    return tamper


def _overwrite(fraction: float, size: int = 4096) -> Tamper:
    def tamper(path: str) -> None:
        with open(path, "r+b") as out:
            out.seek(int(os.path.getsize(path) * fraction))
            out.write(bytes((i * 37 + 11) % 256 for i in range(size)))

    return tamper


def _truncate(fraction: float) -> Tamper:
    def tamper(path: str) -> None:
        with open(path, "r+b") as out:
            out.truncate(int(os.path.getsize(path) * fraction))

    return tamper


ENDLESS = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c)"
CASES: dict[str, Tamper] = {
    "table dropped": _sql("DROP TABLE procedure"),
    "names dropped": _sql("DROP TABLE name"),
    "vocabulary dropped": _sql("DROP TABLE word"),
    "index data dropped": _sql("DROP TABLE procedure_text_data"),
    "index dropped": _sql("DROP TABLE procedure_text"),
    "row not JSON": _sql("UPDATE procedure SET record = '{bad' WHERE id = 'test-block'"),
    "row a plain string": _sql("UPDATE procedure SET record = '\"a string\"'"),
    "row with an unknown field": _sql("UPDATE procedure SET record = json_set(record, '$.x', 1)"),
    "row with a wrong type": _sql("UPDATE procedure SET record = json_set(record, '$.name', 5)"),
    "row nested without end": _sql(f"UPDATE procedure SET record = '{'[' * 100_000}'"),
    "row a blob": _sql("UPDATE procedure SET name = x'ff00'"),
    "extra row": _sql("INSERT INTO procedure VALUES (999, 'zz', 'Z', 'epidural', 'x', '{bad', '')"),
    "listing with a wrong type": _sql(
        "UPDATE procedure SET listing = json_set(listing, '$.regions', 'lumbar')"
    ),
    "positions with a gap": _sql("UPDATE procedure SET pos = pos + 1000 WHERE pos = 1"),
    "name to nowhere": _sql("UPDATE name SET pos = 9999 WHERE key = 'testblock'"),
    "name position as text": _sql("UPDATE name SET pos = 'abc' WHERE key = 'ob'"),
    "phrasebook of another shape": _sql("UPDATE lexicon SET phrasebook = '{\"stopwords\": 5}'"),
    "condition name missing": _sql("DELETE FROM name WHERE kind = 'condition' AND field = 'name'"),
    "vocabulary word a blob": _sql("UPDATE word SET term = x'ff00' WHERE term = 'test'"),
    "meta key changed": _sql("UPDATE meta SET value = 'other' WHERE key = 'key'"),
    "meta format changed": _sql("UPDATE meta SET value = '0' WHERE key = 'format'"),
    "meta gone": _sql("DROP TABLE meta"),
    "guideline gone": _sql("DELETE FROM guideline"),
    "lexicon gone": _sql("DELETE FROM lexicon"),
    "lexicon a list": _sql("UPDATE lexicon SET record = '[1, 2]'"),
    "drug empty": _sql("UPDATE drug SET record = '{}'"),
    "condition null": _sql("UPDATE condition SET record = 'null'"),
    "condition names a missing procedure": _sql(
        "UPDATE condition SET record = "
        "json_set(record, '$.pathway[0].procedures[0]', 'no-such-procedure')"
    ),
    "a trigger added": _sql("CREATE TRIGGER t AFTER INSERT ON word BEGIN SELECT 1; END"),
    "a table replaced by an endless view": _sql(
        "DROP TABLE word", f"CREATE VIEW word(kind, term) AS {ENDLESS} SELECT 'procedure', x FROM c"
    ),
    "header overwritten": _overwrite(0.0, 100),
    "bytes overwritten at 10%": _overwrite(0.1),
    "bytes overwritten at 50%": _overwrite(0.5),
    "bytes overwritten at 90%": _overwrite(0.9),
    "cut in half": _truncate(0.5),
    "emptied": _truncate(0.0),
}


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    sources = write_base(tmp_path_factory.mktemp("base"))
    settled = time.time() - 60  # older than SETTLE_SECONDS: compiled to disk
    for source in sources:
        os.utime(source, (settled, settled))
    return sources


@pytest.fixture
def small(base: list[str]) -> Iterator[list[str]]:
    with bundled(base):
        yield base


@pytest.fixture(scope="module")
def pristine(
    base: list[str], tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, dict[tuple[str, ...], Run]]:
    """A store compiled from the small dataset, and each command's output read from it."""
    folder = tmp_path_factory.mktemp("store")
    env = {"PAINREF_CACHE_DIR": str(folder)}
    with bundled(base):
        assert run("list", env=env).code == 0
        answers = {args: run(*args, env=env) for args in COMMANDS}
    [store] = glob.glob(str(folder / "store-*.sqlite"))
    kept = tmp_path_factory.mktemp("kept") / "store.sqlite"
    shutil.copy(store, kept)
    return kept, answers


@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_a_tampered_store_answers_as_a_fresh_one(
    case: str,
    pristine: tuple[Path, dict[tuple[str, ...], Run]],
    small: list[str],
    tmp_path: Path,
) -> None:
    kept, answers = pristine
    env = {"PAINREF_CACHE_DIR": str(tmp_path)}
    key, _ = database.source_key(small)
    target = tmp_path / database._file_name(key)  # the file painref opens for these sources
    for args in COMMANDS:
        for leftover in tmp_path.iterdir():
            leftover.unlink()
        shutil.copy(kept, target)
        CASES[case](str(target))
        result = run(*args, env=env)
        assert_clean(result)
        assert result == answers[args], args
        connection = database._open_file(str(target), key)  # rebuilt, and whole again
        assert connection is not None
        connection.close()


def test_a_store_that_stays_damaged_is_one_message(
    small: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def never(*args: object) -> None:
        raise database.StoreDamaged("procedure row 0 does not decode")

    monkeypatch.setattr(database.Store, "_decode", never)
    result = run("show", "test-block")
    assert_clean(result, codes=(2,))
    assert result.stderr.startswith("painref: the compiled store in the cache folder is damaged")


def test_a_query_is_never_bound_with_undecodable_bytes() -> None:
    typed = os.fsdecode(b"epidural\xff")
    for args in (("search", typed), ("show", typed), ("anticoag", typed), ("for", typed)):
        result = run(*args)
        assert_clean(result)
    assert "\\xff" in run("show", os.fsdecode(b"zzzq\xff")).stderr


# --- the cache folder ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["with?question#hash%25", os.fsdecode(b"undecodable\xff"), "spaces and 'quotes'"]
)
def test_odd_cache_folder_names(name: str, small: list[str], tmp_path: Path) -> None:
    folder = os.path.join(str(tmp_path), name)
    env = {"PAINREF_CACHE_DIR": folder}
    first, second = run("show", "test-block", env=env), run("show", "test-block", env=env)
    assert first.code == second.code == 0 and first.stdout == second.stdout
    stores = [e for e in os.listdir(os.fsencode(folder)) if e.endswith(b".sqlite")]
    assert len(stores) == 1  # written once, and opened (not rebuilt) by the second run


def test_a_cache_folder_that_is_not_a_folder(small: list[str], tmp_path: Path) -> None:
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("x")
    for folder in (str(not_a_folder), os.devnull):
        result = run("show", "test-block", env={"PAINREF_CACHE_DIR": folder})
        assert_clean(result, codes=(0,))
    assert not_a_folder.read_text() == "x"


def test_stale_temporary_files_are_swept(small: list[str], tmp_path: Path) -> None:
    old = time.time() - database.STALE_SECONDS - 60
    left = ["store-a1.tmp", "store-a1.tmp-journal", "store-b2.tmp"]
    for name in left:
        (tmp_path / name).write_text("half a store")
        os.utime(tmp_path / name, (old, old))
    (tmp_path / "store-new.tmp").write_text("another run's, in progress")
    (tmp_path / "notes.tmp").write_text("not painref's")
    assert run("show", "test-block", env={"PAINREF_CACHE_DIR": str(tmp_path)}).code == 0
    remaining = sorted(p.name for p in tmp_path.iterdir() if not p.name.endswith(".sqlite"))
    assert remaining == ["notes.tmp", "store-new.tmp"]


@pytest.mark.skipif(os.name == "nt", reason="POSIX homes")
@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({"HOME": "", "XDG_CACHE_HOME": ""}, "account"),
        ({"HOME": "relative/home", "XDG_CACHE_HOME": ""}, "account"),
        ({"HOME": "/home/someone", "XDG_CACHE_HOME": "relative"}, "/home/someone/.cache/painref"),
        ({"HOME": "/home/someone", "XDG_CACHE_HOME": "/xdg"}, "/xdg/painref"),
    ],
)
def test_the_cache_folder_never_comes_from_a_relative_or_empty_setting(
    environ: dict[str, str], expected: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pwd

    monkeypatch.delenv(paths.CACHE_ENV, raising=False)
    monkeypatch.setattr("sys.platform", "linux")
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    account = pwd.getpwuid(os.getuid()).pw_dir
    found = paths.cache_dir()
    if expected == "account":
        assert found == (os.path.join(account, ".cache", "painref") if account else None)
        assert found is None or os.path.isabs(found)
    else:
        assert found == expected
