"""Every command through Typer's CliRunner, as a user meets it: output, stderr and exit codes."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from painref import __version__
from painref.store.sources import read_file

from .conftest import Invoke, dump_dataset, make_entry

WriteDataset = Callable[..., Path]
NOTICE = "Reference only, not medical advice."


# --- search -------------------------------------------------------------------------------------


def test_search_prints_ranked_rows(invoke: Invoke) -> None:
    result = invoke("search", "TFESI")
    assert result.exit_code == 0
    first = result.stdout.splitlines()[0].split("\t")
    assert first[0] == "transforaminal-esi"
    assert first[3] == "100"


def test_search_joins_unquoted_words(invoke: Invoke) -> None:
    result = invoke("search", "pain", "pump")
    assert result.stdout.split("\t")[0] == "intrathecal-drug-delivery"


def test_search_json_is_an_array_best_first(invoke: Invoke) -> None:
    result = invoke("search", "sciatica", "--json")
    assert result.exit_code == 0
    hits = json.loads(result.stdout)
    assert isinstance(hits, list) and hits
    assert {"id", "name", "score"} <= set(hits[0])
    scores = [hit["score"] for hit in hits]
    assert scores == sorted(scores, reverse=True)


def test_search_nothing_found_exits_1_with_suggestions(invoke: Invoke) -> None:
    result = invoke("search", "kyphoplsty vertebra cement zz")
    assert result.exit_code in (0, 1)
    result = invoke("search", "qqqq")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "No procedure matches 'qqqq'" in result.stderr


def test_search_misspelling_suggests(invoke: Invoke) -> None:
    result = invoke("search", "vertebroplasy")
    assert result.exit_code == 0
    assert result.stdout.startswith("vertebroplasty\t")


def test_search_without_query_and_without_terminal_is_usage_error(invoke: Invoke) -> None:
    result = invoke("search")
    assert result.exit_code == 2
    assert "search needs a query" in result.stderr
    assert "painref search sciatica" in result.stderr


def test_search_without_query_prompts_in_a_terminal(
    invoke: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("painref.cli.commands.procedures.interactive", lambda: True)
    result = invoke("search", input="TFESI\n")
    assert result.exit_code == 0
    assert "Search procedures (Enter to quit):" in result.stdout
    assert "Transforaminal epidural steroid injection" in result.stdout
    assert "Indications" in result.stdout  # the chosen result was opened


# --- show ---------------------------------------------------------------------------------------


def test_show_by_id_renders_sections_in_clinical_order(invoke: Invoke) -> None:
    result = invoke("show", "transforaminal-esi")
    assert result.exit_code == 0
    out = result.stdout
    sections = [
        "Summary", "Indications", "Contraindications", "Imaging and technique", "Medications",
        "Outcomes", "Complications", "Recovery and aftercare", "Anticoagulation", "Codes",
        "Evidence", "References",
    ]  # fmt: skip
    positions = [out.index(f"\n{name}\n") for name in sections]
    assert positions == sorted(positions)
    assert NOTICE in out
    assert "matches several" not in out


def test_show_ambiguous_query_says_so_and_lists_ids(invoke: Invoke) -> None:
    result = invoke("show", "epidural")
    assert result.exit_code == 0
    head = result.stdout.split("Summary")[0]
    assert "'epidural' matches several procedures" in head
    for procedure_id in ("interlaminar-esi", "transforaminal-esi", "caudal-esi"):
        assert procedure_id in head


def test_show_abbreviation_goes_straight_to_the_procedure(invoke: Invoke) -> None:
    result = invoke("show", "SGB")
    assert result.exit_code == 0
    assert result.stdout.startswith("Stellate ganglion block")


def test_show_json_is_a_valid_dataset_entry(invoke: Invoke, tmp_path: Path) -> None:
    result = invoke("show", "medial-branch-rfa", "--json")
    assert result.exit_code == 0
    entry = json.loads(result.stdout)
    assert entry["id"] == "medial-branch-rfa"
    assert NOTICE not in result.stdout
    # start an overlay from it: it must load cleanly on its own
    path = tmp_path / "from-json.yaml"
    path.write_text(dump_dataset([{**entry, "related": []}]), "utf-8")
    assert read_file(path).problems == []


def test_show_unknown_exits_1_with_did_you_mean(invoke: Invoke) -> None:
    result = invoke("show", "kyphoplazzty")
    assert result.exit_code in (0, 1)
    result = invoke("show", "xyzzy")
    assert result.exit_code == 1
    assert "No procedure matches 'xyzzy'" in result.stderr


# --- compare ------------------------------------------------------------------------------------


def test_compare_side_by_side_when_no_word_must_be_cut(invoke: Invoke) -> None:
    names = ("interlaminar-esi", "transforaminal-esi", "caudal-esi")
    result = invoke("compare", *names, env={"COLUMNS": "120"})
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 120
    # side by side: the three ids share one header line, and attributes are rows beneath
    assert any(
        all(i in line for i in ("interlaminar", "transforaminal", "caudal")) for line in lines
    )
    assert any(line.lstrip().startswith("Bleeding risk") for line in lines)
    # at 80 columns three columns would cut "preservative-free" in two: one block per attribute
    narrow = invoke("compare", *names).stdout
    assert narrow.startswith("Category\n") and "preservative-free" in narrow


def test_compare_stacks_when_too_narrow(invoke: Invoke) -> None:
    args = (
        "compare",
        "ilesi",
        "tfesi",
        "caudal-esi",
        "epidural-blood-patch",
        "--fields",
        "imaging",
    )
    result = invoke(*args, env={"COLUMNS": "50"})
    assert result.exit_code == 0
    assert max(len(line) for line in result.stdout.splitlines()) <= 50
    assert result.stdout.startswith("Imaging\n")


def test_compare_fields_select_rows(invoke: Invoke) -> None:
    result = invoke(
        "compare", "mbb", "medial-branch-rfa", "--fields", "imaging,cpt_codes", "--json"
    )
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["fields"] == ["imaging", "cpt_codes"]
    assert [p["id"] for p in data["procedures"]] == ["medial-branch-block", "medial-branch-rfa"]
    assert set(data["procedures"][0]) == {"id", "name", "imaging", "cpt_codes"}


def test_compare_unknown_field_is_usage_error(invoke: Invoke) -> None:
    result = invoke("compare", "mbb", "medial-branch-rfa", "--fields", "price")
    assert result.exit_code == 2
    assert "unknown field(s) price" in result.stderr


def test_compare_without_names_and_terminal_shows_an_example(invoke: Invoke) -> None:
    result = invoke("compare")
    assert result.exit_code == 2
    assert "Usage example: painref compare interlaminar-esi transforaminal-esi" in result.stderr


def test_compare_needs_two(invoke: Invoke) -> None:
    assert invoke("compare", "mbb").exit_code == 2
    assert invoke("compare", "mbb", "medial-branch-block").exit_code == 2


def test_compare_unknown_name_exits_1(invoke: Invoke) -> None:
    result = invoke("compare", "mbb", "xyzzy")
    assert result.exit_code == 1
    assert "xyzzy" in result.stderr


# --- list ---------------------------------------------------------------------------------------


def test_list_filters_combine(invoke: Invoke) -> None:
    result = invoke("list", "--category", "neuromodulation", "--json")
    ids = {p["id"] for p in json.loads(result.stdout)}
    assert {"spinal-cord-stimulation", "drg-stimulation"} <= ids
    result = invoke("list", "--risk", "high", "--region", "lumbar", "--json")
    rows = json.loads(result.stdout)
    assert rows and all(
        r["anticoagulation_risk"] == "high" and "lumbar" in r["regions"] for r in rows
    )


def test_list_imaging_filter(invoke: Invoke) -> None:
    rows = json.loads(invoke("list", "--imaging", "ultrasound", "--json").stdout)
    assert rows and all("ultrasound" in r["imaging"] for r in rows)


def test_list_bad_filter_value_lists_the_choices(invoke: Invoke) -> None:
    result = invoke("list", "--risk", "medium")
    assert result.exit_code == 2
    assert "--risk must be one of: low, intermediate, high" in result.stderr


def test_list_facets(invoke: Invoke) -> None:
    facets = json.loads(invoke("list", "--facets", "--json").stdout)
    assert set(facets) == {"categories", "regions", "imaging", "risk", "conditions"}
    assert facets["categories"]["epidural"] >= 3


def test_list_piped_is_one_tab_separated_line_per_procedure(invoke: Invoke) -> None:
    result = invoke("list")
    listed = json.loads(invoke("list", "--json").stdout)
    lines = result.stdout.splitlines()
    assert len(lines) == len(listed)
    assert all(len(line.split("\t")) == 5 for line in lines)


# --- validate -----------------------------------------------------------------------------------


def test_validate_bundled_data(invoke: Invoke) -> None:
    result = invoke("validate")
    assert result.exit_code == 0
    assert result.stdout.startswith("OK: ")


def test_validate_reports_file_line_and_path(invoke: Invoke, write_dataset: WriteDataset) -> None:
    path = write_dataset([make_entry(anticoagulation_risk="medium")])
    result = invoke("validate", str(path))
    assert result.exit_code == 2
    assert f"{path}:" in result.stdout
    assert "procedures[0].anticoagulation_risk: 'medium' is not one of" in result.stdout


def test_validate_json(invoke: Invoke, write_dataset: WriteDataset) -> None:
    path = write_dataset([make_entry(summary=None)])
    result = invoke("validate", str(path), "--json")
    data = json.loads(result.stdout)
    assert data["valid"] is False
    assert data["problems"][0]["path"] == "procedures[0].summary"
    assert data["problems"][0]["line"] == 3


def test_validate_overlay_may_point_at_bundled_ids(
    invoke: Invoke, write_dataset: WriteDataset
) -> None:
    entry = make_entry(related=[{"id": "medial-branch-block", "relation": "follows"}])
    result = invoke("validate", str(write_dataset([entry])))
    assert result.exit_code == 0, result.stdout


# --- overlays, global options, errors -----------------------------------------------------------


def test_data_option_adds_and_overrides(invoke: Invoke, write_dataset: WriteDataset) -> None:
    local = make_entry(id="caudal-esi", name="Caudal ESI, our protocol")
    path = write_dataset([local, make_entry()])
    result = invoke("--data", str(path), "show", "caudal-esi")
    assert result.stdout.startswith("Caudal ESI, our protocol")
    assert f"from {path}" in " ".join(result.stdout.split())  # a long path may wrap
    assert invoke("--data", str(path), "show", "test-block").exit_code == 0


def test_painref_data_environment_variable(invoke: Invoke, write_dataset: WriteDataset) -> None:
    path = write_dataset([make_entry()])
    result = invoke("show", "test-block", "--json", env={"PAINREF_DATA": str(path)})
    assert json.loads(result.stdout)["id"] == "test-block"


def test_broken_overlay_is_refused_without_traceback(
    invoke: Invoke, write_dataset: WriteDataset
) -> None:
    path = write_dataset("procedures:\n  - id: [oops\n")
    result = invoke("--data", str(path), "list")
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert f"{path}:" in result.stderr and "not valid YAML" in result.stderr


def test_missing_overlay_file(invoke: Invoke) -> None:
    result = invoke("--data", "/no/such/file.yaml", "list")
    assert result.exit_code == 2
    assert "/no/such/file.yaml: file not found" in result.stderr


def test_version(invoke: Invoke) -> None:
    result = invoke("--version")
    assert result.exit_code == 0
    assert result.stdout.strip() == f"painref {__version__}"


def test_unknown_command_is_usage_error(invoke: Invoke) -> None:
    assert invoke("frobnicate").exit_code == 2


def test_markup_and_escapes_in_data_are_printed_literally(
    invoke: Invoke, write_dataset: WriteDataset
) -> None:
    entry = make_entry(
        name="[bold red]Shouty[/] \x1b[31mred\x1b[0m",
        summary="Rich markup [link=https://evil.example]click[/link] stays text.",
    )
    result = invoke("--data", str(write_dataset([entry])), "show", "test-block")
    assert result.exit_code == 0
    assert "[bold red]Shouty[/]" in result.stdout
    assert "\x1b" not in result.stdout
    assert "\\x1b[31mred" in result.stdout
    assert "[link=https://evil.example]click[/link]" in result.stdout


def _colour_codes(text: str) -> list[str]:
    """SGR parameters that set a colour (bold and italic are not colour, per no-color.org)."""
    params = [p for seq in re.findall(r"\x1b\[([0-9;]*)m", text) for p in seq.split(";") if p]
    return [p for p in params if p.startswith(("3", "4", "9", "10")) and p not in ("3", "4")]


def test_colour_only_on_a_terminal_and_never_with_no_color(invoke: Invoke) -> None:
    forced = {"FORCE_COLOR": "1"}
    assert _colour_codes(invoke("show", "tfesi", env={**forced, "NO_COLOR": ""}).stdout)
    assert not _colour_codes(invoke("show", "tfesi", env={**forced, "NO_COLOR": "1"}).stdout)
    no_color_flag = invoke("--no-color", "show", "tfesi", env={**forced, "NO_COLOR": ""})
    assert not _colour_codes(no_color_flag.stdout)
    assert "\x1b[" not in invoke("show", "tfesi", env={"NO_COLOR": ""}).stdout  # piped: plain


def test_a_quoted_name_of_several_words_is_one_name(invoke: Invoke) -> None:
    result = invoke("compare", "medial branch block", "tfesi", "--json")
    assert result.exit_code == 0, result.stderr
    ids = [p["id"] for p in json.loads(result.stdout)["procedures"]]
    assert ids == ["medial-branch-block", "transforaminal-esi"]


def test_unquoted_words_that_could_be_one_or_several_are_refused(invoke: Invoke) -> None:
    result = invoke("export", "nerve", "block")
    assert result.exit_code == 2 and result.stdout == ""
    assert "could mean one procedure or several" in result.stderr


def test_export_pain_pump_writes_the_pump_handout_only(invoke: Invoke) -> None:
    result = invoke("export", "pain", "pump")
    assert result.exit_code == 0
    assert "basivertebral" not in result.stdout.lower() and "pump" in result.stdout.lower()
    assert "read 'pain pump' as one procedure (intrathecal-drug-delivery)" in result.stderr
