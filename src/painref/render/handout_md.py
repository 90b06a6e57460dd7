"""Handouts as Markdown that real renderers (CommonMark, cmark-gfm, pandoc) read as intended.

Text from the data is escaped, so it is printed, never acted on. Web addresses are written as
CommonMark autolinks (`<https://...>`): inside the angle brackets nothing is escaped, so a
renderer links the whole address, underscores and all (an escaped `\\_` in a bare address is cut
or mangled by cmark-gfm's and pandoc's own link detection). Several procedures in one file are
separated by a thematic break (`---`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..model.procedure import Procedure, Reference
from ..query.handout import (
    CLINICIAN_NOTICE,
    PATIENT_NOTICE,
    Audience,
    Visit,
    clinic_lines,
    clinical_subtitle,
    patient_title,
    sections_for,
)

# What CommonMark reads as the marker of an ordered list at the start of a line.
_LIST_NUMBER = re.compile(r"(\d{1,9})[.)](?=\s|$)")
BLANK_LINE = "\\_" * 16  # a line to write on; escaped, so it is never read as emphasis or a rule


def escape(text: str) -> str:
    """Data text as literal Markdown: characters Markdown would act on are escaped, and so is a
    start that would make a list, a rule or a heading of it ('1990. ...', '- ...', '==='); line
    breaks and leading spaces, which would end a list item or start a code block, are dropped."""
    text = " ".join(text.split())
    for char in "\\`*_{}<>#|[]~":  # ~: cmark-gfm strikes through text between tildes
        text = text.replace(char, "\\" + char)
    number = _LIST_NUMBER.match(text)
    if number:
        return f"{number[1]}\\{text[number.end(1) :]}"
    return "\\" + text if text[:1] in ("-", "+", "=") else text


def autolink(url: str) -> str:
    """A web address as a CommonMark autolink. The data's addresses have no spaces (the schema
    says so); `<` and `>` would end the link early, so they are percent-encoded."""
    return "<" + url.replace("<", "%3C").replace(">", "%3E") + ">"


def _reference(reference: Reference) -> str:
    line = f"[{reference.key}] {reference.citation}"
    return escape(line) + (f" {autolink(reference.link)}" if reference.link else "")


def _title_lines(procedure: Procedure, audience: Audience) -> list[str]:
    if audience == "clinician":
        return [f"# {escape(procedure.name)}", "", f"*Clinician summary* · `{procedure.id}`", ""]
    lines = [f"# {escape(patient_title(procedure))}", ""]
    subtitle = clinical_subtitle(procedure)
    lines += [
        f"*Patient information* · {escape(subtitle)}" if subtitle else "*Patient information*"
    ]
    return [*lines, ""]


def _clinic_block(visit: Visit) -> list[str]:
    lines = [
        f"- **{label}:** {escape(value) if value else BLANK_LINE}"
        for label, value in clinic_lines(visit)
    ]
    return [*lines, ""]


def to_markdown(
    procedures: Sequence[Procedure], audience: Audience, visit: Visit | None = None
) -> str:
    """Markdown for each procedure, one after another, separated by a rule."""
    visit = visit or Visit()
    notice = PATIENT_NOTICE if audience == "patient" else CLINICIAN_NOTICE
    lines: list[str] = []
    for number, procedure in enumerate(procedures):
        if number:
            lines += ["---", ""]
        lines += _title_lines(procedure, audience)
        if audience == "patient":
            lines += _clinic_block(visit)
        lines += [f"> {notice}", ""]
        for section in sections_for(procedure, audience, visit):
            lines += [f"## {escape(section.title)}", ""]
            lines += [line for text in section.paragraphs for line in (escape(text), "")]
            for index, item in enumerate(section.items, start=1):
                marker = f"{index}." if section.numbered else "-"
                lines.append(f"{marker} {escape(item)}")
            if section.items:
                lines.append("")
        lines += ["## Sources", ""]
        lines += [f"- {_reference(r)}" for r in procedure.references]
        lines += ["", f"Last reviewed {procedure.last_reviewed.isoformat()}.", ""]
    return "\n".join(lines).rstrip("\n") + "\n"
