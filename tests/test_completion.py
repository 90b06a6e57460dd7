"""Shell completion for every kind of value: procedures, drugs, conditions, filter values, fields,
sections and formats; through the function and through the shell's own protocol."""

from __future__ import annotations

import pytest

from painref.cli.commands import complete
from painref.cli.table import BY_NAME, GLOBAL_OPTIONS
from painref.query.compare import COMPARABLE_FIELDS
from painref.render.show import SECTION_NAMES

from .conftest import run_typer


def test_procedure_ids() -> None:
    assert "transforaminal-esi" in complete("procedures", "trans")
    assert all(i.startswith("genicular") for i in complete("procedures", "genicular"))


def test_drug_names_and_brands_in_any_case() -> None:
    assert "apixaban" in complete("drugs", "apix")
    assert "Eliquis" in complete("drugs", "Eli")
    assert "eliquis" in complete("drugs", "eli")  # kept as typed: the shell drops other cases


def test_condition_ids_and_synonyms() -> None:
    found = complete("conditions", "sci")
    assert "sciatica" in found
    assert "lumbar-facet-pain" in complete("conditions", "lumbar-f")


def test_categories_from_the_data() -> None:
    assert complete("categories", "sym") == ["sympathetic-block"]


@pytest.mark.parametrize(
    ("option", "prefix", "expected"),
    [
        ("region", "lu", ["lumbar"]),
        ("imaging", "", ["ct", "fluoroscopy", "landmark", "ultrasound"]),
        ("risk", "i", ["intermediate"]),
        ("fmt", "", ["html", "markdown"]),
        ("audience", "c", ["clinician"]),
        ("color", "", ["always", "auto", "never"]),
    ],
)
def test_choices(option: str, prefix: str, expected: list[str]) -> None:
    assert complete(f"choice:{option}", prefix) == expected


def test_fields_and_sections() -> None:
    assert complete("fields", "") == sorted([*COMPARABLE_FIELDS, "help"], key=str.casefold)
    assert complete("fields", "cpt") == ["cpt_codes"]
    assert complete("sections", "") == sorted([*SECTION_NAMES, "help"], key=str.casefold)
    assert complete("sections", "tech") == ["technique"]


def test_files_are_left_to_the_shell() -> None:
    assert complete("files", "my") == []


def test_every_declared_kind_completes_something() -> None:
    options = [*GLOBAL_OPTIONS, *(o for c in BY_NAME.values() for o in c.options)]
    kinds = {o.complete for o in options if o.complete}
    kinds |= {f"choice:{o.name}" for o in options if o.choices}
    kinds |= {c.argument.complete for c in BY_NAME.values() if c.argument and c.argument.complete}
    for kind in kinds - {"files"}:
        assert complete(kind, ""), kind


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("painref show trans", "transforaminal-esi"),
        ("painref anticoag eli", "eliquis"),
        ("painref anticoag apixaban -p tfe", None),  # an abbreviation is not an id
        ("painref anticoag apixaban -p transf", "transforaminal-esi"),
        ("painref for sciat", "sciatica"),
        ("painref list --region lu", "lumbar"),
        ("painref list --category sym", "sympathetic-block"),
        ("painref compare --fields cpt", "cpt_codes"),
        ("painref show tfesi --section tech", "technique"),
        ("painref export tfesi --format h", "html"),
        ("painref --color al", "always"),
        ("painref show tfesi --color ne", "never"),
    ],
)
def test_through_the_shell_protocol(words: str, expected: str | None) -> None:
    parts = words.split(" ")
    env = {"_PAINREF_COMPLETE": "complete_bash", "COMP_WORDS": words,
           "COMP_CWORD": str(len(parts) - 1)}  # fmt: skip
    result = run_typer(env=env)
    offered = result.stdout.split()
    if expected is None:
        assert offered == []
    else:
        assert expected in offered
