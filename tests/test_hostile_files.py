"""Broken and hostile data files: each in tests/hostile/ with the exact report expected of it.

`painref validate FILE` must print exactly `FILE.txt` (`{file}` stands for the path) and exit 2
(0 for the few files that are valid on purpose), and the same file given with `--data` must be
refused with the same problems and exit 2: never a traceback, a hang or an escape code obeyed.
`PAINREF_UPDATE_GOLDEN=1 pytest tests/test_hostile_files.py` rewrites the expected reports
(review the diff). Files painref must refuse to read at all (devices, pipes, too large) are made
here rather than kept in the corpus.
"""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from painref.store import files, sources, yamlio

from .conftest import Invoke, make_entry
from .hostile_kit import assert_clean, bundled, run, write_base

CORPUS = Path(__file__).parent / "hostile"
CASES = sorted(CORPUS.glob("*.yaml"))
UPDATE = os.environ.get("PAINREF_UPDATE_GOLDEN") == "1"


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    return write_base(tmp_path_factory.mktemp("base"))


@pytest.fixture(autouse=True)
def small(base: list[str]) -> Iterator[None]:
    """The small dataset stands for the bundled one: each file here is read over it."""
    with bundled(base):
        yield


@pytest.mark.parametrize("case", CASES, ids=[case.stem for case in CASES])
def test_validate_gives_the_exact_report(case: Path) -> None:
    result = run("validate", str(case))
    assert_clean(result)
    expected_file = case.with_suffix(".txt")
    report = result.stdout.replace(str(case), "{file}")
    if UPDATE:
        expected_file.write_text(report, "utf-8")
    assert report == expected_file.read_text("utf-8")
    assert result.code == (0 if report.startswith("OK:") else 2)


@pytest.mark.parametrize("case", CASES, ids=[case.stem for case in CASES])
def test_an_overlay_is_refused_with_the_same_problems(case: Path) -> None:
    result = run("--data", str(case), "show", "test-block")
    assert_clean(result)
    report = case.with_suffix(".txt").read_text("utf-8").replace("{file}", str(case))
    if report.startswith("OK:"):
        assert result.code == 0
        return
    assert result.code == 2
    problems = report.splitlines()[:-1]  # the last line is validate's count
    assert [line.strip() for line in result.stderr.splitlines()[1:-1]] == problems


# --- what is never read ----------------------------------------------------------------------


def _unreadable() -> list[tuple[str, str]]:
    found = [("/dev/zero", "not a regular file"), ("/dev/urandom", "not a regular file")]
    return [(path, why) for path, why in found if os.path.exists(path)]


