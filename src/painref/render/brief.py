"""The one-screen view for the moment before a case (`show ID --brief`).

Its content is the entry's `brief` (what and where, key technique and safety points, the main
complications with their frequencies), written and sourced as data, not cut from the full view;
around it come the imaging, the bleeding-risk class by level with the pointer to `anticoag`, and
the CPT codes. An entry without a brief gets a short view from its summary's first sentence, and
says so. A test holds every bundled entry to `BRIEF_LINES` at 100 columns.
"""

from __future__ import annotations

import re

from ..model.procedure import Procedure
from .show import header, risk_line
from .styled import Block, Group, Line, Text, crop, line_length
from .text import Bullets, bullets, heading, labelled, literal

BRIEF_LINES = 30  # one screen of a terminal 100 columns wide
BRIEF_WIDTH = 100

# The first sentence: up to a full stop (and any [key] markers after it) followed by a capital.
_FIRST_SENTENCE = re.compile(r"^(.+?[.!?](?:\s*\[[a-z0-9-]+\])*)(?=\s+[A-Z(\[]|\s*$)", re.DOTALL)


def first_sentence(text: str) -> str:
    match = _FIRST_SENTENCE.match(text.strip())
    return match.group(1) if match else text.strip()


class BriefView:
    """A Block: the brief, with the CPT meanings shortened to one line each, or left to the full
    view, when all of them would make it longer than a screen at the width it is drawn."""

    def __init__(self, procedure: Procedure) -> None:
        self.procedure = procedure

    def lines(self, width: int) -> list[Line]:
        drawn: list[Line] = []
        for codes in ("full", "one-line", "list"):
            drawn = Group(*self.parts(codes)).lines(width)
            if len(drawn) <= BRIEF_LINES or not self.procedure.cpt_codes:
                break
        return drawn

    def extent(self) -> tuple[int, int]:
        return Group(*self.parts("full")).extent()

    def parts(self, codes: str = "full") -> list[Block]:
        p = self.procedure
        notice = f"Reference only, not medical advice. Everything else: painref show {p.id}"
        parts = header(p, notice)
        if p.brief is not None:
            parts += [
                labelled("What", p.brief.what),
                labelled("Imaging", ", ".join(p.imaging.modalities)),
                Text(""),
                heading("Key points"),
                bullets(p.brief.key_points),
                Text(""),
                heading("Main complications"),
                bullets(p.brief.complications),
            ]
        else:
            parts += [
                Text("No brief for this entry yet: a short view from the full entry.", "yellow"),
                labelled("What", first_sentence(p.summary)),
                labelled("Imaging", ", ".join(p.imaging.modalities)),
            ]
        parts += [
            Text(""),
            risk_line(p, "Bleeding risk").append(" (ASRA Pain Medicine 2018)", "dim"),
            literal(f"Stop and restart a blood thinner: painref anticoag DRUG -p {p.id}"),
            *_codes(p, codes),
        ]
        return parts


def _codes(p: Procedure, form: str) -> list[Block]:
    if not p.cpt_codes:
        return [labelled("CPT", "none listed")]
    if form == "list":  # too many to explain here: the codes, and where their meanings are
        listed = ", ".join(c.code for c in p.cpt_codes)
        return [
            labelled("CPT", f"{listed} (meanings: painref show {p.id} --section codes)"),
        ]
    codes = [c.code for c in p.cpt_codes]
    meanings = [c.meaning for c in p.cpt_codes]
    if form == "one-line":
        return [heading("CPT"), OneLine(Bullets(meanings, markers=codes, marker_style="bold"))]
    return [heading("CPT"), Bullets(meanings, markers=codes, marker_style="bold")]


class OneLine:
    """Each item of a list on one line, shortened with an ellipsis where it would wrap."""

    def __init__(self, items: Bullets) -> None:
        self.items = items

    def lines(self, width: int) -> list[Line]:
        out: list[Line] = []
        for line in self.items.lines(1 << 16):  # unwrapped: one line per item
            if line_length(line) > width:
                line = [*crop(line, width - 1), ("…", "dim")]
            out.append(line)
        return out

    def extent(self) -> tuple[int, int]:
        return self.items.extent()


def brief_view(procedure: Procedure) -> Group:
    return Group(BriefView(procedure))
