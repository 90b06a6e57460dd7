"""Shared fixtures: a factory for valid entries, dataset files on disk and a pinned CLI runner."""

from __future__ import annotations

import copy
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, settings
from typer.testing import CliRunner, Result

from painref.cli import launch
from painref.cli.app import build

FIXTURES = Path(__file__).parent / "fixtures"

# Property tests: 50 examples each and no per-example deadline (a first run compiles a store),
# so the suite stays quick; HYPOTHESIS_PROFILE=thorough runs many more on demand.
settings.register_profile(
    "ci", max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("thorough", max_examples=1_000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

# A complete, valid entry. Its text is test scaffolding, not clinical content.
BASE_ENTRY: dict[str, Any] = {
    "id": "test-block",
    "name": "Test block",
    "aliases": ["TB", "testing block"],
    "category": "nerve-block",
    "regions": ["lumbar"],
    "conditions": ["test condition"],
    "summary": "A placeholder used by the test suite.",
    "patient_summary": "This is a test.",
    "indications": ["testing"],
    "contraindications": {"absolute": ["none known"], "relative": ["none known"]},
    "imaging": {"modalities": ["fluoroscopy"], "notes": "For tests only."},
    "technique": ["Step one.", "Step two."],
    "medications": [{"agent": "saline", "dose": "1 mL [ref-a]"}],
    "outcomes": {"expected": "Nothing [ref-a].", "duration": "None [ref-a]."},
    "complications": [{"event": "none", "frequency": "never [ref-a]"}],
    "recovery": ["Rest."],
    "anticoagulation_risk": "low",
    "cpt_codes": [{"code": "64999", "meaning": "Unlisted nerve procedure (test)."}],
    "evidence": "Test evidence [ref-a].",
    "references": [
        {"key": "ref-a", "citation": "Test citation.", "url": "https://pubmed.ncbi.nlm.nih.gov/1/"}
    ],
    "last_reviewed": "2026-11-24",
}


def make_entry(**changes: Any) -> dict[str, Any]:
    """A valid entry with some fields changed; a value of None removes the field."""
    entry = copy.deepcopy(BASE_ENTRY)
    for key, value in changes.items():
        if value is None:
            entry.pop(key, None)
        else:
            entry[key] = value
    return entry


def dump_dataset(entries: list[dict[str, Any]]) -> str:
    return yaml.safe_dump({"schema_version": 1, "procedures": entries}, sort_keys=False)


@pytest.fixture
def write_dataset(tmp_path: Path) -> Callable[..., Path]:
    """Write entries (or raw text) to a YAML file in a temporary folder and return its path."""

    def write(content: list[dict[str, Any]] | str, name: str = "overlay.yaml") -> Path:
        path = tmp_path / name
        path.write_text(content if isinstance(content, str) else dump_dataset(content), "utf-8")
        return path

    return write


@pytest.fixture(autouse=True)
def _clean_env(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[None]:
    """No user setting may leak into a test, nor a test into the user's own cache folder."""
    for name in ("PAINREF_DATA", "NO_COLOR", "FORCE_COLOR", "COLUMNS", "PAGER"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PAINREF_CONFIG", "")  # the user's own config file stays out of tests
    monkeypatch.setenv("PAINREF_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "painref-cache"))
    yield


Invoke = Callable[..., Result]


def run_entry(*args: str, env: dict[str, str] | None = None, input: str | None = None) -> Result:
    """The console script itself (`launch.main`), in-process, stdout and stderr kept apart."""
    runner = CliRunner()
    merged = {"COLUMNS": "80", "NO_COLOR": "1", **(env or {})}
    code = 0
    with runner.isolation(input=input, env=merged) as (stdout, stderr, output):
        try:
            launch.main(list(args))
        except SystemExit as done:
            code = done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            captured = stdout.getvalue(), stderr.getvalue(), output.getvalue()
    return Result(runner, *captured, None, code, None)


def run_typer(*args: str, env: dict[str, str] | None = None, input: str | None = None) -> Result:
    """The same command line through the Typer application alone (help, completion, errors)."""
    runner = CliRunner()
    merged = {"COLUMNS": "80", "NO_COLOR": "1", **(env or {})}
    return runner.invoke(build(), list(args), env=merged, input=input, prog_name="painref")


@pytest.fixture
def invoke() -> Invoke:
    """Run painref in-process as a user does, at a pinned width."""
    return run_entry


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Print the search acceptance table's top-1 and top-3, as the issue asks the suite to."""
    from .test_search_table import RESULTS

    if not RESULTS:
        return
    write = terminalreporter.write_line
    write("search acceptance table (top-1 / top-3):")
    for kind, (n, top1, top3) in sorted(RESULTS.items()):
        write(f"  {kind:10} {n:4}  {top1 / n:6.1%}  {top3 / n:6.1%}")
    n, top1, top3 = (sum(c[i] for c in RESULTS.values()) for i in range(3))
    write(f"  {'all':10} {n:4}  {top1 / n:6.1%}  {top3 / n:6.1%}")
