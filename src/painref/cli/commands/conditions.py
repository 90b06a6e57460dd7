"""The condition commands: `for CONDITION` and `conditions`."""

from __future__ import annotations

import sys

from .common import State, err, not_found, print_json, show_block, usage, write

# --- conditions -------------------------------------------------------------------------------


def for_condition(state: State, text: str, json_output: bool) -> None:
    from ...query.conditions import AMBIGUITY_MARGIN, find, suggestions

    if not text:
        usage("for needs a condition.", "painref for sciatica")
    hits = find(state.store(), text)
    if not hits:
        not_found(
            text,
            suggestions(state.store(), text),
            "condition",
            "See them all with: painref conditions",
        )
    best = hits[0]
    others = [h for h in hits[1:] if h.score >= best.score - AMBIGUITY_MARGIN]
    dataset = state.dataset()
    if json_output:
        from ...render.jsonout import condition_data

        if others:
            err(f"note: '{text}' also matches {', '.join(h.item.id for h in others)}")
        print_json(condition_data(best.item, dataset))
        return
    from ...render.conditions import pathway_view

    show_block(state, pathway_view(best.item, dataset, others))


def list_conditions(state: State, json_output: bool) -> None:
    known = state.store().titles("condition")  # (id, name, synonyms): no record decoded
    if json_output:
        print_json([{"id": i, "name": name, "synonyms": list(also)} for i, name, also in known])
    elif not sys.stdout.isatty():
        from ...render.plain import rows

        write(rows((i, name) for i, name, _ in known))
    else:
        from ...render.conditions import condition_list

        show_block(state, condition_list(known))
