"""Find, read, validate and merge dataset files.

The bundled `procedures.yaml` comes first; overlay files (an institution's own protocols) follow in
the order given. An overlay entry with an existing id replaces that entry in place, a new id is
added at the end. Every problem in every file is collected before anything is refused, so a
clinician fixing a file sees the whole list at once.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import yaml

from . import lined_yaml
from .errors import DatasetError, Problem
from .model import Dataset, Procedure, Record, Reference, field_names
from .paths import bundled_path
from .schema import INVALID, SCHEMA_VERSION, Report, build, child_line

T = TypeVar("T")
MARKER = re.compile(r"\[([a-z0-9][a-z0-9-]*)\]")


@dataclass
class FileResult:
    """One file read: the entries that validated, every problem, and where cross-file links sit."""

    name: str
    procedures: list[Procedure] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    link_lines: dict[tuple[str, int], int | None] = field(
        default_factory=dict
    )  # (id, related index) -> line


def read_file(path: str | os.PathLike[str]) -> FileResult:
    """Read one dataset file, keeping the procedures that validated and every problem found."""
    name = os.fspath(path)
    problems: list[Problem] = []
    text = read_text(path, problems)
    if text is None:
        return FileResult(name, problems=problems)
    return parse_text(text, name)


_NO_DOCUMENT = object()


def read_text(path: str | os.PathLike[str], problems: list[Problem]) -> str | None:
    """A data file's text, or None with the reason added to `problems`."""
    name = os.fspath(path)
    try:
        return Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        problems.append(Problem(name, None, "", "file not found"))
    except IsADirectoryError:
        problems.append(Problem(name, None, "", "is a folder, not a dataset file"))
    except UnicodeDecodeError as exc:
        problems.append(Problem(name, None, "", f"not UTF-8 text ({exc.reason})"))
    except OSError as exc:
        problems.append(Problem(name, None, "", f"cannot be read: {exc.strerror or exc}"))
    return None


def parse_document(text: str, name: str, problems: list[Problem]) -> Any:
    """Safe YAML with line numbers; `_NO_DOCUMENT` (and a problem) when it is not valid YAML."""
    try:
        document, duplicate_keys = lined_yaml.load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        message = " ".join(str(part) for part in (exc.context, exc.problem) if part)
        problems.append(Problem(name, line, "", f"not valid YAML: {message}"))
        return _NO_DOCUMENT
    except yaml.YAMLError as exc:
        problems.append(Problem(name, None, "", f"not valid YAML: {exc}"))
        return _NO_DOCUMENT
    for line, key in duplicate_keys:
        problems.append(Problem(name, line, str(key), "key appears twice in the same mapping"))
    return document


def check_top_level(
    document: Any, list_key: str, allowed: Sequence[str], name: str, problems: list[Problem]
) -> bool:
    """The shared shape of every data file: a mapping with `schema_version` and a list."""
    if not isinstance(document, dict) or not isinstance(document.get(list_key), list):
        problems.append(
            Problem(name, 1, "", f"expected a mapping with a '{list_key}:' list at the top")
        )
        return False
    for key in document:
        if key not in ("schema_version", *allowed):
            problems.append(
                Problem(name, child_line(document, key), str(key), "unknown top-level key")
            )
    version = document.get("schema_version", SCHEMA_VERSION)
    if version != SCHEMA_VERSION:
        line = child_line(document, "schema_version")
        problems.append(Problem(name, line, "schema_version", f"must be {SCHEMA_VERSION}"))
    return True


Check = Callable[[Any], Iterable[tuple[str, str]]]  # a record -> (sub-path, message) pairs


def build_records(
    document: dict[str, Any],
    list_key: str,
    cls: type[T],
    check: Check,
    report: Report,
) -> list[tuple[T, Any, int | None]]:
    """Build and check each record of a data file's list; ids must be unique.

    Returns each record that validated with its raw entry and line. `check(record)` yields
    (sub-path, message) for rules a type cannot say; a problem inside a list item (`pathway[2]`)
    is reported at that item's line. A repeated id is reported even when the entry is invalid.
    """
    records: list[tuple[T, Any, int | None]] = []
    first_line: dict[str, int | None] = {}
    raw_list = document[list_key]
    for index, raw in enumerate(raw_list):
        where = f"{list_key}[{index}]"
        line = child_line(raw_list, index)
        raw_id = raw.get("id") if isinstance(raw, dict) else None
        if isinstance(raw_id, str):
            if raw_id in first_line:
                message = f"duplicate id {raw_id!r} (first at line {first_line[raw_id]})"
                report(f"{where}.id", line, message)
            else:
                first_line[raw_id] = line
        record = build(cls, raw, where, line, report)
        if record is INVALID:
            continue
        for sub_path, message in check(record):
            report(f"{where}.{sub_path}", _line_at(raw, sub_path, line), message)
        records.append((record, raw, line))
    return records


