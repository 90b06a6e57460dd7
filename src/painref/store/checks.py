"""Rules a type cannot say: citations resolve, numbers and outcomes are cited, links are real.

These checks run on records already built by the schema; each yields (field path, message).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Iterator, Sequence
from typing import Any

from ..model.condition import Condition
from ..model.drug import Drug, Rule
from ..model.procedure import RISK_CLASSES, Procedure, Reference
from ..model.record import Record, field_names
from ..model.schema import key_text
from ..printable import quote

MARKER = re.compile(r"\[([a-z0-9][a-z0-9-]*)\]")


def check_sourced(
    record: Any, references: Sequence[Reference], sections: Iterable[str]
) -> Iterator[tuple[str, str]]:
    """The citation rules for the texts under `sections` (top-level fields) of a record (see
    check_citations). Only those fields are walked: the references alone hold a third of an
    entry's texts."""
    strings: list[str] = []
    for name in sections:
        _collect_strings(getattr(record, name), strings)
    if not any(check_citations(references, (("", text) for text in strings))):
        return iter(())  # the usual case: nothing to report, so no field path was needed
    texts = [found for name in sections for found in record_texts(getattr(record, name), name)]
    return check_citations(references, texts)


def check_citations(
    references: Sequence[Reference], texts: Iterable[tuple[str, str]]
) -> Iterator[tuple[str, str]]:
    """Every [key] cited in `texts` names one of `references`; each reference has an address."""
    keys: set[str] = set()
    for i, ref in enumerate(references):
        if ref.key in keys:
            yield f"references[{i}].key", f"reference key {quote(ref.key)} is used twice"
        keys.add(ref.key)
        if not (ref.doi or ref.pmid or ref.url):
            yield f"references[{i}]", "a reference needs a doi, pmid or url"
    for path, text in texts:
        for key in MARKER.findall(text):
            if key not in keys:
                yield (
                    path,
                    f"cites [{key_text(key)}], which is not a key in this entry's references",
                )
        if "%" in text and not MARKER.search(text):
            yield path, "states a percentage without citing a reference [key]"


# --- checks the type system cannot express ------------------------------------------------------


def record_texts(value: Any, path: str = "") -> list[tuple[str, str]]:
    """Every string inside a model value, with its field path, in field order."""
    found: list[tuple[str, str]] = []
    _collect_texts(value, path, found)
    return found


def _collect_texts(value: Any, path: str, found: list[tuple[str, str]]) -> None:
    if isinstance(value, str):
        found.append((path, value))
    elif isinstance(value, tuple):
        for i, item in enumerate(value):
            _collect_texts(item, f"{path}[{i}]", found)
    elif isinstance(value, Record):
        for name in field_names(type(value)):
            _collect_texts(getattr(value, name), f"{path}.{name}" if path else name, found)


def _collect_strings(value: Any, found: list[str]) -> None:
    """Every string inside a model value, without its path (see _collect_texts)."""
    if isinstance(value, str):
        found.append(value)
    elif isinstance(value, tuple):
        for item in value:
            _collect_strings(item, found)
    elif isinstance(value, Record):
        for name in field_names(type(value)):
            _collect_strings(getattr(value, name), found)


# Every field but the references themselves, the id and the review date must follow its sources.
_SOURCED_FIELDS = tuple(
    name for name in field_names(Procedure) if name not in ("references", "id", "last_reviewed")
)


def check_procedure(procedure: Procedure) -> Iterator[tuple[str, str]]:
    """Sourcing rules: every cited [key] resolves, and numbers and outcomes carry a citation."""
    yield from check_sourced(procedure, procedure.references, _SOURCED_FIELDS)
    must_cite = {
        "outcomes.expected": procedure.outcomes.expected,
        "outcomes.duration": procedure.outcomes.duration,
        "evidence": procedure.evidence,
    }
    for i, complication in enumerate(procedure.complications):
        if complication.frequency:
            must_cite[f"complications[{i}].frequency"] = complication.frequency
    for i, medication in enumerate(procedure.medications):
        if medication.dose:
            must_cite[f"medications[{i}].dose"] = f"{medication.dose} {medication.notes or ''}"
    for path, text in must_cite.items():
        if not MARKER.search(text):
            yield path, "must cite a reference, as [key]"
    for i, level in enumerate(procedure.anticoagulation_by_level):
        for region in level.regions:
            if region not in procedure.regions:
                yield (
                    f"anticoagulation_by_level[{i}].regions",
                    f"{quote(region)} is not one of this entry's regions",
                )
    for i, related in enumerate(procedure.related):
        if related.id == procedure.id:
            yield f"related[{i}].id", "a procedure cannot be related to itself"


