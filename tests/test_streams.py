"""Output plumbing: closed, full, broken and non-UTF-8 standard streams, for every command.

The in-process tests give painref's entry point streams that behave as the real ones do; the
subprocess tests at the end use real descriptors (`>/dev/full`, `>&-`), which is where Python
itself complains at exit if painref leaves anything unflushed.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from painref.cli import streams
from painref.cli.commands import procedures

from .hostile_kit import FullDevice, assert_clean, run

FULL = "painref: could not write the output: No space left on device\n"
COMMANDS = [
    ["show", "tfesi"],
    ["show", "tfesi", "--patient"],
    ["--json", "show", "tfesi"],
    ["search", "epidural"],
    ["--json", "search", "epidural"],
    ["list"],
    ["list", "--facets"],
    ["compare", "tfesi", "ilesi"],
    ["anticoag"],
    ["anticoag", "warfarin"],
    ["anticoag", "warfarin", "-p", "tfesi", "--on", "2027-03-10"],
    ["for", "sciatica"],
    ["conditions"],
    ["validate"],
    ["export", "tfesi"],
    ["export", "tfesi", "--format", "html", "--for", "clinician"],
    ["compare", "tfesi", "ilesi", "--fields", "help"],
    ["--version"],
    ["--help"],  # Typer's lane
    ["show", "--help"],
]
IDS = [" ".join(c) for c in COMMANDS]


def _full() -> io.TextIOWrapper:
    return io.TextIOWrapper(io.BufferedWriter(FullDevice()), encoding="utf-8")


@pytest.mark.parametrize("tty", [False, True], ids=["pipe", "terminal"])
@pytest.mark.parametrize("args", COMMANDS, ids=IDS)
def test_a_full_stdout_is_one_message_and_exit_3(args: list[str], tty: bool) -> None:
    stdout = _full()
    if tty:
        stdout.isatty = lambda: True  # type: ignore[method-assign]
    result = run(*args, stdout=stdout)
    assert (result.code, result.stderr) == (3, FULL)


@pytest.mark.parametrize("args", COMMANDS, ids=IDS)
def test_a_closed_stdout_is_one_message_and_exit_3(args: list[str]) -> None:
    result = run(*args, stdout=None)
    expected = "painref: could not write the output: stdout was closed when painref started\n"
    assert (result.code, result.stderr) == (3, expected)


def test_a_reader_that_went_away_ends_quietly() -> None:
    class Gone(FullDevice):
        def write(self, data: object) -> int:
            raise BrokenPipeError(32, "Broken pipe")

    result = run("list", stdout=io.TextIOWrapper(io.BufferedWriter(Gone()), encoding="utf-8"))
    assert (result.code, result.stderr) == (3, "")


def test_a_closed_or_full_stderr_keeps_the_exit_code() -> None:
    assert run("show", "zzzzqx", stderr=None).code == 1
    full = io.TextIOWrapper(io.BufferedWriter(FullDevice()), encoding="utf-8")
    assert run("show", "zzzzqx", stderr=full).code == 1
    assert run("show", "tfesi", stderr=full).code == 0


def test_a_closed_stdin_is_an_empty_one() -> None:
    result = run("search", stdin=None)
    assert result.code == 2 and "search needs a query" in result.stderr


def test_end_of_input_at_a_prompt_quits() -> None:
    result = run("search", tty=True, stdin="")
    assert_clean(result, codes=(0,))  # end of input quits quietly, as Enter does
    assert "Search procedures" in result.stdout


def test_export_to_a_file_needs_no_stdout(tmp_path: Path) -> None:
    out = tmp_path / "sheet.md"
    result = run("export", "tfesi", "-o", str(out), stdout=None)
    assert result.code == 0 and out.read_text("utf-8").startswith("# ")


@pytest.mark.parametrize("encoding", ["ascii", "latin-1"])
@pytest.mark.parametrize("tty", [False, True], ids=["pipe", "terminal"])
@pytest.mark.parametrize("args", COMMANDS[:-3], ids=IDS[:-3])
def test_an_output_that_cannot_encode_gets_plain_characters(
    args: list[str], tty: bool, encoding: str
) -> None:
    result = run(*args, tty=tty, encoding=encoding)
    assert_clean(result, codes=(0,))
    assert result.stdout.strip()
    result.stdout.encode(encoding)  # everything written was encodable: nothing raised, nothing lost
    assert "\ufffd" not in result.stdout  # no byte came out that the encoding cannot read back


def test_the_stand_ins_are_plain_and_readable() -> None:
    result = run("show", "tfesi", "--patient", encoding="ascii")
    assert "For patients  -  Transforaminal epidural steroid injection" in result.stdout  # not ·
    plain, full = (run("show", "tfesi", encoding=e).stdout for e in ("ascii", "utf-8"))
    assert "* " in plain and plain.count("?") == full.count("?")  # every character had a stand-in


def test_a_bug_is_one_line_and_exit_70(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("something painref did not expect\x1b[31m")

    monkeypatch.setattr(procedures, "show", broken)
    result = run("show", "tfesi")
    assert result.code == streams.EXIT_BUG
    assert result.stderr == (
        "painref: internal error (a bug; please report it): RuntimeError: something painref did "
        "not expect\\x1b[31m\nRun again with PAINREF_DEBUG=1 to see where.\n"
    )
    with pytest.raises(RuntimeError):
        run("show", "tfesi", env={"PAINREF_DEBUG": "1"})


# --- real descriptors -------------------------------------------------------------------------

POSIX = sys.platform != "win32" and shutil.which("sh") is not None


def _shell(command: str, tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """`python -m painref ARGS` with shell redirections, as a user types them."""
    settings = {**os.environ, "COLUMNS": "80", "NO_COLOR": "1", **env}
    line = f"{sys.executable} -m painref {command}"
    return subprocess.run(
        ["sh", "-c", line], capture_output=True, text=True, env=settings, cwd=tmp_path, timeout=60
    )


@pytest.mark.skipif(not (POSIX and os.path.exists("/dev/full")), reason="needs /dev/full")
@pytest.mark.parametrize(
    "args", ["show tfesi", "list", "validate", "export tfesi", "search epidural", "--help"]
)
def test_real_dev_full(args: str, tmp_path: Path) -> None:
    done = _shell(f"{args} >/dev/full", tmp_path)
    assert (done.returncode, done.stderr) == (3, FULL)  # and no "Exception ignored" at exit


@pytest.mark.skipif(not POSIX, reason="needs a POSIX shell")
def test_real_closed_descriptors(tmp_path: Path) -> None:
    closed_out = _shell("show tfesi >&-", tmp_path)
    assert closed_out.returncode == 3
    assert closed_out.stderr.endswith("stdout was closed when painref started\n")
    assert _shell("search <&-", tmp_path).returncode == 2
    assert _shell("show zzzzqx 2>&-", tmp_path).returncode == 1
    # With stdout and stderr closed, nothing painref opens may take their numbers: the store
    # and the exported file stay intact, and a later run reads the store as usual.
    both = _shell("export tfesi -o sheet.md >&- 2>&-", tmp_path)
    assert both.returncode == 0 and (tmp_path / "sheet.md").read_text().startswith("# ")
    again = _shell("show tfesi", tmp_path)
    assert again.returncode == 0 and again.stderr == ""


@pytest.mark.skipif(not POSIX, reason="needs a POSIX shell")
@pytest.mark.parametrize(
    "env", [{"PYTHONIOENCODING": "ascii"}, {"LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0"}]
)
def test_real_ascii_output(env: dict[str, str], tmp_path: Path) -> None:
    for args in ("show tfesi", "show tfesi --patient", "search epidural", "export tfesi"):
        done = _shell(args, tmp_path, **env)
        assert done.returncode == 0 and done.stderr == "", (args, done.stderr)
        assert done.stdout.isascii()


@pytest.mark.skipif(not POSIX, reason="needs a POSIX shell")
@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["show", "epidural", "--json"], 0),
        (["list"], 0),
        (["compare", "ilesi", "tfesi"], 0),
        (["export", "stellate-ganglion-block"], 0),
        (["anticoag", "warfarin", "-p", "C5-6 facet RFA", "--on", "2027-03-10"], 0),
        (["show", "zzzzqx"], 1),
        (["anticoag", "warfarin", "--on", "2027-02-30", "-p", "tfesi"], 2),
    ],
    ids=lambda value: " ".join(value) if isinstance(value, list) else str(value),
)
def test_the_program_ends_with_everything_written(
    args: list[str], code: int, tmp_path: Path
) -> None:
    """The program skips the interpreter's teardown when it ends: what it prints through a pipe,
    and its exit code, must be exactly what the same command gives when called in-process."""
    import shlex

    done = _shell(" ".join(shlex.quote(a) for a in args), tmp_path)
    expected = run(*args)
    assert (done.returncode, done.stdout, done.stderr) == (code, expected.stdout, expected.stderr)


@pytest.mark.skipif(not POSIX, reason="needs a POSIX shell")
def test_the_program_ends_with_every_file_it_wrote_complete(tmp_path: Path) -> None:
    done = _shell("export stellate-ganglion-block --format html -o sheet.html", tmp_path)
    assert done.returncode == 0
    expected = run("export", "stellate-ganglion-block", "--format", "html").stdout
    assert (tmp_path / "sheet.html").read_text("utf-8") == expected
