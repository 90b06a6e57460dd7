"""Handouts: a procedure as titled sections, and those sections as Markdown or HTML.

The same sections feed the terminal's patient view (`render/patient.py`) and the exported files,
so a patient reads the same words on screen and on paper. Nothing here knows about terminals.
"""

from __future__ import annotations

import contextlib
import html
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from ..model.procedure import Procedure

Audience = Literal["patient", "clinician"]
Format = Literal["markdown", "html"]
PATIENT_NOTICE = (
    "This sheet explains a procedure in general terms. It is not medical advice and does not "
    "replace a talk with your own doctor, who knows your health and will decide with you."
)
CLINICIAN_NOTICE = (
    "Reference summary, not medical advice. Decisions belong to the treating clinicians; check "
    "the cited sources and local protocols."
)
BLOOD_THINNER_LINE = (
    "If you take a blood thinner, do not stop it on your own. Stop it only if the doctor who "
    "prescribed it tells you to."
)


@dataclass(slots=True)
class Section:
    title: str
    paragraphs: list[str] = field(default_factory=list)
    items: list[str] = field(default_factory=list)
    numbered: bool = False


def patient_sections(procedure: Procedure) -> list[Section]:
    """What it is, why, how to prepare, the day, after, relief, warning signs, questions."""
    guide = procedure.patient
    sections = [Section("What it is", [procedure.patient_summary])]
    if guide is None:
        sections.append(
            Section("More information", ["Ask your doctor to explain this procedure to you."])
        )
        return sections
    prepare = list(guide.prepare)
    if not any("blood thinner" in line.lower() for line in prepare):
        prepare.append(BLOOD_THINNER_LINE)  # the rule every patient sheet must carry
    sections += [
        Section("Why it is done", [guide.why]),
        Section("How to prepare", items=prepare),
        Section("On the day", items=list(guide.day), numbered=True),
        Section("Afterwards", items=list(guide.after)),
        Section("When relief comes and how long it lasts", [guide.relief]),
        Section("Call your care team, or get emergency care, if", items=list(guide.warning_signs)),
        Section("Questions to ask your doctor", items=list(guide.questions)),
    ]
    return sections


def clinician_sections(procedure: Procedure) -> list[Section]:
    """The clinician summary, in the order of `painref show`."""
    p = procedure
    meds = [
        m.agent + (f": {m.dose}" if m.dose else "") + (f". {m.notes}" if m.notes else "")
        for m in p.medications
    ]
    anticoag = [f"Bleeding-risk class (ASRA Pain Medicine): {p.anticoagulation_risk}."]
    if p.anticoagulation_note:
        anticoag.append(p.anticoagulation_note)
    return [
        Section("Summary", [p.summary]),
        Section("Indications", items=list(p.indications)),
        Section("Absolute contraindications", items=list(p.contraindications.absolute)),
        Section("Relative contraindications", items=list(p.contraindications.relative)),
        Section(
            "Imaging and technique",
            [f"Guidance: {', '.join(p.imaging.modalities)}. {p.imaging.notes}"],
            list(p.technique),
            numbered=True,
        ),
        Section("Medications", items=meds or ["No medication is part of this procedure."]),
        Section(
            "Outcomes", [f"Expected: {p.outcomes.expected}", f"Duration: {p.outcomes.duration}"]
        ),
        Section(
            "Complications",
            items=[
                f"{c.event} ({c.frequency})" if c.frequency else c.event for c in p.complications
            ],
        ),
        Section("Recovery and aftercare", items=list(p.recovery)),
        Section("Anticoagulation", anticoag),
        Section("Codes", [f"CPT: {', '.join(c.code for c in p.cpt_codes) or 'none listed'}"]),
        Section("Evidence", [p.evidence]),
        *([Section("Caveats and uncertainty", items=list(p.caveats))] if p.caveats else []),
    ]


def sections_for(procedure: Procedure, audience: Audience) -> list[Section]:
    return patient_sections(procedure) if audience == "patient" else clinician_sections(procedure)


# --- Markdown ---------------------------------------------------------------------------------


def _md_escape(text: str) -> str:
    # Data text is printed as text: characters Markdown would act on are escaped, brackets and
    # '!' among them, so `[text](javascript:...)` or `![x](https://...)` is never a live link or
    # image; a line break inside a value cannot start a list, quote or heading of its own.
    for char in "\\`*_{}[]<>#|!~":
        text = text.replace(char, "\\" + char)
    return " ".join(text.split("\n")) if "\n" in text else text


