"""Handouts as readers get them: Markdown read by a CommonMark parser, HTML laid out on paper.

The page counts come from a real layout engine (WeasyPrint). CI installs it and the system
libraries it needs (.ci/run); elsewhere a machine without them skips those tests, never CI.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator, Sequence
from typing import Any

import pytest

from painref.model.procedure import Procedure
from painref.model.record import field_names
from painref.query.handout import Visit, clinic_lines, patient_title, sections_for
from painref.render.handout_html import SANS, SERIF, to_html
from painref.render.handout_md import to_markdown
from painref.store.sources import load

PROCEDURES = load().procedures
PATIENT_COPIES = [p for p in PROCEDURES if p.patient is not None]
# The longest clinic block there is: every line filled in, and an address.
FULL_VISIT = Visit(
    "Riverside Regional Pain Management Clinic",
    "+1 (555) 010-0100 ext. 2244",
    "Suite 400, 1200 Riverside Medical Center Drive, Springfield, IL 62701",
    dt.date(2027, 3, 10),
    "10:45 am",
)


# --- Markdown, read by a CommonMark parser ------------------------------------------------------


def _inline_text(token: Any) -> str:
    """What a reader sees of an inline token: its text, with links and emphasis as text."""
    parts = []
    for child in token.children or []:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return "".join(parts)


def _blocks(markdown: str) -> list[tuple[str, Any]]:
    """The document as a reader meets it: headings, paragraphs, lists (with their items), rules,
    quotes, in order; and every link as ("link", (href, text))."""
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").parse(markdown)
    blocks: list[tuple[str, Any]] = []
    lists: list[list[str]] = []
    depth = {"blockquote": 0, "item": 0}
    for index, token in enumerate(tokens):
        if token.type in ("bullet_list_open", "ordered_list_open"):
            assert not lists, "a list inside a list item: some text started a list"
            lists.append([])
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            kind = "ol" if token.type.startswith("ordered") else "ul"
            blocks.append((kind, lists.pop()))
        elif token.type == "heading_open":
            blocks.append((token.tag, _inline_text(tokens[index + 1])))
        elif token.type == "hr":
            blocks.append(("hr", None))
        elif token.type == "blockquote_open":
            depth["blockquote"] += 1
        elif token.type == "blockquote_close":
            depth["blockquote"] -= 1
        elif token.type == "inline" and tokens[index - 1].type == "paragraph_open":
            text = _inline_text(token)
            if lists:
                lists[-1].append(text)
            else:
                blocks.append(("quote" if depth["blockquote"] else "p", text))
        elif token.type in ("html_block", "code_block", "fence", "lheading_open"):
            raise AssertionError(f"data text became a {token.type}: {token.content!r}")
        if token.type == "inline":
            blocks += _links(token)
    return blocks


def _links(token: Any) -> Iterator[tuple[str, tuple[str, str]]]:
    children = token.children or []
    for i, child in enumerate(children):
        if child.type == "link_open":
            text = children[i + 1].content if children[i + 1].type == "text" else ""
            yield "link", (str(child.attrGet("href")), text)
        elif child.type == "image":
            raise AssertionError(f"data text became an image: {child.content!r}")


def _expected(procedures: Sequence[Procedure], audience: str, visit: Visit) -> list[Any]:
    """The blocks each procedure should give, from the handout's own data."""
    from markdown_it.common.normalize_url import normalizeLink, normalizeLinkText

    blocks: list[Any] = []
    for number, procedure in enumerate(procedures):
        if number:
            blocks.append(("hr", None))
        if audience == "patient":
            blocks.append(("h1", patient_title(procedure)))
            subtitle = "" if procedure.patient_title == procedure.name else procedure.name
            blocks.append(("p", "Patient information" + (f" · {subtitle}" if subtitle else "")))
            blank = "_" * 16
            blocks.append(("ul", [f"{k}: {v or blank}" for k, v in clinic_lines(visit)]))
        else:
            blocks += [("h1", procedure.name), ("p", f"Clinician summary · {procedure.id}")]
        blocks.append(("quote", None))  # the notice
        for section in sections_for(procedure, audience, visit):  # type: ignore[arg-type]
            blocks.append(("h2", section.title))
            blocks += [("p", " ".join(text.split())) for text in section.paragraphs]
            if section.items:
                kind = "ol" if section.numbered else "ul"
                blocks.append((kind, [" ".join(item.split()) for item in section.items]))
        blocks.append(("h2", "Sources"))
        items = []
        for reference in procedure.references:
            # A link reads as its address, percent-escapes shown as the characters they stand for.
            link = f" {normalizeLinkText(reference.link)}" if reference.link else ""
            items.append(" ".join(f"[{reference.key}] {reference.citation}".split()) + link)
        blocks.append(("ul", items))
        blocks += [
            ("link", (normalizeLink(r.link), normalizeLinkText(r.link)))
            for r in procedure.references
            if r.link
        ]
        blocks.append(("p", f"Last reviewed {procedure.last_reviewed.isoformat()}."))
    return blocks


@pytest.mark.parametrize("audience", ["patient", "clinician"])
def test_every_heading_list_and_link_of_the_full_export_reads_as_intended(audience: str) -> None:
    pytest.importorskip("markdown_it")
    visit = FULL_VISIT if audience == "patient" else Visit()
    procedures = PATIENT_COPIES if audience == "patient" else PROCEDURES
    found = _blocks(to_markdown(procedures, audience, visit))  # type: ignore[arg-type]
    # Links sit inside their list item; compare them apart, in order, then the rest whole.
    links = [value for kind, value in found if kind == "link"]
    assert links == [value for kind, value in _expected(procedures, audience, visit)
                     if kind == "link"]  # fmt: skip
    assert any("_" in text for _, text in links)  # the case that broke: underscores in addresses
    rest = [(k, None if k == "quote" else v) for k, v in found if k != "link"]
    want = [block for block in _expected(procedures, audience, visit) if block[0] != "link"]
    assert rest == want


