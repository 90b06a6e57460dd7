"""The exported JSON Schema is generated from the model and kept in sync with the file on disk."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from painref.model.jsonschema import SCHEMA_FILES, json_schema

DATA = Path(__file__).parents[1] / "data"

REQUIRED_BY_THE_SPEC = {
    "id", "name", "aliases", "category", "regions", "summary", "patient_summary", "indications",
    "contraindications", "imaging", "technique", "medications", "outcomes", "complications",
    "recovery", "anticoagulation_risk", "cpt_codes", "evidence", "references", "last_reviewed",
}  # fmt: skip


@pytest.mark.parametrize("kind", sorted(SCHEMA_FILES))
def test_schema_files_are_in_sync_with_the_model(kind: str) -> None:
    on_disk = json.loads((DATA / SCHEMA_FILES[kind]).read_text("utf-8"))
    assert on_disk == json_schema(kind), (
        f"regenerate: python -m painref.model.jsonschema {kind} > data/{SCHEMA_FILES[kind]}"
    )


def test_drug_schema_says_numbers_are_numbers_with_units() -> None:
    rule = json_schema("drugs")["$defs"]["StopRule"]["properties"]
    assert rule["value"]["anyOf"][0] == {"type": "number"}
    assert rule["unit"]["anyOf"][0]["enum"] == ["days", "hours", "half-lives"]


def test_schema_requires_the_fields_clinicians_rely_on() -> None:
    procedure = json_schema()["$defs"]["Procedure"]
    assert set(procedure["required"]) >= REQUIRED_BY_THE_SPEC
    assert procedure["additionalProperties"] is False
    assert procedure["properties"]["anticoagulation_risk"]["enum"] == [
        "low",
        "intermediate",
        "high",
    ]
    assert procedure["properties"]["id"]["pattern"] == "^[a-z0-9]+(?:-[a-z0-9]+)*$"
