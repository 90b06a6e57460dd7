"""The `painref` command line: Typer declarations of commands, options and help.

The work of each command lives in `commands.py`, free of Typer; this module only parses arguments
and turns each command's exit code (`commands.execute`) into Typer's exit. `launch.py` is the
console-script entry point: it runs the common forms of `show`, `search` and `compare` directly
and hands everything else to `app` here.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from . import __version__, commands
from .commands import State

app = typer.Typer(
    name="painref",
    help="Offline reference for interventional pain procedures. Not medical advice.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _state(ctx: typer.Context) -> State:
    state = ctx.find_object(State)
    if state is None:  # a command invoked without the callback (only in embedding)
        state = State([], no_color=False)
        ctx.obj = state
    return state


def _run(command: Callable[..., None], *args: Any, **options: Any) -> None:
    code = commands.execute(command, *args, **options)
    if code:
        raise typer.Exit(code)


_complete_ids = commands.complete_ids  # shell completion of procedure ids


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
    limit: Annotated[
        int, typer.Option("--limit", "-n", min=1, help="Most results to show.")
    ] = commands.SEARCH_LIMIT,
    json_output: JsonOption = False,
) -> None:
    """Find procedures by name, abbreviation (TFESI, SCS), lay name or condition (sciatica)."""
    _run(commands.search, _state(ctx), commands.words(query), limit, json_output)


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
    patient: Annotated[
        bool,
        typer.Option("--patient", help="The plain-language view for patients."),
    ] = False,
    json_output: JsonOption = False,
) -> None:
    """Show one procedure in full; an unclear name shows the best match and lists the others."""
    _run(commands.show, _state(ctx), commands.words(name), json_output, patient)


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
    _run(commands.compare, _state(ctx), names or [], fields or [], json_output)


# --- list -------------------------------------------------------------------------------------


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
    _run(
        commands.list_procedures,
        _state(ctx),
        category=category,
        region=region,
        imaging=imaging,
        risk=risk,
        facets=facets,
        json_output=json_output,
    )


# --- export -----------------------------------------------------------------------------------


@app.command()
def export(
    ctx: typer.Context,
    names: Annotated[
        list[str] | None,
        typer.Argument(help="Procedure ids or names.", autocompletion=_complete_ids),
    ] = None,
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format", help="markdown or html (default: from the -o suffix, else markdown)."
        ),
    ] = None,
    output: Annotated[
        str | None,
        typer.Option("--output", "-o", help="File to write (default: print to stdout)."),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace an existing file.")] = False,
    audience: Annotated[
        str,
        typer.Option("--for", help="patient (a take-home handout) or clinician (a summary)."),
    ] = "patient",
) -> None:
    """Write a handout (patient) or summary (clinician) as Markdown or self-contained HTML."""
    _run(commands.export, _state(ctx), names or [], fmt, output, force, audience)


# --- anticoag ---------------------------------------------------------------------------------


@app.command()
def anticoag(
    ctx: typer.Context,
    drug: Annotated[
        list[str] | None,
        typer.Argument(help="A drug: generic or brand name (apixaban, Eliquis), or its id."),
    ] = None,
    procedure: Annotated[
        str | None,
        typer.Option(
            "--procedure",
            "-p",
            help="A procedure id or name: give the one answer for its bleeding-risk class.",
            autocompletion=_complete_ids,
        ),
    ] = None,
    json_output: JsonOption = False,
) -> None:
    """When to stop a blood thinner before a procedure and restart it after (ASRA Pain Medicine).

    Without a drug, lists the drugs in the table. The decision belongs to the treating
    clinicians together with the prescriber.
    """
    _run(commands.anticoag, _state(ctx), commands.words(drug), procedure, json_output)


# --- conditions -------------------------------------------------------------------------------


@app.command("for")
def for_condition(
    ctx: typer.Context,
    condition: Annotated[
        list[str] | None,
        typer.Argument(help="A condition in any words: sciatica, knee OA, CRPS, tailbone pain."),
    ] = None,
    json_output: JsonOption = False,
) -> None:
    """What can be offered for a condition, in order: diagnostic step, treatment, next steps."""
    _run(commands.for_condition, _state(ctx), commands.words(condition), json_output)


@app.command("conditions")
def list_conditions(ctx: typer.Context, json_output: JsonOption = False) -> None:
    """List the conditions `painref for` knows."""
    _run(commands.list_conditions, _state(ctx), json_output)


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
    _run(commands.validate, _state(ctx), files or [], json_output)