def to_markdown(procedures: Sequence[Procedure], audience: Audience) -> str:
    notice = PATIENT_NOTICE if audience == "patient" else CLINICIAN_NOTICE
    lines: list[str] = []
    for procedure in procedures:
        kind = "Patient information" if audience == "patient" else "Clinician summary"
        lines += [f"# {_md_escape(procedure.name)}", "", f"*{kind}* · `{procedure.id}`", ""]
        lines += [f"> {notice}", ""]
        for section in sections_for(procedure, audience):
            lines += [f"## {section.title}", ""]
            lines += [line for text in section.paragraphs for line in (_md_escape(text), "")]
            for number, item in enumerate(section.items, start=1):
                marker = f"{number}." if section.numbered else "-"
                lines.append(f"{marker} {_md_escape(item)}")
            if section.items:
                lines.append("")
        lines += ["## Sources", ""]
        lines += [f"- {_md_escape(r.line)}" for r in procedure.references]
        lines += ["", f"Last reviewed {procedure.last_reviewed.isoformat()}.", ""]
    return "\n".join(lines).rstrip("\n") + "\n"


# --- HTML -------------------------------------------------------------------------------------

_CSS = """
@page { size: auto; margin: 18mm 16mm; }
* { box-sizing: border-box; }
body { font: 11.5pt/1.5 Georgia, "Times New Roman", serif; color: #111; max-width: 46em;
       margin: 2em auto; padding: 0 1em; }
h1 { font: bold 1.7em/1.2 Helvetica, Arial, sans-serif; margin: 0 0 .2em; }
h2 { font: bold 1.15em/1.3 Helvetica, Arial, sans-serif; margin: 1.2em 0 .3em;
     border-bottom: 1px solid #bbb; break-after: avoid; page-break-after: avoid; }
.kind { color: #555; font-family: Helvetica, Arial, sans-serif; margin: 0 0 .8em; }
.notice { border: 1.5px solid #333; padding: .6em .8em; margin: .8em 0 1em; }
ul, ol { padding-left: 1.4em; margin: .3em 0; }
li { margin: .15em 0; break-inside: avoid; page-break-inside: avoid; }
.sources { font-size: .85em; color: #333; overflow-wrap: anywhere; }
article + article { break-before: page; page-break-before: always; }
footer { font-size: .8em; color: #555; margin-top: 1.5em; }
@media print { body { margin: 0; max-width: none; } a { color: inherit; } }
"""


def to_html(procedures: Sequence[Procedure], audience: Audience) -> str:
    notice = PATIENT_NOTICE if audience == "patient" else CLINICIAN_NOTICE
    kind = "Patient information" if audience == "patient" else "Clinician summary"
    esc = html.escape
    title = "; ".join(p.name for p in procedures)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{esc(title)}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
    ]
    for procedure in procedures:
        parts += [
            "<article>",
            f"<h1>{esc(procedure.name)}</h1>",
            f'<p class="kind">{kind} · <code>{esc(procedure.id)}</code></p>',
            f'<p class="notice"><strong>Please note:</strong> {esc(notice)}</p>',
        ]
        for section in sections_for(procedure, audience):
            parts.append(f"<section><h2>{esc(section.title)}</h2>")
            parts += [f"<p>{esc(text)}</p>" for text in section.paragraphs]
            if section.items:
                tag = "ol" if section.numbered else "ul"
                parts.append(f"<{tag}>" + "".join(f"<li>{esc(i)}</li>" for i in section.items))
                parts.append(f"</{tag}>")
            parts.append("</section>")
        parts.append('<section class="sources"><h2>Sources</h2><ul>')
        for reference in procedure.references:
            text = esc(f"[{reference.key}] {reference.citation}")
            if reference.link:
                link = esc(reference.link, quote=True)
                text += f' <a href="{link}">{esc(reference.link)}</a>'
            parts.append(f"<li>{text}</li>")
        parts.append("</ul></section>")
        parts.append(
            f"<footer>Last reviewed {procedure.last_reviewed.isoformat()} · made with painref"
            "</footer></article>"
        )
    parts += ["</body>", "</html>"]
    return "\n".join(parts) + "\n"


def render(procedures: Sequence[Procedure], fmt: Format, audience: Audience) -> str:
    return to_html(procedures, audience) if fmt == "html" else to_markdown(procedures, audience)


def write_file(path: str, text: str, *, force: bool) -> None:
    """Write all of `text` or nothing: a temporary file beside the target, then a rename.

    Raises FileExistsError when the target exists and `force` is false, OSError on failure.
    """
    target = os.path.abspath(path)
    if os.path.lexists(target) and not force:
        raise FileExistsError(target)
    folder = os.path.dirname(target)
    _sweep(folder)
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=".painref-", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())  # a full disk may say so only now; the rename must not hide it
        if not force and os.path.lexists(target):  # appeared meanwhile: still never overwrite
            raise FileExistsError(target)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def _sweep(folder: str) -> None:
    """Remove temporary files an earlier export left when it was killed mid-write (older than
    ten minutes: no export takes that long)."""
    import time

    with contextlib.suppress(OSError):
        for entry in os.scandir(folder):
            if entry.name.startswith(".painref-") and entry.name.endswith(".tmp"):
                with contextlib.suppress(OSError):
                    if time.time() - entry.stat(follow_symlinks=False).st_mtime > 600:
                        os.unlink(entry.path)
