"""The fast YAML reader must read every file exactly as PyYAML's safe loader would."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from painref.store import yamlio as lined_yaml
from painref.store.paths import bundled_file

ANCHORS_AND_ALIASES = "a: &x 2026-11-24\nb: *x\n"
SAMPLES = {
    "prose and lists": "name: Lumbar TFESI\naliases: [TFESI, 'SNRB']\nsteps:\n  - one\n  - two\n",
    "implicit types": "n: 12\nf: 1.5\nyes_: yes\nnull_: ~\nempty:\nday: 2026-11-24\nhex: 0x1F\n",
    "typed-looking prose": "a: 3 to 5 days\nb: -1 is negative\nc: .5 mg dose\nd: '12'\n",
    "nested": "outer:\n  inner:\n    - {k: v, n: 2}\n    - [1, [2, 3]]\n",
    "block scalars": "text: |\n  line one\n  line two\nfolded: >\n  a\n  b\n",
    "duplicate keys": "a: 1\nb: 2\na: 3\n",
    "numeric and boolean keys": "1: one\ntrue: yes\n",
    "empty document": "",
    "bare scalar": "just text\n",
    "anchors and aliases": ANCHORS_AND_ALIASES,
    "explicit tag": "a: !!str 12\n",
    "merge key": "base: &b {x: 1}\nderived:\n  <<: *b\n  y: 2\n",
}
BROKEN = {
    "bad indentation": "a:\n  - b\n c: d\n",
    "unclosed flow": "a: [1, 2\n",
    "two documents": "a: 1\n---\nb: 2\n",
    "list as key": "? [a, b]\n: c\n",
    "python tag": "a: !!python/object:os.system ls\n",
    "value type": "a: =\n",
}


def _full(text: str) -> tuple[Any, lined_yaml.DuplicateKeys]:
    loader = lined_yaml._LineLoader(text)
    try:
        return loader.get_single_data(), loader.duplicate_keys
    finally:
        loader.dispose()


def _same(a: Any, b: Any) -> bool:
    """Equal values, types and recorded lines, all the way down."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.lines == b.lines and list(a) == list(b) and all(_same(a[key], b[key]) for key in a)
    if isinstance(a, list):
        return a.lines == b.lines and len(a) == len(b) and all(map(_same, a, b))
    return bool(a == b)


@pytest.mark.parametrize("text", SAMPLES.values(), ids=list(SAMPLES))
def test_reads_like_the_safe_loader(text: str) -> None:
    document, duplicates = lined_yaml.load(text)
    expected, expected_duplicates = _full(text)
    assert _same(document, expected)
    assert duplicates == expected_duplicates


@pytest.mark.parametrize("text", SAMPLES.values(), ids=list(SAMPLES))
def test_reading_without_lines_gives_the_same_values(text: str) -> None:
    """A file is first read without lines (they only serve messages): the values, and which keys
    repeat, must be exactly those of the lined reading."""
    plain, plain_duplicates = lined_yaml.load(text, lined=False)
    lined, duplicates = lined_yaml.load(text)
    assert plain == lined
    assert [key for _, key in plain_duplicates] == [key for _, key in duplicates]


@pytest.mark.parametrize("text", BROKEN.values(), ids=list(BROKEN))
def test_refuses_with_the_safe_loaders_message(text: str) -> None:
    with pytest.raises(yaml.YAMLError) as fast:
        lined_yaml.load(text)
    with pytest.raises(yaml.YAMLError) as full:
        _full(text)
    assert str(fast.value) == str(full.value)


@pytest.mark.parametrize("name", ["procedures.yaml", "anticoagulants.yaml", "conditions.yaml"])
def test_bundled_files_need_only_the_fast_reader(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A first run's speed rests on this: a construct that needs the slow reader fails here.
    text = Path(bundled_file(name)).read_text(encoding="utf-8")
    expected, _ = _full(text)

    def refuse(_: str) -> None:
        raise AssertionError(f"{name} needed the full YAML loader")

    monkeypatch.setattr(lined_yaml, "_LineLoader", refuse)
    document, duplicates = lined_yaml.load(text)
    assert _same(document, expected)
    assert duplicates == []


def test_aliases_are_read_by_the_full_loader(monkeypatch: pytest.MonkeyPatch) -> None:
    used = []
    real = lined_yaml._LineLoader

    def spy(text: str) -> Any:
        used.append(text)
        return real(text)

    monkeypatch.setattr(lined_yaml, "_LineLoader", spy)
    document, _ = lined_yaml.load(ANCHORS_AND_ALIASES)
    assert used == [ANCHORS_AND_ALIASES]
    assert document["a"] == document["b"]
