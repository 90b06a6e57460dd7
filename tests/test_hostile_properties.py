"""Property tests: any query, and any text in a data file, through every command and output mode
(terminal, pipe, --json, Markdown, HTML). Whatever Hypothesis draws, painref exits 0, 1 or 2,
never prints a traceback, never writes a character a terminal would act on (but its own colour
codes), prints JSON that parses, and Markdown in which data cannot make a link or an image.

They run on the small dataset of `hostile_kit`, compiled once into a module cache folder; the
profile (tests/conftest.py) keeps them to 50 examples each.
"""

from __future__ import annotations

import itertools
import json
import os
import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from hypothesis import event, given
from hypothesis import strategies as st

from .conftest import make_entry
from .hostile_kit import Run, assert_clean, bundled, run, write_base

PIECES = [
    '"', "'", "*", "^", ":", "-", "+", "(", ")", "{", "}", "NEAR(", "AND", "OR", "NOT", "\\",
    "%", "[", "]", "#", "|", "<script>", "&amp;", "\x1b[31m", "\x1b]0;t\x07", "\x9b2J", "\x07",
    "\r", "\t", "\n", "\x00", "\x7f", "\u202e", "\u2028", "\ufeff", "\u0301", "\U0001f600",
    "\u754c", "[Click](javascript:alert(1))", "![Img](https://t.example/x.png)", "<b>x</b>",
    "L5-S1", "64483", "tfesi", "test", "block", "testitis", "td",
]  # fmt: skip
SURROGATES = [chr(code) for code in range(0xDC80, 0xDD00)]  # undecodable bytes of an argument
ANY_CHARACTER = st.characters(blacklist_categories=("Cs",))


def _joined(parts: list[str]) -> str:
    return " ".join(parts)


QUERIES = st.lists(
    st.one_of(
        st.text(ANY_CHARACTER, min_size=1, max_size=12),
        st.sampled_from(PIECES),
        st.sampled_from(SURROGATES),
    ),
    min_size=1,
    max_size=6,
).map(_joined)
# Text a data file can hold (a file is UTF-8: no surrogates); '%' and citation markers are left
# out so that most values validate and reach every view.
DATA_TEXT = (
    st.lists(
        st.one_of(st.text(ANY_CHARACTER, max_size=16), st.sampled_from(PIECES)),
        min_size=1,
        max_size=5,
    )
    .map(lambda parts: "x " + "".join(parts).replace("%", ""))
    .map(lambda text: re.sub(r"\[([a-z0-9][a-z0-9-]*)\]", r"(\1)", text))
)
MODES = ("pipe", "terminal", "json")


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, dict[str, str]]]:
    folder = tmp_path_factory.mktemp("small")
    sources = write_base(folder / "base")
    settled = time.time() - 60
    for source in sources:
        os.utime(source, (settled, settled))
    with bundled(sources):
        yield folder, {"PAINREF_CACHE_DIR": str(folder / "cache")}


def _run(args: list[str], mode: str, env: dict[str, str]) -> Run:
    if mode == "json":
        args = ["--json", *args]
    result = run(*args, tty=mode == "terminal", env=env)
    assert_clean(result)
    if mode == "json" and result.stdout:
        json.loads(result.stdout)
    return result


def _unescaped(text: str, character: str) -> bool:
    """Whether `character` occurs in Markdown `text` without a backslash escaping it."""
    return any(
        (len(match.group(1)) % 2) == 0
        for match in re.finditer(rf"(\\*){re.escape(character)}", text)
    )


@given(query=QUERIES, modes=st.lists(st.sampled_from(MODES), min_size=8, max_size=8))
def test_any_query_in_any_command(
    small: tuple[Path, dict[str, str]], query: str, modes: list[str]
) -> None:
    _, env = small
    commands = [
        ["search", query],
        ["show", query],
        ["show", query, "--patient"],
        ["compare", query, "test-block"],
        ["anticoag", query],
        ["anticoag", "td", "-p", query],
        ["for", query],
        ["list", "--category", query],
    ]
    for args, mode in zip(commands, modes, strict=True):
        _run(args, mode, env)
    for fmt in ("markdown", "html"):
        result = run("export", query, "--format", fmt, env=env)
        assert_clean(result)


_files = itertools.count()


FIELDS = ["name", "alias", "summary", "patient_summary", "indication", "technique",
          "condition", "complication", "imaging", "citation", "caveat"]  # fmt: skip


@given(
    value=DATA_TEXT,
    field=st.sampled_from(FIELDS),
    modes=st.lists(st.sampled_from(MODES), min_size=6, max_size=6),
)
def test_any_text_in_a_data_file_in_any_command(
    small: tuple[Path, dict[str, str]], value: str, field: str, modes: list[str]
) -> None:
    folder, env = small
    entry = make_entry(id="drawn-block")
    where = {
        "name": (entry, "name"),
        "summary": (entry, "summary"),
        "patient_summary": (entry, "patient_summary"),
        "alias": (entry["aliases"], 0),
        "indication": (entry["indications"], 0),
        "technique": (entry["technique"], 1),
        "condition": (entry["conditions"], 0),
        "complication": (entry["complications"][0], "event"),
        "imaging": (entry["imaging"], "notes"),
        "citation": (entry["references"][0], "citation"),
    }
    if field == "caveat":
        entry["caveats"] = [f"{value} [ref-a]"]
    else:
        container, key = where[field]
        container[key] = value
    overlay = folder / f"drawn-{next(_files)}.yaml"  # a new name: a new store
    overlay.write_text(yaml.safe_dump({"schema_version": 1, "procedures": [entry]}), "utf-8")
    settled = time.time() - 60
    os.utime(overlay, (settled, settled))
    data = ["--data", str(overlay)]
    commands = [
        ["show", "drawn-block"],
        ["show", "drawn-block", "--patient"],
        ["search", "test", "block"],
        ["list"],
        ["compare", "drawn-block", "test-block"],
        ["anticoag", "td", "-p", "drawn-block"],
    ]
    results = [_run([*data, *args], mode, env) for args, mode in zip(commands, modes, strict=True)]
    if results[0].code == 2:  # the value did not validate: every command says so, cleanly
        event("refused by validation")
        assert all(result.code == 2 for result in results)
        return
    event("valid")
    shown = json.loads(run(*data, "--json", "show", "drawn-block", env=env).stdout)
    if field == "name":
        assert shown["name"] == value  # JSON is the data exactly, escaped
    for audience in ("patient", "clinician"):
        markdown = run(*data, "export", "drawn-block", "--for", audience, env=env)
        assert_clean(markdown, codes=(0,))
        for character in "[]<":  # the handout itself writes only > and ` (quote, code)
            # addresses are written as CommonMark autolinks, <https://...>, on purpose
            text = re.sub(r"<https?://[^\s<>]*>", "", markdown.stdout)
            assert not _unescaped(text, character), character
        page = run(*data, "export", "drawn-block", "--for", audience, "--format", "html", env=env)
        assert_clean(page, codes=(0,))
        assert "<script>" not in page.stdout and "<b>x</b>" not in page.stdout
