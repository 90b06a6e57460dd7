"""The exported JSON Schema is generated from the model and kept in sync with the file on disk."""

from __future__ import annotations

import json
from pathlib import Path

from painref.schema import json_schema

SCHEMA_FILE = Path(__file__).parents[1] / "data" / "procedures.schema.json"

REQUIRED_BY_THE_SPEC = {
    "id", "name", "aliases", "category", "regions", "summary", "patient_summary", "indications",
    "contraindications", "imaging", "technique", "medications", "outcomes", "complications",
    "recovery", "anticoagulation_risk", "cpt_codes", "evidence", "references", "last_reviewed",
}  # fmt: skip


def test_schema_file_is_in_sync_with_the_model() -> None:
    on_disk = json.loads(SCHEMA_FILE.read_text("utf-8"))
    assert on_disk == json_schema(), (
        "regenerate: python -m painref.schema > data/procedures.schema.json"
    )


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