_DIGIT = re.compile(r"\d")


def check_drug(drug: Drug) -> Iterator[tuple[str, str]]:
    """Rules a type cannot say: numbers go with stop/restart, ranges ascend, facts are cited."""
    for risk in RISK_CLASSES:
        for kind in ("stop", "restart"):
            rule: Rule = getattr(drug.intervals.for_class(risk), kind)
            where = f"intervals.{risk}.{kind}"
            timed = rule.action in ("stop", "restart")
            if timed and (rule.value is None or rule.unit is None):
                yield where, f"action {rule.action!r} needs a value and a unit"
            if not timed and (rule.value is not None or rule.value_max is not None):
                yield where, f"action {rule.action!r} takes no value"
            if rule.action == "not-verified" and not rule.note:
                yield f"{where}.note", "a not-verified rule must say what is known and why"
            yield from _check_provenance(rule, where, drug)
            if rule.value is not None and rule.value < 0:
                yield f"{where}.value", "must not be negative"
            if rule.value_max is not None and (rule.value is None or rule.value_max <= rule.value):
                yield f"{where}.value_max", "must be greater than value"
            if (timed or (rule.note and _DIGIT.search(rule.note))) and not (
                rule.note and MARKER.search(rule.note)
            ):
                yield f"{where}.note", "a timed rule or a number must cite a reference, as [key]"
    for i, caveat in enumerate(drug.caveats):
        if not MARKER.search(caveat):
            yield f"caveats[{i}]", "must cite a reference, as [key]"
    yield from check_sourced(drug, drug.references, ["intervals", "caveats"])


def _check_provenance(rule: Rule, where: str, drug: Drug) -> Iterator[tuple[str, str]]:
    """A rule's grade agrees with what it says: no number without a source, disagreement shown."""
    if rule.provenance != "local" and (rule.provenance == "none") != (
        rule.action == "not-verified"
    ):
        yield (
            f"{where}.provenance",
            "provenance 'none' goes with action 'not-verified', and only it",
        )
    cited = set(MARKER.findall(rule.note or ""))
    if rule.provenance == "secondary" and len(cited - {"asra-2018"}) < 2:
        yield f"{where}.note", "a secondary rule cites at least two sources besides the guideline"
    if rule.provenance == "conflicting":
        spans = {(s.value, s.value_max, s.unit) for s in rule.sources}
        if len(rule.sources) < 2 or len(spans) < 2:
            yield f"{where}.sources", "a conflicting rule lists at least two differing values"
        elif rule.value is not None:
            top = rule.value_max if rule.value_max is not None else rule.value
            for s in rule.sources:
                high = s.value_max if s.value_max is not None else s.value
                if s.unit != rule.unit or s.value < rule.value or high > top:
                    yield f"{where}.sources", "the rule's range must span every source's value"
                    break
    elif rule.sources:
        yield f"{where}.sources", "only a conflicting rule lists sources' values"
    keys = {ref.key for ref in drug.references}
    for i, source in enumerate(rule.sources):
        if source.source not in keys:
            yield f"{where}.sources[{i}].source", f"{quote(source.source)} is not a reference key"


def check_condition(condition: Condition) -> Iterator[tuple[str, str]]:
    """A condition's criteria and texts cite its references."""
    for i, step in enumerate(condition.pathway):
        if step.criterion and not MARKER.search(step.criterion):
            yield f"pathway[{i}].criterion", "a criterion must cite a reference, as [key]"
    yield from check_sourced(condition, condition.references, ["summary", "pathway"])


def check_condition_steps(
    condition: Condition, procedure_ids: Collection[str]
) -> Iterator[tuple[int, str]]:
    """(step index, problem) for each pathway step naming a procedure id that does not exist."""
    for i, step in enumerate(condition.pathway):
        for procedure_id in step.procedures:
            if procedure_id not in procedure_ids:
                yield i, f"no procedure has the id {quote(procedure_id)}"
