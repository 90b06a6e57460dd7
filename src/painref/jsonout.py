"""JSON from the model (never from rendered text). No terminal libraries are imported here."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Sequence
from typing import Any

from .errors import Problem
from .model import Procedure
from .search import Hit


def to_data(value: Any) -> Any:
    """A model value as plain JSON data, with the schema's field names; unset optionals left out.

    The result of a Procedure is itself a valid dataset entry (dates become YYYY-MM-DD strings,
    which the loader accepts).
    """
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out = {}
        for f in dataclasses.fields(value):
            if not f.init:
                continue
            child = getattr(value, f.name)
            if child is None:
                continue
            out[f.name] = to_data(child)
        return out
    if isinstance(value, tuple | list):
        return [to_data(item) for item in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def hit_data(hit: Hit) -> dict[str, Any]:
    procedure = hit.procedure
    return {
        "id": procedure.id,
        "name": procedure.name,
        "category": procedure.category,
        "score": hit.score,
        "matched_field": hit.field,
        "matched_text": hit.matched,
        "exact": hit.exact,
    }


def summary_data(procedure: Procedure) -> dict[str, Any]:
    """The short form used by `list`."""
    return {
        "id": procedure.id,
        "name": procedure.name,
        "category": procedure.category,
        "regions": list(procedure.regions),
        "imaging": list(procedure.imaging.modalities),
        "anticoagulation_risk": procedure.anticoagulation_risk,
    }


def compare_data(procedures: Sequence[Procedure], fields: Sequence[str]) -> dict[str, Any]:
    return {
        "fields": list(fields),
        "procedures": [
            {"id": p.id, "name": p.name, **{name: to_data(getattr(p, name)) for name in fields}}
            for p in procedures
        ],
    }


def problem_data(problem: Problem) -> dict[str, Any]:
    return {
        "file": problem.file,
        "line": problem.line,
        "path": problem.path,
        "message": problem.message,
    }


def dumps(data: Any) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False)
