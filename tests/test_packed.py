"""Joined strings and the sorted map behind the search tables: same answers as a list and a dict."""

from __future__ import annotations

import marshal

import pytest

from painref.packed import Joined, SortedMap

WORDS = ["epidural", "", "block", "blocks", "blockade", "ablation", "épaule", "a", "zz"]


def test_joined_pieces_come_back_in_order_and_survive_marshal() -> None:
    joined = Joined.of(WORDS, "")
    again = Joined(*marshal.loads(marshal.dumps(joined.packed())))
    assert len(again) == len(WORDS)
    assert [again[i] for i in range(len(WORDS))] == WORDS == list(again)
    with pytest.raises(IndexError):
        again[len(WORDS)]


def test_joined_bytes() -> None:
    blobs = [b"\x00\x01", b"", b"abc"]
    assert list(Joined.of(blobs, b"")) == blobs


def test_sorted_map_answers_like_a_dict() -> None:
    mapping = {word: word.encode() * 2 for word in WORDS}
    table = SortedMap.unpacked(marshal.loads(marshal.dumps(SortedMap.of(mapping).packed())))
    for word, value in mapping.items():
        assert table.get(word) == value and word in table
    for missing in ["aa", "blockz", "block ", "zzz", "Block", "0"]:
        assert table.get(missing) is None and missing not in table
    assert len(table) == len(mapping)


def test_words_starting_with_a_prefix_exclude_the_prefix_itself() -> None:
    table = SortedMap.of({word: b"" for word in WORDS})
    assert table.starting_with("block") == ["blockade", "blocks"]
    assert table.starting_with("bloc") == ["block", "blockade", "blocks"]
    assert table.starting_with("q") == []
    assert table.starting_with("zz") == []


def test_an_empty_map_finds_nothing() -> None:
    table = SortedMap.of({})
    assert table.get("x") is None and table.starting_with("") == [] and len(table) == 0
