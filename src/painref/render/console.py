"""The one place a Rich console is built, so tests can pin width and colour without patching."""

from __future__ import annotations

import os
from typing import IO

from rich.console import Console


def make_console(
    *,
    no_color: bool = False,
    width: int | None = None,
    file: IO[str] | None = None,
    stderr: bool = False,
    force_terminal: bool | None = None,
) -> Console:
    # markup and emoji are off: dataset text must be printed literally, never interpreted.
    return Console(
        file=file,
        width=width,
        stderr=stderr,
        no_color=no_color or bool(os.environ.get("NO_COLOR")),
        force_terminal=force_terminal,
        markup=False,
        emoji=False,
        highlight=False,
    )
