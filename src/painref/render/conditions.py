"""Views of conditions: the pathway for one, and the list of all."""

from __future__ import annotations

from collections.abc import Sequence

from ..model.condition import STEP_LABELS, Condition
from ..query.conditions import ConditionMatch
from ..store.database import Store
from .grid import Grid
from .styled import Block, Group, Text
from .tables import id_table
from .text import NOTICE, Bullets, bullets, heading, literal, paragraph, section

SYNONYMS_SHOWN = 8  # all of them are searchable; the view names the common ones


def pathway_view(condition: Condition, dataset: Store, others: Sequence[ConditionMatch]) -> Group:
    """The condition's procedures in the order the literature describes, with the criteria."""
    title = Text.assemble(literal(condition.name, "bold"), "  ", (condition.id, "cyan"))
    parts: list[Block] = [title, Text(NOTICE, style="dim italic")]
    if condition.synonyms:
        shown = "; ".join(condition.synonyms[:SYNONYMS_SHOWN])
        more = len(condition.synonyms) - SYNONYMS_SHOWN
        parts.append(literal(f"Also: {shown}" + (f" (and {more} more)" if more > 0 else ""), "dim"))
    parts += [Text(""), paragraph(condition.summary), Text(""), heading("Pathway")]
    number = 0
    for step in condition.pathway:
        if step.step == "alternative":
            marker = "alt."
        else:
            number += 1
            marker = f"{number}."
        names = " or ".join(f"{pid} ({dataset.summary(pid)[0]})" for pid in step.procedures)
        parts.append(Bullets([f"{STEP_LABELS[step.step]}: {names}"], markers=[marker], left=1))
        details = []
        if step.criterion:
            details.append(f"Move on when: {step.criterion}")
        if step.note:
            details.append(step.note)
        if details:
            parts.append(Bullets(details, marker="-", left=6))
    parts.append(Text("See any step with: painref show ID", style="dim"))
    if others:
        close = ", ".join(hit.item.id for hit in others)
        parts.append(Text(f"Also close: {close} (painref for ID)", style="yellow"))
    references = [r.line for r in condition.references]
    parts += [
        section("References", bullets(references)),
        literal(f"Last reviewed {condition.last_reviewed.isoformat()}", "dim"),
    ]
    return Group(*parts)


def condition_list(conditions: Sequence[tuple[str, str, Sequence[str]]]) -> Grid:
    """Every condition: (id, name, synonyms) rows, the first few synonyms shown."""
    return id_table(
        [("Condition", 2), ("Also called", 3)],
        (
            (condition_id, name, ", ".join(synonyms[:4]))
            for condition_id, name, synonyms in conditions
        ),
    )
