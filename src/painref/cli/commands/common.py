"""What every command shares: the state the global options set, messages, exit codes, lookups.

A command reports problems on stderr and ends by raising `CommandExit` with the exit code from
`errors`; it never lets a traceback reach the user. The views (`render/`) are imported only by
commands that draw something, so `--json` and piped output start faster.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from os import PathLike
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

from ...errors import (
    EXIT_NOT_FOUND,
    EXIT_USAGE,
    CommandExit,
    DatasetError,
    Problem,
    StoreDamaged,
)

if TYPE_CHECKING:
    from ...model.condition import Condition
    from ...model.procedure import Procedure
    from ...query.search import Hit, Resolution
    from ...render.console import Console
    from ...render.styled import Block
    from ...store.config import Config
    from ...store.database import Store

R = TypeVar("R")


class State:
    """What the global options and the config file decided, and the compiled store, opened once
    on first use. `color` is None when no option set it: then the config file's, else auto."""

    def __init__(
        self,
        data: Sequence[str | PathLike[str]] = (),
        color: str | None = None,
        no_pager: bool = False,
        config: Config | None = None,
    ) -> None:
        from ...store.config import Config

        self.data = [os.fspath(path) for path in data]
        self.config = config if config is not None else Config(None)
        self.color_option = color
        self.color: str = color or self.config.get("display.color") or "auto"
        pager = self.config.get("display.pager")
        self.no_pager = no_pager or pager is False
        self.pager: str | None = pager if isinstance(pager, str) else None  # None: PAGER
        self._store: Store | None = None

    def overlays(self) -> list[str]:
        """Every overlay file, in the order they apply: PAINREF_DATA, the config file's, --data."""
        from ...store.paths import DATA_ENV, overlay_paths

        return overlay_paths(self.data, os.environ.get(DATA_ENV), self.config.overlays)

    def sources(self) -> list[str]:
        from ...store.paths import bundled_paths

        return [*bundled_paths(), *self.overlays()]

    def store(self) -> Store:
        if self._store is None:
            from ...store.database import open_store
            from ...store.paths import cache_dir

            overlays = self.overlays()

            def read_sources() -> Any:  # the YAML readers load only when the store is built
                from ...store.sources import load

                return load(overlays)

            try:
                self._store = open_store(self.sources(), cache_dir(), read_sources)
            except DatasetError as exc:
                fail_dataset(exc.problems)
        return self._store

    def dataset(self) -> Store:
        return self.store()

    def rebuild_store(self) -> bool:
        """Rebuild a damaged store from the sources; whether anything was rebuilt."""
        store = self._store
        if store is None:
            return False
        return store.generation > 0 or store.rebuild()  # rebuilt meanwhile, or rebuilt now

    def conditions(self) -> tuple[Condition, ...]:
        return self.store().conditions()

    def console(self) -> Console:
        from ...render.console import Console

        force = True if self.color == "always" else None
        return Console(
            no_color=self.color == "never", force_terminal=force, pager=not self.no_pager
        )


# --- messages ---------------------------------------------------------------------------------


def err(message: str) -> None:
    from ...printable import printable  # messages quote what was typed: show escapes, not obey

    sys.stderr.write(printable(message.rstrip("\n")) + "\n")


def write(text: str) -> None:
    """Write text that is not a view (tab-separated lines, JSON, validate's report, an exported
    document) to stdout, under the same rule as every view: nothing in it is obeyed by a
    terminal (`painref.printable`). Views go through the console, which applies it itself."""
    from ...printable import printable

    sys.stdout.write(printable(text))


def usage(message: str, example: str) -> NoReturn:
    err(f"Error: {message}\nUsage example: {example}\nSee 'painref --help'.")
    raise CommandExit(EXIT_USAGE)


def parsed(option: str, raw: str, parse: Callable[[str], R], example: str) -> R:
    """An option's value read by `parse`; a usage error (exit 2) naming the option when it
    raises ValueError."""
    try:
        return parse(raw)
    except ValueError as exc:
        usage(f"{option}: {exc}", example)


def report_config(problems: list[Problem]) -> int:
    """Say why the config file cannot be used; the exit code for it."""
    err(f"painref: the config file has {len(problems)} problem(s):")
    for problem in problems:
        err(f"  {problem}")
    err("Fix the file, or run without it: PAINREF_CONFIG= painref ...")
    return EXIT_USAGE


def fail_dataset(problems: list[Problem]) -> NoReturn:
    raise CommandExit(report_dataset(problems))


def report_dataset(problems: list[Problem]) -> int:
    """Say why the dataset was not loaded; the exit code for it."""
    err(f"painref: the dataset has {len(problems)} problem(s) and was not loaded:")
    for problem in problems:
        err(f"  {problem}")
    err("Fix the file(s), or check them with: painref validate FILE")
    return EXIT_USAGE


def not_found(
    query: str,
    suggestions: list[str],
    what: str = "procedure",
    hint: str = "Try: painref search WORDS, or painref list",
) -> NoReturn:
    message = f"No {what} matches '{query}'."
    if suggestions:
        message += f" Did you mean: {', '.join(suggestions)}?"
    err(f"{message}\n{hint}")
    raise CommandExit(EXIT_NOT_FOUND)


