"""painref(1): written from the command table, shipped in the wheel, readable by man."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest

from painref.cli.manpage import escape, render
from painref.cli.table import COMMANDS, GLOBAL_OPTIONS

ROOT = Path(__file__).parent.parent
SHIPPED = ROOT / "man" / "painref.1"


@pytest.fixture
def page(tmp_path: Path) -> Path:
    path = tmp_path / "painref.1"
    path.write_text(render(), "utf-8")
    return path


def test_the_shipped_page_is_current() -> None:
    assert SHIPPED.read_text("utf-8") == render(), (
        "man/painref.1 is stale: python -m painref.cli.manpage > man/painref.1"
    )


def test_the_wheel_installs_the_page_under_share_man() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    shared = project["tool"]["hatch"]["build"]["targets"]["wheel"]["shared-data"]
    assert shared == {"man/painref.1": "share/man/man1/painref.1"}


def test_the_page_has_every_section_command_and_option() -> None:
    text = render()
    assert text.startswith('.\\"') and "\n.TH PAINREF 1 " in text
    headings = re.findall(r"^\.SH (.+)$", text, re.MULTILINE)
    for heading in ("NAME", "SYNOPSIS", "DESCRIPTION", "GLOBAL OPTIONS", "COMMANDS",
                    "ENVIRONMENT", "EXIT STATUS"):  # fmt: skip
        assert heading in headings
    assert re.findall(r'^\.SS "(.+)"$', text, re.MULTILINE) == [c.name for c in COMMANDS]
    for option in [*GLOBAL_OPTIONS, *(o for c in COMMANDS for o in c.options)]:
        for flag in option.flags:
            assert f"\\fB{escape(flag)}\\fR" in text, flag
    for example in (e for c in COMMANDS for e in c.examples):
        assert escape(example) in text
    # no line that roff would read as a request by accident
    for line in text.splitlines():
        assert not line.startswith("'"), line
        if line.startswith("."):
            assert re.match(r'^\.(\\"|(TH|SH|SS|TP|PP|RS|RE|nf|fi|br|nh)\b)', line), line


def _env() -> dict[str, str]:
    return {**os.environ, "MANPAGER": "cat", "PAGER": "cat", "MANWIDTH": "80", "LC_ALL": "C.UTF-8"}


@pytest.mark.skipif(shutil.which("man") is None, reason="man is not installed")
def test_man_reads_the_page(page: Path) -> None:
    shown = subprocess.run(
        ["man", "--warnings", "-l", str(page)],
        capture_output=True, text=True, env=_env(), timeout=60, check=False,
    )  # fmt: skip
    assert shown.returncode == 0, shown.stderr
    assert shown.stderr == ""
    assert "PAINREF(1)" in shown.stdout
    plain = re.sub(".\b", "", shown.stdout)  # bold and underline by overstriking
    assert "painref show tfesi --brief" in plain and "--no-pager" in plain
    for command in COMMANDS:
        assert f"painref {command.name}" in plain


@pytest.mark.skipif(shutil.which("groff") is None, reason="groff is not installed")
def test_groff_finds_nothing_to_warn_about(page: Path) -> None:
    checked = subprocess.run(
        ["groff", "-man", "-Tutf8", "-ww", "-z", str(page)],
        capture_output=True, text=True, env=_env(), timeout=60, check=False,
    )  # fmt: skip
    assert (checked.returncode, checked.stderr) == (0, "")


@pytest.mark.skipif(shutil.which("mandoc") is None, reason="mandoc is not installed")
def test_mandoc_lint(page: Path) -> None:
    checked = subprocess.run(
        ["mandoc", "-T", "lint", "-W", "warning", str(page)],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert checked.returncode == 0, checked.stdout + checked.stderr
