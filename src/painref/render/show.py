"""The detail view of one procedure, sections in a clinician's order."""

from __future__ import annotations

from ..model.procedure import Procedure
from ..query.search import Resolution
from .styled import Block, Group, Text
from .text import NOTICE, bullets, clean, labelled, literal, paragraph, section

RISK_STYLE = {"low": "green", "intermediate": "yellow", "high": "bold red"}
# The sections of the full view, in order, by the names `show --section` takes.
SECTION_NAMES = (
    "summary", "plain-words", "indications", "conditions", "contraindications", "imaging",
    "technique", "medications", "outcomes", "complications", "recovery", "anticoagulation",
    "codes", "evidence", "regulatory", "coverage", "related", "caveats", "references",
)  # fmt: skip


def ambiguity_note(query: str, resolution: Resolution) -> Text:
    query = clean(query)  # typed by the user, but never to reach the terminal as escape codes
    note = Text(f"'{query}' matches several procedures; showing ", style="yellow")
    note.append(resolution.best.id, style="bold yellow")
    note.append(". Also close:", style="yellow")
    for hit in resolution.alternatives:
        note.append(f"\n  {hit.id}", style="bold")
        note.append(literal(f"  {hit.name}"))
    if resolution.more:
        note.append(f"\n  ... and {resolution.more} more: painref search {query}", style="dim")
    note.append("\nShow one with: painref show ID", style="dim")
    return note


def procedure_view(procedure: Procedure, origin: str | None = None) -> Group:
    p = procedure
    parts: list[Block] = [
        literal(p.name, "bold"),
        Text.assemble(
            (p.id, "bold cyan"),
            "  ·  ",
            (p.category, "magenta"),
            "  ·  ",
            ", ".join(p.regions),
        ),
        Text(NOTICE, style="dim italic"),
    ]
    if p.aliases:
        parts.append(labelled("Also called", "; ".join(p.aliases)))
    parts += [
        section("Summary", paragraph(p.summary)),
        section("In plain words", paragraph(p.patient_summary)),
        section("Indications", bullets(p.indications)),
        section("Conditions treated", bullets(p.conditions)),
        section(
            "Contraindications",
            Text("Absolute", style="bold"),
            bullets(p.contraindications.absolute),
            Text("Relative", style="bold"),
            bullets(p.contraindications.relative),
        ),
        section(
            "Imaging and technique",
            labelled("Guidance", ", ".join(p.imaging.modalities)),
            paragraph(p.imaging.notes),
            bullets(p.technique, numbered=True),
        ),
        section("Medications", _medications(p)),
        section(
            "Outcomes",
            labelled("Expected", p.outcomes.expected),
            labelled("Duration", p.outcomes.duration),
        ),
        section(
            "Complications",
            bullets(
                f"{c.event} ({c.frequency})" if c.frequency else c.event for c in p.complications
            ),
        ),
        section("Recovery and aftercare", bullets(p.recovery)),
        section("Anticoagulation", *_anticoagulation(p)),
        section(
            "Codes",
            bullets(f"{c.code}: {c.meaning}" for c in p.cpt_codes)
            if p.cpt_codes
            else labelled("CPT", "none listed"),
        ),
        section("Evidence", paragraph(p.evidence)),
    ]
    if p.regulatory:
        parts.append(section("Regulatory status and label warnings", bullets(p.regulatory)))
    if p.coverage:
        parts.append(section("Coverage (US payers)", bullets(p.coverage)))
    if p.related:
        parts.append(
            section(
                "Pathway and related procedures",
                bullets(
                    f"{r.relation} {r.id}" + (f": {r.note}" if r.note else "") for r in p.related
                ),
            )
        )
    if p.caveats:
        parts.append(section("Caveats and uncertainty", bullets(p.caveats)))
    parts.append(
        section(
            "References",
            bullets(r.line for r in p.references),
        )
    )
    footer = f"Last reviewed {p.last_reviewed.isoformat()}"
    if origin:
        footer += f" · from {origin}"
    parts += [Text(""), literal(footer, "dim")]
    return Group(*parts)


def _medications(p: Procedure) -> Block:
    if not p.medications:
        return Text("No medication is part of this procedure.", style="dim")
    lines = []
    for m in p.medications:
        line = m.agent
        if m.dose:
            line += f": {m.dose}"
        if m.notes:
            line += f". {m.notes}"
        lines.append(line)
    return bullets(lines)


def _anticoagulation(p: Procedure) -> list[Block]:
    risk = Text.assemble(
        ("Bleeding-risk class: ", "bold"),
        (p.anticoagulation_risk, RISK_STYLE[p.anticoagulation_risk]),
        (" (ASRA Pain Medicine interventional guideline)", "dim"),
    )
    out: list[Block] = [risk]
    for level in p.anticoagulation_by_level:
        line = Text.assemble(
            (f"  {', '.join(level.regions)}: ", "bold"), (level.risk, RISK_STYLE[level.risk])
        )
        if level.note:
            line.append(literal(f"  {level.note}"))
        out.append(line)
    if p.anticoagulation_note:
        out.append(literal(p.anticoagulation_note))
    out.append(
        literal(f"When to stop and restart a blood thinner: painref anticoag DRUG -p {p.id}")
    )
    return out
