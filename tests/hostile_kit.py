"""Tools for the hostile-input tests: a small dataset of every kind, a runner that gives painref
any stdout (a terminal, a pipe, another encoding, a full device) and checks of what came out."""

from __future__ import annotations

import contextlib
import errno
import io
import os
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple
from unittest import mock

import yaml

from painref.cli import launch
from painref.printable import hidden

from .conftest import make_entry

# The console's own colour codes; anything else hidden in output came from outside.
SGR = re.compile(r"\x1b\[[0-9;]*m")
INTERNAL_ERROR = "internal error"

GUIDELINE = {
    "key": "guide-a",
    "edition": "Test edition.",
    "citation": "Test guideline.",
    "url": "https://example.org/g",
    "caution": "Test caution [guide-a].",
    "high_risk_patients": "Test high-risk text [guide-a].",
}


def _rules() -> dict[str, Any]:
    stop = {"action": "stop", "value": 3, "unit": "days", "note": "Test [ref-d]."}
    restart = {"action": "restart", "value": 24, "unit": "hours", "note": "Test [ref-d]."}
    return {"stop": stop, "restart": restart}


DRUG = {
    "id": "test-drug",
    "name": "Testadrug",
    "drug_class": "Test class",
    "aliases": ["TD"],
    "intervals": {risk: _rules() for risk in ("low", "intermediate", "high")},
    "references": [{"key": "ref-d", "citation": "Drug citation.", "url": "https://example.org/d"}],
    "last_reviewed": "2026-11-24",
}
CONDITION = {
    "id": "test-condition",
    "name": "Test condition",
    "synonyms": ["testitis"],
    "summary": "A test condition [ref-c].",
    "pathway": [{"step": "therapeutic", "procedures": ["test-block"], "note": "Note [ref-c]."}],
    "references": [{"key": "ref-c", "citation": "Cond citation.", "url": "https://example.org/c"}],
    "last_reviewed": "2026-11-24",
}


def write_base(folder: Path) -> list[str]:
    """A complete small dataset (two procedures, a drug with its guideline, a condition and a
    lexicon) in `folder`, in the order painref reads its bundled files; their paths."""
    files = {
        "procedures.yaml": {
            "schema_version": 1,
            "procedures": [
                make_entry(),
                make_entry(id="other-block", name="Other block", aliases=["OB"]),
            ],
        },
        "anticoagulants.yaml": {"schema_version": 1, "guideline": GUIDELINE, "drugs": [DRUG]},
        "conditions.yaml": {"schema_version": 1, "conditions": [CONDITION]},
        "lexicon.yaml": {
            "schema_version": 1,
            "stopwords": ["the"],
            "synonyms": [{"words": ["shot"], "means": ["injection"]}],
        },
    }
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, data in files.items():
        path = folder / name
        path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), "utf-8")
        paths.append(str(path))
    return paths


class Run(NamedTuple):
    code: int
    stdout: str
    stderr: str


class _Terminal(io.TextIOWrapper):
    def isatty(self) -> bool:
        return True


class _Keyboard(io.StringIO):
    def isatty(self) -> bool:
        return True


class FullDevice(io.RawIOBase):
    """A device that takes nothing: every write fails as /dev/full's does."""

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")


def run(
    *args: str,
    tty: bool = False,
    encoding: str = "utf-8",
    env: dict[str, str] | None = None,
    stdin: str | None = "",
    stdout: Any = io.TextIOWrapper,
    stderr: Any = None,
) -> Run:
    """painref's entry point in this process, with a stdout of the given kind.

    `tty` makes stdout (and stdin) say they are a terminal; `encoding` is stdout's encoding;
    `stdout`, `stderr` and `stdin` replace them (a full device; None for a closed stream).
    Returns the exit code and what was written, decoded leniently so that a test can look at
    any byte painref produced.
    """
    raw = io.BytesIO()
    out = (
        (_Terminal if tty else io.TextIOWrapper)(raw, encoding=encoding, write_through=True)
        if stdout is io.TextIOWrapper
        else stdout
    )
    err = io.StringIO() if stderr is None else stderr
    settings = {"COLUMNS": "80", **(env or {})}
    code = 0
    with contextlib.ExitStack() as stack:
        stack.enter_context(mock.patch.dict(os.environ, settings))
        stack.enter_context(mock.patch.object(sys, "stdout", out))
        stack.enter_context(mock.patch.object(sys, "stderr", err))
        keys = None if stdin is None else _Keyboard(stdin) if tty else io.StringIO(stdin)
        stack.enter_context(mock.patch.object(sys, "stdin", keys))
        try:
            launch.main(list(args))
        except SystemExit as done:
            code = done.code if isinstance(done.code, int) else 1
    with contextlib.suppress(ValueError, OSError, AttributeError):
        out.flush()
    errors = err.getvalue() if isinstance(err, io.StringIO) else ""
    return Run(code, raw.getvalue().decode(encoding, "replace"), errors)


def assert_clean(result: Run, *, codes: tuple[int, ...] = (0, 1, 2)) -> None:
    """No traceback, no bug report, an expected exit code, and nothing hidden in the output
    but the console's own colour codes."""
    assert result.code in codes, result
    for stream in (result.stdout, result.stderr):
        assert "Traceback" not in stream and INTERNAL_ERROR not in stream, result
        leftover = SGR.sub("", stream)
        found = hidden().search(leftover)
        assert found is None, (repr(found.group()), leftover[max(found.start() - 40, 0) :][:80])


@contextlib.contextmanager
def bundled(paths: list[str]) -> Iterator[None]:
    """Make `paths` the bundled data for the duration."""
    # Imported first: imported inside the first patch, `sources` would bind the stand-in as its
    # own `bundled_paths`, and the second patch would "restore" the stand-in when it ends.
    import painref.store.sources  # noqa: F401

    with (
        mock.patch("painref.store.paths.bundled_paths", lambda: list(paths)),
        mock.patch("painref.store.sources.bundled_paths", lambda: list(paths)),
    ):
        yield
