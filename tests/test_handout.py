"""show --patient and export: the plain-language view and the Markdown/HTML handouts."""

from __future__ import annotations

import json
import os
import re
import stat
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import pytest

from painref.query import handout
from painref.render.handout_html import css_string
from painref.store.sources import load

from .conftest import Invoke, make_entry

PROCEDURES = {p.id: p for p in load().procedures}
RFA_TITLE = PROCEDURES["medial-branch-rfa"].patient_title
RFA_NAME = PROCEDURES["medial-branch-rfa"].name

PATIENT_HEADINGS = [
    "What it is",
    "Why it is done",
    "How to prepare",
    "On the day",
    "Afterwards",
    "When relief comes and how long it lasts",
    "Call your care team, or get emergency care, if",
    "Questions to ask your doctor",
    "Sources",
]


def test_patient_view_has_every_section_and_the_blood_thinner_rule(invoke: Invoke) -> None:
    result = invoke("show", "medial-branch-rfa", "--patient", env={"COLUMNS": "200"})
    assert result.exit_code == 0
    positions = [result.stdout.index(f"\n{title}\n") for title in PATIENT_HEADINGS]
    assert positions == sorted(positions)
    assert "not medical advice" in result.stdout
    assert "blood thinner" in result.stdout and "on your own" in result.stdout
    assert "Technique" not in result.stdout  # the clinician sections stay out


def test_patient_json(invoke: Invoke) -> None:
    data = json.loads(invoke("show", "kyphoplasty", "--patient", "--json").stdout)
    assert data["id"] == "kyphoplasty"
    assert set(data["patient"]) >= {"why", "prepare", "warning_signs", "questions"}
    assert "technique" not in data


def test_markdown_handout_headings(invoke: Invoke) -> None:
    result = invoke("export", "medial-branch-rfa", "--format", "markdown")
    assert result.exit_code == 0
    headings = re.findall(r"(?m)^(#{1,2}) (.+)$", result.stdout)
    assert headings[0] == ("#", RFA_TITLE)
    assert [text for level, text in headings if level == "##"] == PATIENT_HEADINGS
    assert handout.PATIENT_NOTICE in result.stdout


def test_clinician_markdown_has_the_clinical_sections(invoke: Invoke) -> None:
    text = invoke("export", "tfesi", "--for", "clinician").stdout
    for title in ("## Indications", "## Absolute contraindications", "## Complications",
                  "## Anticoagulation", "## Evidence", "## Sources"):  # fmt: skip
        assert title in text
    assert handout.CLINICIAN_NOTICE in text


