"""Rendered views at fixed widths, compared with reviewed golden files.

Set PAINREF_UPDATE_GOLDEN=1 to rewrite the goldens after an intended change, then review the diff.
The views are rendered from a small fixture dataset so the goldens change only when the views do.
"""

from __future__ import annotations

import io
import os
import tempfile
from pathlib import Path

import pytest
from rich.console import RenderableType

from painref.query.compare import rows
from painref.query.search import resolve, search
from painref.render.brief import brief_view
from painref.render.console import Console
from painref.render.show import ambiguity_note, procedure_view
from painref.render.tables import compare_view, list_table, search_table
from painref.store.database import Store, in_memory
from painref.store.sources import Catalog

from .conftest import Invoke, dump_dataset, make_entry

GOLDEN = Path(__file__).parent / "golden"


def fixture_dataset() -> Store:
    entries = [
        make_entry(
            id="alpha-block",
            name="Alpha nerve block",
            aliases=["ANB", "alpha block"],
            related=[
                {"id": "alpha-ablation", "relation": "leads-to", "note": "If relief [ref-a]."}
            ],
            caveats=["Sources disagree on the volume [ref-a]."],
            brief={
                "what": "A test needle near the alpha nerve, under fluoroscopy [ref-a].",
                "key_points": ["Small volume only [ref-a]", "Contrast before any drug [ref-a]"],
                "complications": ["Soreness, common [ref-a]", "Infection, under 1% [ref-a]"],
            },
        ),
        make_entry(
            id="alpha-ablation",
            name="Alpha nerve ablation",
            aliases=["ANA"],
            category="radiofrequency",
            anticoagulation_risk="intermediate",
            anticoagulation_note="Not listed; treated like its closest analogue.",
        ),
        make_entry(id="beta-injection", name="Beta joint injection", aliases=["BJI"]),
    ]
    from painref.store.sources import read_file

    path = Path(tempfile.mkdtemp()) / "fixture.yaml"
    path.write_text(dump_dataset(entries), "utf-8")
    result = read_file(path)
    assert result.problems == []
    return in_memory(Catalog(tuple(result.procedures), ("fixture.yaml",) * len(entries)))


def render(renderable: RenderableType, width: int) -> str:
    buffer = io.StringIO()
    console = Console(width=width, file=buffer, force_terminal=False, no_color=True)
    console.print(renderable)
    return buffer.getvalue()


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("PAINREF_UPDATE_GOLDEN"):
        path.write_text(text, "utf-8")
    assert path.exists(), f"missing golden {name}; run with PAINREF_UPDATE_GOLDEN=1 and review it"
    assert text == path.read_text("utf-8")


@pytest.mark.parametrize("width", [80, 50])
def test_show_view(width: int) -> None:
    dataset = fixture_dataset()
    procedure = dataset.get("alpha-block")
    assert procedure is not None
    text = render(procedure_view(procedure), width)
    assert max(len(line) for line in text.splitlines()) <= width
    check_golden(f"show-{width}.txt", text)


@pytest.mark.parametrize("width", [100, 50])
@pytest.mark.parametrize("entry", ["alpha-block", "beta-injection"], ids=["brief", "no-brief"])
def test_brief_view(width: int, entry: str) -> None:
    procedure = fixture_dataset().get(entry)
    assert procedure is not None
    text = render(brief_view(procedure), width)
    assert max(len(line) for line in text.splitlines()) <= width
    check_golden(f"brief-{entry}-{width}.txt", text)


@pytest.mark.parametrize("width", [80, 50])
def test_ambiguity_note(width: int) -> None:
    resolution = resolve(fixture_dataset(), "alpha")
    assert resolution is not None and resolution.ambiguous
    check_golden(f"ambiguous-{width}.txt", render(ambiguity_note("alpha", resolution), width))


@pytest.mark.parametrize("width", [120, 80, 50])
def test_search_table(width: int) -> None:
    hits = search(fixture_dataset(), "alpha")
    text = render(search_table("alpha", hits), width)
    assert max(len(line) for line in text.splitlines()) <= width
    check_golden(f"search-{width}.txt", text)


@pytest.mark.parametrize("width", [80, 50])
def test_compare_view(width: int) -> None:
    procedures = fixture_dataset().procedures
    view = compare_view(procedures, rows(procedures), width)
    text = render(view, width)
    assert max(len(line) for line in text.splitlines()) <= width
    check_golden(f"compare-{width}.txt", text)


@pytest.mark.parametrize("width", [120, 80, 50])
def test_list_table(width: int) -> None:
    text = render(list_table(fixture_dataset().procedures), width)
    assert max(len(line) for line in text.splitlines()) <= width
    check_golden(f"list-{width}.txt", text)


def test_on_a_colour_terminal_labels_are_bold_and_values_are_not(invoke: Invoke) -> None:
    colour = {"NO_COLOR": "", "FORCE_COLOR": "1", "COLUMNS": "200"}
    out = invoke("show", "interlaminar-esi", env=colour).stdout
    assert "\x1b[1mAlso called: \x1b[0mILESI; " in out
    assert "\x1b[1mBleeding-risk class: \x1b[0m\x1b[33mintermediate\x1b[0m\x1b[2m (ASRA" in out
    assert "\x1b[1mGuidance: \x1b[0m" in out
    answer = invoke("anticoag", "warfarin", "-p", "interlaminar-esi", env=colour).stdout
    assert "\x1b[1;33mCaution: \x1b[0m\x1b[33m" in answer
    assert "\x1b[1mBleeding-risk class: \x1b[0m\x1b[33mintermediate" in answer
    plain = invoke("show", "interlaminar-esi").stdout  # NO_COLOR=1 from the fixture: no codes
    assert "\x1b[" not in plain and "Also called: ILESI" in plain


def test_escape_codes_typed_in_a_query_are_shown_not_obeyed(invoke: Invoke) -> None:
    colour = {"NO_COLOR": "", "FORCE_COLOR": "1"}
    shown = invoke("show", "epidural\x1b[2J", env=colour)
    assert "'epidural\\x1b[2J' matches several procedures" in shown.stdout
    missing = invoke("show", "zzqq\x1b[2J")
    assert missing.exit_code == 1 and "No procedure matches 'zzqq\\x1b[2J'" in missing.stderr
    for args in (["show", "epidural\x1b[2J"], ["search", "epidural\x1b[2J"], ["show", "zq\x1b[2J"]):
        result = invoke(*args, env=colour)
        assert "\x1b[2J" not in result.stdout + result.stderr
