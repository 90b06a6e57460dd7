"""The procedure commands: search, show, compare, list and export."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ...errors import EXIT_NOT_FOUND, CommandExit
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

if TYPE_CHECKING:
    from ...render.console import Console

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
    console.print(search_table(text, hits))


def _interactive_search(state: State) -> None:
    """Ask for words, then for a result to open: Enter (or end of input) at either question ends
    quietly; a single result opens at once; a number that is not a result asks again."""
    from ...render.show import procedure_view
    from ...render.tables import search_table

    console = state.console()
    text = _ask(console, "Search procedures (Enter to quit): ")
    if not text:
        return
    hits = search_hits(state, text, SEARCH_LIMIT)
    if not hits:
        not_found(text, procedure_suggestions(state, text))
    if len(hits) == 1:
        hit = hits[0]
    else:
        console.print(search_table(text, hits), page=False)  # the question follows it
        while True:
            choice = _ask(console, f"Open result number 1-{len(hits)} (Enter to quit): ")
            if not choice:
                return
            if choice.isdigit() and 1 <= int(choice) <= len(hits):
                break
            err(f"'{choice}' is not a result number between 1 and {len(hits)}; try again.")
        hit = hits[int(choice) - 1]
    console.print(procedure_view(hit.procedure, overlay_origin(state, hit.procedure)))


def _ask(console: Console, question: str) -> str:
    """The answer, stripped; "" at the end of input (Ctrl-D), as for Enter."""
    try:
        return console.input(question).strip()
    except EOFError:
        sys.stdout.write("\n")
        return ""


# --- show -------------------------------------------------------------------------------------


def show(
    state: State,
    text: str,
    json_output: bool,
    patient: bool = False,
    brief: bool = False,
    sections: Sequence[str] = (),
) -> None:
    chosen = _sections(sections)
    if chosen == ["help"]:
        from ...render.show import SECTION_NAMES

        sys.stdout.write("\n".join(SECTION_NAMES) + "\n")
        return
    if not text:
        usage("show needs a procedure name or id.", "painref show transforaminal-esi")
    if patient + brief + bool(chosen) > 1:
        usage(
            "--patient, --brief and --section are different views; choose one.",
            f"painref show {text} --brief",
        )
    suggest_compare(state, text)
    resolution = resolve(state, text)
    procedure = resolution.best.procedure
    if resolution.ambiguous and (json_output or patient or brief or chosen):
        err(f"note: '{text}' also matches {others(resolution)}; showing {procedure.id}")
    if json_output:
        from ...render import jsonout

        if patient:
            print_json(jsonout.patient_data(procedure))
        elif brief:
            print_json(jsonout.brief_data(procedure))
        elif chosen:
            print_json(jsonout.section_data(procedure, chosen))
        else:
            print_json(jsonout.to_data(procedure))
        return
    if patient:
        from ...render.patient import patient_view

        show_block(state, patient_view(procedure))
        return
    if brief:
        from ...render.brief import brief_view

        show_block(state, brief_view(procedure))
        return
    from ...render.show import ambiguity_note, procedure_view
    from ...render.styled import Group

    view = procedure_view(procedure, overlay_origin(state, procedure), chosen)
    if resolution.ambiguous and not chosen:
        view = Group(ambiguity_note(text, resolution), view)
    show_block(state, view)


def _sections(given: Sequence[str]) -> list[str]:
    """The sections asked for (comma-separated or repeated, any case, aliases), in order."""
    words = [w.strip() for item in given for w in item.split(",") if w.strip()]
    if [w.lower() for w in words] == ["help"]:
        return ["help"]
    from ...render.show import SECTION_NAMES, section_name

    names = [section_name(w) for w in words]
    unknown = [w for w, name in zip(words, names, strict=True) if name is None]
    if unknown:
        usage(
            f"unknown section(s) {', '.join(unknown)}. Sections: {', '.join(SECTION_NAMES)}.",
            "painref show tfesi --section technique --section complications",
        )
    return list(dict.fromkeys(name for name in names if name))


# --- compare ----------------------------------------------------------------------------------

COMPARE_EXAMPLE = "painref compare interlaminar-esi transforaminal-esi caudal-esi"


def compare(
    state: State, names: Sequence[str], fields: Sequence[str], json_output: bool, diff: bool = False
) -> None:
    from ...query.compare import (
        COMPARABLE_FIELDS,
        DEFAULT_FIELDS,
        differing,
        rows,
        unknown_fields,
    )

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
    found = rows(procedures, selected)
    if diff:
        found = differing(found)
        selected = [row.field for row in found]
        if not found:
            err(f"note: {', '.join(p.id for p in procedures)} are the same in every row shown")
    if json_output:
        from ...render.jsonout import compare_data

        print_json(compare_data(procedures, selected))
        return
    if not found:
        return
    from ...render.tables import compare_view

    console = state.console()
    console.print(compare_view(procedures, found, console.width))


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
    procedures = state.store().listings
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
        console.print(list_table(chosen))
    if not chosen:
        err("No procedure matches those filters. See: painref list --facets")
        raise CommandExit(EXIT_NOT_FOUND)
