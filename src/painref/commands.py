"""What each command does, free of any CLI framework.

`cli.py` declares the commands, options and help with Typer and calls these functions; `launch.py`
calls the same functions directly for the common forms of `show`, `search` and `compare`, so those
start without importing Typer at all. A command reports problems on stderr and ends by raising
`CommandExit` with the exit code from `errors`; it never lets a traceback reach the user.

The views (`render/`) are imported only by commands that draw something, so `--json` and piped
output start faster.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from os import PathLike
from typing import TYPE_CHECKING, Any, NoReturn

from .errors import EXIT_NOT_FOUND, EXIT_USAGE, CommandExit, DatasetError, Problem

if TYPE_CHECKING:
    from .anticoag import DrugTable
    from .conditions import Condition
    from .model import Dataset, Procedure
    from .render.console import Console
    from .render.styled import Block
    from .search import Resolution, SearchIndex


class State:
    """What the global options decided, and the dataset, loaded once on first use."""

    def __init__(self, data: Sequence[str | PathLike[str]], no_color: bool) -> None:
        self.data = [os.fspath(path) for path in data]
        self.no_color = no_color
        self._dataset: Dataset | None = None
        self._index: SearchIndex | None = None

    def overlays(self) -> list[str]:
        from .paths import DATA_ENV, overlay_paths

        return overlay_paths(self.data, os.environ.get(DATA_ENV))

    def sources(self) -> list[str]:
        from .paths import bundled_path

        return [bundled_path(), *self.overlays()]

    def dataset(self) -> Dataset:
        if self._dataset is None:
            from . import cache

            try:
                self._dataset = cache.load(self.sources())
            except DatasetError as exc:
                fail_dataset(exc.problems)
        return self._dataset

    def index(self) -> SearchIndex:
        if self._index is None:
            from .search import SearchIndex

            self._index = SearchIndex(self.dataset())
        return self._index

    def conditions(self) -> list[Condition]:
        from . import conditions

        try:
            return conditions.load(set(self.dataset().ids))
        except DatasetError as exc:
            fail_dataset(exc.problems)

    def console(self) -> Console:
        from .render.console import Console

        return Console(no_color=self.no_color)


# --- messages ---------------------------------------------------------------------------------


def err(message: str) -> None:
    from .render.text import clean  # messages quote what was typed: show escape codes, not obey

    sys.stderr.write(clean(message.rstrip("\n")) + "\n")


def usage(message: str, example: str) -> NoReturn:
    err(f"Error: {message}\nUsage example: {example}\nSee 'painref --help'.")
    raise CommandExit(EXIT_USAGE)


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

    A dataset problem can surface after loading: a damaged cache record is re-read from the
    sources, and if they changed meanwhile the record is gone; that is reported like any other
    dataset problem, never as a traceback.
    """
    try:
        command(*args, **options)
    except CommandExit as done:
        return done.code
    except DatasetError as exc:
        return report_dataset(exc.problems)
    return 0


def print_json(data: Any) -> None:
    from .jsonout import dumps

    sys.stdout.write(dumps(data) + "\n")


def interactive() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()


def words(parts: Sequence[str] | None) -> str:
    return " ".join(w for w in (parts or []) if w.strip()).strip()


def _show(state: State, renderable: Block) -> None:
    state.console().print(renderable)


# --- search -----------------------------------------------------------------------------------

SEARCH_LIMIT = 10  # results shown when --limit is not given


def search(state: State, text: str, limit: int, json_output: bool) -> None:
    if not text:
        if json_output or not interactive():
            usage("search needs a query.", "painref search sciatica")
        _interactive_search(state)
        return
    hits = state.index().search(text, limit=limit)
    if json_output:
        from .jsonout import hit_data

        print_json([hit_data(hit) for hit in hits])
        if not hits:
            raise CommandExit(EXIT_NOT_FOUND)
        return
    if not hits:
        not_found(text, state.index().suggestions(text))
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
        raise CommandExit(EXIT_USAGE)
    hits = state.index().search(text)
    if not hits:
        not_found(text, state.index().suggestions(text))
    console.print(search_table(text, hits, console.width))
    choice = console.input("Open result number (Enter to quit): ").strip()
    if not choice:
        return
    if not choice.isdigit() or not 1 <= int(choice) <= len(hits):
        usage(f"'{choice}' is not a result number between 1 and {len(hits)}.", "3")
    hit = hits[int(choice) - 1]
    console.print(procedure_view(hit.procedure, overlay_origin(state, hit.procedure)))