@pytest.mark.parametrize(("path", "why"), _unreadable())
@pytest.mark.parametrize("how", ["validate", "--data", "PAINREF_DATA"])
def test_devices_are_refused_without_reading(
    path: str, why: str, how: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[str] = []
    real_open = os.open
    monkeypatch.setattr(files.os, "open", lambda p, *a: opened.append(p) or real_open(p, *a))
    if how == "validate":
        result = run("validate", path)
    elif how == "--data":
        result = run("--data", path, "show", "test-block")
    else:
        result = run("show", "test-block", env={"PAINREF_DATA": path})
    assert_clean(result, codes=(2,))
    assert f"{path}: is not a regular file (a device or pipe?)" in result.stdout + result.stderr
    assert path not in opened  # refused from its kind alone: not even opened


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_pipe_with_no_writer_is_refused_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    link = tmp_path / "link.yaml"
    link.symlink_to(fifo)
    for path in (fifo, link):
        result = run("validate", str(path))
        assert_clean(result, codes=(2,))
        assert result.stdout.startswith(f"{path}: is not a regular file (a device or pipe?)")


def test_a_file_over_the_limit_is_refused_before_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    big = tmp_path / "big.yaml"
    with open(big, "wb") as out:  # sparse: no disk used
        out.truncate(files.MAX_FILE_BYTES + 1)
    opened: list[str] = []
    real_open = os.open
    monkeypatch.setattr(files.os, "open", lambda p, *a: opened.append(p) or real_open(p, *a))
    result = run("validate", str(big))
    assert result.code == 2 and str(big) not in opened
    size, limit = f"{files.MAX_FILE_BYTES + 1:,}", f"{files.MAX_FILE_BYTES:,}"
    assert f"is too large for a data file ({size} bytes; the limit is {limit})" in result.stdout


def test_a_file_that_grows_past_the_limit_is_cut_off(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "growing.yaml"
    path.write_text("x: 1\n")
    monkeypatch.setattr(files, "MAX_FILE_BYTES", 3)  # smaller than the file: as if it grew
    monkeypatch.setattr(files, "_regular", lambda *a: True)  # both size checks saw it small
    problems: list[files.Problem] = []
    assert files.read_text(path, problems) is None
    assert "is too large for a data file" in problems[0].message


def test_a_folder_a_missing_file_and_an_undecodable_name(tmp_path: Path) -> None:
    missing = os.fsdecode(os.fsencode(str(tmp_path)) + b"/gone\xff.yaml")
    real = os.fsdecode(os.fsencode(str(tmp_path)) + b"/real\xff.yaml")
    Path(real).write_text(
        yaml.safe_dump({"schema_version": 1, "procedures": [make_entry()]}), "utf-8"
    )
    shown = f"{tmp_path}/gone\\xff.yaml"
    for args, expected in (
        (["validate", str(tmp_path)], f"{tmp_path}: is a folder, not a dataset file"),
        (["validate", missing], f"{shown}: file not found"),
        (["--data", missing, "show", "test-block"], f"{shown}: file not found"),
        (["validate", real], "OK: 1 procedures in 1 file(s)"),
        (["--json", "validate", real], '"files": [\n    "' + str(tmp_path) + '/real\\\\xff.yaml"'),
    ):
        result = run(*args)
        assert_clean(result)
        assert expected in result.stdout + result.stderr
    Path(real).write_text(
        yaml.safe_dump({"schema_version": 1, "procedures": [make_entry(id="real-block")]}), "utf-8"
    )
    shown_real = run("--data", real, "show", "real-block")
    assert_clean(shown_real, codes=(0,))
    assert f"{tmp_path}/real\\xff.yaml" in shown_real.stdout


# --- bounded resources ------------------------------------------------------------------------


def test_alias_expansion_is_counted_once_per_node(monkeypatch: pytest.MonkeyPatch) -> None:
    """A billion laughs is refused after visiting each written node once, not its expansion."""
    text = (CORPUS / "billion-laughs-in-a-scalar-field.yaml").read_text("utf-8")
    visited = []
    real_children = yamlio._children
    monkeypatch.setattr(yamlio, "_children", lambda node: visited.append(1) or real_children(node))
    with pytest.raises(yaml.YAMLError, match="its aliases expand to more than"):
        yamlio.load(text)
    assert len(visited) < 1_000  # the file has about a hundred nodes; expanded, ten billion


def test_shared_blocks_within_the_limit_are_read(tmp_path: Path) -> None:
    first = make_entry()
    second = make_entry(id="second-block", name="Second block")
    second["references"] = first["references"]  # one object: PyYAML writes an anchor and alias
    path = tmp_path / "shared.yaml"
    path.write_text(yaml.safe_dump({"schema_version": 1, "procedures": [first, second]}))
    assert "&id001" in path.read_text() and "*id001" in path.read_text()
    result = sources.read_file(path)
    assert result.problems == [] and len(result.procedures) == 2


def test_messages_never_repeat_an_unbounded_value(tmp_path: Path) -> None:
    huge = "y" * 200_000
    path = tmp_path / "huge.yaml"
    path.write_text(
        yaml.safe_dump({"schema_version": 1, "procedures": [make_entry(category=huge, id=huge)]})
    )
    result = run("validate", str(path))
    assert result.code == 2
    assert max(len(line) for line in result.stdout.splitlines()) < 400


def test_read_text_refuses_what_is_not_a_regular_file(tmp_path: Path) -> None:
    problems: list[files.Problem] = []
    assert files.read_text(tmp_path, problems) is None
    assert problems[0].message == "is a folder, not a dataset file"
    if sys.platform != "win32":
        assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
        problems.clear()
        assert files.read_text("/dev/null", problems) is None
        assert problems[0].message == "is not a regular file (a device or pipe?)"


def test_merge_keys_override_without_duplicates(invoke: Invoke) -> None:
    case = CORPUS / "merge-key-override.yaml"
    result = sources.read_file(case)
    assert result.problems == []
    assert [p.id for p in result.procedures] == ["test-block", "second-block"]
    assert result.procedures[1].name == "Second block"
    assert result.procedures[1].summary == result.procedures[0].summary
    shown = invoke("--data", str(case), "show", "second-block")
    assert shown.exit_code == 0 and "Second block" in shown.stdout
