"""The one place output reaches the terminal, with width, colour and paging injectable for tests.

It decides what Rich's console would (same environment variables, same defaults) and writes the
views' lines with the same escape codes, without importing Rich (see `styled.py` for why). No line
ends in spaces (a padded table cell would otherwise leave them). A view longer than the terminal
goes through a pager, as git and man do: PAINREF_PAGER, else PAGER, else `less -FRX`; only when
standard output really is a terminal (never when piped, whatever FORCE_COLOR says), and never
when the console was built without `pager` (`--no-pager`).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from functools import cache
from typing import IO

from ..printable import printable
from .styled import Block, Line, Style, crop, strip_end

# Rich's codes, in Rich's order: attributes first, then the colour.
_ATTRIBUTES = {"bold": "1", "dim": "2", "italic": "3", "underline": "4", "reverse": "7",
               "strike": "9"}  # fmt: skip
_COLOURS = ("black", "red", "green", "yellow", "blue", "magenta", "cyan", "white")
_COLOUR_CODES = {
    **{name: str(30 + number) for number, name in enumerate(_COLOURS)},
    **{f"bright_{name}": str(90 + number) for number, name in enumerate(_COLOURS)},
}


@cache
def escape_codes(style: Style, colour: bool = True) -> str:
    """The SGR parameters for a style ("1;36" for "bold cyan"); "" for none.

    Raises ValueError for a word that is not a style, so a typo in a view fails its tests.
    """
    attributes: set[str] = set()
    chosen = ""
    for word in style.split():
        if word in _ATTRIBUTES:
            attributes.add(word)
        elif word in _COLOUR_CODES:
            chosen = word
        else:
            raise ValueError(f"unknown style word {word!r} in {style!r}")
    codes = [code for name, code in _ATTRIBUTES.items() if name in attributes]
    if chosen and colour:
        codes.append(_COLOUR_CODES[chosen])
    return ";".join(codes)


def _is_terminal(file: IO[str], environ: Mapping[str, str]) -> bool:
    # Rich's rules: TTY_COMPATIBLE, then FORCE_COLOR (https://force-color.org/), then isatty.
    tty_compatible = environ.get("TTY_COMPATIBLE", "")
    if tty_compatible in ("0", "1"):
        return tty_compatible == "1"
    force_color = environ.get("FORCE_COLOR")
    if force_color is not None:
        return force_color != ""
    try:
        return file.isatty()
    except (AttributeError, ValueError):  # no isatty, or a closed file
        return False


class Console:
    """Writes blocks of styled lines to a file (stdout unless told), cropped to the width."""

    def __init__(
        self,
        *,
        file: IO[str] | None = None,
        width: int | None = None,
        no_color: bool = False,
        force_terminal: bool | None = None,
        pager: bool = False,
    ) -> None:
        self._file = file
        self.pager = pager  # whether a long view may be paged (on a real terminal only)
        environ = os.environ
        terminal = (
            force_terminal if force_terminal is not None else _is_terminal(self.file, environ)
        )
        dumb = environ.get("TERM", "").lower() in ("dumb", "unknown")
        self.styled = terminal and not dumb and _escape_codes_work()  # escape codes at all
        self.colour = self.styled and not no_color and environ.get("NO_COLOR", "") == ""
        self.width = width if width is not None else _width(terminal and dumb, environ)

    @property
    def file(self) -> IO[str]:
        # Looked up when used, not when built: a test runner may swap sys.stdout meanwhile.
        return self._file if self._file is not None else sys.stdout

    def render(self, line: Line) -> str:
        # Every Text is already clean (styled.clean); `printable` again here is what makes the
        # rule one that no view can bypass: the only escape codes written are the console's own.
        if not self.styled:
            return printable("".join(text for text, _ in line))
        out = []
        for text, style in line:
            codes = escape_codes(style, self.colour) if style else ""
            text = printable(text)
            out.append(f"\x1b[{codes}m{text}\x1b[0m" if codes else text)
        return "".join(out)

    def print(self, block: Block, *, page: bool = True) -> None:
        """Write the block; through the pager when `page`, paging is on and it is too long."""
        lines = [self.render(strip_end(crop(line, self.width))) for line in block.lines(self.width)]
        text = "".join(line + "\n" for line in lines)
        if page and self.pager and len(lines) > _height(os.environ) and _real_terminal(self.file):
            command = pager_command(os.environ)
            if command is not None and run_pager(command, text, self.file):
                return
        self.file.write(text)
        self.file.flush()

    def input(self, prompt: str) -> str:
        """A line typed in answer to `prompt`; "" at the end of input (Ctrl-D)."""
        self.file.write(prompt)
        self.file.flush()
        try:
            return input()
        except EOFError:
            self.file.write("\n")
            return ""


def _escape_codes_work() -> bool:
    """Whether the terminal understands escape codes. Windows consoles do once asked to (as
    Rich asks them); where that fails, output is plain rather than littered with codes."""
    if sys.platform != "win32":
        return True
    try:
        import ctypes

        kernel32 = ctypes.windll.kernel32
        handle = kernel32.GetStdHandle(-11)  # standard output
        mode = ctypes.c_ulong()
        if not kernel32.GetConsoleMode(handle, ctypes.byref(mode)):
            return False
        return bool(kernel32.SetConsoleMode(handle, mode.value | 0x0004))  # virtual terminal
    except (AttributeError, OSError):
        return False


def _width(dumb_terminal: bool, environ: Mapping[str, str]) -> int:
    """Rich's choice of width: COLUMNS, else the terminal's, else 80."""
    if dumb_terminal:
        return 80
    width = 0
    for descriptor in (0, 1, 2):  # stdin, stdout, stderr: the first that is a terminal
        try:
            width = os.get_terminal_size(descriptor).columns
        except (AttributeError, ValueError, OSError):
            continue
        break
    columns = environ.get("COLUMNS")
    if columns is not None and columns.isdigit():
        width = int(columns)
    return width or 80


def _real_terminal(file: IO[str]) -> bool:
    """Whether the file is a terminal with a descriptor (a pager writes to the descriptor, so a
    stream that only says it is a terminal, with none behind it, is written directly)."""
    try:
        return file.isatty() and file.fileno() >= 0
    except (AttributeError, ValueError, OSError):
        return False


def _height(environ: Mapping[str, str]) -> int:
    """The terminal's height in lines: LINES, else the terminal's own, else 24."""
    lines = environ.get("LINES", "")
    if lines.isdigit() and int(lines):
        return int(lines)
    for descriptor in (1, 0, 2):
        try:
            return os.get_terminal_size(descriptor).lines or 24
        except (AttributeError, ValueError, OSError):
            continue
    return 24


DEFAULT_PAGER = "less -FRX"  # -F: quit if one screen; -R: colours; -X: leave the text on screen


def pager_command(environ: Mapping[str, str]) -> list[str] | None:
    """The pager to run as an argument list, or None for none (PAGER empty or `cat`, as git)."""
    chosen = environ.get("PAINREF_PAGER", environ.get("PAGER", DEFAULT_PAGER)).strip()
    if not chosen or chosen == "cat":
        return None
    import shlex

    try:
        return shlex.split(chosen, posix=os.name != "nt") or None
    except ValueError:  # an unbalanced quote: no pager rather than a traceback
        return None


def run_pager(command: list[str], text: str, file: IO[str]) -> bool:
    """Show `text` in the pager; False (nothing shown) when the pager cannot be started.

    While it runs, Ctrl-C belongs to the pager and a pager quit early is not an error, as in git:
    SIGINT and SIGPIPE are ignored here and restored afterwards.
    """
    import contextlib
    import shutil
    import subprocess

    if shutil.which(command[0]) is None:
        return False
    environ = dict(os.environ)
    environ.setdefault("LESS", "FRX")  # a bare PAGER=less still shows colours, as git arranges
    environ.setdefault("LV", "-c")
    file.flush()
    with _signals_ignored():
        try:
            process = subprocess.Popen(
                command, stdin=subprocess.PIPE, env=environ, encoding=_encoding(file),
                errors="replace",
            )  # fmt: skip
        except OSError:
            return False
        with contextlib.suppress(OSError):  # BrokenPipeError: the reader quit before the end
            if process.stdin is not None:
                process.stdin.write(text)
                process.stdin.close()
        process.wait()
    return True


@contextmanager
def _signals_ignored() -> Iterator[None]:
    import signal

    saved = {}
    for name in ("SIGINT", "SIGPIPE"):
        number = getattr(signal, name, None)
        if number is not None:
            try:
                saved[number] = signal.signal(number, signal.SIG_IGN)
            except ValueError:  # not the main thread: leave the signals as they are
                continue
    try:
        yield
    finally:
        for number, handler in saved.items():
            signal.signal(number, handler)


def _encoding(file: IO[str]) -> str:
    return getattr(file, "encoding", None) or "utf-8"
