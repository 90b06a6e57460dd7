"""painref's own text drawing (render/styled.py, render/console.py) held to Rich's rules.

The views used to be drawn by Rich; they are drawn here now because importing Rich's console
took a quarter of a `painref show`. Rich stays installed (Typer's help uses it), so these tests
compare against Rich itself: the word wrap, cell widths, styles and colour codes, and how the
terminal, its width and NO_COLOR/FORCE_COLOR are read.
"""

from __future__ import annotations

import io
import re

import pytest
from rich.cells import cell_len as rich_cell_len
from rich.console import Console as RichConsole
from rich.text import Text as RichText

from painref.render.console import Console, escape_codes
from painref.render.styled import Text, cell_len, wrap
from painref.render.text import literal
from painref.store.sources import load


def _items() -> list[str]:
    texts = []
    for procedure in load().procedures:
        texts += [*procedure.indications, *procedure.technique, *procedure.recovery]
        texts += [*procedure.contraindications.absolute, *procedure.caveats]
        texts += [reference.citation for reference in procedure.references]
        texts += [procedure.summary, procedure.evidence]
    return texts


ITEMS = _items()
TRICKY = [
    "",
    "word",
    "a  double  spaced   line with trailing spaces   ",
    "supercalifragilisticexpialidocious-and-then-some-more-letters short words after",
    "https://www.ncbi.nlm.nih.gov/books/NBK000000/ a link longer than a narrow column",
    "   leading spaces",
    # deliberately non-ASCII: accents, typographic punctuation, wide and fullwidth characters
    "Injection at 30° into the épaule, naïve – “quoted” • bullets … ≥ 5 × 2 → done",  # noqa: RUF001
    "中文字符的宽度是两个单元格，长句子需要折叠成多行才能显示完整",  # noqa: RUF001
    "emoji 👍🏽 and ❤️ and e\u0301 combining, soft\xadhyphen, zero\u200bwidth",
    "ＦＵＬＬＷＩＤＴＨ letters and a very long 長い長い長い長い長い長い長い word",  # noqa: RUF001
]


@pytest.mark.parametrize("width", [1, 2, 7, 18, 33, 47, 76, 120])
def test_wrap_matches_rich_for_every_dataset_text_and_tricky_ones(width: int) -> None:
    console = RichConsole(width=200)
    assert len(ITEMS) > 300  # the bundled data really was read
    for text in [*ITEMS, *TRICKY]:
        expected = [line.plain for line in RichText(text).wrap(console, width, overflow="fold")]
        assert wrap(text, width) == expected, (width, text)


def test_cell_widths_match_rich() -> None:
    # Every character painref measures as one cell without asking Rich ...
    ranges = [(0x20, 0x7F), (0xA0, 0x300), (0x2010, 0x2028), (0x2030, 0x205F), (0x2190, 0x2300),
              (0x2500, 0x2580)]  # fmt: skip
    for code in [code for start, end in ranges for code in range(start, end)]:
        assert rich_cell_len(chr(code)) == 1 == cell_len(chr(code)), hex(code)
    # ... and whole texts, including the ones that do need Rich's tables.
    for text in [*TRICKY, *ITEMS[:50]]:
        assert cell_len(text) == rich_cell_len(text), text


def _styled_cells(ansi: str) -> list[tuple[str, frozenset[str]]]:
    """Each character printed, with the SGR codes in force for it."""
    cells = []
    codes: frozenset[str] = frozenset()
    for match in re.finditer(r"\x1b\[([0-9;]*)m|(.)", ansi, re.DOTALL):
        if match.group(2) is not None:
            cells.append((match.group(2), codes))
        else:
            params = match.group(1)
            codes = frozenset() if params in ("", "0") else frozenset(params.split(";"))
    return cells


def _pair(text: Text, rich: RichText, width: int, no_color: bool = False) -> None:
    ours = io.StringIO()
    Console(file=ours, width=width, force_terminal=True, no_color=no_color).print(text)
    theirs = io.StringIO()
    RichConsole(file=theirs, width=width, force_terminal=True, color_system="standard",
                no_color=no_color, legacy_windows=False).print(rich)  # fmt: skip
    # The same characters in the same styles, except that painref never ends a line in spaces.
    assert _lines(_styled_cells(ours.getvalue())) == _lines(_styled_cells(theirs.getvalue()))


