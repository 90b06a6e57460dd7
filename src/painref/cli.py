"""The `painref` command: thin Typer wiring between the library and the renderers.

Each command parses its arguments, asks the library, and hands the result either to a Rich view or
to `jsonout`. Rich is imported only by commands that draw something, so `--json` and piped output
start faster. Errors become messages on stderr and exit codes from `errors`, never tracebacks.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

from . import __version__
from .errors import EXIT_NOT_FOUND, EXIT_USAGE, DatasetError, Problem

if TYPE_CHECKING:
    from rich.console import Console, RenderableType

    from .model import Dataset, Procedure
    from .search import Resolution, SearchIndex

app = typer.Typer(
    name="painref",
    help="Offline reference for interventional pain procedures. Not medical advice.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class State:
    """What the global options decided, and the dataset, loaded once on first use."""

    def __init__(self, data: Sequence[Path], no_color: bool) -> None:
        self.data = list(data)
        self.no_color = no_color
        self._dataset: Dataset | None = None
        self._index: SearchIndex | None = None

    def overlays(self) -> list[Path]:
        from .dataset import overlay_paths

        return overlay_paths(self.data, os.environ.get("PAINREF_DATA"))

    def dataset(self) -> Dataset:
        if self._dataset is None:
            from .dataset import load

            try:
                self._dataset = load(self.overlays())
            except DatasetError as exc:
                _fail_dataset(exc.problems)
        return self._dataset

    def index(self) -> SearchIndex:
        if self._index is None:
            from .search import SearchIndex

            self._index = SearchIndex(self.dataset())
        return self._index

    def console(self) -> Console:
        from .render.console import make_console

        return make_console(no_color=self.no_color)


def _state(ctx: typer.Context) -> State:
    state = ctx.find_object(State)
    if state is None:  # a command invoked without the callback (only in embedding)
        state = State([], no_color=False)
        ctx.obj = state
    return state


# --- messages ---------------------------------------------------------------------------------


def _err(message: str) -> None:
    sys.stderr.write(message.rstrip("\n") + "\n")


def _usage(message: str, example: str) -> NoReturn:
    _err(f"Error: {message}\nUsage example: {example}\nSee 'painref --help'.")
    raise typer.Exit(EXIT_USAGE)


def _fail_dataset(problems: list[Problem]) -> NoReturn:
    _err(f"painref: the dataset has {len(problems)} problem(s) and was not loaded:")
    for problem in problems:
        _err(f"  {problem}")
    _err("Fix the file(s), or check them with: painref validate FILE")
    raise typer.Exit(EXIT_USAGE)


def _not_found(query: str, suggestions: list[str]) -> NoReturn:
    message = f"No procedure matches '{query}'."
    if suggestions:
        message += f" Did you mean: {', '.join(suggestions)}?"
    _err(message + "\nTry: painref search WORDS, or painref list")
    raise typer.Exit(EXIT_NOT_FOUND)


def _print_json(data: Any) -> None:
    from .jsonout import dumps

    sys.stdout.write(dumps(data) + "\n")


def _show(state: State, renderable: RenderableType) -> None:
    state.console().print(renderable)


def _interactive() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()


def _words(words: Sequence[str] | None) -> str:
    return " ".join(w for w in (words or []) if w.strip()).strip()


# --- completion -------------------------------------------------------------------------------


def _complete_ids(incomplete: str) -> list[str]:
    from .dataset import load

    try:  # --data is not parsed yet while completing, so only PAINREF_DATA overlays apply
        dataset = load(State([], no_color=True).overlays())
    except DatasetError:
        return []
    return [p.id for p in dataset.procedures if p.id.startswith(incomplete)]


# --- global options ---------------------------------------------------------------------------


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"painref {__version__}\n")
        raise typer.Exit()


JsonOption = Annotated[bool, typer.Option("--json", help="Print only JSON on stdout.")]


@app.callback()
def main_options(
    ctx: typer.Context,
    data: Annotated[
        list[Path] | None,
        typer.Option(
            "--data",
            help="Extra dataset file layered over the bundled one (repeatable). "
            "Same id overrides, new ids add. Also read from PAINREF_DATA.",
            metavar="PATH",
        ),
    ] = None,
    no_color: Annotated[bool, typer.Option("--no-color", help="Never use colour.")] = False,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """Offline reference for interventional pain procedures. Reference only, not medical advice."""
    ctx.obj = State(data or [], no_color)


# --- search -----------------------------------------------------------------------------------


@app.command()
def search(
    ctx: typer.Context,
    query: Annotated[
        list[str] | None,
        typer.Argument(help="Words to look for: a name, abbreviation, brand or condition."),
    ] = None,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="Most results to show.")] = 10,
    json_output: JsonOption = False,
) -> None:
    """Find procedures by name, abbreviation (TFESI, SCS), lay name or condition (sciatica)."""
    state = _state(ctx)
    text = _words(query)
    if not text:
        if json_output or not _interactive():
            _usage("search needs a query.", "painref search sciatica")
        _interactive_search(state)
        return
    hits = state.index().search(text, limit=limit)
    if json_output:
        from .jsonout import hit_data

        _print_json([hit_data(hit) for hit in hits])
        if not hits:
            raise typer.Exit(EXIT_NOT_FOUND)
        return
    if not hits:
        _not_found(text, state.index().suggestions(text))
    if not sys.stdout.isatty():
        from .plain import hit_lines

        sys.stdout.write(hit_lines(hits))
        return
    from .render.tables import search_table

    console = state.console()
    console.print(search_table(text, hits, console.width))


def _interactive_search(state: State) -> None:
    from .render.show import procedure_view
    from .render.tables import search_table

    console = state.console()
    text = console.input("Search procedures: ").strip()
    if not text:
        raise typer.Exit(EXIT_USAGE)
    hits = state.index().search(text)
    if not hits:
        _not_found(text, state.index().suggestions(text))
    console.print(search_table(text, hits, console.width))
    choice = console.input("Open result number (Enter to quit): ").strip()
    if not choice:
        return
    if not choice.isdigit() or not 1 <= int(choice) <= len(hits):
        _usage(f"'{choice}' is not a result number between 1 and {len(hits)}.", "3")
    hit = hits[int(choice) - 1]
    console.print(procedure_view(hit.procedure, _overlay_origin(state, hit.procedure)))


# --- show -------------------------------------------------------------------------------------


@app.command()
def show(
    ctx: typer.Context,
    name: Annotated[
        list[str],
        typer.Argument(
            help="A procedure id, or any words that find one.",
            autocompletion=_complete_ids,
        ),
    ],
    json_output: JsonOption = False,
) -> None:
    """Show one procedure in full; an unclear name shows the best match and lists the others."""
    state = _state(ctx)
    text = _words(name)
    if not text:
        _usage("show needs a procedure name or id.", "painref show transforaminal-esi")
    resolution = _resolve(state, text)
    procedure = resolution.best.procedure
    if json_output:
        from .jsonout import to_data

        if resolution.ambiguous:
            others = ", ".join(h.id for h in resolution.alternatives)
            _err(f"note: '{text}' also matches {others}; printed {procedure.id}")
        _print_json(to_data(procedure))
        return
    from rich.console import Group

    from .render.show import ambiguity_note, procedure_view

    view = procedure_view(procedure, _overlay_origin(state, procedure))
    if resolution.ambiguous:
        view = Group(ambiguity_note(text, resolution), view)
    _show(state, view)


def _resolve(state: State, text: str) -> Resolution:
    from .search import resolve

    resolution = resolve(state.index(), text)
    if resolution is None:
        _not_found(text, state.index().suggestions(text))
    return resolution


def _overlay_origin(state: State, procedure: Procedure) -> str | None:
    """The file an entry came from, when that is not the bundled dataset."""
    from .dataset import bundled_path

    origin = state.dataset().origins.get(procedure.id)
    return origin if origin and origin != str(bundled_path()) else None


# --- compare ----------------------------------------------------------------------------------


@app.command()
def compare(
    ctx: typer.Context,
    names: Annotated[
        list[str] | None,
        typer.Argument(help="Two or more procedure ids or names.", autocompletion=_complete_ids),
    ] = None,
    fields: Annotated[
        list[str] | None,
        typer.Option(
            "--fields",
            "-f",
            help="Rows to show, comma-separated or repeated (e.g. imaging,outcomes). "
            "Use --fields help to list them.",
        ),
    ] = None,
    json_output: JsonOption = False,
) -> None:
    """Compare procedures side by side: one column per procedure, one row per attribute."""
    from .compare import COMPARABLE_FIELDS, DEFAULT_FIELDS, rows, unknown_fields

    state = _state(ctx)
    example = "painref compare interlaminar-esi transforaminal-esi caudal-esi"
    chosen = [f.strip() for item in (fields or []) for f in item.split(",") if f.strip()]
    if chosen == ["help"]:
        sys.stdout.write("\n".join(COMPARABLE_FIELDS) + "\n")
        return
    bad = unknown_fields(chosen)
    if bad:
        _usage(
            f"unknown field(s) {', '.join(bad)}. Fields: {', '.join(COMPARABLE_FIELDS)}.",
            "painref compare tfesi ilesi --fields imaging,outcomes",
        )
    if not names:
        if json_output or not _interactive():
            _usage("compare needs two or more procedures.", example)
        answer = state.console().input(
            "Procedures to compare (ids or names, separated by commas): "
        )
        names = [part for part in answer.split(",") if part.strip()]
    if len(names) < 2:
        _usage("compare needs two or more procedures.", example)
    procedures: list[Procedure] = []
    for name in names:
        resolution = _resolve(state, name)
        picked = resolution.best.procedure
        if resolution.ambiguous:
            others = ", ".join(h.id for h in resolution.alternatives)
            _err(f"note: '{name}' taken as {picked.id} (also close: {others})")
        if picked in procedures:
            _err(f"note: {picked.id} was named twice; shown once")
            continue
        procedures.append(picked)
    if len(procedures) < 2:
        _usage("compare needs two different procedures.", example)
    selected = chosen or list(DEFAULT_FIELDS)
    if json_output:
        from .jsonout import compare_data

        _print_json(compare_data(procedures, selected))
        return
    from .render.tables import compare_view

    console = state.console()
    console.print(compare_view(procedures, rows(procedures, selected), console.width))


# --- list -------------------------------------------------------------------------------------


def _check_choice(option: str, value: str | None, allowed: Sequence[str]) -> None:
    if value is not None and value not in allowed:
        _usage(
            f"{option} must be one of: {', '.join(allowed)} (got '{value}').",
            f"painref list {option} {allowed[0]}",
        )


@app.command("list")
def list_procedures(
    ctx: typer.Context,
    category: Annotated[str | None, typer.Option(help="Only this category.")] = None,
    region: Annotated[str | None, typer.Option(help="Only procedures in this body region.")] = None,
    imaging: Annotated[
        str | None, typer.Option(help="Only procedures using this imaging guidance.")
    ] = None,
    risk: Annotated[
        str | None,
        typer.Option(help="Only this anticoagulation risk class: low, intermediate, high."),
    ] = None,
    facets: Annotated[
        bool,
        typer.Option(
            "--facets", help="List the categories, regions, imaging, risk classes and conditions."
        ),
    ] = False,
    json_output: JsonOption = False,
) -> None:
    """List every procedure, or filter them; --facets shows the values you can filter by."""
    from typing import get_args

    from . import catalog
    from .model import Category, Modality, Region, RiskClass

    _check_choice("--category", category, get_args(Category))
    _check_choice("--region", region, get_args(Region))
    _check_choice("--imaging", imaging, get_args(Modality))
    _check_choice("--risk", risk, get_args(RiskClass))
    state = _state(ctx)
    procedures = state.dataset().procedures
    if facets:
        counts = catalog.facets(procedures)
        if json_output:
            _print_json(counts)
            return
        from .render.tables import facets_view

        _show(state, facets_view(counts))
        return
    chosen = catalog.filter_procedures(
        procedures, category=category, region=region, imaging=imaging, risk=risk
    )
    if json_output:
        from .jsonout import summary_data

        _print_json([summary_data(p) for p in chosen])
    elif not sys.stdout.isatty():
        from .plain import procedure_lines

        sys.stdout.write(procedure_lines(chosen))
    elif chosen:
        from .render.tables import list_table

        console = state.console()
        console.print(list_table(chosen, console.width))
    if not chosen:
        _err("No procedure matches those filters. See: painref list --facets")
        raise typer.Exit(EXIT_NOT_FOUND)


# --- validate ---------------------------------------------------------------------------------


@app.command()
def validate(
    ctx: typer.Context,
    files: Annotated[
        list[Path] | None,
        typer.Argument(help="Dataset files to check (default: the bundled data and any overlays)."),
    ] = None,
    json_output: JsonOption = False,
) -> None:
    """Check dataset files against the schema; report every problem with file, line and field."""
    from .dataset import bundled_path, read_all

    state = _state(ctx)
    # Files named here are checked as overlays of the bundled data, as they would be used, so a
    # `related:` id pointing at a bundled procedure resolves; only their own problems are reported.
    targets = list(files) if files else [bundled_path(), *state.overlays()]
    base = [bundled_path()] if files else []
    dataset, problems = read_all([*base, *targets])
    checked = {str(path) for path in targets}
    problems = [p for p in problems if p.file in checked]
    count = sum(1 for origin in dataset.origins.values() if origin in checked)
    if json_output:
        from .jsonout import problem_data

        _print_json(
            {
                "valid": not problems,
                "files": [str(p) for p in targets],
                "procedures": count,
                "problems": [problem_data(p) for p in problems],
            }
        )
    elif problems:
        for problem in problems:
            sys.stdout.write(f"{problem}\n")
        sys.stdout.write(f"{len(problems)} problem(s) in {len(targets)} file(s)\n")
    else:
        sys.stdout.write(f"OK: {count} procedures in {len(targets)} file(s)\n")
    if problems:
        raise typer.Exit(EXIT_USAGE)


def main() -> None:
    """Console-script entry point."""
    import signal

    if hasattr(signal, "SIGPIPE"):
        # `painref list | head -1` should end quietly, as cat and grep do.
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    app()