# --- show -------------------------------------------------------------------------------------


def show(state: State, text: str, json_output: bool, patient: bool = False) -> None:
    if not text:
        usage("show needs a procedure name or id.", "painref show transforaminal-esi")
    resolution = resolve(state, text)
    procedure = resolution.best.procedure
    if json_output:
        from .jsonout import patient_data, to_data

        if resolution.ambiguous:
            err(f"note: '{text}' also matches {_others(resolution)}; printed {procedure.id}")
        print_json(patient_data(procedure) if patient else to_data(procedure))
        return
    if patient:
        from .render.patient import patient_view

        if resolution.ambiguous:
            err(f"note: '{text}' also matches {_others(resolution)}; showing {procedure.id}")
        _show(state, patient_view(procedure))
        return
    from .render.show import ambiguity_note, procedure_view
    from .render.styled import Group

    view = procedure_view(procedure, overlay_origin(state, procedure))
    if resolution.ambiguous:
        view = Group(ambiguity_note(text, resolution), view)
    _show(state, view)


def resolve(state: State, text: str) -> Resolution:
    from .search import resolve as resolve_name

    resolution = resolve_name(state.index(), text)
    if resolution is None:
        not_found(text, state.index().suggestions(text))
    return resolution


def resolve_all(state: State, names: Sequence[str]) -> list[Procedure]:
    """Each name's procedure, in order, once each; unclear or repeated names get a note."""
    procedures: list[Procedure] = []
    for name in names:
        resolution = resolve(state, name)
        picked = resolution.best.procedure
        if resolution.ambiguous:
            err(f"note: '{name}' taken as {picked.id} (also close: {_others(resolution)})")
        if picked in procedures:
            err(f"note: {picked.id} was named twice; shown once")
            continue
        procedures.append(picked)
    return procedures


def _others(resolution: Resolution) -> str:
    listed = ", ".join(h.id for h in resolution.alternatives)
    return f"{listed} and {resolution.more} more" if resolution.more else listed


def overlay_origin(state: State, procedure: Procedure) -> str | None:
    """The file an entry came from, when that is not the bundled dataset."""
    from .paths import bundled_path

    origin = state.dataset().origin(procedure.id)
    return origin if origin and origin != bundled_path() else None


# --- compare ----------------------------------------------------------------------------------

COMPARE_EXAMPLE = "painref compare interlaminar-esi transforaminal-esi caudal-esi"


