"""JSON from the model (never from rendered text). No terminal libraries are imported here."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ..errors import Problem
from ..model.procedure import Listing, Procedure
from ..model.schema import to_plain
from ..query.search import Hit

if TYPE_CHECKING:
    from ..model.condition import Condition
    from ..model.drug import Drug, DrugTable, Rule
    from ..query.intervals import Answer
    from ..store.database import Store as Dataset

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


def summary_data(listing: Listing) -> dict[str, Any]:
    """The short form used by `list` (and for the procedure an answer is about)."""
    return {
        "id": listing.id,
        "name": listing.name,
        "category": listing.category,
        "regions": list(listing.regions),
        "imaging": list(listing.modalities),
        "anticoagulation_risk": listing.anticoagulation_risk,
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


# What `json.dumps(ensure_ascii=False)` leaves raw but `painref.printable` hides: C1 controls
# (\x9b is a terminal's CSI), line separators, bidirectional overrides and lone surrogates.
_RAW_IN_JSON = re.compile("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def dumps(data: Any) -> str:
    """JSON as painref prints it: UTF-8 text, with every character a terminal would act on
    written as a JSON escape (the value read back is the same)."""
    text = json.dumps(data, indent=2, ensure_ascii=False)
    if _RAW_IN_JSON.search(text):
        text = _RAW_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
    return text


def drug_data(table: DrugTable, drug: Drug) -> dict[str, Any]:
    """A drug as its schema's plain form, so that without `guideline` it is itself a valid entry
    of a `drugs:` file (a clinic can start its protocol from it)."""
    return {**to_plain(drug), "guideline": guideline_data(table)}


def answer_data(
    table: DrugTable,
    drug: Drug,
    procedure: Procedure,
    found: Sequence[Answer],
    on: dt.date | None,
    high_bleeding_risk: bool,
    crcl: float | None,
    higher: Answer | None = None,
) -> dict[str, Any]:
    """`anticoag DRUG -p PROCEDURE`: one answer per level class (`answers`), `answer` when there
    is exactly one, and `higher`, that answer for a patient at high bleeding risk."""
    from ..query.intervals import DATE_CONVENTION

    answers = [_answer_data(a, on) for a in found]
    single = found[0] if len(found) == 1 else None
    higher_patient = _answer_data(higher, on) if higher is not None else None
    return {
        "drug": drug_data(table, drug),
        "procedure": {
            **summary_data(Listing.of(procedure)),
            "anticoagulation_note": procedure.anticoagulation_note,
            "anticoagulation_by_level": to_plain(procedure.anticoagulation_by_level),
        },
        "on": on.isoformat() if on else None,
        "high_bleeding_risk": high_bleeding_risk,
        "crcl": crcl,
        "answer": answers[0] if single is not None else None,
        "answers": answers,
        "high_bleeding_risk_patient": higher_patient,
        "date_convention": DATE_CONVENTION if on else None,
    }


def _answer_data(answer: Answer, on: dt.date | None) -> dict[str, Any]:
    from ..query.intervals import restart_date, stop_date

    out: dict[str, Any] = {
        "regions": list(answer.regions),
        "procedure_class": answer.procedure_class,
        "risk_class": answer.risk,
        "note": answer.note,
        "renal_adjusted": answer.renal_applied,
    }
    for kind, rule, dated in (
        ("stop", answer.stop, stop_date),
        ("restart", answer.restart, restart_date),
    ):
        data = rule_data(rule)
        span = dated(rule, on) if on is not None else None  # type: ignore[arg-type]
        data["date"] = span.first.isoformat() if span else None
        data["date_other"] = span.other.isoformat() if span and span.other else None
        out[kind] = data
    return out


def rule_data(rule: Rule) -> dict[str, Any]:
    return {
        "action": rule.action,
        "value": rule.value,
        "value_max": rule.value_max,
        "unit": rule.unit,
        "provenance": rule.provenance,
        "grade": rule.grade,
        "sources": to_plain(rule.sources),
        "text": rule.describe(),
        "note": rule.note,
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


def brief_data(procedure: Procedure) -> dict[str, Any]:
    """`show --brief --json`: the brief (or, without one, the summary's first sentence), imaging,
    the bleeding-risk class by level and the CPT codes."""
    from .brief import first_sentence
    from .show import levels

    brief = procedure.brief
    return {
        "id": procedure.id,
        "name": procedure.name,
        "from_brief": brief is not None,
        "what": brief.what if brief else first_sentence(procedure.summary),
        "key_points": list(brief.key_points) if brief else [],
        "complications": list(brief.complications) if brief else [],
        "imaging": list(procedure.imaging.modalities),
        "bleeding_risk": [
            {"regions": list(regions), "risk_class": risk} for regions, risk, _ in levels(procedure)
        ],
        "cpt_codes": to_data(procedure.cpt_codes),
    }


def section_data(procedure: Procedure, sections: Sequence[str]) -> dict[str, Any]:
    """`show --section NAME --json`: the entry's fields behind those sections, by field name."""
    from .show import SECTION_FIELDS

    fields = dict.fromkeys(f for name in sections for f in SECTION_FIELDS[name])
    return {
        "id": procedure.id,
        "name": procedure.name,
        **{field: to_data(getattr(procedure, field)) for field in fields},
    }


def handout_data(procedures: Sequence[Procedure], audience: str) -> list[dict[str, Any]]:
    """`export --json`: each procedure's handout as its titled sections, as the files have them."""
    from ..query import handout

    who: handout.Audience = "clinician" if audience == "clinician" else "patient"
    notice = handout.CLINICIAN_NOTICE if who == "clinician" else handout.PATIENT_NOTICE
    return [
        {
            "id": p.id,
            "name": p.name,
            "audience": who,
            "notice": notice,
            "sections": [
                {
                    "title": part.title,
                    "paragraphs": list(part.paragraphs),
                    "items": list(part.items),
                    "numbered": part.numbered,
                }
                for part in handout.sections_for(p, who)
            ],
            "references": to_data(p.references),
            "last_reviewed": p.last_reviewed.isoformat(),
        }
        for p in procedures
    ]
