"""A large procedures file read in two halves on two cores gives exactly the one-piece result."""

from __future__ import annotations

from typing import Any

import pytest

from painref import dataset, halves
from painref.schema import to_plain

from .conftest import dump_dataset, make_entry

pytestmark = pytest.mark.skipif(not halves.can_split(), reason="reading in halves needs Linux fork")


def _entries(count: int) -> list[dict[str, Any]]:
    entries = []
    for n in range(count):
        related = [{"id": f"entry-{(n + 1) % count}", "relation": "alternative"}]
        entries.append(make_entry(id=f"entry-{n}", name=f"Entry number {n}", related=related))
    return entries


def _outcome(result: dataset.FileResult) -> tuple[Any, ...]:
    return (
        [to_plain(procedure) for procedure in result.procedures],
        dict(result.link_lines),
        [str(problem) for problem in result.problems],
    )


@pytest.fixture(autouse=True)
def _small_files_count_as_large(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(halves, "LARGE", 1000)


def test_a_valid_file_is_read_in_halves_with_the_same_result_and_lines() -> None:
    text = dump_dataset(_entries(40))
    split = halves.read(text, "big.yaml", dataset.parse_whole)
    assert split is not None  # it really was read in two halves
    whole = dataset.parse_whole(text, "big.yaml")
    assert _outcome(split) == _outcome(whole)
    assert len(whole.procedures) == 40 and len(whole.link_lines) == 40
    assert _outcome(dataset.parse_text(text, "big.yaml")) == _outcome(whole)


def test_the_cut_falls_between_two_list_items_near_the_middle() -> None:
    text = dump_dataset(_entries(40))
    at = halves.cut(text)
    assert at is not None and text[at:].startswith("- id: entry-")
    assert text[at - 1] == "\n" and abs(at - len(text) // 2) < len(text) // 10


def _with_problem_in(entries: list[dict[str, Any]], index: int) -> list[dict[str, Any]]:
    entries[index] = make_entry(id=entries[index]["id"], category="not-a-category")
    return entries


@pytest.mark.parametrize(
    "text",
    [
        dump_dataset(_with_problem_in(_entries(40), 35)),  # a problem in the second half
        dump_dataset(_with_problem_in(_entries(40), 2)),  # a problem in the first half
        dump_dataset([*_entries(30), make_entry(id="entry-3", name="Again")]),  # id across the cut
        dump_dataset(_entries(40)) + "extra_key: 1\n",  # a top-level key after the list
        dump_dataset(_entries(40)) + "  - id: [unclosed\n",  # YAML broken in the second half
        dump_dataset(_entries(40)).replace("schema_version: 1", "schema_version: 2"),
    ],
    ids=["second-half", "first-half", "repeated-id", "key-after-list", "broken-yaml", "version"],
)
def test_any_problem_is_reported_exactly_as_the_one_piece_reader_does(text: str) -> None:
    whole = dataset.parse_whole(text, "big.yaml")
    assert whole.problems  # each case really has a problem
    assert halves.read(text, "big.yaml", dataset.parse_whole) is None
    assert _outcome(dataset.parse_text(text, "big.yaml")) == _outcome(whole)


@pytest.mark.parametrize(
    "text",
    [
        '{"schema_version": 1, "procedures": []}' + " " * 2000,  # flow style: no block list
        "procedures:\n" + "# only comments\n" * 200,
    ],
)
def test_files_without_a_block_list_are_read_in_one_piece(text: str) -> None:
    assert halves.cut(text) is None
    assert _outcome(dataset.parse_text(text, "odd.yaml")) == _outcome(
        dataset.parse_whole(text, "odd.yaml")
    )


def test_a_failing_child_means_one_piece(monkeypatch: pytest.MonkeyPatch) -> None:
    text = dump_dataset(_entries(40))

    def broken_reader(part: str, name: str) -> dataset.FileResult:
        if part.startswith("procedures:\n"):  # the child's half
            raise RuntimeError("the child fails")
        return dataset.parse_whole(part, name)

    assert halves.read(text, "big.yaml", broken_reader) is None
