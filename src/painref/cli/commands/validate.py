"""The validate command: check data files as they are now, never through the compiled store."""

from __future__ import annotations

from collections.abc import Sequence
from os import PathLike
from typing import TYPE_CHECKING

from ...errors import EXIT_USAGE, CommandExit, Problem
from .common import State, print_json, write

if TYPE_CHECKING:
    from ...model.procedure import Reference
    from ...store.sources import FileData

# --- validate ---------------------------------------------------------------------------------


def validate(state: State, files: Sequence[str | PathLike[str]], json_output: bool) -> None:
    import os

    from ...store.paths import bundled_paths, display_name
    from ...store.sources import read_all

    # Files named here are checked as overlays of the bundled data, as they would be used, so a
    # `related:` id pointing at a bundled procedure resolves; only their own problems are reported.
    # The compiled store is never used: validating means reading the files as they are now.
    # Files are read by their own paths and named as messages name them (undecodable bytes shown).
    named = [os.fspath(f) for f in files]
    paths = named or [*bundled_paths(), *state.overlays()]
    _, results, problems = read_all([*bundled_paths(), *named] if named else paths)
    targets = [display_name(path) for path in paths]
    checked = set(targets)
    problems = [p for p in problems if p.file in checked]
    warnings = _host_warnings(results, checked)
    counts = {"procedures": 0, "drugs": 0, "conditions": 0}
    for result in results:
        if result.name in checked:
            counts["procedures"] += len(result.procedures)
            counts["drugs"] += len(result.drugs)
            counts["conditions"] += len(result.conditions)
    if json_output:
        from ...render.jsonout import problem_data

        print_json(
            {
                "valid": not problems,
                "files": targets,
                **counts,
                "problems": [problem_data(p) for p in problems],
                "warnings": [problem_data(w) for w in warnings],
            }
        )
        if problems:
            raise CommandExit(EXIT_USAGE)
        return
    for warning in warnings:
        write(f"warning: {warning}\n")
    if problems:
        for problem in problems:
            write(f"{problem}\n")
        write(f"{len(problems)} problem(s) in {len(targets)} file(s)\n")
    else:
        what = ", ".join(f"{n} {kind}" for kind, n in counts.items() if n or kind == "procedures")
        extra = f" ({len(warnings)} warning(s))" if warnings else ""
        write(f"OK: {what} in {len(targets)} file(s){extra}\n")
    if problems:
        raise CommandExit(EXIT_USAGE)


def _host_warnings(results: Sequence[FileData], checked: set[str]) -> list[Problem]:
    """Warnings for reference urls whose host is not on the maintained list."""
    from ...store.hosts import host_warnings, read_hosts

    hosts, problems = read_hosts()
    entries: list[tuple[str, str, Sequence[Reference]]] = []
    for result in results:
        if result.name in checked:
            entries += [(result.name, p.id, p.references) for p in result.procedures]
            entries += [(result.name, d.id, d.references) for d in result.drugs]
            entries += [(result.name, c.id, c.references) for c in result.conditions]
    return [*problems, *host_warnings(entries, hosts)]
