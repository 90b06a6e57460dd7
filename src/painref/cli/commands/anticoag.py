"""The blood-thinner command: when to stop a drug before a procedure and restart it after."""

from __future__ import annotations

import datetime as dt
import sys
from typing import TYPE_CHECKING

from ...errors import EXIT_NOT_FOUND, CommandExit
from .common import (
    State,
    err,
    not_found,
    overlay_origin,
    parsed,
    print_json,
    resolve_all,
    show_block,
    usage,
    write,
)

if TYPE_CHECKING:
    from ...model.drug import Drug, DrugTable
    from ...model.lexicon import Phrasebook
    from ...model.procedure import Procedure

ANTICOAG_EXAMPLE = "painref anticoag apixaban -p 'lumbar medial branch block' --on 2027-03-10"


def anticoag(
    state: State,
    drug: str,
    procedure: str | None,
    json_output: bool,
    region: str | None = None,
    on: str | None = None,
    high_bleeding_risk: bool = False,
    crcl: float | None = None,
) -> None:
    from ...query.intervals import parse_date
    from ...query.words import levels

    store = state.store()
    table = store.drug_table()
    if not drug:
        if procedure or on or region:
            usage("name the drug as well as the procedure.", ANTICOAG_EXAMPLE)
        _drug_list(state, table, json_output)
        return
    date = parsed("--on", on, parse_date, ANTICOAG_EXAMPLE) if on is not None else None
    if crcl is not None and not 0 <= crcl <= 250:
        usage(f"--crcl is a creatinine clearance in mL/min (got {crcl:g}).", ANTICOAG_EXAMPLE)
    found = _find_drug(state, drug)
    target = resolve_all(state, [procedure])[0] if procedure else None
    if region is None and procedure:
        named = [r for r in levels(procedure) if target is None or r in target.regions]
        region = named[0] if named else _region_word(procedure, target, store.phrasebook())
    if region is not None and target is not None and region not in target.regions:
        usage(
            f"{target.id} is not done at the {region} level (its regions: "
            f"{', '.join(target.regions)}).",
            f"painref anticoag {found.id} -p {target.id} --region {target.regions[0]}",
        )
    if target is None:
        if region or date or high_bleeding_risk or crcl is not None:
            usage("--region, --on, --high-bleeding-risk and --crcl go with --procedure.",
                  ANTICOAG_EXAMPLE)  # fmt: skip
        _drug(state, table, found, json_output)
        return
    _answer(state, table, found, target, region, date, high_bleeding_risk, crcl, json_output)


def _region_word(text: str, target: Procedure | None, book: Phrasebook) -> str | None:
    """A region named in words ('lumbar', 'neck') that the procedure is done at."""
    from ...query.words import parse

    if target is None:
        return None
    query = parse(text, book)
    named = [r for r in query.regions if r in target.regions]
    return named[0] if named and len(target.regions) > 1 else None


def _find_drug(state: State, text: str) -> Drug:
    from ...query import anticoag as lookup

    match = lookup.find_drug(state.store(), text)
    if match is None:
        not_found(
            text,
            lookup.suggestions(state.store(), text),
            "drug in the anticoagulation table",
            "See the drugs with: painref anticoag",
        )
    if len(match.drugs) > 1:
        names = ", ".join(d.id for d in match.drugs)
        err(
            f"'{text}' names {len(match.drugs)} drugs ({match.matched}): {names}.\n"
            f"Intervals differ between them; name one, e.g. painref anticoag {match.drugs[0].id}"
        )
        raise CommandExit(EXIT_NOT_FOUND)
    found = match.drugs[0]
    if not match.exact:
        err(f"note: '{text}' read as {match.matched} ({found.id})")
    return found


def _drug(state: State, table: DrugTable, drug: Drug, json_output: bool) -> None:
    origin = _drug_origin(state, drug)
    if json_output:
        from ...render.jsonout import drug_data

        print_json(drug_data(table, drug))
        return
    from ...render.anticoag import drug_view

    show_block(state, drug_view(table, drug, origin))


def _answer(
    state: State,
    table: DrugTable,
    drug: Drug,
    procedure: Procedure,
    region: str | None,
    date: dt.date | None,
    high_bleeding_risk: bool,
    crcl: float | None,
    json_output: bool,
) -> None:
    from ...query.intervals import answers, for_high_risk_patient

    found = answers(drug, procedure, region, high_bleeding_risk, crcl)
    if json_output:
        from ...render.jsonout import answer_data

        higher = None if high_bleeding_risk else for_high_risk_patient(drug, procedure, found, crcl)
        print_json(
            answer_data(table, drug, procedure, found, date, high_bleeding_risk, crcl, higher)
        )
        return
    from ...render.anticoag import answer_view

    origins = (overlay_origin(state, procedure), _drug_origin(state, drug))
    view = answer_view(table, drug, procedure, found, date, high_bleeding_risk, crcl, origins)
    show_block(state, view)


def _drug_origin(state: State, drug: Drug) -> str | None:
    from ...store.paths import is_bundled

    origin = state.store().record_origin("drug", drug.id)
    return origin if origin and not is_bundled(origin) else None


def _drug_list(state: State, table: DrugTable, json_output: bool) -> None:
    if json_output:
        print_json([{"id": d.id, "name": d.name, "drug_class": d.drug_class} for d in table.drugs])
    elif not sys.stdout.isatty():
        from ...render.plain import rows

        write(rows((d.id, d.name, d.drug_class) for d in table.drugs))
    else:
        from ...render.anticoag import drug_list

        show_block(state, drug_list(table.drugs))
