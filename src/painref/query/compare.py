"""Align attributes of several procedures into rows of plain text (no terminal code here)."""

import datetime as dt
from collections.abc import Sequence
from typing import Any, NamedTuple

from ..model.procedure import (
    Brief,
    Complication,
    Contraindications,
    CptCode,
    Imaging,
    LevelRisk,
    Medication,
    Outcomes,
    PatientGuide,
    Procedure,
    Reference,
    Related,
)
from ..model.record import field_names

DEFAULT_FIELDS: tuple[str, ...] = (
    "category",
    "regions",
    "imaging",
    "anticoagulation_risk",
    "medications",
    "outcomes",
    "complications",
    "recovery",
    "cpt_codes",
    "evidence",
)
# id and name head the columns, so they are not rows.
COMPARABLE_FIELDS: tuple[str, ...] = tuple(
    f for f in field_names(Procedure) if f not in ("id", "name")
)


def label(field: str) -> str:
    """Row heading for a field: 'evidence' -> 'Evidence', 'cpt_codes' -> 'CPT codes'."""
    special = {
        "cpt_codes": "CPT codes",
        "patient_summary": "In plain words",
        "patient": "For patients",
        # short enough that three columns still fit beside it at 80 characters
        "anticoagulation_risk": "Bleeding risk",
        "anticoagulation_note": "Bleeding note",
    }
    return special.get(field, field.replace("_", " ").capitalize())


class Row(NamedTuple):
    field: str
    label: str
    cells: tuple[tuple[str, ...], ...]  # one cell per procedure, each a list of lines


def unknown_fields(fields: Sequence[str]) -> list[str]:
    return [f for f in fields if f not in COMPARABLE_FIELDS]


def rows(procedures: Sequence[Procedure], fields: Sequence[str] = DEFAULT_FIELDS) -> list[Row]:
    return [
        Row(field, label(field), tuple(tuple(cell_lines(getattr(p, field))) for p in procedures))
        for field in fields
    ]


def differing(found: Sequence[Row]) -> list[Row]:
    """The rows whose cells are not all the same (`compare --diff`)."""
    return [row for row in found if len(set(row.cells)) > 1]


def cell_lines(value: Any) -> list[str]:
    """A compact rendering of any field value as lines of text."""
    if value is None:
        return ["—"]
    if isinstance(value, str):
        return [value]
    if isinstance(value, dt.date):
        return [value.isoformat()]
    if isinstance(value, tuple):
        lines = [line for item in value for line in cell_lines(item)]
        return lines or ["none"]
    if isinstance(value, Imaging):
        return [", ".join(value.modalities)]
    if isinstance(value, Contraindications):
        return [
            *(f"Absolute: {x}" for x in value.absolute),
            *(f"Relative: {x}" for x in value.relative),
        ]
    if isinstance(value, Medication):
        return [f"{value.agent}: {value.dose}" if value.dose else value.agent]
    if isinstance(value, Outcomes):
        return [value.expected, f"Lasts: {value.duration}"]
    if isinstance(value, Complication):
        return [f"{value.event} ({value.frequency})" if value.frequency else value.event]
    if isinstance(value, CptCode):
        return [f"{value.code}: {value.meaning}"]
    if isinstance(value, Related):
        return [f"{value.relation}: {value.id}"]
    if isinstance(value, Reference):
        return [f"[{value.key}] {value.citation}"]
    if isinstance(value, PatientGuide):
        return [value.why]
    if isinstance(value, Brief):
        return [value.what, *value.key_points]
    if isinstance(value, LevelRisk):
        return [f"{', '.join(value.regions)}: {value.risk}"]
    return [str(value)]
