"""The column layout behind every table: fits the terminal, loses no text, shares width fairly."""

from __future__ import annotations

import io

import pytest

from painref.render.console import Console
from painref.render.grid import Column, Grid
from painref.render.text import bullets


def draw(grid: Grid, width: int) -> list[str]:
    out = io.StringIO()
    Console(file=out, width=width, force_terminal=False).print(grid)
    return [line.rstrip() for line in out.getvalue().splitlines()]


LONG = "Transforaminal epidural steroid injection at two levels under fluoroscopy"


@pytest.mark.parametrize("width", [12, 20, 33, 50, 80, 131])
def test_no_line_is_wider_than_the_terminal(width: int) -> None:
    grid = Grid(
        [Column("ID", ratio=0), Column("Name", ratio=3), Column("Score", ratio=0, right=True)],
        [["transforaminal-esi", LONG, "95"], ["x", "supercalifragilistic", "7"]],
        title="Results",
    )
    assert max(len(line) for line in draw(grid, width)) <= width


@pytest.mark.parametrize("width", [9, 20, 50])
def test_folding_loses_no_text(width: int) -> None:
    grid = Grid([Column("Name")], [[LONG + " supercalifragilisticexpialidocious"]], header=False)
    drawn = "".join("".join(draw(grid, width)).split())
    assert drawn == "".join(LONG.split()) + "supercalifragilisticexpialidocious"


def test_short_columns_keep_their_natural_width() -> None:
    grid = Grid([Column("A"), Column("B")], [["one", "two"]])
    assert grid.widths(80) == [3, 3]


def test_equal_ratios_share_the_width_equally_when_squeezed() -> None:
    grid = Grid([Column("", ratio=0), Column("x"), Column("y")], [["label", LONG, LONG]])
    _, first, second = grid.widths(60)
    assert abs(first - second) <= 1
    assert 5 + first + second + grid._overhead() == 60


def test_a_column_gets_its_longest_word_before_the_others_grow() -> None:
    grid = Grid([Column("Name", ratio=3), Column("Category")], [[LONG, "radiofrequency"]])
    _, category = grid.widths(50)
    assert category == len("radiofrequency")


def test_numbers_are_right_aligned_and_headers_sit_on_the_rule() -> None:
    grid = Grid(
        [Column("Long header text", ratio=1), Column("N", ratio=0, right=True)],
        [["a", "7"], ["b", "123"]],
    )
    lines = draw(grid, 16)  # the header's longest word and the numbers just fit
    rule = next(i for i, line in enumerate(lines) if "─" in line)
    assert lines[rule - 1].rstrip().endswith("N")  # the short header is on the last header line
    body = [line for line in lines[rule + 1 :] if line.strip()]
    assert body[0].endswith("  7") and body[1].endswith("123")


def test_list_cells_keep_their_hanging_indent_inside_a_column() -> None:
    cell = bullets(["first point that is long enough to wrap", "second point"])
    lines = draw(Grid([Column("", ratio=0), Column("Side")], [["label", cell]]), 30)
    body = [line for line in lines if line.strip() and "─" not in line and "Side" not in line]
    assert body[0].split("label", 1)[1].lstrip().startswith("• first")
    marker_column = body[0].index("•")
    assert body[1][marker_column] == " " and body[1][marker_column + 2] != " "  # hangs under text
    assert any(line[marker_column:].startswith("• second") for line in body)


def test_optional_columns_go_before_a_word_is_cut() -> None:
    columns = [Column("ID", ratio=0), Column("Name"), Column("Extra", priority=1)]
    grid = Grid(columns, [["an-id", "words", "supercalifragilistic"]])
    assert grid.shown(80) == [0, 1, 2]
    assert grid.shown(30) == [0, 1]
    assert "supercalifragilistic" not in " ".join(draw(grid, 30))


def test_too_narrow_for_the_columns_that_stay_draws_records() -> None:
    columns = [Column("#", ratio=0, right=True), Column("ID", ratio=0), Column("Name")]
    grid = Grid(columns, [["1", "transforaminal-esi", LONG], ["2", "x", "short"]])
    lines = draw(grid, 24)
    assert grid.shown(24) is None
    assert "1  transforaminal-esi" in lines[1]
    assert lines[2].startswith("    Transforaminal")  # under the id, not under the number
    assert all(len(line) <= 24 for line in lines)
    assert "".join("".join(lines).split()).count("epidural") == 1  # nothing lost, nothing cut
