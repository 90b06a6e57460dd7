"""`export --json`: the handout's sections as data, as the Markdown and HTML files have them."""

from __future__ import annotations

import json
from pathlib import Path

from painref.query.handout import PATIENT_NOTICE, sections_for
from painref.store.database import Store

from .conftest import Invoke


def test_export_json_is_the_handout_sections(invoke: Invoke) -> None:
    result = invoke("export", "kyphoplasty", "tfesi", "--json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert [entry["id"] for entry in data] == ["kyphoplasty", "transforaminal-esi"]
    first = data[0]
    assert first["audience"] == "patient" and first["notice"] == PATIENT_NOTICE
    assert {"title", "paragraphs", "items", "numbered"} == set(first["sections"][0])
    assert first["references"] and first["last_reviewed"]


def test_export_json_has_the_same_words_as_the_markdown(invoke: Invoke) -> None:
    from painref.cli.commands.common import State

    store: Store = State().store()
    procedure = store.get("medial-branch-rfa")
    assert procedure is not None
    data = json.loads(invoke("export", "medial-branch-rfa", "--for", "clinician", "--json").stdout)
    titles = [part.title for part in sections_for(procedure, "clinician")]
    assert [section["title"] for section in data[0]["sections"]] == titles
    markdown = invoke("export", "medial-branch-rfa", "--for", "clinician").stdout
    assert all(f"## {title}" in markdown for title in titles)


def test_export_json_to_a_file(invoke: Invoke, tmp_path: Path) -> None:
    target = tmp_path / "handout.json"
    result = invoke("export", "tfesi", "--json", "-o", str(target))
    assert result.exit_code == 0
    assert json.loads(target.read_text("utf-8"))[0]["id"] == "transforaminal-esi"
    again = invoke("export", "tfesi", "--json", "-o", str(target))
    assert again.exit_code == 2 and "--force" in again.stderr


def test_export_json_and_a_format_are_refused_together(invoke: Invoke) -> None:
    result = invoke("export", "tfesi", "--json", "--format", "html")
    assert result.exit_code == 2
    assert "choose one" in result.stderr
