"""painref for / conditions: realistic phrasings, pathway order, validation of pathway ids."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from painref.store.sources import load

from .conftest import Invoke


@pytest.mark.parametrize(
    ("query", "condition_id"),
    [
        ("sciatica", "lumbar-radiculopathy"),
        ("knee OA", "knee-osteoarthritis"),
        ("arthritic knee", "knee-osteoarthritis"),
        ("CRPS", "crps"),
        ("RSD", "crps"),
        ("coccydynia", "coccydynia"),
        ("tailbone pain", "coccydynia"),
        ("cancer pain pancreas", "pancreatic-cancer-pain"),
        ("pancreatic cancer", "pancreatic-cancer-pain"),
        ("failed back surgery", "persistent-spinal-pain-syndrome"),
        ("FBSS", "persistent-spinal-pain-syndrome"),
        ("spinal headache", "post-dural-puncture-headache"),
        ("PDPH", "post-dural-puncture-headache"),
        ("whiplash", "cervical-facet-pain"),
        ("lumbar facet pain", "lumbar-facet-pain"),
        ("chronic migraine", "chronic-migraine"),
        ("migrane", "chronic-migraine"),
        ("osteoporotic compression fracture", "vertebral-compression-fracture"),
        ("shingles pain chest", "intercostal-postherpetic-neuralgia"),
    ],
)
def test_realistic_phrasings_find_the_condition(
    query: str, condition_id: str, invoke: Invoke
) -> None:
    result = invoke("for", *query.split(), "--json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["id"] == condition_id


def test_lumbar_facet_pathway_goes_from_blocks_to_ablation(invoke: Invoke) -> None:
    data = json.loads(invoke("for", "lumbar", "facet", "pain", "--json").stdout)
    steps = [(s["step"], [p["id"] for p in s["procedures"]]) for s in data["pathway"]]
    assert steps[0] == ("diagnostic", ["medial-branch-block"])
    assert steps[1] == ("therapeutic", ["medial-branch-rfa"])
    assert data["pathway"][0]["criterion"]  # the relief criterion for moving on
    text = invoke("for", "lumbar", "facet", "pain", env={"COLUMNS": "200"}).stdout
    assert text.index("medial-branch-block") < text.index("medial-branch-rfa")
    assert "Move on when:" in text and "not medical advice" in text


def test_neuropathic_pain_after_surgery_trials_before_implant(invoke: Invoke) -> None:
    data = json.loads(invoke("for", "failed back surgery", "--json").stdout)
    ids = [p["id"] for s in data["pathway"] for p in s["procedures"]]
    assert "spinal-cord-stimulation" in ids


def test_unknown_condition_exits_1_with_suggestions(invoke: Invoke) -> None:
    result = invoke("for", "zzzq", "qqq")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "No condition matches 'zzzq qqq'" in result.stderr


def test_for_without_words_is_a_usage_error(invoke: Invoke) -> None:
    result = invoke("for")
    assert result.exit_code == 2 and "painref for sciatica" in result.stderr


def test_conditions_lists_every_condition(invoke: Invoke) -> None:
    listed = json.loads(invoke("conditions", "--json").stdout)
    known = load().conditions
    assert [c["id"] for c in listed] == [c.id for c in known]
    assert len(listed) >= 20


def test_every_pathway_step_names_existing_procedures() -> None:
    catalog = load()
    ids = {p.id for p in catalog.procedures}
    for condition in catalog.conditions:
        for step in condition.pathway:
            assert set(step.procedures) <= ids, condition.id


def _condition(**changes: object) -> dict[str, object]:
    entry: dict[str, object] = {
        "id": "test-pain",
        "name": "Test pain",
        "summary": "A test [r].",
        "pathway": [{"step": "diagnostic", "procedures": ["medial-branch-block"]}],
        "references": [{"key": "r", "citation": "Ref.", "url": "https://example.org/r"}],
        "last_reviewed": "2026-11-24",
    }
    entry.update(changes)
    return entry


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"pathway": [{"step": "diagnostic", "procedures": ["no-such-block"]}]},
            "no procedure has the id 'no-such-block'",
        ),
        ({"pathway": [{"step": "maybe", "procedures": ["medial-branch-block"]}]}, "'maybe'"),
        ({"pathway": []}, "needs at least 1 item"),
        (
            {"pathway": [{"step": "diagnostic", "procedures": ["mbb"], "criterion": "50% relief"}]},
            "must cite",
        ),
        ({"summary": "Cited [missing]."}, "[missing]"),
    ],
)
def test_bad_pathways_are_refused(
    change: dict[str, object], message: str, tmp_path: Path, invoke: Invoke
) -> None:
    path = tmp_path / "conditions.yaml"
    path.write_text(yaml.safe_dump({"conditions": [_condition(**change)]}, sort_keys=False))
    result = invoke("validate", str(path))
    assert result.exit_code == 2
    assert f"{path}:" in result.stdout and "conditions[0]" in result.stdout
    assert message in result.stdout


def test_a_repeated_id_is_named_even_when_that_entry_is_invalid(
    tmp_path: Path, invoke: Invoke
) -> None:
    broken = {**_condition(), "pathway": []}
    path = tmp_path / "conditions.yaml"
    path.write_text(yaml.safe_dump({"conditions": [_condition(), broken]}, sort_keys=False))
    result = invoke("validate", str(path))
    assert result.exit_code == 2
    assert "conditions[1].id" in result.stdout and "duplicate id" in result.stdout
