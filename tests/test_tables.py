"""Tables over the real bundled data at common terminal widths: no word cut in two while it could
fit, no line wider than the terminal, no line ending in spaces."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterable

import pytest

from painref.cli.commands.common import State
from painref.query.compare import COMPARABLE_FIELDS, DEFAULT_FIELDS, rows
from painref.query.search import search
from painref.render.console import Console
from painref.render.styled import Block
from painref.render.tables import compare_view, list_table, search_table
from painref.render.text import clean

from .conftest import Invoke

WIDTHS = [60, 80, 100, 120, 160]
STORE = State().store()
RULE_OR_MARK = {"•", "·", "#"}


def draw(block: Block, width: int) -> list[str]:
    out = io.StringIO()
    Console(file=out, width=width, force_terminal=False, no_color=True).print(block)
    return out.getvalue().splitlines()


def words(texts: Iterable[str]) -> set[str]:
    return {word for text in texts for word in clean(text).split()}


def check(lines: list[str], known: set[str], width: int) -> None:
    for line in lines:
        assert len(line) <= width, line
        assert line == line.rstrip(), f"trailing spaces: {line!r}"
    drawn = {word for line in lines for word in line.split()}
    # Only a word longer than any room the terminal has (a long web address) may be folded.
    too_long = [w for w in known if len(w) > width - 8]
    cut = sorted(
        w
        for w in drawn - known - RULE_OR_MARK
        if set(w) != {"─"} and not any(w in long for long in too_long)
    )
    assert not cut, f"words cut in two at {width} columns: {cut[:10]}"


@pytest.mark.parametrize("width", WIDTHS)
def test_list_never_cuts_a_word(width: int) -> None:
    procedures = STORE.procedures
    cells = [f"{p.id} {p.name} {p.category} {', '.join(p.regions)}" for p in procedures]
    known = words([*cells, "ID Name Category Regions Risk", "low intermediate high"])
    check(draw(list_table(procedures), width), known, width)


QUERIES = ["nerve block", "epidural", "pain pump", "knee", "tfesi", "burn the nerves in my neck"]


@pytest.mark.parametrize("query", QUERIES)
@pytest.mark.parametrize("width", WIDTHS)
def test_search_never_cuts_a_word(width: int, query: str) -> None:
    hits = search(STORE, query, limit=10)
    assert hits
    known = words(
        [f"Results for '{query}'", "# ID Name Category Matched Score",
         *(f"{h.id} {h.name} {h.category} {h.field}: {h.matched} {h.score:.0f}" for h in hits),
         *(str(n) for n in range(1, 11))]
    )  # fmt: skip
    check(draw(search_table(query, hits), width), known, width)


COMPARISONS = [
    ("interlaminar-esi", "transforaminal-esi", "caudal-esi"),
    ("medial-branch-block", "medial-branch-rfa"),
    ("lateral-femoral-cutaneous-nerve-block", "greater-trochanteric-bursa-injection"),
    ("vertebroplasty", "kyphoplasty", "basivertebral-nerve-ablation", "spinal-cord-stimulation"),
]


@pytest.mark.parametrize("fields", [DEFAULT_FIELDS, COMPARABLE_FIELDS], ids=["default", "all"])
@pytest.mark.parametrize("ids", COMPARISONS, ids=[" ".join(c) for c in COMPARISONS])
@pytest.mark.parametrize("width", WIDTHS)
def test_compare_never_cuts_a_word(
    width: int, ids: tuple[str, ...], fields: tuple[str, ...]
) -> None:
    procedures = [STORE.get(i) for i in ids]
    assert all(procedures)
    found = rows(procedures, list(fields))  # type: ignore[arg-type]
    texts = [line for row in found for cell in row.cells for line in cell]
    names = [p.name for p in procedures]  # type: ignore[union-attr]
    known = words([*names, *ids, *(row.label for row in found), *texts])
    check(draw(compare_view(procedures, found, width), width), known, width)  # type: ignore[arg-type]


def test_compare_diff_shows_only_the_rows_that_differ(invoke: Invoke) -> None:
    names = ("interlaminar-esi", "transforaminal-esi", "caudal-esi")
    full = invoke("compare", *names, env={"COLUMNS": "160"}).stdout
    result = invoke("compare", *names, "--diff", env={"COLUMNS": "160"})
    assert result.exit_code == 0
    assert "Category" in full and "Bleeding risk" in full  # all three: epidural, intermediate
    assert "Category" not in result.stdout and "Bleeding risk" not in result.stdout
    assert "Regions" in result.stdout and "Imaging" in result.stdout


def test_compare_diff_json_lists_the_fields_that_differ(invoke: Invoke) -> None:
    fields = "category,regions,anticoagulation_risk"
    result = invoke("compare", "ilesi", "tfesi", "--fields", fields, "--diff", "--json")
    data = json.loads(result.stdout)
    assert data["fields"] == ["regions"]
    assert set(data["procedures"][0]) == {"id", "name", "regions"}


def test_compare_diff_with_nothing_different_says_so(invoke: Invoke) -> None:
    result = invoke("compare", "ilesi", "tfesi", "--fields", "category", "--diff")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert "the same in every row" in result.stderr


EVERY_VIEW = [
    ["list"], ["list", "--facets"], ["search", "nerve", "block"], ["show", "tfesi"],
    ["show", "tfesi", "--brief"], ["show", "kyphoplasty", "--patient"],
    ["compare", "ilesi", "tfesi"], ["anticoag"], ["anticoag", "warfarin"],
    ["anticoag", "Plavix", "-p", "mbb"], ["for", "sciatica"], ["conditions"],
    ["export", "tfesi"], ["validate"], ["show", "epidural"],
]  # fmt: skip


@pytest.mark.parametrize("terminal", [False, True], ids=["piped", "terminal"])
@pytest.mark.parametrize("argv", EVERY_VIEW, ids=[" ".join(a) for a in EVERY_VIEW])
def test_no_output_line_ends_in_spaces(invoke: Invoke, argv: list[str], terminal: bool) -> None:
    env = {"COLUMNS": "100", **({"FORCE_COLOR": "1", "NO_COLOR": ""} if terminal else {})}
    result = invoke(*argv, env=env)
    assert result.exit_code == 0
    for line in (result.stdout + result.stderr).splitlines():
        plain = re.sub(r"\x1b\[[0-9;]*m", "", line)
        assert plain == plain.rstrip(), repr(line)
