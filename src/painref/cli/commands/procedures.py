"""The procedure commands: search, show, compare, list and export."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from ...errors import EXIT_NOT_FOUND, EXIT_USAGE, CommandExit
from .common import (
    State,
    err,
    interactive,
    not_found,
    others,
    overlay_origin,
    print_json,
    procedure_suggestions,
    resolve,
    resolve_all,
    search_hits,
    show_block,
    split_names,
    suggest_compare,
    usage,
    write,
)

# --- search -----------------------------------------------------------------------------------

SEARCH_LIMIT = 10  # results shown when --limit is not given


def search(state: State, text: str, limit: int, json_output: bool) -> None:
    if not text:
        if json_output or not interactive():
            usage("search needs a query.", "painref search sciatica")
        _interactive_search(state)
        return
    hits = search_hits(state, text, limit)
    if json_output:
        from ...render.jsonout import hit_data

        print_json([hit_data(hit) for hit in hits])
        if not hits:
            raise CommandExit(EXIT_NOT_FOUND)
        return
    if not hits:
        not_found(text, procedure_suggestions(state, text))
    if not sys.stdout.isatty():
        from ...render.plain import hit_lines

        write(hit_lines(hits))
        return
    from ...render.tables import search_table

    console = state.console()
    console.print(search_table(text, hits, console.width))


def _interactive_search(state: State) -> None:
    from ...render.show import procedure_view
    from ...render.tables import search_table

    console = state.console()
    text = console.input("Search procedures: ").strip()
    if not text:
        raise CommandExit(EXIT_USAGE)
    hits = search_hits(state, text, SEARCH_LIMIT)
    if not hits:
        not_found(text, procedure_suggestions(state, text))
    console.print(search_table(text, hits, console.width))
    choice = console.input("Open result number (Enter to quit): ").strip()
    if not choice:
        return
    if not choice.isdigit() or not 1 <= int(choice) <= len(hits):
        usage(f"'{choice}' is not a result number between 1 and {len(hits)}.", "3")
    hit = hits[int(choice) - 1]
    console.print(procedure_view(hit.procedure, overlay_origin(state, hit.procedure)))


# --- show -------------------------------------------------------------------------------------


def show(
    state: State,
    text: str,
    json_output: bool,
    patient: bool = False,
    brief: bool = False,
    sections: Sequence[str] = (),
) -> None:
    if not text:
        usage("show needs a procedure name or id.", "painref show transforaminal-esi")
    suggest_compare(state, text)
    resolution = resolve(state, text)
    procedure = resolution.best.procedure
    if json_output:
        from ...render.jsonout import patient_data, to_data

        if resolution.ambiguous:
            err(f"note: '{text}' also matches {others(resolution)}; printed {procedure.id}")
        print_json(patient_data(procedure) if patient else to_data(procedure))
        return
    if patient:
        from ...render.patient import patient_view

        if resolution.ambiguous:
            err(f"note: '{text}' also matches {others(resolution)}; showing {procedure.id}")
        show_block(state, patient_view(procedure))
        return
    from ...render.show import ambiguity_note, procedure_view
    from ...render.styled import Group

    view = procedure_view(procedure, overlay_origin(state, procedure))
    if resolution.ambiguous:
        view = Group(ambiguity_note(text, resolution), view)
    show_block(state, view)


# --- compare ----------------------------------------------------------------------------------

COMPARE_EXAMPLE = "painref compare interlaminar-esi transforaminal-esi caudal-esi"


def compare(
    state: State, names: Sequence[str], fields: Sequence[str], json_output: bool, diff: bool = False
) -> None:
    from ...query.compare import COMPARABLE_FIELDS, DEFAULT_FIELDS, rows, unknown_fields

    chosen = [f.strip() for item in fields for f in item.split(",") if f.strip()]
    if chosen == ["help"]:
        write("\n".join(COMPARABLE_FIELDS) + "\n")
        return
    bad = unknown_fields(chosen)
    if bad:
        usage(
            f"unknown field(s) {', '.join(bad)}. Fields: {', '.join(COMPARABLE_FIELDS)}.",
            "painref compare tfesi ilesi --fields imaging,outcomes",
        )
    names = split_names(state, names, "compare", COMPARE_EXAMPLE)
    if not names:
        if json_output or not interactive():
            usage("compare needs two or more procedures.", COMPARE_EXAMPLE)
        answer = state.console().input(
            "Procedures to compare (ids or names, separated by commas): "
        )
        names = [part for part in answer.split(",") if part.strip()]
    if len(names) < 2:
        usage("compare needs two or more procedures.", COMPARE_EXAMPLE)
    procedures = resolve_all(state, names)
    if len(procedures) < 2:
        usage("compare needs two different procedures.", COMPARE_EXAMPLE)
    selected = chosen or list(DEFAULT_FIELDS)
    if json_output:
        from ...render.jsonout import compare_data

        print_json(compare_data(procedures, selected))
        return
    from ...render.tables import compare_view

    console = state.console()
    console.print(compare_view(procedures, rows(procedures, selected), console.width))


# --- list -------------------------------------------------------------------------------------


def _check_choice(option: str, value: str | None, allowed: Sequence[str]) -> None:
    if value is not None and value not in allowed:
        usage(
            f"{option} must be one of: {', '.join(allowed)} (got '{value}').",
            f"painref list {option} {allowed[0]}",
        )


def list_procedures(
    state: State,
    *,
    category: str | None,
    region: str | None,
    imaging: str | None,
    risk: str | None,
    facets: bool,
    json_output: bool,
) -> None:
    from typing import get_args

    from ...model.procedure import Category, Modality, Region, RiskClass
    from ...query import catalog

    category, region, imaging, risk = (
        value.lower() if value else None for value in (category, region, imaging, risk)
    )
    _check_choice("--category", category, get_args(Category))
    _check_choice("--region", region, get_args(Region))
    _check_choice("--imaging", imaging, get_args(Modality))
    _check_choice("--risk", risk, get_args(RiskClass))
    procedures = state.store().procedures
    if facets:
        counts = catalog.facets(procedures)
        if json_output:
            print_json(counts)
            return
        from ...render.tables import facets_view

        show_block(state, facets_view(counts))
        return
    chosen = catalog.filter_procedures(
        procedures, category=category, region=region, imaging=imaging, risk=risk
    )
    if json_output:
        from ...render.jsonout import summary_data

        print_json([summary_data(p) for p in chosen])
    elif not sys.stdout.isatty():
        from ...render.plain import procedure_lines

        write(procedure_lines(chosen))
    elif chosen:
        from ...render.tables import list_table

        console = state.console()
        console.print(list_table(chosen, console.width))
    if not chosen:
        err("No procedure matches those filters. See: painref list --facets")
        raise CommandExit(EXIT_NOT_FOUND)


# --- export -----------------------------------------------------------------------------------


def export(
    state: State,
    names: Sequence[str],
    fmt: str | None,
    output: str | None,
    force: bool,
    audience: str,
    json_output: bool = False,
) -> None:
    from typing import cast

    from ...query import handout

    example = "painref export medial-branch-rfa --format html -o rfa.html"
    if not names:
        usage("export needs one or more procedures.", example)
    if fmt is None:
        fmt = "html" if output and output.lower().endswith((".html", ".htm")) else "markdown"
    if fmt not in ("markdown", "html"):
        usage(f"--format must be markdown or html (got '{fmt}').", example)
    if audience not in ("patient", "clinician"):
        usage(f"--for must be patient or clinician (got '{audience}').", example)
    names = split_names(state, names, "export", example)
    procedures = resolve_all(state, names)
    text = handout.render(procedures, cast(handout.Format, fmt), cast(handout.Audience, audience))
    if output is None or output == "-":
        write(text)
        return
    from ...printable import printable

    target = _export_target(output, force, example)
    try:  # the document is cleaned like stdout: it is opened with `cat` and `less` too
        handout.write_file(target, printable(text), force=force)
    except FileExistsError:
        usage(f"{output} already exists; add --force to replace it.", f"{example} --force")
    except OSError as exc:
        err(f"Error: could not write {output}: {exc.strerror or exc}")
        raise CommandExit(EXIT_USAGE) from None
    err(f"Wrote {output} ({fmt}, {audience}, {len(procedures)} procedure(s))")


def _export_target(output: str, force: bool, example: str) -> str:
    """The file `export -o` writes: refused when it is not a regular file (a device, a pipe, a
    folder, or a link to one of them, even with --force: replacing /dev/null with a handout is
    never meant); a link to a regular file is followed, so --force replaces the file and keeps
    the link; a link that points nowhere counts as existing."""
    import os
    import stat

    path = os.path.abspath(output)
    try:
        info = os.lstat(path)
    except OSError:
        return path  # nothing there (or an unreachable folder: the write says why)
    if stat.S_ISLNK(info.st_mode):
        try:
            info = os.stat(path)
        except OSError:
            if not force:
                usage(f"{output} is a link to nothing; add --force to replace it.", example)
            return path  # the link itself is replaced
        path = os.path.realpath(path)
    if stat.S_ISDIR(info.st_mode):
        usage(f"{output} is a folder; name a file to write.", example)
    if not stat.S_ISREG(info.st_mode):
        usage(
            f"{output} is not a regular file (a device or a pipe?); painref writes only files. "
            "To print the document, leave out -o.",
            example,
        )
    if not force:
        usage(f"{output} already exists; add --force to replace it.", f"{example} --force")
    return path
