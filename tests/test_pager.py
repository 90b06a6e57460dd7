"""Long views go through a pager on a terminal, as git and man do; never when piped."""

from __future__ import annotations

import io
import os
import shlex
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from painref.render.console import Console, pager_command
from painref.render.styled import Text

from .conftest import Invoke

LONG = Text("\n".join(f"line {n}" for n in range(1, 41)))


class Terminal(io.StringIO):
    """Output that says it is a terminal."""

    def isatty(self) -> bool:
        return True

    def fileno(self) -> int:  # a terminal has a descriptor; the pager is given it
        return 1


@pytest.fixture
def recorder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """PAGER set to a program that saves what it is given; the path it saves to."""
    script = tmp_path / "pager.py"
    script.write_text("import sys\nopen(sys.argv[1], 'w').write(sys.stdin.read())\n", "utf-8")
    out = tmp_path / "paged.txt"
    pager = " ".join(shlex.quote(str(p)) for p in (sys.executable, script, out))
    monkeypatch.setenv("PAGER", pager)
    monkeypatch.delenv("PAINREF_PAGER", raising=False)
    monkeypatch.setenv("LINES", "24")
    return out


def test_the_default_pager_is_less_quitting_on_one_screen() -> None:
    assert pager_command({}) == ["less", "-FRX"]


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({"PAGER": "more -s"}, ["more", "-s"]),
        ({"PAGER": "more", "PAINREF_PAGER": "most"}, ["most"]),
        ({"PAGER": ""}, None),
        ({"PAGER": "cat"}, None),
        ({"PAGER": "less 'unbalanced"}, None),
    ],
)
def test_pager_from_the_environment(environ: dict[str, str], expected: list[str] | None) -> None:
    assert pager_command(environ) == expected


def test_a_long_view_on_a_terminal_is_paged(recorder: Path) -> None:
    out = Terminal()
    Console(file=out, width=80, force_terminal=True, pager=True).print(LONG)
    assert out.getvalue() == ""
    assert recorder.read_text("utf-8").splitlines() == [f"line {n}" for n in range(1, 41)]


def test_a_view_that_fits_the_screen_is_not_paged(recorder: Path) -> None:
    out = Terminal()
    Console(file=out, width=80, force_terminal=True, pager=True).print(Text("one\ntwo"))
    assert out.getvalue() == "one\ntwo\n"
    assert not recorder.exists()


def test_no_pager_writes_straight_to_the_terminal(recorder: Path) -> None:
    out = Terminal()
    Console(file=out, width=80, force_terminal=True, pager=False).print(LONG)
    assert out.getvalue().count("\n") == 40
    assert not recorder.exists()


def test_piped_output_is_never_paged_even_when_forced_to_colour(recorder: Path) -> None:
    out = io.StringIO()  # not a terminal, though FORCE_COLOR or --color always style it
    Console(file=out, width=80, force_terminal=True, pager=True).print(LONG)
    assert out.getvalue().count("\n") == 40
    assert not recorder.exists()


def test_a_pager_that_cannot_start_leaves_the_text_on_screen(
    recorder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PAGER", "no-such-pager-anywhere --flag")
    out = Terminal()
    Console(file=out, width=80, force_terminal=True, pager=True).print(LONG)
    assert out.getvalue().count("\n") == 40


def test_the_command_line_never_pages_into_a_pipe(invoke: Invoke, recorder: Path) -> None:
    for argv in (["show", "tfesi"], ["show", "tfesi", "--no-pager"], ["--no-pager", "list"]):
        result = invoke(*argv, env={"PAGER": os.environ["PAGER"]})
        assert result.exit_code == 0
        assert result.stdout
        assert not recorder.exists()


def _run_on_terminal(argv: list[str], environ: dict[str, str]) -> str:
    """painref's output when standard output is a pseudo-terminal."""
    import pty

    master, slave = pty.openpty()
    chunks: list[bytes] = []

    def read() -> None:
        while True:
            try:
                chunk = os.read(master, 4096)
            except OSError:  # the other side closed
                return
            if not chunk:
                return
            chunks.append(chunk)

    reader = threading.Thread(target=read)
    reader.start()
    try:
        subprocess.run(
            [sys.executable, "-m", "painref", *argv],
            stdin=subprocess.DEVNULL,
            stdout=slave,
            stderr=subprocess.DEVNULL,
            env=environ,
            timeout=60,
            check=True,
        )
    finally:
        os.close(slave)
        reader.join(timeout=10)
        os.close(master)
    return b"".join(chunks).decode("utf-8", "replace")


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_on_a_real_terminal_show_pages_unless_told_not_to(recorder: Path) -> None:
    environ = {**os.environ, "COLUMNS": "100", "LINES": "30", "NO_COLOR": "1"}
    _run_on_terminal(["show", "tfesi"], environ)
    paged = recorder.read_text("utf-8")
    assert "Bleeding-risk class" in paged and paged.count("\n") > 30
    recorder.unlink()
    shown = _run_on_terminal(["show", "tfesi", "--no-pager"], environ)
    assert not recorder.exists()
    assert "Bleeding-risk class" in shown