def test_markup_in_the_data_is_printed_not_obeyed() -> None:
    pytest.importorskip("markdown_it")
    base = PATIENT_COPIES[0]
    assert base.patient is not None
    tricky = [
        "1990. was a year",
        "- not a list",
        "=== not a heading",
        "a [link](javascript:alert(1)) and ![image](https://x.org/i.png)",
        "*stars*, _under_, `ticks`, <b>tags</b>, ~~struck~~ and # hash",
        "two\nlines",
    ]
    entry = _changed(base, patient=_changed(base.patient, after=tuple(tricky)))
    found = _blocks(to_markdown([entry], "patient", Visit()))
    assert ("ul", [" ".join(t.split()) for t in tricky]) in found


def _changed(record: Any, **changes: Any) -> Any:
    values = {name: getattr(record, name) for name in field_names(type(record))}
    return type(record)(**{**values, **changes})


# --- HTML, laid out on Letter and A4 ------------------------------------------------------------


@pytest.fixture(scope="module")
def weasyprint() -> Any:
    if os.environ.get("CI"):
        import weasyprint  # CI installs it with what it needs: a missing library is a failure

        return weasyprint
    return pytest.importorskip("weasyprint", exc_type=ImportError)


def printed_html(procedures: Sequence[Procedure], visit: Visit) -> str:
    """The handouts as the test lays them out: in DejaVu, the widest of the common fonts (wider
    than Georgia, Times, Helvetica or Arial) and the one every Linux machine and CI has, so the
    count holds wherever the handout is printed and does not depend on what else is installed."""
    page = to_html(procedures, "patient", visit)
    assert SERIF in page and SANS in page
    return page.replace(SERIF, '"DejaVu Serif"').replace(SANS, '"DejaVu Sans"')


def _pages_per_procedure(weasyprint: Any, page_size: str) -> tuple[dict[str, int], Any]:
    """Lay out every patient handout in one document (each starts on a new page, as in a
    several-procedure export) and count each one's pages from where the next begins."""
    document = weasyprint.HTML(string=printed_html(PATIENT_COPIES, FULL_VISIT)).render(
        # !important: the user's paper size over the handout's `size: auto`, as a print dialog
        stylesheets=[weasyprint.CSS(string=f"@page {{ size: {page_size} !important; }}")]
    )
    starts = {}
    for number, page in enumerate(document.pages):
        for anchor in page.anchors:
            if anchor.startswith("p") and anchor[1:].isdigit():
                starts.setdefault(int(anchor[1:]), number)
    assert sorted(starts) == list(range(1, len(PATIENT_COPIES) + 1))
    ends = [*(starts[n] for n in range(2, len(PATIENT_COPIES) + 1)), len(document.pages)]
    pairs = enumerate(zip(PATIENT_COPIES, ends, strict=True), start=1)
    counts = {procedure.id: end - starts[n] for n, (procedure, end) in pairs}
    return counts, document


@pytest.mark.parametrize(("page_size", "width_mm"), [("letter", 215.9), ("A4", 210.0)])
def test_every_patient_handout_fits_on_two_pages(
    weasyprint: Any, page_size: str, width_mm: float
) -> None:
    counts, document = _pages_per_procedure(weasyprint, page_size)
    assert abs(document.pages[0].width * 25.4 / 96 - width_mm) < 0.5  # the size really applied
    too_long = {name: pages for name, pages in counts.items() if pages > 2}
    assert not too_long, f"more than 2 pages on {page_size}: {too_long}"
    _check_print_details(document)


def _boxes(box: Any) -> Iterator[Any]:
    yield box
    for child in getattr(box, "children", None) or []:
        yield from _boxes(child)


def _text_sizes(
    box: Any, in_sources: bool = False, in_section: bool = False
) -> Iterator[tuple[bool, bool, float]]:
    """(in the references, in a section of the body, font size) of every piece of text."""
    element = getattr(box, "element", None)
    if element is not None and getattr(box, "element_tag", None) == element.tag:
        in_sources = in_sources or "sources" in (element.get("class") or "").split()
        in_section = in_section or element.tag == "section"
    if type(box).__name__ == "TextBox" and box.text.strip():
        yield in_sources, in_section, box.style["font_size"]
    for child in getattr(box, "children", None) or []:
        yield from _text_sizes(child, in_sources, in_section)


def _check_print_details(document: Any) -> None:
    """Every page numbered and titled; body text at least 12 pt, the references smaller."""
    titles = {patient_title(p) for p in PATIENT_COPIES}
    body_sizes, source_sizes = set(), set()
    for number, page in enumerate(document.pages, start=1):
        margins = {
            margin.at_keyword: " ".join(
                box.text for box in _boxes(margin) if type(box).__name__ == "TextBox"
            )
            for margin in page._page_box.children
            if type(margin).__name__ == "MarginBox"
        }
        assert margins["@bottom-right"] == f"Page {number} of {len(document.pages)}"
        assert margins["@top-left"] in titles
        assert margins["@top-right"] == f"Call {FULL_VISIT.clinic_phone}"
        assert margins["@bottom-left"].startswith("Last reviewed ")
        for in_sources, in_section, size in _text_sizes(page._page_box):
            if in_sources:
                source_sizes.add(size)
            elif in_section:
                body_sizes.add(size)
    assert body_sizes and min(body_sizes) >= 16  # CSS pixels: 12 pt
    assert source_sizes and max(source_sizes) < min(body_sizes)
