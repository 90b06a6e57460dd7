"""Reading the compiled store: records by id or position, names, and full-text queries.

The store is in the user's cache folder, so everything read back is untrusted: every read goes
through `_healing`, which checks what each row holds and, when anything is not what painref
wrote (a table missing, a malformed page, a row that does not decode or holds the wrong type),
has the store rebuilt from the sources once and reads again. `database.py` builds and opens it.
"""

from __future__ import annotations

import functools
import json
import sqlite3
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, Concatenate, ParamSpec, TypeVar

from ..errors import DatasetError, Problem, StoreDamaged
from ..model.record import Record
from .layout import PROCEDURE_COLUMNS, PROCEDURE_WEIGHTS, SMALL_COLUMNS, SMALL_WEIGHTS

if TYPE_CHECKING:  # decoded records: each command imports only the kinds it reads
    from ..model.condition import Condition
    from ..model.drug import Drug, DrugTable
    from ..model.lexicon import Phrasebook
    from ..model.procedure import Listing, Procedure

T = TypeVar("T", bound=Record)

_DAMAGE = (
    sqlite3.DatabaseError,  # not a database, malformed, a table or column missing
    StoreDamaged,  # a row missing, or not what painref wrote
    ValueError,  # JSON that does not parse
    TypeError,
    KeyError,
    IndexError,
    RecursionError,  # JSON nested without end
)
R = TypeVar("R")
P = ParamSpec("P")


def _healing(read: Callable[Concatenate[Store, P], R]) -> Callable[Concatenate[Store, P], R]:
    """Make a read of the store untrusting: whatever comes back other than painref wrote it
    rebuilds the store from the sources (`repair`, once per run) and reads again.

    A read that began before a rebuild (one made by a read inside it) simply reads again; one
    that fails on a store rebuilt just now raises StoreDamaged (a real fault: the command that
    asked reports it, see `commands.common.execute`).
    """

    @functools.wraps(read)
    def untrusting(self: Store, /, *args: P.args, **kwargs: P.kwargs) -> R:
        generation = self.generation
        try:
            return read(self, *args, **kwargs)
        except _DAMAGE as damage:
            if isinstance(damage, sqlite3.OperationalError) and "syntax error" in str(damage):
                raise  # an FTS5 query painref built wrongly: a bug, not damage
            if self.generation == generation:
                self._heal(damage)
        try:
            return read(self, *args, **kwargs)
        except _DAMAGE as damage:  # e.g. a position or id the damaged store handed out earlier
            if isinstance(damage, sqlite3.OperationalError) and "syntax error" in str(damage):
                raise
            raise StoreDamaged(str(damage) or type(damage).__name__) from damage

    return untrusting


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise StoreDamaged(f"expected text, found {type(value).__name__}")
    return value


