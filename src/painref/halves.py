"""A large procedures file read in two halves at once, on two processor cores.

Reading and validating YAML is all Python work: one core does it, at about 2.5 MB a second, so a
5,000-entry overlay takes two seconds on its first run. When the machine can fork (Linux), a file
of more than `LARGE` characters is cut between two list items near its middle; a child process
reads the second half while this process reads the first, and sends its procedures back packed
as the parse cache packs them.

This is only a faster way to the same result. Whenever either half has any problem, the halves
share an id, or anything else is unusual (no block list under `procedures:` at the top, a cut
that cannot be found, a child that fails), the whole file is read again in one piece, so every
message, line number and result is exactly what the one-piece reader gives; a test holds them
to the same output.
"""

from __future__ import annotations

import marshal
import os
import re
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

    from .dataset import FileResult

    Reader = Callable[[str, str], FileResult]  # (text, file name) -> what it holds

LARGE = 1_000_000  # characters; below this the fork costs more than it saves
_LIST_START = re.compile(r"^procedures:[ \t]*(?:#.*)?\n", re.MULTILINE)
_FIRST_ITEM = re.compile(r"(?:[ \t]*(?:#.*)?\n)*( *)- ")


def can_split() -> bool:
    # fork without exec is only dependable on Linux (macOS frameworks and Windows lack it)
    return sys.platform == "linux" and hasattr(os, "fork")


def cut(text: str) -> int | None:
    """Where the second half starts: the first list item at or after the middle, or None."""
    start = _LIST_START.search(text)
    if start is None:
        return None
    first = _FIRST_ITEM.match(text, start.end())
    if first is None:
        return None
    item = re.compile(rf"^{first.group(1)}- ", re.MULTILINE)
    middle = item.search(text, max(len(text) // 2, first.end()))
    return middle.start() if middle is not None else None


def read(text: str, name: str, read_whole: Reader) -> FileResult | None:
    """Both halves read and joined; None when the file must be read in one piece instead.

    `read_whole(text, name)` is the one-piece reader (dataset.parse_text's own body), used for
    each half.
    """
    at = cut(text)
    if at is None:
        return None
    head = text[:at]
    tail = "procedures:\n" + text[at:]
    shift = head.count("\n") - 1  # line n of the tail is line n + shift of the file
    reader, writer = os.pipe()
    child = os.fork()
    if child == 0:  # the child: read the tail, send it, and leave without any cleanup
        os.close(reader)
        code = 1
        try:
            with os.fdopen(writer, "wb") as out:
                out.write(_packed(read_whole(tail, name)))
            code = 0
        finally:
            os._exit(code)
    os.close(writer)
    try:
        first = read_whole(head, name)
        with os.fdopen(reader, "rb") as incoming:
            received = incoming.read()
    finally:
        _, status = os.waitpid(child, 0)
    if status != 0 or first.problems:
        return None
    return _joined(first, received, shift)


def _packed(result: FileResult) -> bytes:
    from .cache import pack

    if result.problems:
        return marshal.dumps(None)
    return marshal.dumps(
        ([pack(procedure) for procedure in result.procedures], list(result.link_lines.items()))
    )


def _joined(first: FileResult, received: bytes, shift: int) -> FileResult | None:
    from .cache import unpack

    try:
        second = marshal.loads(received)
    except (EOFError, ValueError, TypeError):
        return None
    if second is None:  # the second half has problems: the one-piece reader reports them
        return None
    packed, link_lines = second
    procedures = [unpack(item) for item in packed]
    seen = {procedure.id for procedure in first.procedures}
    if any(procedure.id in seen for procedure in procedures):
        return None  # a repeated id across the cut: reported, with its lines, in one piece
    first.procedures += procedures
    for (procedure_id, index), line in link_lines:
        first.link_lines[(procedure_id, index)] = line + shift if line else line
    return first
