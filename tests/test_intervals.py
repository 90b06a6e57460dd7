"""Blood thinners by spinal level, on the calendar, for a high-bleeding-risk patient, with kidney
function, and from a clinic's own files (drugs, conditions and procedures alike)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from painref.model.drug import RestartRule, StopRule
from painref.query.intervals import restart_date, stop_date
from painref.store.sources import load

from .conftest import Invoke, make_entry

CATALOG = load()
BY_ID = {p.id: p for p in CATALOG.procedures}
DRUGS = {d.id: d for d in CATALOG.drugs}
LEVELLED = [p for p in CATALOG.procedures if p.anticoagulation_by_level]


def _answer(invoke: Invoke, *args: str) -> dict[str, Any]:
    result = invoke("anticoag", *args, "--json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_the_facet_procedures_are_classed_by_level() -> None:
    for procedure_id in ("medial-branch-block", "medial-branch-rfa", "facet-joint-injection"):
        levels = {r: level.risk for level in BY_ID[procedure_id].anticoagulation_by_level
                  for r in level.regions}  # fmt: skip
        assert levels["cervical"] == "intermediate"
        assert levels["lumbar"] == levels["thoracic"] == "low"


@pytest.mark.parametrize("procedure", LEVELLED, ids=[p.id for p in LEVELLED])
def test_each_level_gets_its_own_class_and_the_drug_rule_for_it(
    procedure: Any, invoke: Invoke
) -> None:
    warfarin = DRUGS["warfarin"].intervals
    for level in procedure.anticoagulation_by_level:
        for region in level.regions:
            data = _answer(invoke, "warfarin", "-p", procedure.id, "--region", region)
            assert data["answer"]["risk_class"] == level.risk, region
            expected = warfarin.for_class(level.risk).stop
            assert data["answer"]["stop"]["action"] == expected.action
            assert data["answer"]["stop"]["value"] == expected.value


@pytest.mark.parametrize("procedure", LEVELLED, ids=[p.id for p in LEVELLED])
def test_without_a_level_every_level_is_answered(procedure: Any, invoke: Invoke) -> None:
    data = _answer(invoke, "warfarin", "-p", procedure.id)
    classes = {level.risk for level in procedure.anticoagulation_by_level}
    assert {a["risk_class"] for a in data["answers"]} >= classes
    assert data["answer"] is None and len(data["answers"]) >= 2
    text = invoke("anticoag", "warfarin", "-p", procedure.id, env={"COLUMNS": "200"}).stdout
    assert "depends on the spinal level" in text


@pytest.mark.parametrize(
    ("words", "risk"),
    [
        ("lumbar medial branch block", "low"),
        ("L4-5 medial branch block", "low"),
        ("C5-6 facet RFA", "intermediate"),
        ("neck facet nerve ablation", "intermediate"),
        ("thoracic facet joint injection", "low"),
    ],
)
def test_the_level_is_read_from_the_procedure_words(words: str, risk: str, invoke: Invoke) -> None:
    data = _answer(invoke, "warfarin", "-p", words)
    assert data["answer"]["risk_class"] == risk


def test_a_lumbar_medial_branch_block_needs_no_routine_warfarin_stop(invoke: Invoke) -> None:
    data = _answer(invoke, "warfarin", "-p", "lumbar medial branch block")
    assert data["answer"]["stop"]["action"] != "stop"
    cervical = _answer(invoke, "warfarin", "-p", "cervical medial branch block")
    assert (cervical["answer"]["stop"]["action"], cervical["answer"]["stop"]["value"]) == (
        "stop",
        5,
    )


def test_a_level_the_procedure_is_not_done_at_is_refused(invoke: Invoke) -> None:
    result = invoke("anticoag", "warfarin", "-p", "genicular-rfa", "--region", "cervical")
    assert result.exit_code == 2 and "not done at the cervical level" in result.stderr


# --- dates ----------------------------------------------------------------------------------------


def _stop(value: float, unit: str, value_max: float | None = None) -> StopRule:
    return StopRule(action="stop", value=value, value_max=value_max, unit=unit, provenance="local")


def _restart(value: float, unit: str) -> RestartRule:
    return RestartRule(action="restart", value=value, unit=unit, provenance="local")


@pytest.mark.parametrize(
    ("rule", "on", "first", "other"),
    [
        (_stop(5, "days"), "2027-03-10", "2027-03-05", None),  # the issue's own example
        (_stop(5, "days"), "2027-03-03", "2027-02-26", None),  # across a month end
        (_stop(6, "days"), "2027-01-03", "2026-12-28", None),  # across a year end
        (_stop(3, "days"), "2028-03-02", "2028-02-28", None),  # a leap year
        (_stop(4, "days", 5), "2027-03-01", "2027-02-24", "2027-02-25"),  # a range: cautious end
        (_stop(24, "hours"), "2027-01-01", "2026-12-31", None),
        (_stop(12, "hours"), "2027-03-10", "2027-03-09", None),
    ],
)
def test_stop_dates(rule: StopRule, on: str, first: str, other: str | None) -> None:
    span = stop_date(rule, dt.date.fromisoformat(on))
    assert span is not None
    assert span.first.isoformat() == first
    assert (span.other.isoformat() if span.other else None) == other


@pytest.mark.parametrize(
    ("rule", "on", "first"),
    [
        (_restart(24, "hours"), "2026-12-31", "2027-01-01"),
        (_restart(6, "hours"), "2027-02-28", "2027-02-28"),
        (_restart(2, "days"), "2027-02-27", "2027-03-01"),
        (_restart(2, "days"), "2028-02-28", "2028-03-01"),
    ],
)
def test_restart_dates(rule: RestartRule, on: str, first: str) -> None:
    span = restart_date(rule, dt.date.fromisoformat(on))
    assert span is not None and span.first.isoformat() == first


def test_on_gives_calendar_dates_in_the_view_and_the_json(invoke: Invoke) -> None:
    data = _answer(invoke, "warfarin", "-p", "kyphoplasty", "--on", "2027-03-10")
    assert data["answer"]["stop"]["date"] == "2027-03-05"
    assert data["answer"]["restart"]["date"] == "2027-03-10"  # 6 hours after: the same day
    assert "last dose" in data["date_convention"]
    text = invoke("anticoag", "warfarin", "-p", "kyphoplasty", "--on", "2027-03-10",
                  env={"COLUMNS": "200"}).stdout  # fmt: skip
    assert "First day without the drug: 2027-03-05" in text


@pytest.mark.parametrize("bad", ["10/03/2027", "2027-02-30", "tomorrow", "2027-3-1"])
def test_a_bad_date_is_a_usage_error(bad: str, invoke: Invoke) -> None:
    result = invoke("anticoag", "warfarin", "-p", "tfesi", "--on", bad)
    assert result.exit_code == 2 and "--on" in result.stderr and "Traceback" not in result.stderr


# --- the patient --------------------------------------------------------------------------------


def test_a_high_bleeding_risk_patient_gets_the_next_class(invoke: Invoke) -> None:
    plain = _answer(invoke, "warfarin", "-p", "trigger point injection")
    assert plain["answer"]["risk_class"] == "low"
    assert plain["high_bleeding_risk_patient"]["risk_class"] == "intermediate"
    data = _answer(invoke, "warfarin", "-p", "trigger point injection", "--high-bleeding-risk")
    answer = data["answer"]
    assert (answer["procedure_class"], answer["risk_class"]) == ("low", "intermediate")
    assert answer["stop"]["value"] == DRUGS["warfarin"].intervals.intermediate.stop.value
    high = _answer(invoke, "warfarin", "-p", "kyphoplasty", "--high-bleeding-risk")
    assert high["answer"]["risk_class"] == "high"  # nothing above high


RENAL_DRUG: dict[str, Any] = {
    "id": "local-dabigatran",
    "name": "Local dabigatran protocol",
    "drug_class": "direct thrombin inhibitor",
    "intervals": {
        risk: {
            "stop": {"action": "stop", "value": 4, "unit": "days", "note": "Unit rule [l]."},
            "restart": {"action": "restart", "value": 24, "unit": "hours", "note": "[l]"},
        }
        for risk in ("low", "intermediate", "high")
    },
    "renal": [
        {
            "crcl_below": 50,
            "classes": ["intermediate", "high"],
            "stop": {"action": "stop", "value": 6, "unit": "days", "note": "Renal rule [l]."},
        },
    ],
    "references": [{"key": "l", "citation": "Our unit protocol.", "url": "https://x.org/p"}],
    "last_reviewed": "2026-11-30",
}


def _drug_file(tmp_path: Path, drugs: list[dict[str, Any]], name: str = "local-drugs.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump({"drugs": drugs}, sort_keys=False), "utf-8")
    return path


def test_creatinine_clearance_applies_a_renal_stop(tmp_path: Path, invoke: Invoke) -> None:
    path = str(_drug_file(tmp_path, [RENAL_DRUG]))
    base = ("--data", path, "anticoag", "local-dabigatran", "-p", "kyphoplasty")
    assert _answer(invoke, *base)["answer"]["stop"]["value"] == 4
    assert _answer(invoke, *base, "--crcl", "40")["answer"]["stop"]["value"] == 6
    assert _answer(invoke, *base, "--crcl", "80")["answer"]["stop"]["value"] == 4
    text = invoke(*base, env={"COLUMNS": "200"}).stdout
    assert "add --crcl" in text
    bad = invoke(*base, "--crcl", "-3")
    assert bad.exit_code == 2 and "--crcl" in bad.stderr


# --- local protocols of every kind --------------------------------------------------------------


def test_a_local_drug_entry_replaces_the_bundled_one_and_is_named(
    tmp_path: Path, invoke: Invoke
) -> None:
    local = json.loads(invoke("anticoag", "warfarin", "--json").stdout)
    local.pop("guideline")  # the printed drug, less its guideline, is a valid entry
    stop = {"action": "stop", "value": 7, "unit": "days", "note": "A week here [asra-2018]."}
    local["intervals"]["high"]["stop"] = stop
    path = _drug_file(tmp_path, [local])
    assert invoke("validate", str(path)).exit_code == 0
    data = _answer(invoke, "--data", str(path), "warfarin", "-p", "kyphoplasty")
    assert data["answer"]["stop"]["value"] == 7
    assert data["answer"]["stop"]["provenance"] == "local"
    text = invoke("--data", str(path), "anticoag", "warfarin", env={"COLUMNS": "200"}).stdout
    assert "from local-drugs.yaml" in text or str(path) in text


def test_a_new_local_drug_is_added(tmp_path: Path, invoke: Invoke) -> None:
    path = str(_drug_file(tmp_path, [RENAL_DRUG]))
    listed = json.loads(invoke("--data", path, "anticoag", "--json").stdout)
    assert "local-dabigatran" in [d["id"] for d in listed]


def test_a_broken_drug_file_is_refused_whole(tmp_path: Path, invoke: Invoke) -> None:
    broken = {**RENAL_DRUG, "intervals": {"low": {}}}
    path = _drug_file(tmp_path, [broken])
    result = invoke("--data", str(path), "anticoag", "warfarin")
    assert result.exit_code == 2
    assert f"{path}:" in result.stderr and "intervals" in result.stderr


def test_a_local_condition_replaces_and_adds(tmp_path: Path, invoke: Invoke) -> None:
    entry = {
        "id": "lumbar-facet-pain",
        "name": "Lumbar facet pain (our pathway)",
        "summary": "Local pathway [r].",
        "pathway": [{"step": "diagnostic", "procedures": ["medial-branch-block"]}],
        "references": [{"key": "r", "citation": "Unit protocol.", "url": "https://x.org/r"}],
        "last_reviewed": "2026-11-30",
    }
    added = {**entry, "id": "local-pain", "name": "Local pain"}
    path = tmp_path / "local-conditions.yaml"
    path.write_text(yaml.safe_dump({"conditions": [entry, added]}, sort_keys=False), "utf-8")
    data = json.loads(invoke("--data", str(path), "for", "lumbar-facet-pain", "--json").stdout)
    assert data["name"] == "Lumbar facet pain (our pathway)"
    listed = json.loads(invoke("--data", str(path), "conditions", "--json").stdout)
    assert "local-pain" in [c["id"] for c in listed]
    broken = tmp_path / "broken-conditions.yaml"
    broken.write_text(yaml.safe_dump({"conditions": [{**entry, "pathway": []}]}), "utf-8")
    result = invoke("--data", str(broken), "for", "sciatica")
    assert result.exit_code == 2 and f"{broken}:" in result.stderr


def test_a_named_file_is_never_ignored(write_dataset: Callable[..., Path], invoke: Invoke) -> None:
    procedures = write_dataset([make_entry(id="local-block")])
    assert invoke("--data", str(procedures), "anticoag", "warfarin", "-p", "local-block",
                  "--json").exit_code == 0  # fmt: skip
    missing = invoke("--data", "/nonexistent/local.yaml", "anticoag", "warfarin")
    assert missing.exit_code == 2 and "file not found" in missing.stderr