def reporter(name: str, problems: list[Problem]) -> Report:
    """A `report(path, line, message)` that adds a problem in file `name` to `problems`."""

    def report(path: str, line: int | None, message: str) -> None:
        problems.append(Problem(name, line, path, message))

    return report


def open_data_file(
    path: str | os.PathLike[str], list_key: str, allowed: Sequence[str]
) -> tuple[dict[str, Any] | None, list[Problem], Report]:
    """A data file's document if it reads as one of this kind, its problems, and a reporter.

    The shared first steps of every data file: read as UTF-8, parse as YAML, check the top level.
    The document is None when any of them failed (the reason is among the problems).
    """
    name = os.fspath(path)
    problems: list[Problem] = []
    text = read_text(path, problems)
    document = None
    if text is not None:
        document = open_document(text, name, list_key, allowed, problems)
    return document, problems, reporter(name, problems)


def open_document(
    text: str, name: str, list_key: str, allowed: Sequence[str], problems: list[Problem]
) -> dict[str, Any] | None:
    """The parsed text if it is valid YAML of the shared top-level shape, else None."""
    document = parse_document(text, name, problems)
    if document is _NO_DOCUMENT or not check_top_level(document, list_key, allowed, name, problems):
        return None
    assert isinstance(document, dict)  # check_top_level refused anything else
    return document


def check_sourced(
    record: Any, references: Sequence[Reference], sections: Iterable[str]
) -> Iterator[tuple[str, str]]:
    """The citation rules for the texts under `sections` of a record (see check_citations)."""
    prefixes = tuple(sections)
    texts = ((path, text) for path, text in record_texts(record) if path.startswith(prefixes))
    return check_citations(references, texts)


def check_citations(
    references: Sequence[Reference], texts: Iterable[tuple[str, str]]
) -> Iterator[tuple[str, str]]:
    """Every [key] cited in `texts` names one of `references`; each reference has an address."""
    keys: set[str] = set()
    for i, ref in enumerate(references):
        if ref.key in keys:
            yield f"references[{i}].key", f"reference key {ref.key!r} is used twice"
        keys.add(ref.key)
        if not (ref.doi or ref.pmid or ref.url):
            yield f"references[{i}]", "a reference needs a doi, pmid or url"
    for path, text in texts:
        for key in MARKER.findall(text):
            if key not in keys:
                yield path, f"cites [{key}], which is not a key in this entry's references"
        if "%" in text and not MARKER.search(text):
            yield path, "states a percentage without citing a reference [key]"


def parse_text(text: str, name: str) -> FileResult:
    """One procedures file: what validated, every problem, and the lines of related links."""
    from . import halves

    if len(text) > halves.LARGE and halves.can_split():
        result = halves.read(text, name, parse_whole)
        if result is not None:
            return result
    return parse_whole(text, name)


def parse_whole(text: str, name: str) -> FileResult:
    """`parse_text` in one piece (what `halves` does for each half of a large file)."""
    result = FileResult(name)
    document = open_document(text, name, "procedures", ["procedures"], result.problems)
    if document is None:
        return result
    report = reporter(name, result.problems)
    for procedure, raw, line in build_records(
        document, "procedures", Procedure, check_procedure, report
    ):
        for i in range(len(procedure.related)):
            link_line = _line_at(raw, f"related[{i}].id", line)
            result.link_lines[(procedure.id, i)] = link_line or line
        result.procedures.append(procedure)
    return result


def _line_at(raw: Any, dotted: str, default: int | None) -> int | None:
    """The line of a field path such as `complications[2].frequency` inside a raw entry."""
    line = default
    node = raw
    for part in re.findall(r"[^.\[\]]+|\[\d+\]", dotted):
        key: Any = int(part[1:-1]) if part.startswith("[") else part
        line = child_line(node, key, line)
        try:
            node = node[key]
        except (KeyError, IndexError, TypeError):
            break
    return line


