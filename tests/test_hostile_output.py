"""What data can make painref write, and where: one cleaning rule for every output, Markdown
that stays text, and `export -o` that writes only regular files."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from painref.query import handout

from .conftest import make_entry
from .hostile_kit import assert_clean, bundled, run, write_base

ESCAPES = "\x1b[31mred\x1b]0;title\x07 \x9b2J \u202eesrever\u202c \r\x08"
LINK = "[Click here](javascript:alert(1))"
IMAGE = "![Tracker](https://tracker.example/p.png)"


@pytest.fixture
def hostile(tmp_path: Path) -> Iterator[str]:
    """The small dataset with one procedure whose every kind of text holds escapes and markup;
    the path of its overlay."""
    entry = make_entry(
        id="evil-block",
        name=f"Evil {ESCAPES} block",
        aliases=[f"evil {ESCAPES}"],
        summary=f"Summary {ESCAPES} {LINK} {IMAGE} [ref-a].",
        patient_summary=f"For you {ESCAPES} {LINK} {IMAGE}\n- not a list\n# not a heading",
        indications=[f"indication {ESCAPES} {LINK}"],
        technique=[f"step {IMAGE}", "<b>bold</b> &amp;"],
        caveats=[f"caveat {ESCAPES} {LINK} [ref-a]"],
    )
    overlay = tmp_path / "evil.yaml"
    overlay.write_text(
        yaml.safe_dump({"schema_version": 1, "procedures": [entry]}, allow_unicode=True), "utf-8"
    )
    with bundled(write_base(tmp_path / "base")):
        yield str(overlay)


COMMANDS = [
    ("show", "evil-block"),
    ("show", "evil-block", "--patient"),
    ("show", "evil", "red"),  # found by its alias; the ambiguity note quotes the query
    ("search", "evil"),
    ("list",),
    ("compare", "evil-block", "test-block"),
    ("anticoag", "test-drug", "-p", "evil-block"),
    ("export", "evil-block"),
    ("export", "evil-block", "--for", "clinician"),
    ("export", "evil-block", "--format", "html"),
]


@pytest.mark.parametrize("tty", [False, True], ids=["pipe", "terminal"])
@pytest.mark.parametrize("args", COMMANDS, ids=[" ".join(c) for c in COMMANDS])
def test_escapes_from_data_are_shown_never_obeyed(
    hostile: str, args: tuple[str, ...], tty: bool
) -> None:
    result = run("--data", hostile, *args, tty=tty)
    assert_clean(result, codes=(0,))
    if "export" not in args:
        assert "\\x1b[31mred" in result.stdout  # shown, as the escape it is


@pytest.mark.parametrize("args", COMMANDS[:-3], ids=[" ".join(c) for c in COMMANDS[:-3]])
def test_json_carries_the_data_exactly_and_escaped(hostile: str, args: tuple[str, ...]) -> None:
    result = run("--data", hostile, "--json", *args)
    assert_clean(result, codes=(0,))
    if args[0] == "show" and "--patient" not in args:
        assert json.loads(result.stdout)["name"] == f"Evil {ESCAPES} block"
    assert "\\u009b" in result.stdout or "evil" not in " ".join(args)


@pytest.mark.parametrize("audience", ["patient", "clinician"])
def test_markdown_links_and_images_from_data_stay_text(
    hostile: str, audience: str, tmp_path: Path
) -> None:
    out = tmp_path / "sheet.md"
    to_stdout = run("--data", hostile, "export", "evil-block", "--for", audience)
    to_file = run("--data", hostile, "export", "evil-block", "--for", audience, "-o", str(out))
    assert to_stdout.code == to_file.code == 0
    for text in (to_stdout.stdout, out.read_text("utf-8")):
        assert "](javascript" not in text.replace("\\](javascript", "")
        assert "![" not in text.replace("\\!\\[", "")
        assert "\\[Click here\\](javascript:alert(1))" in text or audience == "patient"
        assert "\n# not a heading" not in text and "\n- not a list" not in text
        assert "\x1b" not in text and "\\x1b\\[31m" in text  # shown, and its [ escaped
        assert text == to_stdout.stdout  # the file and stdout are the same document


def test_html_export_is_cleaned_and_escaped(hostile: str) -> None:
    result = run(
        "--data", hostile, "export", "evil-block", "--format", "html", "--for", "clinician"
    )
    assert "<b>bold</b>" not in result.stdout and "&lt;b&gt;bold&lt;/b&gt;" in result.stdout
    assert "\x1b" not in result.stdout and "\\x1b[31m" in result.stdout


def test_plain_rows_keep_their_columns(hostile: str) -> None:
    rows = run("--data", hostile, "list").stdout.splitlines()
    evil = next(row for row in rows if row.startswith("evil-block\t"))
    assert evil.count("\t") == 4 and "\\x1b[31mred" in evil


# --- export -o --------------------------------------------------------------------------------


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_export_never_replaces_a_pipe_a_folder_or_a_link_to_one(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    to_fifo = tmp_path / "to-pipe.md"
    to_fifo.symlink_to(fifo)
    folder = tmp_path / "folder.md"
    folder.mkdir()
    for target in (fifo, to_fifo, folder):
        for force in ((), ("--force",)):
            result = run("export", "tfesi", "-o", str(target), *force)
            assert_clean(result, codes=(2,))
            assert "is not a regular file" in result.stderr or "is a folder" in result.stderr
    assert os.path.islink(to_fifo) and fifo.is_fifo() and folder.is_dir()


def test_export_and_links(tmp_path: Path) -> None:
    dangling = tmp_path / "dangling.md"
    dangling.symlink_to(tmp_path / "nowhere.md")
    refused = run("export", "tfesi", "-o", str(dangling))
    assert refused.code == 2 and "is a link to nothing; add --force" in refused.stderr
    assert run("export", "tfesi", "-o", str(dangling), "--force").code == 0
    assert not dangling.is_symlink() and dangling.read_text().startswith("# ")

    real = tmp_path / "real.md"
    real.write_text("my notes")
    link = tmp_path / "link.md"
    link.symlink_to(real)
    assert run("export", "tfesi", "-o", str(link)).code == 2 and real.read_text() == "my notes"
    assert run("export", "tfesi", "-o", str(link), "--force").code == 0
    assert link.is_symlink() and real.read_text().startswith("# ")  # the link is kept


def test_a_write_the_disk_refuses_at_sync_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(descriptor: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(handout.os, "fsync", full)
    result = run("export", "tfesi", "-o", str(tmp_path / "sheet.md"))
    assert result.code == 2 and "could not write" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_an_interrupted_export_leaves_nothing_a_later_one_keeps(tmp_path: Path) -> None:
    stale = tmp_path / ".painref-abc123.tmp"
    stale.write_text("half a handout")
    old = time.time() - 3600
    os.utime(stale, (old, old))
    fresh = tmp_path / ".painref-def456.tmp"
    fresh.write_text("another export, in progress")
    assert run("export", "tfesi", "-o", str(tmp_path / "sheet.md")).code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == [".painref-def456.tmp", "sheet.md"]


def test_every_hidden_character_is_shown_escaped_even_inside_printable_looking_text() -> None:
    """`printable` skips its scan for text Python calls printable: that is only safe because no
    hidden character is printable, which this checks for every code point."""
    from painref.printable import hidden, printable

    pattern = hidden()
    for code in range(0x110000):
        character = chr(code)
        if pattern.fullmatch(character):
            assert not character.isprintable(), hex(code)
            shown = printable(f"line one\n\tA{character}b")
            assert character not in shown and shown.startswith("line one\n\tA\\"), hex(code)
