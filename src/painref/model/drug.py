"""Blood thinners around a procedure: the record types of the ASRA Pain Medicine intervals.

`data/anticoagulants.yaml` holds, for each drug, when to stop it before a procedure and when to
restart it after, for each of the guideline's procedure bleeding-risk classes (low, intermediate,
high). The classes of the procedures themselves live in `procedures.yaml`.
"""

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Annotated, Literal

from .procedure import RISK_CLASSES, Reference, RiskClass
from .record import KEBAB, Meta, Record, record

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
#   none        - nothing found: the action is not-verified and there is no number;
#   local       - an institution's own protocol (an overlay file), not graded by painref.
Provenance = Literal["guideline", "secondary", "conflicting", "none", "local"]
PROVENANCES: tuple[Provenance, ...] = ("guideline", "secondary", "conflicting", "none", "local")
PROVENANCE_LABELS: dict[str, str] = {
    "guideline": "guideline table",
    "secondary": "secondary sources, not the guideline's table",
    "conflicting": "sources disagree",
    "none": "no source found",
    "local": "local protocol",
}


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
    provenance: Annotated[Provenance, Meta("how the number was established")] = "local"
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
        """The rule in a few words, always naming stop or restart: 'Stop 3 days before', ..."""
        interval = self.interval()
        restart = isinstance(self, RestartRule)
        word = "Restart" if restart else "Stop"
        return {
            "stop": f"Stop {interval} before",
            "restart": f"Restart {interval} after",
            "continue": "Stop: not needed (continue the drug)",
            "shared-decision": f"{word}: no fixed {'time' if restart else 'interval'}; "
            "decide with the prescriber",
            "not-applicable": "Restart: nothing to restart (not stopped)",
            "not-verified": f"{word}: no sourced number; ask the prescriber",
        }[self.action]

    @property
    def grade(self) -> str:
        """How far the number can be trusted, in words (see Provenance)."""
        return PROVENANCE_LABELS[self.provenance]

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
class RenalRule(Record):
    """A stop interval that replaces the usual one when kidney function is reduced."""

    crcl_below: Annotated[float, Meta("applies when creatinine clearance (mL/min) is below this")]
    crcl_at_least: Annotated[float, Meta("and at least this (mL/min)")] | None = None
    classes: Annotated[
        tuple[RiskClass, ...], Meta("the procedure classes it applies to", min_items=1)
    ]
    stop: StopRule

    def applies(self, crcl: float, risk: RiskClass) -> bool:
        low = self.crcl_at_least if self.crcl_at_least is not None else float("-inf")
        return risk in self.classes and low <= crcl < self.crcl_below


@record
class Drug(Record):
    """One drug (or drug group) with its intervals, caveats and sources."""

    id: Annotated[str, Meta("kebab-case id", KEBAB)]
    name: Text
    drug_class: Text
    aliases: tuple[Text, ...] = ()
    intervals: Intervals
    renal: Annotated[
        tuple[RenalRule, ...], Meta("stop intervals that depend on creatinine clearance")
    ] = ()
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
    """Every drug in file order, with the guideline they follow. The drugs may be given as a
    function that reads them, called once when they are first needed: an answer about one drug
    needs the guideline, not the other thirty."""

    def __init__(
        self, guideline: Guideline, drugs: Sequence[Drug] | Callable[[], Sequence[Drug]]
    ) -> None:
        self.guideline = guideline
        self._drugs = drugs if callable(drugs) else tuple(drugs)

    @property
    def drugs(self) -> tuple[Drug, ...]:
        if callable(self._drugs):
            self._drugs = tuple(self._drugs())
        return self._drugs


def next_class(risk: RiskClass) -> RiskClass | None:
    """The class the guideline suggests for a patient at high bleeding risk."""
    index = RISK_CLASSES.index(risk)
    return RISK_CLASSES[index + 1] if index + 1 < len(RISK_CLASSES) else None


def _number(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"