def _lines(cells: list[tuple[str, frozenset[str]]]) -> list[list[tuple[str, frozenset[str]]]]:
    lines: list[list[tuple[str, frozenset[str]]]] = [[]]
    for cell in cells:
        if cell[0] == "\n":
            lines.append([])
        else:
            lines[-1].append(cell)
    for line in lines:
        while line and line[-1][0] == " ":
            line.pop()
    return lines


@pytest.mark.parametrize("width", [12, 30, 80])
@pytest.mark.parametrize("no_color", [False, True])
def test_styled_text_draws_like_rich(width: int, no_color: bool) -> None:
    parts: list[tuple[str, str]] = [
        ("'epidural' matches several procedures; showing ", "yellow"),
        ("interlaminar-esi", "bold yellow"),
        (". Also close:\n  ", "yellow"),
        ("transforaminal-esi", "bold"),
        ("  Transforaminal epidural steroid injection", ""),
        ("\nShow one with: painref show ID", "dim italic"),
        (" red-flag", "bold red"),
        (" 中文 and emoji 👍🏽", "magenta"),
    ]
    ours = Text("Base: ", style="cyan").append(Text.assemble(*parts))
    theirs = RichText("Base: ", style="cyan")
    theirs.append_text(RichText.assemble(*parts))
    _pair(ours, theirs, width, no_color)
    _pair(literal("control \x1b[31m chars\tand a tab", "bold"),
          RichText("control \\x1b[31m chars\tand a tab", style="bold"), width)  # fmt: skip


@pytest.mark.parametrize(
    "style", ["bold", "dim", "italic", "bold cyan", "dim italic", "bold red", "magenta", "green",
              "yellow", "bold yellow", "bold bright_blue", "underline reverse strike white"],
)  # fmt: skip
def test_escape_codes_are_richs(style: str) -> None:
    from rich.color import ColorSystem
    from rich.style import Style

    expected = Style.parse(style).render("x", color_system=ColorSystem.STANDARD)
    assert f"\x1b[{escape_codes(style)}mx\x1b[0m" == expected


def test_an_unknown_style_word_is_an_error() -> None:
    with pytest.raises(ValueError, match="bolt"):
        escape_codes("bolt cyan")


ENVIRONMENTS = [
    {},
    {"COLUMNS": "63"},
    {"COLUMNS": "not-a-number"},
    {"NO_COLOR": "1"},
    {"NO_COLOR": ""},
    {"FORCE_COLOR": "1"},
    {"FORCE_COLOR": ""},
    {"FORCE_COLOR": "1", "TERM": "dumb"},
    {"FORCE_COLOR": "1", "NO_COLOR": "1", "COLUMNS": "41"},
    {"TTY_COMPATIBLE": "1"},
    {"TTY_COMPATIBLE": "0", "FORCE_COLOR": "1"},
    {"TERM": "unknown", "TTY_COMPATIBLE": "1", "COLUMNS": "120"},
]


@pytest.mark.parametrize("environment", ENVIRONMENTS, ids=str)
@pytest.mark.parametrize("tty", [False, True])
def test_the_terminal_is_read_as_rich_reads_it(
    environment: dict[str, str], tty: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("COLUMNS", "NO_COLOR", "FORCE_COLOR", "TERM", "TTY_COMPATIBLE", "COLORTERM"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)

    class Output(io.StringIO):
        def isatty(self) -> bool:
            return tty

    ours = Console(file=Output())
    rich = RichConsole(file=Output(), legacy_windows=False)
    assert ours.width == rich.width
    assert ours.styled == (rich.color_system is not None)
    assert ours.colour == (rich.color_system is not None and not rich.no_color)


def test_a_windows_console_that_cannot_take_escape_codes_gets_plain_text(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import painref.render.console as console_module

    monkeypatch.setattr(console_module.sys, "platform", "win32")  # no ctypes.windll here
    out = io.StringIO()
    Console(file=out, force_terminal=True).print(Text("bold", style="bold"))
    assert out.getvalue() == "bold\n"
