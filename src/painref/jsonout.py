"""JSON from the model (never from rendered text). No terminal libraries are imported here."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from .errors import Problem
from .model import RISK_CLASSES, Procedure
from .schema import to_plain
from .search import Hit

if TYPE_CHECKING:
    from .anticoag import ClassRule, Drug, DrugTable
    from .conditions import Condition
    from .model import Dataset

to_data = to_plain  # the JSON form of a model value is its plain form


def hit_data(hit: Hit) -> dict[str, Any]:
    return {
        "id": hit.id,
        "name": hit.name,
        "category": hit.category,
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


def drug_data(table: DrugTable, drug: Drug) -> dict[str, Any]:
    """A drug's intervals with numbers as numbers and the unit spelled out."""
    return {
        "id": drug.id,
        "name": drug.name,
        "drug_class": drug.drug_class,
        "aliases": list(drug.aliases),
        "intervals": {risk: rule_data(drug.intervals.for_class(risk)) for risk in RISK_CLASSES},
        "caveats": list(drug.caveats),
        "references": to_data(drug.references),
        "last_reviewed": drug.last_reviewed.isoformat(),
        "guideline": guideline_data(table),
    }


def answer_data(table: DrugTable, drug: Drug, procedure: Procedure) -> dict[str, Any]:
    """`anticoag DRUG -p PROCEDURE`: the answer for the procedure's class, and the next class up
    for a patient at high bleeding risk (null above high)."""
    from .anticoag import next_class

    risk = procedure.anticoagulation_risk
    higher = next_class(risk)
    return {
        "drug": drug_data(table, drug),
        "procedure": {
            **summary_data(procedure),
            "anticoagulation_note": procedure.anticoagulation_note,
        },
        "answer": {"risk_class": risk, **rule_data(drug.intervals.for_class(risk))},
        "high_bleeding_risk_patient": (
            {"risk_class": higher, **rule_data(drug.intervals.for_class(higher))}
            if higher
            else None
        ),
    }


def rule_data(rule: ClassRule) -> dict[str, Any]:
    return {
        kind: {
            "action": item.action,
            "value": item.value,
            "value_max": item.value_max,
            "unit": item.unit,
            "verified": item.verified,
            "text": item.describe(),
            "note": item.note,
        }
        for kind, item in (("stop", rule.stop), ("restart", rule.restart))
    }


def guideline_data(table: DrugTable) -> dict[str, Any]:
    return to_data(table.guideline)  # type: ignore[no-any-return]


def condition_data(condition: Condition, dataset: Dataset) -> dict[str, Any]:
    """A condition with its pathway; each step's procedures carry their names."""
    return {
        "id": condition.id,
        "name": condition.name,
        "synonyms": list(condition.synonyms),
        "summary": condition.summary,
        "pathway": [
            {
                "step": step.step,
                "procedures": [
                    {"id": pid, "name": dataset.summary(pid)[0]} for pid in step.procedures
                ],
                "criterion": step.criterion,
                "note": step.note,
            }
            for step in condition.pathway
        ],
        "references": to_data(condition.references),
        "last_reviewed": condition.last_reviewed.isoformat(),
    }


def patient_data(procedure: Procedure) -> dict[str, Any]:
    """The plain-language parts of an entry (`show --patient --json`)."""
    return {
        "id": procedure.id,
        "name": procedure.name,
        "patient_summary": procedure.patient_summary,
        "patient": to_data(procedure.patient) if procedure.patient else None,
        "references": to_data(procedure.references),
        "last_reviewed": procedure.last_reviewed.isoformat(),
    }