def execute(command: Callable[..., None], *args: Any, **options: Any) -> int:
    """Run a command; its exit code. Both lanes (Typer's and the fast launcher) come through here.

    A dataset problem can surface after loading: a damaged store is rebuilt from the sources,
    and if they changed meanwhile and no longer validate, that is reported like any other
    dataset problem, never as a traceback. A store found damaged after a command had already
    used what it read (a position from one table that another does not hold) is rebuilt and the
    command run again, once; commands print only when they have their whole answer.
    """
    for attempt in (1, 2):
        try:
            command(*args, **options)
        except CommandExit as done:
            return done.code
        except DatasetError as exc:
            return report_dataset(exc.problems)
        except StoreDamaged as damage:
            state = args[0] if args and isinstance(args[0], State) else None
            if attempt == 1 and state is not None and state.rebuild_store():
                continue
            err(f"painref: the compiled store in the cache folder is damaged ({damage}).")
            err("Remove the folder's store-*.sqlite files and run the command again.")
            return EXIT_USAGE
        return 0
    return 0  # not reached: the second attempt returns


def print_json(data: Any) -> None:
    from ...render.jsonout import dumps

    write(dumps(data) + "\n")


def interactive() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()


def words(parts: Sequence[str] | None) -> str:
    return " ".join(w for w in (parts or []) if w.strip()).strip()


def show_block(state: State, renderable: Block) -> None:
    state.console().print(renderable)


def search_hits(state: State, text: str, limit: int | None) -> list[Hit]:
    from ...query.search import search as search_store

    return search_store(state.store(), text, limit=limit)


def procedure_suggestions(state: State, text: str) -> list[str]:
    from ...query.search import suggestions

    return suggestions(state.store(), text)


def resolve(state: State, text: str) -> Resolution:
    from ...query.search import resolve as resolve_name

    resolution = resolve_name(state.store(), text)
    if resolution is None:
        not_found(text, procedure_suggestions(state, text))
    return resolution


def resolve_all(state: State, names: Sequence[str]) -> list[Procedure]:
    """Each name's procedure, in order, once each; unclear or repeated names get a note."""
    procedures: list[Procedure] = []
    for name in names:
        resolution = resolve(state, name)
        picked = resolution.best.procedure
        if resolution.ambiguous:
            err(f"note: '{name}' taken as {picked.id} (also close: {others(resolution)})")
        if picked in procedures:
            err(f"note: {picked.id} was named twice; shown once")
            continue
        procedures.append(picked)
    return procedures


def others(resolution: Resolution) -> str:
    listed = ", ".join(h.id for h in resolution.alternatives)
    return f"{listed} and {resolution.more} more" if resolution.more else listed


def overlay_origin(state: State, procedure: Procedure) -> str | None:
    """The file an entry came from, when that is not the bundled dataset."""
    from ...store.paths import is_bundled

    origin = state.store().origin(procedure.id)
    return origin if origin and not is_bundled(origin) else None


# --- several names ------------------------------------------------------------------------------


def _exact_one(state: State, name: str) -> str | None:
    """The id a name names exactly (id, name, alias or code), when it names exactly one."""
    from ...query.search import exact_hits

    hits = exact_hits(state.store(), name)
    return hits[0].id if len(hits) == 1 else None


def _confident(state: State, name: str) -> str | None:
    """The id a name finds without doubt: exactly, or as a clear best match."""
    from ...query.search import resolve as resolve_name

    exact = _exact_one(state, name)
    if exact:
        return exact
    resolution = resolve_name(state.store(), name)
    return resolution.best.id if resolution and not resolution.ambiguous else None


def split_names(state: State, parts: Sequence[str], command: str, example: str) -> list[str]:
    """The procedure names in a command's arguments: one rule for compare and export.

    Each argument is one name (a quoted name of several words is one query), and commas also
    separate names. Unquoted words that could be one procedure or several are never guessed
    into extra procedures: they are read as one name only when together they name one exactly
    and apart they do not, read as several only when each names one without doubt, and
    otherwise refused with both readings and how to say either.
    """
    words = [w for w in parts if w.strip()]
    if any("," in w for w in words):
        return [name.strip() for name in " ".join(words).split(",") if name.strip()]
    if len(words) < 2 or any(len(w.split()) > 1 for w in words):
        return words  # a quoted name of several words: each argument is one name, as typed
    joined = " ".join(words)
    together = _exact_one(state, joined)
    apart = [_confident(state, w) for w in words]
    if together and not all(apart):
        err(
            f"note: read '{joined}' as one procedure ({together}); to name several, "
            f"separate them with commas"
        )
        return [joined]
    if all(apart) and not together:
        return words
    for word, found in zip(words, apart, strict=True):
        if found is None and _best_id(state, word) is None:
            not_found(word, procedure_suggestions(state, word))
    reading = together or _best_id(state, joined)
    one = f"as one name, '{joined}' finds {reading}" if reading else f"'{joined}' finds nothing"
    several = ", ".join(f"{w} -> {i or 'unclear'}" for w, i in zip(words, apart, strict=True))
    quoted = f'painref {command} "{joined}"'
    commas = f"painref {command} {', '.join(words)}"
    usage(
        f"'{joined}' could mean one procedure or several ({one}; as separate names: "
        f"{several}). Say which: {quoted} for one, or {commas} for several.",
        example,
    )


def _best_id(state: State, name: str) -> str | None:
    from ...query.search import resolve as resolve_name

    resolution = resolve_name(state.store(), name)
    return resolution.best.id if resolution else None


def suggest_compare(state: State, text: str) -> None:
    """`show A B` with two exact names and no one procedure called 'A B': point to compare."""
    words = text.split()
    if len(words) < 2 or _exact_one(state, text):
        return
    ids = [_exact_one(state, w) for w in words]
    if all(ids) and len(set(ids)) == len(ids):
        usage(
            f"show takes one procedure, and '{text}' names {len(ids)}. "
            "To see them side by side, use compare.",
            f"painref compare {' '.join(words)}",
        )
