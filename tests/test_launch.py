"""One reading of argv for every command, from the command table, and the same answers as Typer."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from painref.cli import launch
from painref.cli.table import COMMANDS

from .conftest import dump_dataset, make_entry, run_entry, run_typer


@pytest.mark.parametrize(
    ("argv", "command", "global_values", "values"),
    [
        (["show", "epidural"], "show", {}, {"text": ["epidural"]}),
        (["show", "stellate", "ganglion", "--json"], "show", {"json_output": True},
         {"text": ["stellate", "ganglion"]}),
        (["--data", "x.yaml", "search", "sciatica"], "search", {"data": ["x.yaml"]},
         {"text": ["sciatica"]}),
        (["compare", "a", "b", "--data=x.yaml", "--no-color"], "compare",
         {"data": ["x.yaml"], "no_color": True}, {"names": ["a", "b"]}),
        (["search", "-n", "3", "epidural"], "search", {}, {"limit": 3}),
        (["list", "--region", "Lumbar", "--risk=LOW"], "list", {},
         {"region": "lumbar", "risk": "low"}),
        (["show", "--", "--odd"], "show", {}, {"text": ["--odd"]}),
        (["anticoag", "apixaban", "-p", "L4-5 medial branch block", "--on", "2027-03-10"],
         "anticoag", {}, {"drug": ["apixaban"], "procedure": "L4-5 medial branch block",
                          "on": "2027-03-10"}),
        (["--color", "ALWAYS", "list"], "list", {"color": "always"}, {}),
    ],
)  # fmt: skip
def test_options_before_or_after_the_command(
    argv: list[str], command: str, global_values: dict[str, object], values: dict[str, object]
) -> None:
    call = launch.parse(argv)
    assert call is not None
    assert call.command == command
    assert global_values.items() <= call.global_values.items()
    assert values.items() <= call.values.items()


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["--help"],
        ["show", "--help"],
        ["show", "-h"],
        ["search", "--limit", "zero"],
        ["search", "--limit"],
        ["show", "--no-such-option", "x"],
        ["frobnicate"],
        ["conditions", "extra"],
        ["--patient", "show", "x"],
    ],
)
def test_help_and_usage_errors_go_to_typer(argv: list[str]) -> None:
    assert launch.parse(argv) is None


def test_the_version_needs_no_typer() -> None:
    for flag in ("-V", "--version"):
        call = launch.parse([flag])
        assert call is not None and call.command == "version"


BOTH_WAYS = [
    ["search", "sciatica"],
    ["search", "pain", "pump", "--json"],
    ["search", "qqqqzz"],
    ["show", "tfesi"],
    ["show", "epidural", "--json"],
    ["show", "kyphoplasty", "--patient"],
    ["show", "xyzzy"],
    ["compare", "ilesi", "tfesi"],
    ["compare", "mbb", "medial-branch-rfa", "--fields", "imaging,cpt_codes", "--json"],
    ["list", "--region", "LUMBAR"],
    ["list", "--facets", "--json"],
    ["export", "stellate-ganglion-block"],
    ["export", "tfesi", "--for", "clinician", "--format", "html"],
    ["anticoag", "warfarin"],
    ["anticoag", "Coumadin", "-p", "tfesi", "--json"],
    ["anticoag"],
    ["for", "sciatica"],
    ["conditions", "--json"],
    ["validate"],
]


@pytest.mark.parametrize("argv", BOTH_WAYS, ids=[" ".join(a) for a in BOTH_WAYS])
def test_every_command_answers_the_same_both_ways(argv: list[str]) -> None:
    assert launch.parse(argv) is not None, "this form should not need Typer"
    direct, typer = run_entry(*argv), run_typer(*argv)
    assert (direct.exit_code, direct.stdout, direct.stderr) == (
        typer.exit_code,
        typer.stdout,
        typer.stderr,
    )


def test_every_command_is_tried_both_ways() -> None:
    assert {argv[0] for argv in BOTH_WAYS} == {c.name for c in COMMANDS}


def test_an_overlay_is_used_both_ways(write_dataset: Callable[..., Path]) -> None:
    path = write_dataset([make_entry(id="local-block", name="Local block")])
    for run in (run_entry, run_typer):
        result = run("--data", str(path), "show", "local-block", "--json")
        assert result.exit_code == 0
        assert '"name": "Local block"' in result.stdout


def test_a_broken_overlay_is_refused_both_ways(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text(dump_dataset([make_entry(summary=None)]), "utf-8")
    for run in (run_entry, run_typer):
        result = run("show", "tfesi", "--data", str(path))
        assert result.exit_code == 2
        assert f"{path}:" in result.stderr and "summary: required field is missing" in result.stderr
