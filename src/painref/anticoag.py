"""Blood thinners around a procedure: the ASRA Pain Medicine intervals, as data.

`data/anticoagulants.yaml` holds, for each drug, when to stop it before a procedure and when to
restart it after, for each of the guideline's procedure bleeding-risk classes (low, intermediate,
high). The classes of the procedures themselves live in `procedures.yaml`. This module is the
model, loading and validation, and the drug lookup; it knows nothing of terminals.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Annotated, Literal

from .errors import DatasetError, Problem
from .model import KEBAB, RISK_CLASSES, Meta, Record, Reference, RiskClass, record
from .paths import bundled_file

BUNDLED_NAME = "anticoagulants.yaml"
# not-verified: this painref release could not confirm the guideline's own interval; the cell
# carries no number, and its note says what is known and why it is unconfirmed.
StopAction = Literal["stop", "continue", "shared-decision", "not-verified"]
RestartAction = Literal["restart", "shared-decision", "not-applicable", "not-verified"]
Unit = Literal["days", "hours", "half-lives"]  # half-lives: the NSAID rule (5 half-lives)
Text = Annotated[str, Meta(min_length=1)]
# How far a rule's number can be trusted:
#   guideline   - checked against a faithful copy of the guideline's own table;
#   secondary   - not in any copy of the table that could be read, but stated alike by at least
#                 two independent secondary sources (cited in the note);
#   conflicting - secondary sources disagree: each value is listed in `sources`, and the rule's
#                 value..value_max spans them;
#   none        - nothing found: the action is not-verified and there is no number.
Provenance = Literal["guideline", "secondary", "conflicting", "none"]
PROVENANCES: tuple[Provenance, ...] = ("guideline", "secondary", "conflicting", "none")


@record
class SourcedValue(Record):
    """One source's value for a rule whose sources disagree."""

    value: float
    value_max: Annotated[float, Meta("upper end of a range")] | None = None
    unit: Unit
    source: Annotated[str, Meta("the reference key that gives this value", KEBAB)]
    note: str | None = None


@record
class Rule(Record):
    """One instruction: stop (before) or restart (after), with the interval where one is set."""

    action: str  # narrowed by StopRule and RestartRule
    value: float | None = None
    value_max: Annotated[float, Meta("upper end of a range, e.g. 4-5 days")] | None = None
    unit: Unit | None = None
    note: str | None = None
    provenance: Annotated[Provenance, Meta("how the number was established")]
    sources: Annotated[
        tuple[SourcedValue, ...], Meta("each source's value, when provenance is conflicting")
    ] = ()

    def interval(self) -> str:
        """'3 days', '4-5 days', '24 hours'; '' when the rule has no number."""
        if self.value is None or self.unit is None:
            return ""
        low = _number(self.value)
        span = f"{low}-{_number(self.value_max)}" if self.value_max is not None else low
        unit = {"days": "day", "hours": "hour", "half-lives": "half-life"}[self.unit]
        return f"{span} {unit if span == '1' else self.unit}"

    def describe(self) -> str:
        """The rule in a few words: 'Stop 3 days before', 'Continue; no need to stop', ..."""
        interval = self.interval()
        return {
            "stop": f"Stop {interval} before",
            "restart": f"Restart {interval} after",
            "continue": "Continue; no need to stop",
            "shared-decision": "No fixed interval: decide with the prescriber",
            "not-applicable": "Nothing to restart (not stopped)",
            "not-verified": "NOT VERIFIED: check the guideline and ask the prescriber",
        }[self.action]

    @property
    def verified(self) -> bool:
        return self.action != "not-verified"


@record
class StopRule(Rule):
    """When to stop the drug before the procedure."""

    action: StopAction


@record
class RestartRule(Rule):
    """When to restart the drug after the procedure."""

    action: RestartAction


@record
class ClassRule(Record):
    """The stop and restart rules for one procedure risk class."""

    stop: StopRule
    restart: RestartRule


@record
class Intervals(Record):
    """The rules for each procedure bleeding-risk class."""

    low: ClassRule
    intermediate: ClassRule
    high: ClassRule

    def for_class(self, risk: RiskClass) -> ClassRule:
        rule: ClassRule = getattr(self, risk)
        return rule


