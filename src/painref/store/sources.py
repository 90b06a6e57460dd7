"""Read every data file painref uses, of every kind, and merge overlays over the bundled files.

The bundled files come first (procedures, the drug table, the conditions, the lexicon), then
overlay files in the order given. An overlay may hold procedures, drugs or conditions; its kind is
read from its top-level list. An entry with an existing id replaces that entry where it stood
(the views then name the file it came from); a new id is added at the end. A file with any
problem is refused as a whole, with every problem listed.
"""

from __future__ import annotations

import contextlib
import gc
import os
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from ..errors import DatasetError, Problem
from ..model.condition import Condition
from ..model.drug import Drug, Guideline
from ..model.lexicon import Lexicon, Synonym
from ..model.procedure import Procedure
from ..model.schema import INVALID, build, child_line
from ..printable import quote
from .checks import check_condition, check_condition_steps, check_drug, check_procedure
from .files import build_records, line_at, open_document, read_text, reporter
from .paths import bundled_paths, display_name

KINDS = ("procedures", "drugs", "conditions", "synonyms")  # the list key that names a file's kind
_ALLOWED = {
    "procedures": ["procedures"],
    "drugs": ["guideline", "drugs"],
    "conditions": ["conditions"],
    "synonyms": ["stopwords", "synonyms"],
}


class FileData:
    """One file read: its kind, the records that validated, every problem, where links sit.

    A plain class, not a dataclass: `dataclasses` imports `inspect` and `ast`, several
    milliseconds of every `validate` and every store build."""

    def __init__(self, name: str, kind: str = "procedures") -> None:
        self.name = name
        self.kind = kind
        self.procedures: list[Procedure] = []
        self.drugs: list[Drug] = []
        self.guideline: Guideline | None = None
        self.conditions: list[Condition] = []
        self.lexicon: Lexicon | None = None
        self.problems: list[Problem] = []
        # (entry id, list index) -> line, for the links checked once every file is read
        self.link_lines: dict[tuple[str, int], int | None] = {}
        self.indexes: dict[str, int] = {}  # entry id -> its place in the file
        # procedure id -> the entry as read (plain data that validated): the store keeps it as
        # JSON without turning the built record back into plain data, a third of building a
        # large store
        self.raw: dict[str, Any] = {}

    @property
    def count(self) -> int:
        return len(self.procedures) + len(self.drugs) + len(self.conditions)


def kind_of(document: Any) -> str:
    """A file's kind from its top-level list; procedures when it names none (its error says so)."""
    if isinstance(document, dict):
        for kind in KINDS:
            if kind in document:
                return kind
    return "procedures"


def read_file(path: str | os.PathLike[str], lined: bool = False) -> FileData:
    """Read one data file of any kind (read once: its kind comes from what it holds).

    A file is first read without line numbers, which only messages need; one with a problem is
    read again from the same text with every line kept (`lined`), so each message says where."""
    result = FileData(display_name(path))
    text = read_text(path, result.problems)
    if text is None:
        return result
    read = _read_document(result, text, lined)
    if read.problems and not lined:
        read = _read_document(FileData(result.name), text, True)
    return read


def _read_document(result: FileData, text: str, lined: bool) -> FileData:
    from .files import parse_document

    raw = parse_document(text, result.name, result.problems, lined)
    result.kind = kind_of(raw)
    document = open_document(raw, result.name, result.kind, _ALLOWED[result.kind], result.problems)
    if document is None:
        return result
    report = reporter(result.name, result.problems)
    if result.kind == "procedures":
        for procedure, raw_entry, line in build_records(
            document, "procedures", Procedure, check_procedure, report
        ):
            for i in range(len(procedure.related) if lined else 0):  # lines serve messages only
                result.link_lines[(procedure.id, i)] = line_at(raw_entry, f"related[{i}].id", line)
            result.procedures.append(procedure)
            result.raw[procedure.id] = raw_entry
    elif result.kind == "drugs":
        if "guideline" in document:
            where = child_line(document, "guideline")
            guideline = build(Guideline, document["guideline"], "guideline", where, report)
            result.guideline = None if guideline is INVALID else guideline
        built = build_records(document, "drugs", Drug, check_drug, report)
        result.drugs = [drug for drug, _, _ in built]
    elif result.kind == "conditions":
        for condition, raw_entry, line in build_records(
            document, "conditions", Condition, check_condition, report
        ):
            result.indexes[condition.id] = len(result.conditions)
            for i in range(len(condition.pathway) if lined else 0):
                where = line_at(raw_entry, f"pathway[{i}].procedures", line)
                result.link_lines[(condition.id, i)] = where
            result.conditions.append(condition)
    else:
        fields = {k: v for k, v in document.items() if k != "schema_version"}
        lexicon = build(Lexicon, fields, "", 1, report)
        result.lexicon = None if lexicon is INVALID else lexicon
    return result


