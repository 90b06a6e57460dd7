"""The loader refuses every kind of broken file with file, line, field path and a clear reason."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from painref.errors import DatasetError
from painref.store.paths import overlay_paths
from painref.store.sources import load, read_file

from .conftest import dump_dataset, make_entry

WriteDataset = Callable[..., Path]


def problems_of(path: Path) -> list[str]:
    return [str(p) for p in read_file(path).problems]


def test_valid_file_loads(write_dataset: WriteDataset) -> None:
    path = write_dataset([make_entry()])
    result = read_file(path)
    assert result.problems == []
    assert [p.id for p in result.procedures] == ["test-block"]


def test_bad_yaml_reports_line(write_dataset: WriteDataset) -> None:
    path = write_dataset("schema_version: 1\nprocedures:\n  - id: x\n    name: [unclosed\n")
    [problem] = problems_of(path)
    assert problem.startswith(f"{path}:")
    assert "not valid YAML" in problem


def test_missing_required_field(write_dataset: WriteDataset) -> None:
    path = write_dataset([make_entry(summary=None)])
    [problem] = problems_of(path)
    assert f"{path}:3: procedures[0].summary: required field is missing" == problem


def test_duplicate_id(write_dataset: WriteDataset) -> None:
    path = write_dataset([make_entry(), make_entry()])
    problems = problems_of(path)
    assert any(
        "procedures[1].id: duplicate id 'test-block' (first at line 3)" in p for p in problems
    )


def test_wrong_type_names_the_line_and_expectation(write_dataset: WriteDataset) -> None:
    text = dump_dataset([make_entry()]).replace("code: '64999'", "code: 64999")
    path = write_dataset(text)
    [problem] = problems_of(path)
    line = text.splitlines().index("  - code: 64999") + 1
    assert problem == (
        f"{path}:{line}: procedures[0].cpt_codes[0].code: expected text, got a number (64999) "
        "(put it in quotes)"
    )


def test_unknown_key_suggests_the_right_one(write_dataset: WriteDataset) -> None:
    path = write_dataset([make_entry(sumary="typo")])
    problems = problems_of(path)
    assert any(
        "procedures[0].sumary: unknown field (did you mean 'summary'?)" in p for p in problems
    )


def test_duplicate_key_in_a_mapping(write_dataset: WriteDataset) -> None:
    text = dump_dataset([make_entry()]).replace("  name: Test block\n", "  name: A\n  name: B\n")
    path = write_dataset(text)
    assert any("name: key appears twice" in p for p in problems_of(path))


def test_value_outside_enum(write_dataset: WriteDataset) -> None:
    path = write_dataset([make_entry(anticoagulation_risk="medium")])
    [problem] = problems_of(path)
    assert "anticoagulation_risk: 'medium' is not one of: low, intermediate, high" in problem


def test_id_must_be_kebab_case(write_dataset: WriteDataset) -> None:
    path = write_dataset([make_entry(id="Test_Block")])
    [problem] = problems_of(path)
    assert "procedures[0].id: 'Test_Block' is not kebab-case identifier" in problem


def test_empty_list_where_items_are_required(write_dataset: WriteDataset) -> None:
    path = write_dataset([make_entry(indications=[])])
    [problem] = problems_of(path)
    assert "procedures[0].indications: needs at least 1 item" in problem


def test_citation_marker_must_resolve(write_dataset: WriteDataset) -> None:
    path = write_dataset([make_entry(evidence="Strong [nowhere].")])
    [problem] = problems_of(path)
    assert "evidence: cites [nowhere], which is not a key in this entry's references" in problem


def test_percentage_must_cite(write_dataset: WriteDataset) -> None:
    path = write_dataset([make_entry(summary="Works in 80% of people.")])
    [problem] = problems_of(path)
    assert "procedures[0].summary: states a percentage without citing a reference" in problem


def test_outcomes_must_cite(write_dataset: WriteDataset) -> None:
    entry = make_entry(outcomes={"expected": "Relief.", "duration": "Months [ref-a]."})
    [problem] = problems_of(write_dataset([entry]))
    assert "procedures[0].outcomes.expected: must cite a reference, as [key]" in problem


def test_reference_needs_an_address(write_dataset: WriteDataset) -> None:
    entry = make_entry(references=[{"key": "ref-a", "citation": "Somebody, somewhere."}])
    [problem] = problems_of(write_dataset([entry]))
    assert "procedures[0].references[0]: a reference needs a doi, pmid or url" in problem


def test_related_id_must_exist(write_dataset: WriteDataset) -> None:
    entry = make_entry(related=[{"id": "no-such-thing", "relation": "follows"}])
    path = write_dataset([entry])
    with pytest.raises(DatasetError) as caught:
        load([path], include_bundled=False)
    [problem] = caught.value.problems
    assert problem.line is not None
    assert "related[0].id: no procedure has the id 'no-such-thing'" in str(problem)


def test_python_object_tags_are_refused(write_dataset: WriteDataset) -> None:
    path = write_dataset("procedures: !!python/object/apply:os.system ['echo hacked']\n")
    [problem] = problems_of(path)
    assert "not valid YAML" in problem


def test_top_level_shape(write_dataset: WriteDataset) -> None:
    path = write_dataset("- id: a\n")
    [problem] = problems_of(path)
    assert "expected a mapping with a 'procedures:' list at the top" in problem


def test_missing_file() -> None:
    assert problems_of(Path("/nonexistent/painref.yaml")) == [
        "/nonexistent/painref.yaml: file not found"
    ]


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes("procedures: [caf\xe9]".encode("latin-1"))
    [problem] = problems_of(path)
    assert "not UTF-8 text" in problem


def test_every_problem_is_reported_not_just_the_first(write_dataset: WriteDataset) -> None:
    path = write_dataset([make_entry(summary=None, category="surgery", regions=[])])
    assert len(problems_of(path)) == 3


def test_overlay_replaces_same_id_in_place_and_appends_new(write_dataset: WriteDataset) -> None:
    first = write_dataset([make_entry(), make_entry(id="second-block")], name="base.yaml")
    overlay = write_dataset(
        [make_entry(name="Local protocol"), make_entry(id="local-extra")], name="overlay.yaml"
    )
    catalog = load([first, overlay], include_bundled=False)
    assert [p.id for p in catalog.procedures] == ["test-block", "second-block", "local-extra"]
    assert catalog.procedures[0].name == "Local protocol"
    assert catalog.procedure_origins[0] == str(overlay)


def test_overlay_paths_env_first_then_options() -> None:
    env = f"/a.yaml{__import__('os').pathsep}/b.yaml"
    assert overlay_paths(["/c.yaml"], env) == ["/a.yaml", "/b.yaml", "/c.yaml"]


def test_bundled_dataset_loads() -> None:
    catalog = load()
    assert len(catalog.procedures) >= 60


def test_reading_the_data_leaves_the_cycle_collector_as_it_found_it() -> None:
    """Reading switches Python's cycle collector off for speed; a program using painref as a
    library must find it as it was, on or off."""
    import gc

    from painref.store.paths import bundled_paths
    from painref.store.sources import read_all

    assert gc.isenabled()
    read_all(bundled_paths())
    assert gc.isenabled()
    gc.disable()
    try:
        read_all(bundled_paths())
        assert not gc.isenabled()
    finally:
        gc.enable()
