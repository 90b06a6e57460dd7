"""The answer to "when does this drug stop and restart for this procedure": by level, for a
patient at high bleeding risk, with kidney function, and on the calendar.

Date convention (also in the views and the README): for a stop of N days before a procedure on
day D, `date` is the first day without the drug, D - N, so the last dose is taken on D - N - 1
(5 days before 2027-03-10: first day without 2027-03-05, last dose 2027-03-04). A range (4-5
days) gives the more cautious end, with the other end beside it. A stop in hours gives the day on
which the stop falls, counted back from the procedure's own clock time (12 hours before a 9 am
procedure is 9 pm the day before). A restart N days after is D + N; N hours after is the day
those hours end at the earliest (24 hours after D is D + 1; 6 hours after may still be D).
"""

import datetime as dt
import math
from typing import NamedTuple

from ..model.drug import ClassRule, Drug, RestartRule, StopRule, next_class
from ..model.procedure import RISK_CLASSES, Procedure, RiskClass


class LevelClass(NamedTuple):
    """The class that applies at some regions of a procedure (all of them when `regions` is ())."""

    regions: tuple[str, ...]
    risk: RiskClass
    note: str | None


class Answer(NamedTuple):
    """The stop and restart rules for one class, as applied to a patient."""

    regions: tuple[str, ...]  # where this answer applies; () for every level
    procedure_class: RiskClass  # the procedure's own class at these regions
    risk: RiskClass  # the class used (one higher for a high-bleeding-risk patient)
    note: str | None  # why the procedure has this class
    stop: StopRule
    restart: RestartRule
    renal_applied: bool


def level_classes(procedure: Procedure, region: str | None = None) -> list[LevelClass]:
    """The classes of a procedure: one, or one per level when the class depends on the level.

    With `region`, only the class that applies there (the default class where the entry sets no
    class for that region).
    """
    levels = procedure.anticoagulation_by_level
    default = LevelClass((), procedure.anticoagulation_risk, procedure.anticoagulation_note)
    if region is not None:
        for level in levels:
            if region in level.regions:
                return [LevelClass((region,), level.risk, level.note)]
        return [default._replace(regions=(region,) if levels else ())]
    if not levels:
        return [default]
    out = [LevelClass(tuple(level.regions), level.risk, level.note) for level in levels]
    covered = {r for level in levels for r in level.regions}
    rest = tuple(r for r in procedure.regions if r not in covered)
    if rest:
        out.append(LevelClass(rest, procedure.anticoagulation_risk, procedure.anticoagulation_note))
    return out


def depends_on_level(procedure: Procedure) -> bool:
    return len({c.risk for c in level_classes(procedure)}) > 1


def applied_class(risk: RiskClass, high_bleeding_risk: bool) -> RiskClass:
    """The class to use: the next one up for a patient at high bleeding risk (high stays high)."""
    return (next_class(risk) or risk) if high_bleeding_risk else risk


def rule_for(drug: Drug, risk: RiskClass, crcl: float | None) -> tuple[ClassRule, bool]:
    """The drug's rules for a class, with a renal stop interval where one applies."""
    rule = drug.intervals.for_class(risk)
    if crcl is not None:
        for renal in drug.renal:
            if renal.applies(crcl, risk):
                return ClassRule(stop=renal.stop, restart=rule.restart), True
    return rule, False


def answers(
    drug: Drug,
    procedure: Procedure,
    region: str | None = None,
    high_bleeding_risk: bool = False,
    crcl: float | None = None,
) -> list[Answer]:
    """One answer per distinct level class of the procedure (one when a region is given)."""
    out = []
    for level in level_classes(procedure, region):
        risk = applied_class(level.risk, high_bleeding_risk)
        rule, renal = rule_for(drug, risk, crcl)
        out.append(
            Answer(level.regions, level.risk, risk, level.note, rule.stop, rule.restart, renal)
        )
    return out


def for_high_risk_patient(
    drug: Drug, procedure: Procedure, found: list[Answer], crcl: float | None = None
) -> Answer | None:
    """What a single answer becomes for a patient at high bleeding risk (the next class up), or
    None when there are several answers or no class above this one."""
    if len(found) != 1 or next_class(found[0].procedure_class) is None:
        return None
    region = found[0].regions[0] if found[0].regions else None
    [higher] = answers(drug, procedure, region, True, crcl)
    return higher


def needs_crcl(drug: Drug) -> bool:
    return bool(drug.renal)


# --- dates --------------------------------------------------------------------------------------

# How the dates below are counted, said wherever a date is shown (the view and `--json`).
DATE_CONVENTION = (
    "Dates: 'first day without the drug' is the procedure date minus the days to stop, so the "
    "last dose is the day before it; a range gives the more cautious date first. Restart dates "
    "are the earliest day; hour-based rules count from the time of the procedure."
)


# The dates --on accepts: a procedure is planned in this century or the next, and counting a
# stop or restart interval from either end stays well inside the calendar.
FIRST_DATE = dt.date(1900, 1, 1)
LAST_DATE = dt.date(2999, 12, 31)


class DateRange(NamedTuple):
    first: dt.date  # the date the rule gives (the more cautious end of a range)
    other: dt.date | None  # the other end of a range


def stop_date(rule: StopRule, on: dt.date) -> DateRange | None:
    """The first day without the drug for a procedure on `on` (None when the rule has no date,
    or the date falls outside the calendar Python can count)."""
    try:
        return _stop_date(rule, on)
    except (OverflowError, ValueError):
        return None


def _stop_date(rule: StopRule, on: dt.date) -> DateRange | None:
    if rule.action != "stop" or rule.value is None:
        return None
    longest = rule.value_max if rule.value_max is not None else rule.value
    if rule.unit == "days":
        first = on - dt.timedelta(days=int(longest))
        other = on - dt.timedelta(days=int(rule.value)) if rule.value_max is not None else None
        return DateRange(first, other)
    if rule.unit == "hours":  # the earliest day the stop can fall on, whatever the clock time
        return DateRange(on - dt.timedelta(days=math.ceil(longest / 24)), None)
    return None  # half-lives depend on the drug taken


def restart_date(rule: RestartRule, on: dt.date) -> DateRange | None:
    """The earliest day the drug may restart after a procedure on `on` (None as for stop_date)."""
    try:
        return _restart_date(rule, on)
    except (OverflowError, ValueError):
        return None


def _restart_date(rule: RestartRule, on: dt.date) -> DateRange | None:
    if rule.action != "restart" or rule.value is None:
        return None
    if rule.unit == "days":
        first = on + dt.timedelta(days=int(rule.value))
        other = on + dt.timedelta(days=int(rule.value_max)) if rule.value_max is not None else None
        return DateRange(first, other)
    if rule.unit == "hours":
        return DateRange(on + dt.timedelta(days=int(rule.value // 24)), None)
    return None


def parse_date(text: str) -> dt.date:
    """An ISO date (YYYY-MM-DD); raises ValueError with the reason."""
    import re

    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text.strip()):
        raise ValueError(f"'{text}' is not a date in the form YYYY-MM-DD")
    date = dt.date.fromisoformat(text.strip())
    if not FIRST_DATE <= date <= LAST_DATE:
        raise ValueError(f"'{text}' is outside {FIRST_DATE} to {LAST_DATE}")
    return date


__all__ = ["RISK_CLASSES", "Answer", "answers", "level_classes", "parse_date"]
