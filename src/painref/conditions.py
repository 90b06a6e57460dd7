"""From a condition to a plan: conditions and the procedure pathways the literature describes.

`data/conditions.yaml` names each condition with the words people use for it and lists its
pathway as ordered steps (diagnostic, therapeutic, next step if that fails, alternative), each
naming procedure ids, the criterion for moving on where the literature gives one, and sources.
A step naming an id that is not in the procedures dataset is a validation error.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Collection, Iterator, Sequence
from typing import Annotated, Literal

from .errors import DatasetError, Problem
from .model import KEBAB, Meta, Record, Reference, record
from .paths import bundled_file
from .search import NameMatch, any_word_order, close_names, match_names, wratio

BUNDLED_NAME = "conditions.yaml"
StepKind = Literal["diagnostic", "therapeutic", "next-if-fails", "alternative"]
STEP_LABELS: dict[str, str] = {
    "diagnostic": "Diagnostic step",
    "therapeutic": "Therapeutic step",
    "next-if-fails": "If that fails",
    "alternative": "Alternative",
}
Text = Annotated[str, Meta(min_length=1)]
Id = Annotated[str, Meta("kebab-case id", KEBAB)]


@record
class Step(Record):
    """One step of a pathway: the procedures for it and when to move on."""

    step: StepKind
    procedures: Annotated[tuple[Id, ...], Meta("procedure ids", min_items=1)]
    criterion: str | None = None
    note: str | None = None


@record
class Condition(Record):
    """A condition, what people call it, and its procedure pathway."""

    id: Id
    name: Text
    synonyms: tuple[Text, ...] = ()
    summary: Text
    pathway: Annotated[tuple[Step, ...], Meta(min_items=1)]
    references: Annotated[tuple[Reference, ...], Meta(min_items=1)]
    last_reviewed: dt.date


def bundled_path() -> str:
    return bundled_file(BUNDLED_NAME)


def load(
    procedure_ids: Collection[str], path: str | os.PathLike[str] | None = None
) -> list[Condition]:
    """The conditions (bundled by default), checked against the procedure ids that exist."""
    conditions, problems = read(path if path is not None else bundled_path(), procedure_ids)
    if problems:
        raise DatasetError(problems)
    return conditions


def read(
    path: str | os.PathLike[str], procedure_ids: Collection[str]
) -> tuple[list[Condition], list[Problem]]:
    from .dataset import build_records, open_data_file

    document, problems, report = open_data_file(path, "conditions", ["conditions"])
    if document is None:
        return [], problems
    built = build_records(
        document, "conditions", Condition, lambda c: check_condition(c, procedure_ids), report
    )
    return [condition for condition, _, _ in built], problems


def check_condition(
    condition: Condition, procedure_ids: Collection[str]
) -> Iterator[tuple[str, str]]:
    from .dataset import MARKER, check_sourced

    for i, step in enumerate(condition.pathway):
        for procedure_id in step.procedures:
            if procedure_id not in procedure_ids:
                yield f"pathway[{i}].procedures", f"no procedure has the id {procedure_id!r}"
        if step.criterion and not MARKER.search(step.criterion):
            yield f"pathway[{i}].criterion", "a criterion must cite a reference, as [key]"
    yield from check_sourced(condition, condition.references, ["summary", "pathway"])


# --- lookup -----------------------------------------------------------------------------------

MIN_SCORE = 75.0
AMBIGUITY_MARGIN = 3.0
SUGGEST_MIN = 50.0


def _names(condition: Condition) -> tuple[str, ...]:
    return (condition.id, condition.name, *condition.synonyms)


def find(conditions: Sequence[Condition], query: str, limit: int = 5) -> list[NameMatch[Condition]]:
    """Conditions a query names, best first: exact names and synonyms, then fuzzy matches."""
    return match_names(conditions, _names, query, any_word_order, MIN_SCORE)[:limit]


def suggestions(conditions: Sequence[Condition], query: str, limit: int = 3) -> list[str]:
    return close_names(conditions, _names, lambda c: c.id, query, wratio, SUGGEST_MIN, limit)