def compare(state: State, names: Sequence[str], fields: Sequence[str], json_output: bool) -> None:
    from .compare import COMPARABLE_FIELDS, DEFAULT_FIELDS, rows, unknown_fields

    chosen = [f.strip() for item in fields for f in item.split(",") if f.strip()]
    if chosen == ["help"]:
        sys.stdout.write("\n".join(COMPARABLE_FIELDS) + "\n")
        return
    bad = unknown_fields(chosen)
    if bad:
        usage(
            f"unknown field(s) {', '.join(bad)}. Fields: {', '.join(COMPARABLE_FIELDS)}.",
            "painref compare tfesi ilesi --fields imaging,outcomes",
        )
    names = list(names)
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
        from .jsonout import compare_data

        print_json(compare_data(procedures, selected))
        return
    from .render.tables import compare_view

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

    from . import catalog
    from .model import Category, Modality, Region, RiskClass

    _check_choice("--category", category, get_args(Category))
    _check_choice("--region", region, get_args(Region))
    _check_choice("--imaging", imaging, get_args(Modality))
    _check_choice("--risk", risk, get_args(RiskClass))
    procedures = state.dataset().procedures
    if facets:
        counts = catalog.facets(procedures)
        if json_output:
            print_json(counts)
            return
        from .render.tables import facets_view

        _show(state, facets_view(counts))
        return
    chosen = catalog.filter_procedures(
        procedures, category=category, region=region, imaging=imaging, risk=risk
    )
    if json_output:
        from .jsonout import summary_data

        print_json([summary_data(p) for p in chosen])
    elif not sys.stdout.isatty():
        from .plain import procedure_lines

        sys.stdout.write(procedure_lines(chosen))
    elif chosen:
        from .render.tables import list_table

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
) -> None:
    from typing import cast

    from . import handout

    example = "painref export medial-branch-rfa --format html -o rfa.html"
    if not names:
        usage("export needs one or more procedures.", example)
    if fmt is None:
        fmt = "html" if output and output.lower().endswith((".html", ".htm")) else "markdown"
    if fmt not in ("markdown", "html"):
        usage(f"--format must be markdown or html (got '{fmt}').", example)
    if audience not in ("patient", "clinician"):
        usage(f"--for must be patient or clinician (got '{audience}').", example)
    procedures = resolve_all(state, names)
    text = handout.render(procedures, cast(handout.Format, fmt), cast(handout.Audience, audience))
    if output is None or output == "-":
        sys.stdout.write(text)
        return
    try:
        handout.write_file(output, text, force=force)
    except FileExistsError:
        usage(f"{output} already exists; add --force to replace it.", f"{example} --force")
    except OSError as exc:
        err(f"Error: could not write {output}: {exc.strerror or exc}")
        raise CommandExit(EXIT_USAGE) from None
    err(f"Wrote {output} ({fmt}, {audience}, {len(procedures)} procedure(s))")


# --- anticoag ---------------------------------------------------------------------------------

ANTICOAG_EXAMPLE = "painref anticoag apixaban --procedure medial-branch-rfa"


def anticoag(state: State, drug_query: str, procedure_query: str | None, json_output: bool) -> None:
    from . import anticoag as table_module

    try:
        table = table_module.load()
    except DatasetError as exc:
        fail_dataset(exc.problems)
    if not drug_query:
        if procedure_query:
            usage("name the drug as well as the procedure.", ANTICOAG_EXAMPLE)
        _drug_list(state, table, json_output)
        return
    match = table_module.find_drug(table, drug_query)
    if match is None:
        not_found(
            drug_query,
            table_module.suggestions(table, drug_query),
            "drug in the anticoagulation table",
            "See the drugs with: painref anticoag",
        )
    if len(match.drugs) > 1:
        names = ", ".join(d.id for d in match.drugs)
        err(
            f"'{drug_query}' names {len(match.drugs)} drugs ({match.matched}): {names}.\n"
            f"Intervals differ between them; name one, e.g. painref anticoag {match.drugs[0].id}"
        )
        raise CommandExit(EXIT_NOT_FOUND)
    drug = match.drugs[0]
    if not match.exact:
        err(f"note: '{drug_query}' read as {match.matched} ({drug.id})")
    procedure = resolve_all(state, [procedure_query])[0] if procedure_query else None
    if json_output:
        from .jsonout import answer_data, drug_data

        if procedure is None:
            print_json(drug_data(table, drug))
        else:
            print_json(answer_data(table, drug, procedure))
        return
    from .render.anticoag import answer_view, drug_view

    if procedure is None:
        _show(state, drug_view(table, drug))
    else:
        _show(state, answer_view(table, drug, procedure, overlay_origin(state, procedure)))


def _drug_list(state: State, table: DrugTable, json_output: bool) -> None:
    if json_output:
        print_json([{"id": d.id, "name": d.name, "drug_class": d.drug_class} for d in table.drugs])
    elif not sys.stdout.isatty():
        from .plain import rows

        sys.stdout.write(rows((d.id, d.name, d.drug_class) for d in table.drugs))
    else:
        from .render.anticoag import drug_list

        _show(state, drug_list(table.drugs))


# --- conditions -------------------------------------------------------------------------------


