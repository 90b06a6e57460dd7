"""Shell completion for every kind of value a command takes.

--data is not parsed yet when the shell asks, so PAINREF_DATA applies and --data does not.
"""

from __future__ import annotations

from ...errors import CommandExit, DatasetError
from ..table import BY_NAME, GLOBAL_OPTIONS
from .common import State


def _store_values(what: str) -> list[str]:
    store = State().store()
    if what == "procedures":
        return list(store.ids)
    if what == "drugs":
        return [name for drug in store.drugs() for name in (drug.id, *drug.aliases)]
    if what == "conditions":
        return [name for c in store.conditions() for name in (c.id, *c.synonyms)]
    if what == "categories":
        from ...query.catalog import facets

        return list(facets(store.listings)["categories"])
    return []


def _choices(option_name: str) -> list[str]:
    options = [*GLOBAL_OPTIONS, *(o for c in BY_NAME.values() for o in c.options)]
    return [value for o in options if o.name == option_name for value in o.choices]


def complete(what: str, incomplete: str) -> list[str]:
    if what.startswith("choice:"):
        values = _choices(what.removeprefix("choice:"))
    elif what == "fields":
        from ...query.compare import COMPARABLE_FIELDS

        values = [*COMPARABLE_FIELDS, "help"]
    elif what == "sections":
        from ...render.show import SECTION_NAMES

        values = [*SECTION_NAMES, "help"]
    elif what == "files":
        return []  # the shell completes file names itself
    else:
        try:
            values = _store_values(what)
        except (CommandExit, DatasetError):
            return []
    prefix = incomplete.casefold()
    found = {v for v in values if v.casefold().startswith(prefix)}
    # Any case matches (painref reads names in any case), and what was typed is kept as typed:
    # the shell, and Typer before it, keep only completions that start with the typed text.
    size = len(incomplete)
    kept = {incomplete + v[size:] if v[:size].casefold() == prefix else v for v in found}
    return sorted(kept, key=str.casefold)
