"""The fast lane of the entry point: what it takes on, and that it answers exactly as Typer does."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from painref import launch
from painref.cli import app

from .conftest import make_entry


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["show", "epidural"], ("show", ["epidural"], False, [])),
        (["show", "stellate", "ganglion", "--json"], ("show", ["stellate", "ganglion"], True, [])),
        (["--data", "x.yaml", "search", "sciatica"], ("search", ["sciatica"], False, ["x.yaml"])),
        (
            ["--data=x.yaml", "--no-color", "compare", "a", "b"],
            ("compare", ["a", "b"], False, ["x.yaml"]),
        ),
    ],
)
def test_common_forms_take_the_fast_lane(
    argv: list[str], expected: tuple[str, list[str], bool, list[str]]
) -> None:
    call = launch.parse(argv)
    assert call is not None
    assert (call.command, call.words, call.json_output, call.data) == expected


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["--help"],
        ["--version"],
        ["show"],
        ["show", "--help"],
        ["show", "-h"],
        ["search", "-n", "3", "epidural"],
        ["compare", "only-one"],
        ["compare", "a", "b", "--fields", "imaging"],
        ["list"],
        ["validate"],
        ["--data"],
        ["--data", "--json", "show", "x"],
        ["show", "--", "x"],
    ],
)
def test_everything_else_goes_to_typer(argv: list[str]) -> None:
    assert launch.parse(argv) is None


def _run_fast(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    call = launch.parse(argv)
    assert call is not None
    code = launch.run(call)
    out, err = capsys.readouterr()
    return code, out, err


def _run_typer(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as done:
        app(args=argv)
    out, err = capsys.readouterr()
    return int(done.value.code or 0), out, err


@pytest.mark.parametrize(
    "argv",
    [
        ["show", "epidural"],
        ["show", "medial-branch-rfa", "--json"],
        ["show", "kyphoplazty"],
        ["show", "zzzq"],
        ["search", "stellate", "ganglion"],
        ["search", "sciatica", "--json"],
        ["search", "zzzq"],
        ["compare", "ilesi", "tfesi", "caudal"],
        ["compare", "tfesi", "tfesi"],
        ["--no-color", "compare", "mbb", "medial-branch-rfa", "--json"],
    ],
)
def test_fast_lane_answers_exactly_as_typer(
    argv: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setenv("NO_COLOR", "1")
    fast = _run_fast(argv, capsys)
    slow = _run_typer(argv, capsys)
    assert fast == slow
    assert fast[1] or fast[2]  # something was said


def test_fast_lane_reads_overlays_like_typer(
    write_dataset: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    overlay = write_dataset([make_entry(name="Overlay only block")])
    argv = ["--data", str(overlay), "show", "overlay", "only", "--json"]
    fast = _run_fast(argv, capsys)
    assert fast == _run_typer(argv, capsys)
    assert fast[0] == 0 and '"Overlay only block"' in fast[1]
    broken = write_dataset("procedures: [", name="broken.yaml")
    argv = ["--data", str(broken), "show", "x"]
    fast = _run_fast(argv, capsys)
    assert fast == _run_typer(argv, capsys)
    assert fast[0] == 2 and "broken.yaml" in fast[2]
