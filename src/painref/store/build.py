"""Building the compiled store: the SQLite schema, the text of each full-text column, one
transaction that fills a new database from a merged catalog (see `database` for reading it)."""

from __future__ import annotations

import datetime as dt
import json
import re
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from .. import __version__
from ..model.lexicon import Phrasebook
from ..model.procedure import Listing, Procedure
from ..model.record import Record
from .layout import (
    FORMAT,
    KINDS,
    PROCEDURE_COLUMNS,
    SCHEMA,
    compact,
    words_of,
)

_MARKER = re.compile(r"\s*\[[a-z0-9][a-z0-9-]*\]")


def _plain_text(parts: Iterable[str]) -> str:
    """Texts for the index: citation markers dropped (they are reference keys, not content)."""
    return _MARKER.sub("", " | ".join(part for part in parts if part))


def _texts(value: Any) -> list[str]:
    from .checks import record_texts

    return [text for _, text in record_texts(value)]


def procedure_columns(p: Procedure) -> tuple[str, ...]:
    """The text of each full-text column of a procedure, in PROCEDURE_COLUMNS order."""
    names = [p.id.replace("-", " "), p.name, *p.aliases]
    treats = [*p.conditions, p.category.replace("-", " "), *p.regions]
    codes = [f"{c.code} {c.meaning}" for c in p.cpt_codes]
    summary = [p.summary, *(_texts(p.brief) if p.brief else [])]
    body = [
        *p.indications,
        *_texts(p.contraindications),
        *p.imaging.modalities,
        p.imaging.notes,
        *p.technique,
        *_texts(p.medications),
        p.outcomes.expected,
        *_texts(p.complications),
        *p.recovery,
        p.anticoagulation_note or "",
        p.evidence,
        *p.regulatory,
        *p.coverage,
        *p.caveats,
    ]
    patient = [p.patient_title or "", p.patient_summary, *(_texts(p.patient) if p.patient else [])]
    return tuple(_plain_text(column) for column in (names, treats, codes, summary, body, patient))


def _plain_json(record: Record, raw: Any = None) -> str:
    """A record as JSON in its schema's plain shape: the entry as read when there is one (dates
    as YYYY-MM-DD), else the record made plain."""
    if raw is None:
        from ..model.schema import to_plain

        raw = to_plain(record)
    return json.dumps(raw, ensure_ascii=False, separators=(",", ":"), default=_iso)


def _iso(value: Any) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not plain data")


def build(connection: sqlite3.Connection, catalog: Any, key: str) -> None:
    """Fill an empty database from a merged catalog, in one transaction."""
    with connection:
        connection.executescript(SCHEMA)
        rows: list[tuple[Any, ...]] = []
        names: list[tuple[str, str, int, str, str]] = []
        vocabulary: dict[str, set[str]] = {kind: set() for kind in KINDS}
        for pos, (p, origin) in enumerate(
            zip(catalog.procedures, catalog.procedure_origins, strict=True)
        ):
            raw = catalog.procedure_raw[pos] if catalog.procedure_raw else None
            listing = _plain_json(Listing.of(p))
            rows.append((pos, p.id, p.name, p.category, origin, _plain_json(p, raw), listing))
            for field, text in (("id", p.id), ("name", p.name), *(("alias", a) for a in p.aliases)):
                names.append(("procedure", compact(text), pos, field, text))
            for code in p.cpt_codes:
                names.append(("procedure", code.code.casefold(), pos, "cpt", code.code))
            columns = procedure_columns(p)
            connection.execute(
                f"INSERT INTO procedure_text(rowid, {', '.join(PROCEDURE_COLUMNS)}) "
                f"VALUES (?{', ?' * len(columns)})",
                (pos, *columns),
            )
            for column in columns:
                vocabulary["procedure"].update(words_of(column))
        connection.executemany("INSERT INTO procedure VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
        _small(
            connection,
            "drug",
            catalog.drugs,
            catalog.drug_origins,
            names,
            vocabulary,
            lambda d: [d.id, d.name, *d.aliases],
            lambda d: [d.drug_class, *d.caveats],
        )
        _small(
            connection,
            "condition",
            catalog.conditions,
            catalog.condition_origins,
            names,
            vocabulary,
            lambda c: [c.id, c.name, *c.synonyms],
            lambda c: [c.summary],
        )
        connection.executemany("INSERT INTO name VALUES (?, ?, ?, ?, ?)", names)
        connection.executemany(
            "INSERT OR IGNORE INTO word VALUES (?, ?)",
            ((kind, term) for kind, terms in vocabulary.items() for term in terms),
        )
        if catalog.guideline is not None:
            connection.execute(
                "INSERT INTO guideline VALUES (?)", (_plain_json(catalog.guideline),)
            )
        book = json.dumps(Phrasebook.of(catalog.lexicon).to_plain(), ensure_ascii=False)
        connection.execute(
            "INSERT INTO lexicon VALUES (?, ?)", (_plain_json(catalog.lexicon), book)
        )
        connection.executemany(
            "INSERT INTO meta VALUES (?, ?)",
            (("format", FORMAT), ("painref", __version__), ("key", key)),
        )


def _small(
    connection: sqlite3.Connection,
    kind: str,
    records: Sequence[Any],
    origins: Sequence[str],
    names: list[tuple[str, str, int, str, str]],
    vocabulary: dict[str, set[str]],
    name_texts: Callable[[Any], list[str]],
    body_texts: Callable[[Any], list[str]],
) -> None:
    """A drug or condition table, its exact names and its full-text index."""
    for pos, (record, origin) in enumerate(zip(records, origins, strict=True)):
        connection.execute(
            f"INSERT INTO {kind} VALUES (?, ?, ?, ?, ?)",
            (pos, record.id, record.name, origin, _plain_json(record)),
        )
        texts = name_texts(record)
        for i, text in enumerate(texts):
            names.append((kind, compact(text), pos, ("id", "name")[i] if i < 2 else "alias", text))
        columns = (
            _plain_text(t.replace("-", " ") if i == 0 else t for i, t in enumerate(texts)),
            _plain_text(body_texts(record)),
        )
        connection.execute(
            f"INSERT INTO {kind}_text(rowid, names, body) VALUES (?, ?, ?)", (pos, *columns)
        )
        for column in columns:
            vocabulary[kind].update(words_of(column))