class Catalog:
    """Everything merged: procedures, drugs, conditions and the lexicon, each with its origin."""

    def __init__(
        self,
        procedures: tuple[Procedure, ...] = (),
        procedure_origins: tuple[str, ...] = (),
        drugs: tuple[Drug, ...] = (),
        drug_origins: tuple[str, ...] = (),
        guideline: Guideline | None = None,
        conditions: tuple[Condition, ...] = (),
        condition_origins: tuple[str, ...] = (),
        lexicon: Lexicon | None = None,
        procedure_raw: tuple[Any, ...] = (),  # each procedure as read, when read from a file
    ) -> None:
        self.procedures = procedures
        self.procedure_origins = procedure_origins
        self.drugs = drugs
        self.drug_origins = drug_origins
        self.guideline = guideline
        self.conditions = conditions
        self.condition_origins = condition_origins
        self.lexicon = lexicon if lexicon is not None else Lexicon()
        self.procedure_raw = procedure_raw


def merge(files: Iterable[FileData]) -> Catalog:
    """Combine files in order: a later entry with an existing id replaces it where it stood."""
    procedures: dict[str, tuple[Procedure, str]] = {}
    raw: dict[str, Any] = {}
    drugs: dict[str, tuple[Drug, str]] = {}
    conditions: dict[str, tuple[Condition, str]] = {}
    guideline: Guideline | None = None
    stopwords: list[str] = []
    synonyms: list[Synonym] = []
    for result in files:
        for procedure in result.procedures:
            procedures[procedure.id] = (procedure, result.name)  # a dict keeps the first position
            raw[procedure.id] = result.raw.get(procedure.id)
        for drug in result.drugs:
            drugs[drug.id] = (drug, result.name)
        for condition in result.conditions:
            conditions[condition.id] = (condition, result.name)
        guideline = result.guideline or guideline
        if result.lexicon is not None:
            stopwords += result.lexicon.stopwords
            synonyms += result.lexicon.synonyms
    return Catalog(
        tuple(p for p, _ in procedures.values()),
        tuple(o for _, o in procedures.values()),
        tuple(d for d, _ in drugs.values()),
        tuple(o for _, o in drugs.values()),
        guideline,
        tuple(c for c, _ in conditions.values()),
        tuple(o for _, o in conditions.values()),
        Lexicon(stopwords=tuple(stopwords), synonyms=tuple(synonyms)),
        tuple(raw[procedure_id] for procedure_id in procedures),
    )


def cross_check(catalog: Catalog, files: Sequence[FileData]) -> list[Problem]:
    """Checks that need everything merged: every linked procedure id exists."""
    lines = {(r.name, *key): line for r in files for key, line in r.link_lines.items()}
    indexes = {(r.name, key): index for r in files for key, index in r.indexes.items()}
    ids = {p.id for p in catalog.procedures}
    problems = []
    for procedure, origin in zip(catalog.procedures, catalog.procedure_origins, strict=True):
        for i, related in enumerate(procedure.related):
            if related.id not in ids:
                line = lines.get((origin, procedure.id, i))
                where = f"{procedure.id}.related[{i}].id"
                problems.append(
                    Problem(origin, line, where, f"no procedure has the id {quote(related.id)}")
                )
    for condition, origin in zip(catalog.conditions, catalog.condition_origins, strict=True):
        for i, message in check_condition_steps(condition, ids):
            line = lines.get((origin, condition.id, i))
            index = indexes.get((origin, condition.id), 0)
            where = f"conditions[{index}].pathway[{i}].procedures"
            problems.append(Problem(origin, line, where, message))
    return problems


def read_all(
    paths: Sequence[str | os.PathLike[str]],
) -> tuple[Catalog, list[FileData], list[Problem]]:
    """Read and merge files in order: whatever validated, each file read, and every problem."""
    with _no_cycle_collection():
        return _read_all(paths)


@contextlib.contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Reading data files makes hundreds of thousands of dicts, lists and records, and no cycle
    among them; the cycle collector would walk the growing heap again and again (about 4% of
    `validate`). It is switched off for the reading only, and back on as it was."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _read_all(
    paths: Sequence[str | os.PathLike[str]],
) -> tuple[Catalog, list[FileData], list[Problem]]:
    results = [read_file(path) for path in paths]
    problems = [problem for result in results for problem in result.problems]
    catalog = merge(results)
    if not problems:  # dangling links mean something only once every file has read cleanly
        problems = cross_check(catalog, results)
        if problems:  # the files were read without lines: read them again to say where
            results = [read_file(path, lined=True) for path in paths]
            catalog = merge(results)
            problems = cross_check(catalog, results)
    if not problems and catalog.guideline is None and catalog.drugs:
        problems = [Problem(results[0].name, None, "guideline", "no file gives the guideline")]
    return catalog, results, problems


def load(
    overlays: Sequence[str | os.PathLike[str]] = (), *, include_bundled: bool = True
) -> Catalog:
    """The bundled data plus overlays; raise DatasetError listing every problem."""
    base = bundled_paths() if include_bundled else []
    catalog, _, problems = read_all([*base, *overlays])
    if problems:
        raise DatasetError(problems)
    return catalog
