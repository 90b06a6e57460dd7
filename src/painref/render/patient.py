"""The plain-language view of a procedure, from the same sections as the exported handout."""

from __future__ import annotations

from ..model.procedure import Procedure
from ..query.handout import PATIENT_NOTICE, patient_sections
from .styled import Block, Group, Text
from .text import bullets, literal, paragraph, section


def patient_view(procedure: Procedure) -> Group:
    parts: list[Block] = [
        literal(procedure.name, "bold"),
        Text.assemble(("For patients", "magenta"), "  ·  ", (procedure.id, "cyan")),
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
