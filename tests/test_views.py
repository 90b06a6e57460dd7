"""The short views: `show --brief` (one screen before a case) and `show --section NAME`."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from painref.cli.commands.common import State
from painref.model.procedure import Procedure
from painref.render.brief import BRIEF_LINES, BRIEF_WIDTH, brief_view, first_sentence
from painref.render.console import Console
from painref.render.show import SECTION_NAMES

from .conftest import Invoke, make_entry

PROCEDURES = State().store().procedures
WriteDataset = Callable[..., Path]

BRIEF = {
    "what": "A test needle goes near the test nerve [ref-a].",
    "key_points": ["Use the small needle first [ref-a]", "Check with contrast [ref-a]"],
    "complications": ["Soreness, common [ref-a]", "Infection, under 1% [ref-a]"],
}
BY_LEVEL = [
    {"regions": ["cervical"], "risk": "intermediate", "note": "Cervical is higher [ref-a]."},
    {"regions": ["lumbar"], "risk": "low"},
]


def draw(procedure: Procedure, width: int = BRIEF_WIDTH) -> list[str]:
    out = io.StringIO()
    Console(file=out, width=width, force_terminal=False, no_color=True).print(brief_view(procedure))
    return out.getvalue().splitlines()


@pytest.mark.parametrize("procedure", PROCEDURES, ids=[p.id for p in PROCEDURES])
def test_every_brief_fits_one_screen(procedure: Procedure) -> None:
    lines = draw(procedure)
    assert len(lines) <= BRIEF_LINES, "\n".join(lines)
    text = "\n".join(lines)
    assert "Bleeding risk: " in text
    assert f"painref anticoag DRUG -p {procedure.id}" in text
    assert all(code.code in text for code in procedure.cpt_codes)
    assert ", ".join(procedure.imaging.modalities) in text
    if procedure.brief is not None:
        assert "Key points" in text and "Main complications" in text


def test_brief_from_the_entry(invoke: Invoke, write_dataset: WriteDataset) -> None:
    entry = make_entry(
        regions=["cervical", "lumbar"], brief=BRIEF, anticoagulation_by_level=BY_LEVEL
    )
    result = invoke("--data", str(write_dataset([entry])), "show", "test-block", "--brief")
    assert result.exit_code == 0
    out = result.stdout
    assert "What: A test needle goes near the test nerve [ref-a]." in out
    assert "• Use the small needle first [ref-a]" in out
    assert "• Infection, under 1% [ref-a]" in out
    assert "Bleeding risk: intermediate at cervical; low at lumbar" in out
    assert "painref anticoag DRUG -p test-block" in out
    assert "64999 Unlisted nerve procedure (test)." in out
    assert "A placeholder used by the test suite" not in out  # the brief, not the summary
    assert len(out.splitlines()) <= BRIEF_LINES


def test_without_a_brief_a_short_view_says_so(invoke: Invoke, write_dataset: WriteDataset) -> None:
    entry = make_entry(summary="First sentence here [ref-a]. Second sentence not shown.")
    result = invoke("--data", str(write_dataset([entry])), "show", "test-block", "--brief")
    assert result.exit_code == 0
    assert "No brief for this entry yet" in result.stdout
    assert "What: First sentence here [ref-a]." in result.stdout
    assert "Second sentence" not in result.stdout
    assert "Imaging: fluoroscopy" in result.stdout and "Bleeding risk: low" in result.stdout
    assert "64999" in result.stdout


def test_many_codes_are_listed_with_a_pointer_to_their_meanings(
    invoke: Invoke, write_dataset: WriteDataset
) -> None:
    codes = [{"code": f"6{n:04d}", "meaning": "A long meaning " * 8} for n in range(30)]
    entry = make_entry(brief=BRIEF, cpt_codes=codes)
    result = invoke("--data", str(write_dataset([entry])), "show", "test-block", "--brief")
    lines = result.stdout.splitlines()
    assert len(lines) <= BRIEF_LINES
    assert "60000, 60001" in result.stdout
    assert "painref show test-block --section codes" in " ".join(result.stdout.split())


def test_brief_json(invoke: Invoke, write_dataset: WriteDataset) -> None:
    entry = make_entry(
        regions=["cervical", "lumbar"], brief=BRIEF, anticoagulation_by_level=BY_LEVEL
    )
    result = invoke(
        "--data", str(write_dataset([entry])), "show", "test-block", "--brief", "--json"
    )
    data = json.loads(result.stdout)
    assert data["from_brief"] is True
    assert data["key_points"] == BRIEF["key_points"]
    assert data["bleeding_risk"] == [
        {"regions": ["cervical"], "risk_class": "intermediate"},
        {"regions": ["lumbar"], "risk_class": "low"},
    ]
    assert data["cpt_codes"] == [{"code": "64999", "meaning": "Unlisted nerve procedure (test)."}]


@pytest.mark.parametrize(
    ("text", "sentence"),
    [
        ("One [a]. Two.", "One [a]."),
        (
            "Ends with a marker after the stop. [a] Next one.",
            "Ends with a marker after the stop. [a]",
        ),
        ("A dose of 0.5 mL is used. Then more.", "A dose of 0.5 mL is used."),
        ("Only one sentence", "Only one sentence"),
    ],
)
def test_first_sentence(text: str, sentence: str) -> None:
    assert first_sentence(text) == sentence


def test_brief_and_patient_are_different_views(invoke: Invoke) -> None:
    for extra in (["--patient"], ["--section", "codes"]):
        result = invoke("show", "tfesi", "--brief", *extra)
        assert result.exit_code == 2
        assert "choose one" in result.stderr


# --- sections -----------------------------------------------------------------------------------


def test_section_help_lists_the_sections(invoke: Invoke) -> None:
    for argv in (["show", "--section", "help"], ["show", "tfesi", "--section", "HELP"]):
        result = invoke(*argv)
        assert result.exit_code == 0
        assert result.stdout.split() == list(SECTION_NAMES)


def test_sections_print_only_what_was_asked(invoke: Invoke) -> None:
    result = invoke("show", "tfesi", "--section", "codes", "--section", "Imaging")
    assert result.exit_code == 0
    out = result.stdout
    assert out.index("Codes") < out.index("Imaging and technique")  # in the order asked
    assert "Transforaminal epidural steroid injection" in out.splitlines()[0]
    for other in ("\nSummary\n", "\nComplications\n", "\nReferences\n", "Also called"):
        assert other not in out


def test_sections_comma_separated_and_empty_ones(
    invoke: Invoke, write_dataset: WriteDataset
) -> None:
    path = write_dataset([make_entry()])
    result = invoke("--data", str(path), "show", "test-block", "--section", "summary,caveats")
    assert "A placeholder used by the test suite." in result.stdout
    assert "Caveats\nNone listed for this entry." in result.stdout


def test_an_unknown_section_lists_the_known_ones(invoke: Invoke) -> None:
    result = invoke("show", "tfesi", "--section", "technik")
    assert result.exit_code == 2
    assert "unknown section(s) technik" in result.stderr and "technique" in result.stderr


def test_sections_as_json_are_the_fields_behind_them(invoke: Invoke) -> None:
    result = invoke("show", "tfesi", "--section", "technique", "--section", "codes", "--json")
    data = json.loads(result.stdout)
    assert list(data) == ["id", "name", "imaging", "technique", "cpt_codes"]


def test_every_section_of_the_full_view_has_a_name(invoke: Invoke) -> None:
    full = invoke("show", "tfesi", env={"COLUMNS": "200"}).stdout
    parts = [invoke("show", "tfesi", "--section", name, env={"COLUMNS": "200"}).stdout
             for name in SECTION_NAMES]  # fmt: skip
    header = 3  # name, id line, notice
    for part in parts:
        body = part.splitlines()[header:-2]
        assert "\n".join(body) in full


@pytest.mark.parametrize(
    "argv",
    [["show", "tfesi"], ["show", "tfesi", "--brief"], ["show", "mbb", "--section", "codes"],
     ["list"], ["compare", "ilesi", "tfesi", "--diff"]],
)  # fmt: skip
def test_the_views_start_without_heavy_imports(argv: list[str]) -> None:
    import subprocess
    import sys

    code = (
        "import sys\nfrom painref.cli import launch\ntry:\n    launch.main(sys.argv[1:])\n"
        "except SystemExit:\n    pass\n"
        "heavy = ('typer', 'click', 'rich.console', 'subprocess', 'prompt_toolkit')\n"
        "sys.stderr.write(' '.join(m for m in heavy if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, *argv], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.stdout and done.stderr == ""
