"""Handouts as one self-contained HTML file (inline CSS, nothing fetched) made to be printed.

A patient handout fits on two pages of Letter or A4 (tested by laying out every procedure with a
real engine, WeasyPrint): body text 12 pt, the references last in small type and two columns,
and CSS paged media for the page number ("Page 1 of 2") and a running title at the top of each
page. Each procedure gets its own named page (`page: p1`), whose margin boxes carry its title:
that works in browsers that print margin boxes (Chromium) as well as in WeasyPrint, where
`string-set` would not.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from ..model.procedure import Procedure
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

# The fonts, named once: the page-count test puts the widest common fallbacks in their place.
SERIF = 'Georgia, "Times New Roman", serif'
SANS = "Helvetica, Arial, sans-serif"
_CSS_TEMPLATE = r"""
@page { size: auto; margin: 15mm 14mm 14mm;
  @bottom-right { content: "Page " counter(page) " of " counter(pages);
    font: 9pt {sans}; color: #444; }
  @bottom-left { font: 8pt {sans}; color: #666; }
  @top-left { font: 9pt {sans}; color: #444; }
  @top-right { font: 9pt {sans}; color: #444; } }
* { box-sizing: border-box; }
body { font: 12pt/1.3 {serif}; color: #111; max-width: 46em;
       margin: 2em auto; padding: 0 1em; }
h1, h2, .clinical, .clinic, footer { font-family: {sans}; }
h1 { font-size: 19pt; line-height: 1.15; margin: 0; }
.clinical { font-size: 10.5pt; color: #444; margin: .15em 0 .5em; }
h2 { font-size: 13pt; line-height: 1.2; margin: .6em 0 .15em; border-bottom: 1px solid #bbb;
     break-after: avoid; page-break-after: avoid; }
p { margin: .2em 0; }
.notice { border: 1.5px solid #333; padding: .3em .6em; margin: .5em 0 .4em; font-size: 11pt; }
.clinic { display: grid; grid-template-columns: 1fr 1fr; column-gap: 1em; margin: .4em 0;
          border: 1px solid #888; padding: .2em .6em; font-size: 11pt; }
.clinic p { margin: .15em 0; }
.clinic .wide { grid-column: 1 / 3; }
.blank { display: inline-block; width: 8em; border-bottom: 1px solid #333; }
ul, ol { padding-left: 1.3em; margin: .15em 0; }
li { margin: .05em 0; break-inside: avoid; page-break-inside: avoid; }
.sources { font: 7pt/1.25 {sans}; color: #333; margin-top: .8em;
           overflow-wrap: anywhere; }
.sources h2 { font-size: 9pt; margin: 0 0 .2em; border: 0; }
.sources ol { margin: 0; padding: 0; }
.sources li { display: inline; margin: 0; }
.sources li + li::before { content: " \2022  "; }
.sources a { color: inherit; text-decoration: none; }
footer { font-size: 8pt; color: #555; margin-top: .5em; }
article + article { break-before: page; page-break-before: always; }
@media print { body { margin: 0; padding: 0; max-width: none; } a { color: inherit; }
  footer { display: none; } }
"""
_CSS = _CSS_TEMPLATE.replace("{serif}", SERIF).replace("{sans}", SANS)


def css_string(text: str) -> str:
    """Text as a CSS string literal, every character but letters, digits and spaces escaped, so
    nothing in the data can end the string or the style element."""
    out = "".join(
        c if c == " " or (c.isascii() and c.isalnum()) else f"\\{ord(c):x} " for c in text
    )
    return f'"{out}"'


def _page_rules(number: int, procedure: Procedure, visit: Visit, audience: Audience) -> str:
    """Procedure `number`'s margin boxes: its running title, the number to call, the review date
    (on paper the footer moves there, where it takes no line of the page)."""
    title = patient_title(procedure) if audience == "patient" else procedure.name
    rules = f"@top-left {{ content: {css_string(title)}; }}"
    rules += f" @bottom-left {{ content: {css_string(_footer(procedure))}; }}"
    if visit.clinic_phone and audience == "patient":  # the number to call, on every page
        rules += f" @top-right {{ content: {css_string('Call ' + visit.clinic_phone)}; }}"
    return f"@page p{number} {{ {rules} }}\narticle.p{number} {{ page: p{number}; }}\n"


def _clinic_block(visit: Visit) -> list[str]:
    esc = html.escape
    parts = ['<div class="clinic">']
    for label, value in clinic_lines(visit):
        wide = ' class="wide"' if label == "Address" else ""
        shown = esc(value) if value else '<span class="blank">&nbsp;</span>'
        parts.append(f"<p{wide}><b>{esc(label)}:</b> {shown}</p>")
    parts.append("</div>")
    return parts


def _article(number: int, procedure: Procedure, audience: Audience, visit: Visit) -> list[str]:
    esc = html.escape
    parts = [f'<article class="p{number}" id="p{number}">']  # no internal id on a patient's copy
    if audience == "patient":
        subtitle = clinical_subtitle(procedure)
        kind = "Patient information" + (f" · {subtitle}" if subtitle else "")
        parts += [
            f"<h1>{esc(patient_title(procedure))}</h1>",
            f'<p class="clinical">{esc(kind)}</p>',
            *_clinic_block(visit),
        ]
    else:
        parts += [
            f"<h1>{esc(procedure.name)}</h1>",
            f'<p class="clinical">Clinician summary · <code>{esc(procedure.id)}</code></p>',
        ]
    notice = PATIENT_NOTICE if audience == "patient" else CLINICIAN_NOTICE
    parts.append(f'<p class="notice"><strong>Please note:</strong> {esc(notice)}</p>')
    for section in sections_for(procedure, audience, visit):
        parts.append(f"<section><h2>{esc(section.title)}</h2>")
        parts += [f"<p>{esc(text)}</p>" for text in section.paragraphs]
        if section.items:
            tag = "ol" if section.numbered else "ul"
            parts.append(f"<{tag}>" + "".join(f"<li>{esc(i)}</li>" for i in section.items))
            parts.append(f"</{tag}>")
        parts.append("</section>")
    parts.append('<section class="sources"><h2>Sources</h2><ol>')
    for reference in procedure.references:
        text = esc(f"[{reference.key}] {reference.citation}")
        if reference.link:
            link = esc(reference.link, quote=True)
            text += f' <a href="{link}">{esc(reference.link)}</a>'
        parts.append(f"<li>{text}</li>")
    parts.append("</ol></section>")
    parts.append(f"<footer>{esc(_footer(procedure))}</footer></article>")
    return parts


def _footer(procedure: Procedure) -> str:
    return f"Last reviewed {procedure.last_reviewed.isoformat()} · made with painref"


def to_html(procedures: Sequence[Procedure], audience: Audience, visit: Visit | None = None) -> str:
    visit = visit or Visit()
    esc = html.escape
    titles = [patient_title(p) if audience == "patient" else p.name for p in procedures]
    pages = "".join(
        _page_rules(number, procedure, visit, audience)
        for number, procedure in enumerate(procedures, 1)
    )
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{esc('; '.join(titles))}</title>",
        f"<style>{_CSS}{pages}</style>",
        "</head>",
        "<body>",
    ]
    for number, procedure in enumerate(procedures, 1):
        parts += _article(number, procedure, audience, visit)
    parts += ["</body>", "</html>"]
    return "\n".join(parts) + "\n"
