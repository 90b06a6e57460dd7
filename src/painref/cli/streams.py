"""The standard streams, made safe once for every command, whichever way argv was read.

A command writes to `sys.stdout` and `sys.stderr` and never thinks about what they are. This
module makes that safe, at the entry point only (`run`):

- A stream closed when painref starts (`>&-`, `<&-`, `2>&-`) is opened on the null device at the
  descriptor level, so no file painref opens later takes its number, and stands in Python as a
  stream that is empty (stdin) or that refuses every write (stdout: that output would be lost).
- Writes to stdout that fail (a full device or disk, a closed descriptor, an I/O error) become
  one `OutputFailed`, reported as one message with exit code 3 (`EXIT_OUTPUT`); nothing is lost
  silently, and Python's own complaint at exit ("Exception ignored ...") is prevented. A reader
  that went away (`| head -1`) ends the run quietly. Failures to write stderr are ignored: there
  is nowhere left to say so, and the exit code still tells.
- A character the output's encoding lacks (`PYTHONIOENCODING=ascii`, `LC_ALL=C`) is written as a
  plain stand-in (`printable.plain_character`: '*' for a bullet), never raised.
- Anything else that escapes a command is a bug: one line naming it, exit code 70, and the
  traceback only when PAINREF_DEBUG is set.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sys
from collections.abc import Callable
from typing import Any

from ..errors import EXIT_BUG, EXIT_OUTPUT
from ..printable import PLAIN_FALLBACK, plain_character, printable, register_plain_fallback

DEBUG_ENV = "PAINREF_DEBUG"


class OutputFailed(Exception):
    """Standard output could not be written."""

    def __init__(self, cause: BaseException) -> None:
        super().__init__(str(cause))
        self.cause = cause


class _Closed:
    """A standard stream that was closed when painref started: empty to read, refusing writes."""

    encoding = "utf-8"
    errors = "strict"

    def __init__(self, name: str) -> None:
        self.name = f"<{name}>"

    def write(self, text: str) -> int:
        raise OSError(errno.EBADF, f"{self.name[1:-1]} was closed when painref started")

    def flush(self) -> None:
        pass

    def read(self, size: int = -1) -> str:
        return ""

    def readline(self, size: int = -1) -> str:
        return ""

    def isatty(self) -> bool:
        return False


class _Guarded:
    """A text stream whose write failures become `OutputFailed` (stdout) or are dropped
    (stderr), and whose unencodable characters are written as plain stand-ins."""

    def __init__(self, stream: Any, quiet: bool) -> None:
        self._stream = stream
        self._quiet = quiet
        self.failed = False

    def write(self, text: str) -> int:
        try:
            try:
                return int(self._stream.write(text) or 0)
            except UnicodeEncodeError:  # a stream that could not take the fallback handler
                encoding = getattr(self._stream, "encoding", None) or "ascii"
                plain = "".join(c if _encodable(c, encoding) else plain_character(c) for c in text)
                return int(self._stream.write(plain) or 0)
        except (OSError, ValueError) as exc:  # ValueError: a stream closed meanwhile
            return self._failed(exc)

    def flush(self) -> None:
        try:
            self._stream.flush()
        except (OSError, ValueError) as exc:
            self._failed(exc)

    def _failed(self, exc: BaseException) -> int:
        self.failed = True
        if self._quiet:
            return 0
        raise OutputFailed(exc) from None

    def isatty(self) -> bool:
        try:
            return bool(self._stream.isatty())
        except (AttributeError, OSError, ValueError):
            return False

    def __getattr__(self, name: str) -> Any:
        if name == "buffer":  # bytes written past the guard would fail unreported
            raise AttributeError(name)
        return getattr(self._stream, name)


def _encodable(character: str, encoding: str) -> bool:
    try:
        character.encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def _reopen_closed_descriptors() -> None:
    """Put the null device on any of descriptors 0-2 that is closed, so that nothing painref
    opens (the store, a temporary file) becomes 'stdout' by taking the lowest free number."""
    for descriptor in (0, 1, 2):
        try:
            os.fstat(descriptor)
        except OSError:
            try:
                opened = os.open(os.devnull, os.O_RDWR)
            except OSError:
                continue
            if opened != descriptor:
                os.dup2(opened, descriptor)
                os.close(opened)


def _prepare(stream: Any, name: str, quiet: bool) -> _Guarded:
    if stream is None:
        stream = _Closed(name)
    reconfigure = getattr(stream, "reconfigure", None)
    if reconfigure is not None:
        with contextlib.suppress(OSError, ValueError, TypeError):  # else the guard's fallback
            reconfigure(errors=PLAIN_FALLBACK)
    return _Guarded(stream, quiet)


def _silence(stream: object) -> None:
    """After a failed write, point the real descriptor at the null device, so the interpreter's
    last flush of what is still buffered fails nowhere (else: 'Exception ignored', exit 120)."""
    if stream is not sys.__stdout__ and stream is not sys.__stderr__:
        return  # a test's stream, or one a caller set up: not ours to touch
    fileno = getattr(stream, "fileno", None)
    try:
        descriptor = int(fileno()) if fileno is not None else -1
        null = os.open(os.devnull, os.O_WRONLY) if descriptor >= 0 else -1
    except (OSError, ValueError):
        return
    if null < 0:
        return
    os.dup2(null, descriptor)
    os.close(null)


def run(body: Callable[[], int]) -> int:
    """Run `body` (a whole command line) with safe standard streams; its exit code."""
    register_plain_fallback()
    if sys.stdin is None or sys.stdout is None or sys.stderr is None:
        _reopen_closed_descriptors()
    saved = sys.stdin, sys.stdout, sys.stderr
    stdin = sys.stdin if sys.stdin is not None else _Closed("stdin")
    reconfigure = getattr(stdin, "reconfigure", None)
    if reconfigure is not None:  # typed bytes the locale cannot decode stay as \xNN, never raise
        with contextlib.suppress(OSError, ValueError, TypeError):
            reconfigure(errors="surrogateescape")
    out = _prepare(sys.stdout, "stdout", quiet=False)
    err = _prepare(sys.stderr, "stderr", quiet=True)
    sys.stdin, sys.stdout, sys.stderr = stdin, out, err
    try:
        code = body()
        out.flush()  # what is still buffered fails here, inside the guard, not at exit
    except OutputFailed as failure:
        code = _report_output_failure(failure)
    except KeyboardInterrupt:  # Ctrl-C before or after a command's own handling of it
        err.write("\nAborted!\n")
        code = 130
    except SystemExit:
        raise
    except Exception as exc:  # the last line of defence: a bug, said in one line
        if os.environ.get(DEBUG_ENV):
            raise
        err.write(
            f"painref: internal error (a bug; please report it): {type(exc).__name__}: "
            f"{printable(str(exc))[:300]}\nRun again with {DEBUG_ENV}=1 to see where.\n"
        )
        code = EXIT_BUG
    finally:
        err.flush()
        sys.stdin, sys.stdout, sys.stderr = saved
    for guarded, original in ((out, saved[1]), (err, saved[2])):
        if guarded.failed:
            _silence(original)
    return code


def _report_output_failure(failure: OutputFailed) -> int:
    cause = failure.cause
    if isinstance(cause, BrokenPipeError):
        return EXIT_OUTPUT  # the reader has gone (`| head -1`): nothing to say, nobody to say it to
    reason = getattr(cause, "strerror", None) or str(cause) or type(cause).__name__
    if isinstance(cause, ValueError):
        reason = "it is closed"
    sys.stderr.write(f"painref: could not write the output: {printable(reason)}\n")
    return EXIT_OUTPUT