@record
class Drug(Record):
    """One drug (or drug group) with its intervals, caveats and sources."""

    id: Annotated[str, Meta("kebab-case id", KEBAB)]
    name: Text
    drug_class: Text
    aliases: tuple[Text, ...] = ()
    intervals: Intervals
    caveats: tuple[Text, ...] = ()
    references: Annotated[tuple[Reference, ...], Meta(min_items=1)]
    last_reviewed: dt.date


@record
class Guideline(Record):
    """The guideline the numbers follow, and its own cautions."""

    key: Annotated[str, Meta("short key cited in the text as [key]", KEBAB)]
    edition: Text
    citation: Text
    doi: str | None = None
    pmid: str | None = None
    url: str | None = None
    caution: Text
    high_risk_patients: Text


class DrugTable:
    """Every drug in file order, with the guideline they follow."""

    def __init__(self, guideline: Guideline, drugs: Sequence[Drug]) -> None:
        self.guideline = guideline
        self.drugs = tuple(drugs)


def next_class(risk: RiskClass) -> RiskClass | None:
    """The class the guideline suggests for a patient at high bleeding risk."""
    index = RISK_CLASSES.index(risk)
    return RISK_CLASSES[index + 1] if index + 1 < len(RISK_CLASSES) else None


def _number(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


# --- loading and validation -------------------------------------------------------------------


def bundled_path() -> str:
    return bundled_file(BUNDLED_NAME)


def load(path: str | os.PathLike[str] | None = None) -> DrugTable:
    """The drug table (the bundled one by default); raise DatasetError listing every problem."""
    table, problems = read(path if path is not None else bundled_path())
    if problems or table is None:
        raise DatasetError(problems)
    return table


def read(path: str | os.PathLike[str]) -> tuple[DrugTable | None, list[Problem]]:
    from .dataset import build_records, open_data_file
    from .schema import INVALID, build, child_line

    document, problems, report = open_data_file(path, "drugs", ["guideline", "drugs"])
    if document is None:
        return None, problems
    guideline = build(
        Guideline, document.get("guideline"), "guideline", child_line(document, "guideline"), report
    )
    drugs = [drug for drug, _, _ in build_records(document, "drugs", Drug, check_drug, report)]
    if guideline is INVALID or problems:
        return None, problems
    return DrugTable(guideline, drugs), problems


_DIGIT = re.compile(r"\d")


def check_drug(drug: Drug) -> Iterator[tuple[str, str]]:
    """Rules a type cannot say: numbers go with stop/restart, ranges ascend, facts are cited."""
    from .dataset import MARKER, check_sourced

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
    from .dataset import MARKER

    if (rule.provenance == "none") != (rule.action == "not-verified"):
        yield f"{where}.provenance", "provenance 'none' goes with action 'not-verified', and only it"
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
            yield f"{where}.sources[{i}].source", f"{source.source!r} is not a reference key"


# --- lookup -----------------------------------------------------------------------------------


@dataclass(slots=True, eq=False, repr=False)
class DrugMatch:
    """What a drug query found: one drug, or several that the words fit equally well."""

    drugs: tuple[Drug, ...]
    matched: str  # the name, brand or class word that matched, as written in the data
    exact: bool


FUZZY_MIN = 85.0
FUZZY_MARGIN = 5.0
SUGGEST_MIN = 70.0


def _names(drug: Drug) -> tuple[str, ...]:
    return (drug.id, drug.name, *drug.aliases)


def find_drug(table: DrugTable, query: str) -> DrugMatch | None:
    """The drug a query names: by id, name, brand or class word, exactly or with a typo.

    A word shared by several drugs (a class such as "DOAC") returns all of them; it is never
    narrowed to one by guessing. Typos are matched with rapidfuzz, and only when one drug is
    clearly closest.
    """
    from .search import match_names, wratio

    matches = match_names(table.drugs, _names, query, wratio, 0.0)
    if not matches:
        return None
    best = matches[0]
    if best.exact:
        return DrugMatch(tuple(m.item for m in matches), best.matched, exact=True)
    runner_up = matches[1].score if len(matches) > 1 else 0.0
    if best.score < FUZZY_MIN or best.score - runner_up < FUZZY_MARGIN:
        return None
    return DrugMatch((best.item,), best.matched, exact=False)


def suggestions(table: DrugTable, query: str, limit: int = 3) -> list[str]:
    """Drug ids close to a query that matched nothing, for a 'did you mean' line."""
    from .search import close_names, edit_ratio

    return close_names(table.drugs, _names, lambda d: d.id, query, edit_ratio, SUGGEST_MIN, limit)
