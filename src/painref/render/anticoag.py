"""Views of the anticoagulation table: one drug across the risk classes, or one answer."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from ..model.drug import Drug, DrugTable, Rule
from ..model.procedure import RISK_CLASSES, Procedure
from ..query.intervals import DATE_CONVENTION, Answer
from .grid import Cell, Column, Grid
from .styled import Block, Group, Text
from .tables import id_table
from .text import NOTICE, RISK_STYLE, bullets, literal, paragraph, section


def _caution(table: DrugTable) -> Text:
    return Text.assemble(("Caution: ", "bold yellow"), literal(table.guideline.caution, "yellow"))


def _title(drug: Drug) -> Group:
    line = Text.assemble((drug.id, "bold cyan"), "  ·  ", literal(drug.drug_class, "magenta"))
    parts: list[Block] = [literal(drug.name, "bold"), line]
    if drug.aliases:
        parts.append(literal("Also: " + ", ".join(drug.aliases), "dim"))
    return Group(*parts)


def _rule_cell(rule: Rule, marker: str) -> Text:
    """'Stop 5 days before' in bold, then its grade; the note is listed below the table."""
    cell = literal(rule.describe(), "bold" if rule.verified else "bold red")
    cell.append("\n")
    cell.append(literal(f"[{rule.grade}]" + (f" note {marker}" if rule.note else ""), "dim"))
    return cell


def _notes(rows: Sequence[tuple[str, Rule]]) -> Block:
    """The notes of a table's cells, below it, keyed by the marker in each cell."""
    lines = []
    for marker, rule in rows:
        if rule.note:
            text = f"{marker} {rule.note}"
            if rule.sources:
                each = "; ".join(
                    f"{s.value:g}{f'-{s.value_max:g}' if s.value_max else ''} {s.unit} [{s.source}]"
                    for s in rule.sources
                )
                text += f" Values by source: {each}."
            lines.append(text)
    return section("Notes", bullets(lines)) if lines else Text("")


def drug_view(table: DrugTable, drug: Drug, origin: str | None = None) -> Group:
    """Stop and restart for every procedure risk class, with the guideline's cautions."""
    columns = [
        Column("Procedure risk", ratio=0),
        Column("Before the procedure"),
        Column("After the procedure"),
    ]
    rows: list[list[Cell]] = []
    noted: list[tuple[str, Rule]] = []
    for risk in RISK_CLASSES:
        rule = drug.intervals.for_class(risk)
        stop_marker, restart_marker = f"({risk[0].upper()}1)", f"({risk[0].upper()}2)"
        rows.append(
            [
                Text(risk, style=RISK_STYLE[risk]),
                _rule_cell(rule.stop, stop_marker),
                _rule_cell(rule.restart, restart_marker),
            ]
        )
        noted += [(stop_marker, rule.stop), (restart_marker, rule.restart)]
    parts: list[Block] = [_title(drug), Text(NOTICE, style="dim italic")]
    if origin:
        parts.append(literal(f"Drug entry from {origin} (a local protocol)", "bold yellow"))
    parts += [Text(""), _caution(table), Grid(columns, rows, gap_between_rows=True)]
    parts += [_notes(noted), _footer(table, drug)]
    return Group(*parts)


def answer_view(
    table: DrugTable,
    drug: Drug,
    procedure: Procedure,
    found: Sequence[Answer],
    on: dt.date | None,
    high_bleeding_risk: bool,
    crcl: float | None,
    origins: tuple[str | None, str | None],
) -> Group:
    """The answer for a procedure: one per level where its class depends on the level."""
    head = Text.assemble(
        (drug.name, "bold"), " and ", (procedure.name, "bold"), " (", (procedure.id, "cyan"), ")"
    )
    parts: list[Block] = [head, Text(NOTICE, style="dim italic")]
    if len(found) > 1:
        parts += [Text(""), literal(
            "The bleeding-risk class of this procedure depends on the spinal level; each level's "
            f"answer follows. Name the level for one answer: -p '{procedure.id}' --region "
            f"{found[0].regions[0] if found[0].regions else 'lumbar'}", "yellow")]  # fmt: skip
    for answer in found:
        parts += [Text(""), *_answer_lines(answer, on, high_bleeding_risk)]
    if crcl is None and drug.renal:
        renal = (
            "Kidney function changes this drug's interval: add --crcl with the creatinine "
            "clearance in mL/min."
        )
        parts += [Text(""), literal(renal, "yellow")]
    if not high_bleeding_risk:
        parts += [Text(""), paragraph(
            "For a patient at high bleeding risk, add --high-bleeding-risk: the next class up "
            "applies. " + table.guideline.high_risk_patients)]  # fmt: skip
    if on is not None:
        parts += [Text(""), literal(DATE_CONVENTION, "dim")]
    parts += [Text(""), _caution(table), _footer(table, drug)]
    procedure_origin, drug_origin = origins
    if procedure_origin:
        parts.append(literal(f"Procedure from {procedure_origin}", "dim"))
    if drug_origin:
        parts.append(literal(f"Drug entry from {drug_origin} (a local protocol)", "bold yellow"))
    return Group(*parts)


def _answer_lines(answer: Answer, on: dt.date | None, high_bleeding_risk: bool) -> list[Block]:
    from ..query.intervals import restart_date, stop_date

    where = f" at the {', '.join(answer.regions)} level" if answer.regions else ""
    risk_line = Text.assemble(
        (f"Bleeding-risk class{where}: ", "bold"),
        (answer.procedure_class, RISK_STYLE[answer.procedure_class]),
    )
    if high_bleeding_risk and answer.risk != answer.procedure_class:
        risk_line.append(f"; for this high-bleeding-risk patient: {answer.risk}", "bold")
    lines: list[Block] = [risk_line]
    if answer.note:
        lines.append(paragraph(answer.note))
    for rule, dated in ((answer.stop, stop_date), (answer.restart, restart_date)):
        text = rule.describe() + (" the procedure" if rule.action in ("stop", "restart") else "")
        line = Text.assemble((text, "bold" if rule.verified else "bold red"),
                             (f"  [{rule.grade}]", "dim"))  # fmt: skip
        lines.append(line)
        span = dated(rule, on) if on is not None else None  # type: ignore[arg-type]
        if span is not None:
            label = "First day without the drug" if rule is answer.stop else "Earliest restart"
            other = f" (or {span.other.isoformat()} by the shorter interval)" if span.other else ""
            hours = f"; {rule.interval()} {'before' if rule is answer.stop else 'after'} the " \
                "procedure's time" if rule.unit == "hours" else ""  # fmt: skip
            lines.append(literal(f"{label}: {span.first.isoformat()}{other}{hours}", "bold"))
        if rule.note:
            lines.append(paragraph(rule.note))
    if answer.renal_applied:
        lines.append(literal("The stop interval is the one for this creatinine clearance.", "dim"))
    return lines


def _footer(table: DrugTable, drug: Drug) -> Group:
    parts: list[Block] = []
    if drug.caveats:
        parts.append(section("Caveats", bullets(drug.caveats)))
    guideline = table.guideline
    source = f"{guideline.citation} {guideline.edition}"
    parts.append(section("Source", paragraph(source)))
    references = [r.line for r in drug.references]
    parts.append(section("References", bullets(references)))
    parts.append(literal(f"Last reviewed {drug.last_reviewed.isoformat()}", "dim"))
    return Group(*parts)


def drug_list(drugs: Sequence[Drug]) -> Grid:
    return id_table([("Drug", 1), ("Class", 2)], ((d.id, d.name, d.drug_class) for d in drugs))