class _Outline(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: dict[str, list[str]] = {}
        self._open: list[str] = []
        self.external: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self._open.append(tag)
        if tag in ("link", "script", "img", "iframe") or (tag == "style" and attrs):
            self.external.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if self._open and self._open[-1] == tag:
            self._open.pop()

    def handle_data(self, data: str) -> None:
        if self._open:
            self.text.setdefault(self._open[-1], []).append(data)


def test_html_handout_is_self_contained_and_well_formed(tmp_path: Path, invoke: Invoke) -> None:
    out = tmp_path / "handout.html"
    result = invoke("export", "medial-branch-rfa", "stellate-ganglion-block", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    html = out.read_text("utf-8")
    outline = _Outline()
    outline.feed(html)
    outline.close()
    assert outline.external == []  # no stylesheet, script or image to fetch
    assert outline.tags.count("article") == 2
    assert outline.text["h1"] == [
        RFA_TITLE,
        PROCEDURES["stellate-ganglion-block"].patient_title,
    ]
    assert outline.text["h2"][: len(PATIENT_HEADINGS)] == PATIENT_HEADINGS
    style = "".join(outline.text["style"])
    assert "@page" in style and "@media print" in style and "break-before: page" in style
    assert "not medical advice" in html and "Sources" in html


def test_html_escapes_data(
    write_dataset: Callable[..., Path], tmp_path: Path, invoke: Invoke
) -> None:
    overlay = write_dataset([make_entry(name="<script>alert(1)</script> block")])
    out = tmp_path / "x.html"
    result = invoke("--data", str(overlay), "export", "test-block", "-o", str(out))
    assert result.exit_code == 0
    text = out.read_text("utf-8")
    assert "<script>" not in text and "&lt;script&gt;" in text


def test_export_refuses_to_overwrite_without_force(tmp_path: Path, invoke: Invoke) -> None:
    out = tmp_path / "rfa.md"
    out.write_text("my notes")
    result = invoke("export", "medial-branch-rfa", "-o", str(out))
    assert result.exit_code == 2
    assert "already exists" in result.stderr and "--force" in result.stderr
    assert out.read_text() == "my notes"
    forced = invoke("export", "medial-branch-rfa", "-o", str(out), "--force")
    assert forced.exit_code == 0
    assert out.read_text().startswith(f"# {RFA_TITLE}")


def test_a_failed_write_leaves_no_half_written_file(
    tmp_path: Path, invoke: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(handout.os, "replace", fail)
    out = tmp_path / "rfa.html"
    result = invoke("export", "medial-branch-rfa", "-o", str(out))
    assert result.exit_code == 2
    assert "could not write" in result.stderr and "No space left" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_export_format_follows_the_suffix_and_bad_values_are_refused(
    tmp_path: Path, invoke: Invoke
) -> None:
    out = tmp_path / "h.html"
    assert invoke("export", "sgb", "-o", str(out)).exit_code == 0
    assert out.read_text().startswith("<!DOCTYPE html>")
    bad = invoke("export", "sgb", "--format", "pdf")
    assert bad.exit_code == 2 and "markdown or html" in bad.stderr
    assert invoke("export").exit_code == 2
    assert invoke("export", "zzzq").exit_code == 1
    missing = invoke("export", "sgb", "-o", str(tmp_path / "no" / "such" / "dir.md"))
    assert missing.exit_code == 2 and "could not write" in missing.stderr


@pytest.mark.skipif(not hasattr(os, "fchmod"), reason="POSIX file modes")
@pytest.mark.parametrize("umask", [0o022, 0o027, 0o077])
def test_an_exported_file_gets_the_users_normal_mode(
    tmp_path: Path, invoke: Invoke, umask: int
) -> None:
    out = tmp_path / "rfa.html"
    old = os.umask(umask)
    try:
        result = invoke("export", "medial-branch-rfa", "-o", str(out))
    finally:
        os.umask(old)
    assert result.exit_code == 0, result.stderr
    assert stat.S_IMODE(out.stat().st_mode) == 0o666 & ~umask


@pytest.mark.skipif(not hasattr(os, "fchmod"), reason="POSIX file modes")
@pytest.mark.parametrize("mode", [0o644, 0o664, 0o600, 0o640])
def test_force_keeps_the_mode_of_the_file_it_replaces(
    tmp_path: Path, invoke: Invoke, mode: int
) -> None:
    out = tmp_path / "rfa.md"
    out.write_text("old")
    out.chmod(mode)
    old = os.umask(0o077)  # a private umask must not make a shared file private
    try:
        result = invoke("export", "medial-branch-rfa", "-o", str(out), "--force")
    finally:
        os.umask(old)
    assert result.exit_code == 0, result.stderr
    assert stat.S_IMODE(out.stat().st_mode) == mode
    assert out.read_text() != "old"
    assert [p.name for p in tmp_path.iterdir()] == ["rfa.md"]  # no temporary file left


# --- the patient's copy: title and clinic block -----------------------------------------------


def test_the_patient_copy_has_the_plain_title_and_no_internal_id(
    write_dataset: Callable[..., Path], tmp_path: Path, invoke: Invoke
) -> None:
    overlay = write_dataset(
        [make_entry(id="zz-clinical-id", name="Clinical block name", patient_title="A test shot")]
    )
    md = invoke("--data", str(overlay), "export", "zz-clinical-id").stdout
    assert md.startswith("# A test shot\n\n*Patient information* · Clinical block name\n")
    out = tmp_path / "h.html"
    assert invoke("--data", str(overlay), "export", "zz-clinical-id", "-o", str(out)).exit_code == 0
    page = out.read_text("utf-8")
    assert "<h1>A test shot</h1>" in page
    assert '<p class="clinical">Patient information · Clinical block name</p>' in page
    for text in (md, page):
        assert "zz-clinical-id" not in text
    clinician = invoke("--data", str(overlay), "export", "zz-clinical-id", "--for", "clinician")
    assert clinician.stdout.startswith(
        "# Clinical block name\n\n*Clinician summary* · `zz-clinical-id`"
    )
    terminal = invoke("--data", str(overlay), "show", "zz-clinical-id", "--patient").stdout
    assert terminal.startswith("A test shot\nFor patients  ·  Clinical block name\n")


def test_without_a_patient_title_the_name_is_the_title(
    write_dataset: Callable[..., Path], invoke: Invoke
) -> None:
    overlay = write_dataset([make_entry(id="zz-clinical-id", patient_title=None)])
    md = invoke("--data", str(overlay), "export", "zz-clinical-id").stdout
    assert md.startswith("# Test block\n\n*Patient information*\n")
    assert "zz-clinical-id" not in md


def test_the_clinic_block_is_filled_from_the_options(invoke: Invoke) -> None:
    result = invoke(
        "export", "mbb", "--clinic-name", "Riverside Pain Clinic", "--clinic-phone", "555-0100",
        "--date", "2027-03-10", "--time", "9:30 AM",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    blank = "\\_" * 16
    block = (
        "- **Clinic:** Riverside Pain Clinic\n"
        "- **Phone:** 555-0100\n"
        "- **Date:** Wednesday 10 March 2027\n"
        "- **Time:** 9:30 am\n"
        f"- **Arrive by:** {blank}\n"
        f"- **Food and drink before:** {blank}\n"
    )
    assert block in result.stdout
    assert result.stdout.index(block) < result.stdout.index("## What it is")
    assert "## Call your care team at 555-0100, or get emergency care, if" in result.stdout


def test_what_is_not_given_is_left_blank_to_fill_in(invoke: Invoke, tmp_path: Path) -> None:
    text = invoke("export", "mbb").stdout
    blank = "\\_" * 16
    for label in ("Clinic", "Phone", "Date", "Time", "Arrive by", "Food and drink before"):
        assert f"- **{label}:** {blank}\n" in text
    assert "Address" not in text
    assert "## Call your care team, or get emergency care, if" in text
    out = tmp_path / "h.html"
    assert invoke("export", "mbb", "-o", str(out), "--clinic-phone", "555-0100").exit_code == 0
    page = out.read_text("utf-8")
    assert "<p><b>Phone:</b> 555-0100</p>" in page
    assert '<p><b>Arrive by:</b> <span class="blank">&nbsp;</span></p>' in page
    assert "<h2>Call your care team at 555-0100, or get emergency care, if</h2>" in page


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--date", "10/03/2027"], "--date: '10/03/2027' is not a date in the form YYYY-MM-DD"),
        (["--date", "2027-02-30"], "--date:"),
        (["--time", "25:00"], "--time: '25:00' is not a time such as 09:30"),
        (["--time", "13:00 pm"], "--time:"),
        (["--time", "soon"], "--time:"),
        (["--clinic-name", " "], "--clinic-name must be one line of text"),
        (["--clinic-phone", "555\n0100"], "--clinic-phone must be one line of text"),
    ],
)
def test_bad_clinic_block_values_are_refused(invoke: Invoke, args: list[str], message: str) -> None:
    result = invoke("export", "mbb", *args)
    assert result.exit_code == 2 and message in result.stderr and result.stdout == ""


@pytest.mark.parametrize(
    ("given", "shown"),
    [("09:30", "09:30"), ("14:05", "14:05"), ("2:15 pm", "2:15 pm"), ("11.45AM", "11:45 am"),
     ("7:00 a.m.", "7:00 am")],
)  # fmt: skip
def test_times_are_printed_as_the_clinic_writes_them(given: str, shown: str) -> None:
    assert handout.parse_time(given) == shown


def test_the_html_handout_has_page_numbers_and_a_running_title(
    tmp_path: Path, invoke: Invoke
) -> None:
    out = tmp_path / "h.html"
    args = ["export", "mbb", "tfesi", "-o", str(out), "--clinic-name", 'Clinic "<x>"']
    assert invoke(*args).exit_code == 0
    style = out.read_text("utf-8").split("<style>")[1].split("</style>")[0]
    assert 'content: "Page " counter(page) " of " counter(pages)' in style
    title = PROCEDURES["medial-branch-block"].patient_title
    assert title is not None
    assert f"@page p1 {{ @top-left {{ content: {css_string(title)}; }}" in style
    assert "article.p1 { page: p1; }" in style and "article.p2 { page: p2; }" in style
    assert "</" not in style and '"<x>"' not in style  # the clinic's name cannot end the style
    assert re.search(r"body \{ font: 12pt/", style)
