"""From a condition to a plan: conditions and the procedure pathways the literature describes.

`data/conditions.yaml` names each condition with the words people use for it and lists its
pathway as ordered steps (diagnostic, therapeutic, next step if that fails, alternative), each
naming procedure ids, the criterion for moving on where the literature gives one, and sources.
A step naming an id that is not in the procedures dataset is a validation error.
"""

import datetime as dt
from typing import Annotated, Literal

from .procedure import Reference
from .record import KEBAB, Meta, Record, record

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
