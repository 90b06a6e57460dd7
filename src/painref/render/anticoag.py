"""Views of the anticoagulation table: one drug across the risk classes, or one answer."""

from __future__ import annotations

from collections.abc import Sequence

from ..anticoag import ClassRule, Drug, DrugTable, next_class
from ..model import RISK_CLASSES, Procedure
from .grid import Cell, Column, Grid
from .show import RISK_STYLE
from .styled import Block, Group, Text
from .tables import id_table
from .text import NOTICE, bullets, literal, paragraph, section


def _caution(table: DrugTable) -> Text:
    return Text.assemble(("Caution: ", "bold yellow"), literal(table.guideline.caution, "yellow"))


def _title(drug: Drug) -> Group:
    line = Text.assemble((drug.id, "bold cyan"), "  ·  ", literal(drug.drug_class, "magenta"))
    parts: list[Block] = [literal(drug.name, "bold"), line]
    if drug.aliases:
        parts.append(literal("Also: " + ", ".join(drug.aliases), "dim"))
    return Group(*parts)


def _rule_cell(text: str, note: str | None, verified: bool = True) -> Text:
    cell = literal(text, "bold" if verified else "bold red")
    if note:
        cell.append("\n")
        cell.append(literal(note, "dim"))
    return cell


def drug_view(table: DrugTable, drug: Drug) -> Group:
    """Stop and restart for every procedure risk class, with the guideline's cautions."""
    columns = [
        Column("Procedure risk", ratio=0),
        Column("Before the procedure"),
        Column("After the procedure"),
    ]
    rows: list[list[Cell]] = []
    for risk in RISK_CLASSES:
        rule = drug.intervals.for_class(risk)
        rows.append(
            [
                Text(risk, style=RISK_STYLE[risk]),
                _rule_cell(rule.stop.describe(), rule.stop.note, rule.stop.verified),
                _rule_cell(rule.restart.describe(), rule.restart.note, rule.restart.verified),
            ]
        )
    grid = Grid(columns, rows, gap_between_rows=True)
    return Group(
        _title(drug),
        Text(NOTICE, style="dim italic"),
        Text(""),
        _caution(table),
        grid,
        _footer(table, drug),
    )


def answer_view(table: DrugTable, drug: Drug, procedure: Procedure, origin: str | None) -> Group:
    """The one answer for a procedure's risk class, and what changes for a high-risk patient."""
    risk = procedure.anticoagulation_risk
    rule = drug.intervals.for_class(risk)
    head = Text.assemble(
        (drug.name, "bold"), " and ", (procedure.name, "bold"), " (", (procedure.id, "cyan"), ")"
    )
    risk_line = Text.assemble(("Procedure bleeding-risk class: ", "bold"), (risk, RISK_STYLE[risk]))
    parts: list[Block] = [head, Text(NOTICE, style="dim italic"), Text(""), risk_line]
    if procedure.anticoagulation_note:
        parts.append(paragraph(procedure.anticoagulation_note))
    parts += [Text(""), *_rule_lines(rule)]
    higher = next_class(risk)
    if higher is not None:
        other = drug.intervals.for_class(higher)
        patient = Text(f"If the patient is at high bleeding risk, use the {higher} class: ")
        patient.append(f"{other.stop.describe()}; {other.restart.describe().lower()}.", "bold")
        parts += [Text(""), patient, paragraph(table.guideline.high_risk_patients)]
    parts += [Text(""), _caution(table), _footer(table, drug)]
    if origin:
        parts.append(literal(f"Procedure from {origin}", "dim"))
    return Group(*parts)


def _rule_lines(rule: ClassRule) -> list[Block]:
    lines: list[Block] = []
    for item in (rule.stop, rule.restart):
        timed = item.action in ("stop", "restart")
        style = "bold" if item.verified else "bold red"
        lines.append(Text(item.describe() + (" the procedure" if timed else ""), style=style))
        if item.note:
            lines.append(paragraph(item.note))
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
