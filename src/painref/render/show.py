"""The detail view of one procedure, sections in a clinician's order; any of them on its own.

Each section has a name (`SECTION_NAMES`, what `show --section NAME` takes) and the entry's fields
it draws (`SECTION_FIELDS`, what `show --section NAME --json` prints).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from ..model.procedure import Procedure
from ..query.search import Resolution
from .styled import Block, Group, Text
from .text import NOTICE, RISK_STYLE, bullets, clean, labelled, literal, paragraph, section

GUIDELINE = "ASRA Pain Medicine interventional guideline"


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


def header(p: Procedure, notice: str = NOTICE) -> list[Block]:
    """Name; id, category and regions; the not-medical-advice notice."""
    return [
        literal(p.name, "bold"),
        Text.assemble(
            (p.id, "bold cyan"), "  ·  ", (p.category, "magenta"), "  ·  ", ", ".join(p.regions)
        ),
        Text(notice, style="dim italic"),
    ]


# --- sections -----------------------------------------------------------------------------------


def _summary(p: Procedure) -> Block | None:
    return section("Summary", paragraph(p.summary))


def _plain(p: Procedure) -> Block | None:
    return section("In plain words", paragraph(p.patient_summary))


def _indications(p: Procedure) -> Block | None:
    return section("Indications", bullets(p.indications))


def _conditions(p: Procedure) -> Block | None:
    return section("Conditions treated", bullets(p.conditions))


def _contraindications(p: Procedure) -> Block | None:
    return section(
        "Contraindications",
        Text("Absolute", style="bold"),
        bullets(p.contraindications.absolute),
        Text("Relative", style="bold"),
        bullets(p.contraindications.relative),
    )


def _technique(p: Procedure) -> Block | None:
    return section(
        "Imaging and technique",
        labelled("Guidance", ", ".join(p.imaging.modalities)),
        paragraph(p.imaging.notes),
        bullets(p.technique, numbered=True),
    )


def _medications(p: Procedure) -> Block | None:
    if not p.medications:
        return section("Medications", Text("No medication is part of this procedure.", "dim"))
    lines = []
    for m in p.medications:
        line = m.agent
        if m.dose:
            line += f": {m.dose}"
        if m.notes:
            line += f". {m.notes}"
        lines.append(line)
    return section("Medications", bullets(lines))


def _outcomes(p: Procedure) -> Block | None:
    return section(
        "Outcomes",
        labelled("Expected", p.outcomes.expected),
        labelled("Duration", p.outcomes.duration),
    )


def _complications(p: Procedure) -> Block | None:
    items = (f"{c.event} ({c.frequency})" if c.frequency else c.event for c in p.complications)
    return section("Complications", bullets(items))


def _recovery(p: Procedure) -> Block | None:
    return section("Recovery and aftercare", bullets(p.recovery))


def levels(p: Procedure) -> list[tuple[tuple[str, ...], str, str | None]]:
    """(regions, class, note) for each level class: one, with no regions, unless the class
    depends on the level."""
    if not p.anticoagulation_by_level:  # the common case needs no import of the interval rules
        return [((), p.anticoagulation_risk, p.anticoagulation_note)]
    from ..query.intervals import level_classes

    found = level_classes(p)
    if len({level.risk for level in found}) == 1:
        return [((), found[0].risk, p.anticoagulation_note)]
    return [(level.regions, level.risk, level.note) for level in found]


def risk_line(p: Procedure, label: str = "Bleeding-risk class") -> Text:
    """'Bleeding-risk class: intermediate', or the class at each level where it depends on it."""
    line = Text().append(f"{label}: ", "bold")
    for number, (regions, risk, _) in enumerate(levels(p)):
        if number:
            line.append("; ")
        line.append(risk, RISK_STYLE[risk])
        if regions:
            line.append(f" at {', '.join(regions)}")
    return line


def anticoag_pointer(p: Procedure) -> Text:
    return literal(f"When to stop and restart a blood thinner: painref anticoag DRUG -p {p.id}")


def _anticoagulation(p: Procedure) -> Block | None:
    risk = risk_line(p).append(f" ({GUIDELINE})", "dim")
    notes: list[Block] = []
    if p.anticoagulation_note:
        notes.append(literal(p.anticoagulation_note))
    by_level = [(regions, note) for regions, _, note in levels(p) if regions and note]
    if by_level:
        notes.append(bullets(f"{', '.join(regions)}: {note}" for regions, note in by_level))
    return section("Anticoagulation", risk, *notes, anticoag_pointer(p))


def _codes(p: Procedure) -> Block | None:
    if not p.cpt_codes:
        return section("Codes", labelled("CPT", "none listed"))
    return section("Codes", bullets(f"{c.code}: {c.meaning}" for c in p.cpt_codes))


def _evidence(p: Procedure) -> Block | None:
    return section("Evidence", paragraph(p.evidence))


def _regulatory(p: Procedure) -> Block | None:
    return section("Regulatory status", bullets(p.regulatory)) if p.regulatory else None


def _coverage(p: Procedure) -> Block | None:
    return section("Coverage", bullets(p.coverage)) if p.coverage else None


def _related(p: Procedure) -> Block | None:
    if not p.related:
        return None
    items = (f"{r.relation} {r.id}" + (f": {r.note}" if r.note else "") for r in p.related)
    return section("Pathway and related procedures", bullets(items))


def _caveats(p: Procedure) -> Block | None:
    return section("Caveats and uncertainty", bullets(p.caveats)) if p.caveats else None


def _references(p: Procedure) -> Block | None:
    return section("References", bullets(r.line for r in p.references))


Section = Callable[[Procedure], Block | None]  # None: the entry has nothing for this section

SECTIONS: dict[str, tuple[Section, tuple[str, ...]]] = {
    "summary": (_summary, ("summary",)),
    "plain": (_plain, ("patient_summary",)),
    "indications": (_indications, ("indications",)),
    "conditions": (_conditions, ("conditions",)),
    "contraindications": (_contraindications, ("contraindications",)),
    "technique": (_technique, ("imaging", "technique")),
    "medications": (_medications, ("medications",)),
    "outcomes": (_outcomes, ("outcomes",)),
    "complications": (_complications, ("complications",)),
    "recovery": (_recovery, ("recovery",)),
    "anticoagulation": (
        _anticoagulation,
        ("anticoagulation_risk", "anticoagulation_note", "anticoagulation_by_level"),
    ),
    "codes": (_codes, ("cpt_codes",)),
    "evidence": (_evidence, ("evidence",)),
    "regulatory": (_regulatory, ("regulatory",)),
    "coverage": (_coverage, ("coverage",)),
    "related": (_related, ("related",)),
    "caveats": (_caveats, ("caveats",)),
    "references": (_references, ("references",)),
}
SECTION_NAMES: tuple[str, ...] = tuple(SECTIONS)
SECTION_FIELDS: dict[str, tuple[str, ...]] = {name: f for name, (_, f) in SECTIONS.items()}
# Other words people use for a section.
SECTION_ALIASES = {
    "imaging": "technique",
    "cpt": "codes",
    "bleeding": "anticoagulation",
    "anticoag": "anticoagulation",
    "risks": "complications",
    "sources": "references",
}


def section_name(word: str) -> str | None:
    """The section a word names (any case, or an alias), or None."""
    word = word.strip().lower()
    return word if word in SECTIONS else SECTION_ALIASES.get(word)


def procedure_view(
    procedure: Procedure, origin: str | None = None, sections: Sequence[str] = ()
) -> Group:
    """The full view, or only the named sections (in the order asked) under the header."""
    p = procedure
    parts = header(p)
    if p.aliases and not sections:
        parts.append(labelled("Also called", "; ".join(p.aliases)))
    for name in sections or SECTION_NAMES:
        drawn = SECTIONS[name][0](p)
        if drawn is not None:
            parts.append(drawn)
        elif sections:  # asked for by name: say it is empty rather than print nothing
            parts.append(section(name.capitalize(), Text("None listed for this entry.", "dim")))
    footer = f"Last reviewed {p.last_reviewed.isoformat()}"
    if origin:
        footer += f" · from {origin}"
    parts += [Text(""), literal(footer, "dim")]
    return Group(*parts)