def for_condition(state: State, text: str, json_output: bool) -> None:
    from .conditions import AMBIGUITY_MARGIN, find, suggestions

    if not text:
        usage("for needs a condition.", "painref for sciatica")
    known = state.conditions()
    hits = find(known, text)
    if not hits:
        not_found(
            text, suggestions(known, text), "condition", "See them all with: painref conditions"
        )
    best = hits[0]
    others = [h for h in hits[1:] if h.score >= best.score - AMBIGUITY_MARGIN]
    dataset = state.dataset()
    if json_output:
        from .jsonout import condition_data

        if others:
            err(f"note: '{text}' also matches {', '.join(h.item.id for h in others)}")
        print_json(condition_data(best.item, dataset))
        return
    from .render.conditions import pathway_view

    _show(state, pathway_view(best.item, dataset, others))


def list_conditions(state: State, json_output: bool) -> None:
    known = state.conditions()
    if json_output:
        print_json([{"id": c.id, "name": c.name, "synonyms": list(c.synonyms)} for c in known])
    elif not sys.stdout.isatty():
        from .plain import rows

        sys.stdout.write(rows((c.id, c.name) for c in known))
    else:
        from .render.conditions import condition_list

        _show(state, condition_list(known))


# --- validate ---------------------------------------------------------------------------------


def validate(state: State, files: Sequence[str | PathLike[str]], json_output: bool) -> None:
    from . import anticoag, conditions
    from .dataset import read_all
    from .paths import bundled_path

    # Files named here are checked as overlays of the bundled data, as they would be used, so a
    # `related:` id pointing at a bundled procedure resolves; only their own problems are reported.
    # The parse cache is never used: validating means reading the files as they are now.
    named = [os.fspath(f) for f in files]
    drug_files = [f for f in named if _file_kind(f) == "drugs"]
    condition_files = [f for f in named if _file_kind(f) == "conditions"]
    procedure_files = [f for f in named if f not in drug_files and f not in condition_files]
    if not files:
        procedure_files = state.sources()
        drug_files = [anticoag.bundled_path()]
        condition_files = [conditions.bundled_path()]
    base = [bundled_path()] if files else []
    dataset, problems = read_all([*base, *procedure_files])
    checked = set(procedure_files)
    problems = [p for p in problems if p.file in checked]
    counts = {"procedures": sum(1 for o in dataset.origins if o in checked)}
    counts["drugs"] = 0
    for path in drug_files:
        table, found = anticoag.read(path)
        problems += found
        counts["drugs"] += len(table.drugs) if table else 0
    counts["conditions"] = 0
    for path in condition_files:
        known, found = conditions.read(path, set(dataset.ids))
        problems += found
        counts["conditions"] += len(known)
    targets = [*procedure_files, *drug_files, *condition_files]
    if json_output:
        from .jsonout import problem_data

        print_json(
            {
                "valid": not problems,
                "files": targets,
                **counts,
                "problems": [problem_data(p) for p in problems],
            }
        )
    elif problems:
        for problem in problems:
            sys.stdout.write(f"{problem}\n")
        sys.stdout.write(f"{len(problems)} problem(s) in {len(targets)} file(s)\n")
    else:
        what = ", ".join(f"{n} {kind}" for kind, n in counts.items() if n or kind == "procedures")
        sys.stdout.write(f"OK: {what} in {len(targets)} file(s)\n")
    if problems:
        raise CommandExit(EXIT_USAGE)


def _file_kind(path: str) -> str:
    """Which kind of data file this is, from its top-level list key (procedures by default)."""
    import re

    try:
        with open(path, encoding="utf-8", errors="replace") as source:
            head = source.read(200_000)
    except OSError:
        return "procedures"  # the procedure reader reports the problem
    found = re.search(r"(?m)^(procedures|drugs|conditions):", head)
    return found.group(1) if found else "procedures"


def complete_ids(incomplete: str) -> list[str]:
    """Shell completion of procedure ids (--data is not parsed yet; PAINREF_DATA applies)."""
    state = State([], no_color=True)
    try:
        from . import cache

        dataset = cache.load(state.sources())
    except DatasetError:
        return []
    return [procedure_id for procedure_id in dataset.ids if procedure_id.startswith(incomplete)]