# --- checks the type system cannot express ------------------------------------------------------


def record_texts(value: Any, path: str = "") -> list[tuple[str, str]]:
    """Every string inside a model value, with its field path, in field order."""
    found: list[tuple[str, str]] = []
    _collect_texts(value, path, found)
    return found


def _collect_texts(value: Any, path: str, found: list[tuple[str, str]]) -> None:
    if isinstance(value, str):
        found.append((path, value))
    elif isinstance(value, tuple):
        for i, item in enumerate(value):
            _collect_texts(item, f"{path}[{i}]", found)
    elif isinstance(value, Record):
        for name in field_names(type(value)):
            _collect_texts(getattr(value, name), f"{path}.{name}" if path else name, found)


# Every field but the references themselves, the id and the review date must follow its sources.
_SOURCED_FIELDS = tuple(
    name for name in field_names(Procedure) if name not in ("references", "id", "last_reviewed")
)


def check_procedure(procedure: Procedure) -> Iterator[tuple[str, str]]:
    """Sourcing rules: every cited [key] resolves, and numbers and outcomes carry a citation."""
    yield from check_sourced(procedure, procedure.references, _SOURCED_FIELDS)
    must_cite = {
        "outcomes.expected": procedure.outcomes.expected,
        "outcomes.duration": procedure.outcomes.duration,
        "evidence": procedure.evidence,
    }
    for i, complication in enumerate(procedure.complications):
        if complication.frequency:
            must_cite[f"complications[{i}].frequency"] = complication.frequency
    for i, medication in enumerate(procedure.medications):
        if medication.dose:
            must_cite[f"medications[{i}].dose"] = f"{medication.dose} {medication.notes or ''}"
    for path, text in must_cite.items():
        if not MARKER.search(text):
            yield path, "must cite a reference, as [key]"
    for i, level in enumerate(procedure.anticoagulation_by_level):
        for region in level.regions:
            if region not in procedure.regions:
                yield (
                    f"anticoagulation_by_level[{i}].regions",
                    f"{region!r} is not one of this entry's regions",
                )
    for i, related in enumerate(procedure.related):
        if related.id == procedure.id:
            yield f"related[{i}].id", "a procedure cannot be related to itself"


# --- merging ----------------------------------------------------------------------------------


def merge(files: Iterable[FileResult]) -> Dataset:
    """Combine files in order: a later entry with an existing id replaces it where it stood."""
    by_id: dict[str, Procedure] = {}
    origins: dict[str, str] = {}
    for result in files:
        for procedure in result.procedures:
            by_id[procedure.id] = procedure  # dict keeps the first position of a replaced key
            origins[procedure.id] = result.name
    return Dataset(tuple(by_id.values()), tuple(origins.values()))


def cross_check(dataset: Dataset, files: Iterable[FileResult]) -> list[Problem]:
    """Checks that need the whole merged dataset: every related id must exist."""
    lines = {(r.name, *key): line for r in files for key, line in r.link_lines.items()}
    problems = []
    for procedure in dataset.procedures:
        origin = dataset.origin(procedure.id)
        for i, related in enumerate(procedure.related):
            if dataset.get(related.id) is None:
                problems.append(
                    Problem(
                        origin,
                        lines.get((origin, procedure.id, i)),
                        f"{procedure.id}.related[{i}].id",
                        f"no procedure has the id {related.id!r}",
                    )
                )
    return problems


def read_all(paths: Sequence[str | os.PathLike[str]]) -> tuple[Dataset, list[Problem]]:
    """Read and merge files in order; the dataset holds whatever validated, beside every problem."""
    results = [read_file(path) for path in paths]
    problems = [problem for result in results for problem in result.problems]
    dataset = merge(results)
    if not problems:  # dangling links are only meaningful once every file has been read cleanly
        problems = cross_check(dataset, results)
    return dataset, problems


def load(
    overlays: Sequence[str | os.PathLike[str]] = (), *, include_bundled: bool = True
) -> Dataset:
    """Load the bundled dataset plus overlays; raise DatasetError listing every problem."""
    paths = ([bundled_path()] if include_bundled else []) + [os.fspath(p) for p in overlays]
    dataset, problems = read_all(paths)
    if problems:
        raise DatasetError(problems)
    return dataset
