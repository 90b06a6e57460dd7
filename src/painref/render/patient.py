"""The plain-language view of a procedure, from the same sections as the exported handout."""

from __future__ import annotations

from ..model.procedure import Procedure
from ..query.handout import PATIENT_NOTICE, clinical_subtitle, patient_sections, patient_title
from .styled import Block, Group, Text
from .text import bullets, clean, literal, paragraph, section


def patient_view(procedure: Procedure) -> Group:
    """The plain-language title first, the clinical name under it (the handout's order)."""
    subtitle = clinical_subtitle(procedure)
    kind = Text("For patients", style="magenta")
    if subtitle:
        kind = Text.assemble(("For patients", "magenta"), "  ·  ", clean(subtitle))
    parts: list[Block] = [
        literal(patient_title(procedure), "bold"),
        kind,
        Text(""),
        literal(PATIENT_NOTICE, "bold yellow"),
    ]
    for part in patient_sections(procedure):
        body: list[Block] = [paragraph(text) for text in part.paragraphs]
        if part.items:
            body.append(bullets(part.items, numbered=part.numbered))
        parts.append(section(part.title, *body))
    parts.append(section("Sources", bullets([r.line for r in procedure.references])))
    parts += [
        Text(""),
        Text(f"Print it: painref export {procedure.id} --format html -o FILE", style="dim"),
    ]
    return Group(*parts)