def _int(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise StoreDamaged(f"expected an integer, found {type(value).__name__}")
    return value


def _storable(value: Any) -> Any:
    """A query parameter SQLite can take: text with undecodable bytes (lone surrogates, from a
    typed argument) has them replaced; it can match nothing either way."""
    if isinstance(value, str) and not value.isascii():
        return value.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return value


class Store:
    """Read access to a compiled store: records by id or position, and full-text queries.

    Records are decoded (and validated again: the cache folder is untrusted) only when asked for,
    so `show ID` on a 5,000-entry overlay decodes one procedure, not 5,000. Every read goes
    through `_healing`: a row that does not decode, a value of the wrong type or a failing query
    rebuilds the file (`open_store`'s `repair`) and reads again.
    """

    def __init__(
        self, connection: sqlite3.Connection, repair: Callable[[], sqlite3.Connection] | None = None
    ) -> None:
        self._db = connection
        self._repair = repair
        self.generation = 0  # how many times the store was rebuilt during this run
        self._ids: tuple[str, ...] | None = None
        self._positions: dict[str, int] | None = None
        self._built: dict[tuple[str, int, str], Any] = {}
        self._held: dict[tuple[str, str], bool] = {}

    # -- low level
    @_healing
    def rows(self, sql: str, parameters: Sequence[Any] = ()) -> list[Any]:
        """The rows of a query (the methods below check what each row holds)."""
        return self._db.execute(sql, [_storable(p) for p in parameters]).fetchall()

    def _heal(self, cause: BaseException) -> None:
        if self._repair is None:
            raise StoreDamaged(str(cause)) from cause
        repair, self._repair = self._repair, None  # once: a fresh store that fails is a fault
        self._db = repair()
        self.generation += 1
        self._built.clear()
        self._held.clear()
        self._ids = self._positions = None

    def rebuild(self) -> bool:
        """Rebuild now, if that has not been done in this run; whether it was."""
        if self._repair is None:
            return False
        self._heal(StoreDamaged("rebuild"))
        return True

    def _decode(self, cls: type[T], kind: str, pos: int, text: Any) -> T:
        from ..model.schema import INVALID, build

        problems: list[str] = []
        value = build(cls, json.loads(_text(text)), kind, None, lambda *p: problems.append(p[2]))
        if value is INVALID or not isinstance(value, cls):
            raise StoreDamaged(f"{kind} row {pos} does not decode")
        return value

    @_healing
    def _record(self, cls: type[T], kind: str, pos: int, column: str = "record") -> T:
        built = self._built.get((kind, pos, column))
        if built is None:
            found = self.rows(f"SELECT {column} FROM {kind} WHERE pos = ?", (pos,))
            if not found:
                raise StoreDamaged(f"{kind} row {pos} is missing")
            built = self._built[(kind, pos, column)] = self._decode(cls, kind, pos, found[0][0])
        return built

    @_healing
    def _all(self, cls: type[T], kind: str, column: str = "record") -> tuple[T, ...]:
        """Every record of a kind, in file order, read in one query (a list reads them all)."""
        found = self.rows(f"SELECT pos, {column} FROM {kind} ORDER BY pos")
        if [_int(pos) for pos, _ in found] != list(range(len(found))):
            raise StoreDamaged(f"{kind} positions are not 0, 1, 2 ...")
        records = []
        for pos, text in found:
            built = self._built.get((kind, pos, column))
            if built is None:
                built = self._built[(kind, pos, column)] = self._decode(cls, kind, pos, text)
            records.append(built)
        return tuple(records)

    # -- procedures
    @property
    @_healing
    def ids(self) -> tuple[str, ...]:
        if self._ids is None:
            found = self.rows("SELECT pos, id FROM procedure ORDER BY pos")
            if [_int(pos) for pos, _ in found] != list(range(len(found))):
                raise StoreDamaged("procedure positions are not 0, 1, 2 ...")
            self._ids = tuple(_text(row[1]) for row in found)
        return self._ids

    def __len__(self) -> int:
        return len(self.ids)

    def position(self, procedure_id: str) -> int:
        if self._positions is None:
            self._positions = {pid: i for i, pid in enumerate(self.ids)}
        return self._positions[procedure_id]

    def at(self, position: int) -> Procedure:
        from ..model.procedure import Procedure

        return self._record(Procedure, "procedure", position)

    @_healing
    def id_at(self, kind: str, position: int) -> str:
        """The id of the record of this kind at `position` (positions come from this store)."""
        if kind == "procedure":
            ids = self.ids
            if not 0 <= position < len(ids):
                raise StoreDamaged(f"no procedure at position {position}")
            return ids[position]
        found = self.rows(f"SELECT id FROM {kind} WHERE pos = ?", (position,))
        if not found:
            raise StoreDamaged(f"no {kind} at position {position}")
        return _text(found[0][0])

    @_healing
    def count(self, kind: str) -> int:
        if kind == "procedure":
            return len(self.ids)  # checked: positions 0, 1, 2 ... with nothing missing or extra
        return _int(self.rows(f"SELECT count(*) FROM {kind}")[0][0])

    @_healing
    def get(self, procedure_id: str) -> Procedure | None:
        found = self.rows("SELECT pos FROM procedure WHERE id = ?", (procedure_id,))
        return self.at(_int(found[0][0])) if found else None

    @_healing
    def summary_at(self, position: int) -> tuple[str, str]:
        """(name, category) of a procedure, without decoding it."""
        found = self.rows("SELECT name, category FROM procedure WHERE pos = ?", (position,))
        if not found:
            raise StoreDamaged(f"procedure row {position} is missing")
        return _text(found[0][0]), _text(found[0][1])

    @_healing
    def summary(self, procedure_id: str) -> tuple[str, str]:
        """(name, category) of a procedure by id, without decoding it (KeyError, healed: an id
        a record of this store names that the store does not hold)."""
        return self.summary_at(self.position(procedure_id))

    def origin(self, procedure_id: str) -> str:
        return self.record_origin("procedure", procedure_id)

    @property
    @_healing
    def procedures(self) -> tuple[Procedure, ...]:
        from ..model.procedure import Procedure

        return self._all(Procedure, "procedure")

    @property
    @_healing
    def listings(self) -> tuple[Listing, ...]:
        """What `list` shows of every procedure, in file order, without decoding any entry."""
        from ..model.procedure import Listing

        listings = self._all(Listing, "procedure", "listing")
        if tuple(listing.id for listing in listings) != self.ids:
            raise StoreDamaged("the listings are not the procedures")
        return listings

    # -- drugs, conditions, lexicon
    def drug_at(self, position: int) -> Drug:
        from ..model.drug import Drug

        return self._record(Drug, "drug", position)

    @_healing
    def drugs(self) -> tuple[Drug, ...]:
        from ..model.drug import Drug

        return self._all(Drug, "drug")

    @_healing
    def drug_table(self) -> DrugTable:
        """The guideline, with the drugs decoded only when asked for (`anticoag DRUG` reads one)."""
        found = self.rows("SELECT record FROM guideline")
        if not found:
            if self.count("drug"):  # the sources never give drugs without a guideline
                raise StoreDamaged("the guideline row is missing")
            raise DatasetError(
                [Problem("drug table", None, "guideline", "no file gives the guideline")]
            )
        from ..model.drug import DrugTable, Guideline

        guideline = self._decode(Guideline, "guideline", 0, found[0][0])
        return DrugTable(guideline, self.drugs)

    def condition_at(self, position: int) -> Condition:
        from ..model.condition import Condition

        return self._record(Condition, "condition", position)

    @_healing
    def conditions(self) -> tuple[Condition, ...]:
        from ..model.condition import Condition

        return self._all(Condition, "condition")

    @_healing
    def record_origin(self, kind: str, record_id: str) -> str:
        found = self.rows(f"SELECT origin FROM {kind} WHERE id = ?", (record_id,))
        return _text(found[0][0]) if found else ""

    @_healing
    def phrasebook(self) -> Phrasebook:
        """The lexicon as queries are read with it, without decoding the lexicon itself."""
        built = self._built.get(("lexicon", 0, "phrasebook"))
        if built is None:
            found = self.rows("SELECT phrasebook FROM lexicon")
            if len(found) != 1:
                raise StoreDamaged("the lexicon row is missing")
            from ..model.lexicon import Phrasebook

            book = Phrasebook.from_plain(json.loads(_text(found[0][0])))
            built = self._built[("lexicon", 0, "phrasebook")] = book
        return built

    # -- search primitives
    @_healing
    def exact(self, kind: str, key: str) -> list[tuple[int, str, str]]:
        """(position, field, text) of every name of this kind whose folded form is `key`."""
        return [
            (_int(pos), _text(field), _text(text))
            for pos, field, text in self.rows(
                "SELECT pos, field, text FROM name WHERE kind = ? AND key = ? ORDER BY pos, rowid",
                (kind, key),
            )
        ]

    @_healing
    def holds(self, kind: str, term: str) -> bool:
        """Whether the full-text index of this kind matches one FTS5 term (already quoted)."""
        held = self._held.get((kind, term))
        if held is None:  # a query asks this of each word more than once (spelling, then terms)
            table = f"{kind}_text"
            found = self.rows(f"SELECT 1 FROM {table} WHERE {table} MATCH ? LIMIT 1", (term,))
            held = self._held[(kind, term)] = bool(found)
        return held

    @_healing
    def names(self, kind: str) -> list[tuple[int, str, str]]:
        """(position, field, text) of every name of this kind but CPT codes, for suggestions."""
        return [
            (_int(pos), _text(field), _text(text))
            for pos, field, text in self.rows(
                "SELECT pos, field, text FROM name WHERE kind = ? AND field != 'cpt'", (kind,)
            )
        ]

    @_healing
    def titles(self, kind: str) -> list[tuple[str, str, tuple[str, ...]]]:
        """(id, name, other names as written) of every record of this kind, in file order, from
        the name table alone: a list of names decodes no record."""
        found = self.rows(
            "SELECT pos, field, text FROM name WHERE kind = ? AND field != 'cpt' "
            "ORDER BY pos, rowid",
            (kind,),
        )
        titles: list[tuple[str, str, list[str]]] = []
        for pos, field, text in found:
            if _int(pos) == len(titles) and field == "id":
                titles.append((_text(text), "", []))
            elif _int(pos) == len(titles) - 1 and field == "name" and not titles[-1][1]:
                titles[-1] = (titles[-1][0], _text(text), [])
            elif _int(pos) == len(titles) - 1 and field == "alias" and titles[-1][1]:
                titles[-1][2].append(_text(text))
            else:
                raise StoreDamaged(f"the {kind} names are not in order at position {pos}")
        if len(titles) != self.count(kind):
            raise StoreDamaged(f"{kind} names are missing")
        return [(record_id, name, tuple(others)) for record_id, name, others in titles]

    @_healing
    def vocabulary(self, kind: str) -> list[str]:
        return [_text(row[0]) for row in self.rows("SELECT term FROM word WHERE kind = ?", (kind,))]

    @_healing
    def containing(self, kind: str, term: str) -> set[int]:
        """Positions of the records a single FTS5 term (already quoted) matches."""
        rows = self.rows(f"SELECT rowid FROM {kind}_text WHERE {kind}_text MATCH ?", (term,))
        return {_int(row[0]) for row in rows}

    @_healing
    def match(self, kind: str, expression: str, limit: int) -> list[tuple[int, float]]:
        """(position, BM25 rank) of the best matches, best first.

        `expression` is an FTS5 query the caller has built from quoted tokens only.
        """
        weights = PROCEDURE_WEIGHTS if kind == "procedure" else SMALL_WEIGHTS
        table = f"{kind}_text"
        found = self.rows(
            f"SELECT rowid, bm25({table}, {', '.join(map(str, weights))}) AS rank "
            f"FROM {table} WHERE {table} MATCH ? ORDER BY rank LIMIT ?",
            (expression, limit),
        )
        return [(_int(row[0]), float(row[1])) for row in found]

    @_healing
    def marked(
        self, kind: str, expression: str, positions: Sequence[int]
    ) -> dict[int, tuple[str, ...]]:
        """Each column of these records with the words `expression` matches marked \x02 ... \x03
        (FTS5's highlight, which costs more than the ranking: asked only for hits shown)."""
        if not positions:
            return {}
        columns = PROCEDURE_COLUMNS if kind == "procedure" else SMALL_COLUMNS
        table = f"{kind}_text"
        marks = ", ".join(f"highlight({table}, {i}, char(2), char(3))" for i in range(len(columns)))
        found = self.rows(
            f"SELECT rowid, {marks} FROM {table} WHERE {table} MATCH ? "
            f"AND rowid IN ({', '.join('?' * len(positions))})",
            (expression, *positions),
        )
        return {_int(row[0]): tuple(_text(c) for c in row[1:]) for row in found}
