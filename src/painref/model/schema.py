"""The dataset schema, read from the model's annotations.

One walk over a record's type hints serves three purposes: validating raw YAML (collecting every
problem with its field path and line, not just the first), building the frozen model objects, and
exporting a JSON Schema for editors. Nothing here knows about files or terminals.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
import types
import typing
from collections.abc import Callable, Iterable
from functools import cache
from typing import Any, Literal, Union

from ..printable import QUOTE_LIMIT, printable, quote
from .record import REQUIRED, Meta, Record, field_names, record_fields

SCHEMA_VERSION = 1
# Every number in painref's data is an interval (days, hours) or a clearance (mL/min): none comes
# near a million, and one beyond it (or infinite, or not a number) would break date arithmetic.
MAX_NUMBER = 1_000_000


class LinedDict(dict[Any, Any]):
    """A mapping from the YAML loader that remembers the line of each key."""

    lines: dict[Any, int]


class LinedList(list[Any]):
    """A sequence from the YAML loader that remembers the line of each item."""

    lines: list[int]


def child_line(container: Any, key: Any, default: int | None = None) -> int | None:
    """The line of `container[key]` if the loader recorded it, else `default`."""
    lines = getattr(container, "lines", None)
    found: int | None = default
    if isinstance(lines, dict):
        found = lines.get(key, default)
    elif isinstance(lines, list) and isinstance(key, int) and key < len(lines):
        found = lines[key]
    return found


class _Invalid:
    """Marks a value that failed validation; its problems are already recorded."""


INVALID = _Invalid()
Report = Callable[[str, int | None, str], None]


@cache
def _is_record(tp: Any) -> typing.TypeGuard[type[Record]]:
    return isinstance(tp, type) and issubclass(tp, Record)


def _hints(cls: type[Record]) -> dict[str, Any]:
    """Each field's annotation as a type, `Annotated` extras kept.

    Every command that reads a record from the store pays for this, so it is kept cheap: the
    model modules do not postpone annotations (no `from __future__ import annotations`), so each
    is already a type, made when the class was; a string annotation (from a module that does
    postpone them) is evaluated in its own module, which is what `typing.get_type_hints` does
    at several times the cost (a ForwardRef and a walk of every nested type).
    """
    hints: dict[str, Any] = {}
    wanted = set(field_names(cls))
    for owner in reversed(cls.__mro__):
        scope = vars(sys.modules[owner.__module__])
        for name, annotation in vars(owner).get("__annotations__", {}).items():
            if name in wanted:
                hints[name] = eval(annotation, scope) if isinstance(annotation, str) else annotation
    return hints


def _describe(value: Any) -> str:
    """What kind of value this is, in words; never more than a few dozen characters of it."""
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return f"a number ({quote(value)})"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, dt.datetime):
        return "a date and time"
    if isinstance(value, dt.date):
        return "a date"
    return type(value).__name__


def key_text(key: Any) -> str:
    """A mapping key as a field path shows it: printable, and at most a few dozen characters."""
    text = printable(key if isinstance(key, str) else quote(key))
    return text if len(text) <= QUOTE_LIMIT else f"{text[: QUOTE_LIMIT - 1]}…"


def _split_annotated(tp: Any) -> tuple[Any, list[Meta]]:
    metas: list[Meta] = []
    while typing.get_origin(tp) is typing.Annotated:
        args = typing.get_args(tp)
        tp = args[0]
        metas.extend(m for m in args[1:] if isinstance(m, Meta))
    return tp, metas


def _is_optional(tp: Any) -> tuple[bool, Any]:
    origin = typing.get_origin(tp)
    if origin is Union or origin is types.UnionType:
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        if len(args) == 1 and len(typing.get_args(tp)) == 2:
            return True, args[0]
    return False, tp


Builder = Callable[[Any, str, int | None, Report], Any]


def build(tp: Any, value: Any, path: str, line: int | None, report: Report) -> Any:
    """Validate `value` against type `tp` and return the built object, or INVALID.

    Every problem goes to `report(path, line, message)`; building continues past problems so a user
    sees all of them in one run.
    """
    return _builder(tp)(value, path, line, report)


@cache
def _builder(tp: Any) -> Builder:
    """A function that validates and builds values of type `tp`.

    The type is read once per type, not once per value: a 5,000-entry overlay has a quarter of a
    million values, and taking their annotations apart each time cost more than reading the YAML.
    """
    tp, metas = _split_annotated(tp)
    optional, inner = _is_optional(tp)
    if optional:
        build_inner = _builder(_rewrap(inner, metas))

        def build_optional(value: Any, path: str, line: int | None, report: Report) -> Any:
            return None if value is None else build_inner(value, path, line, report)

        return build_optional
    build_plain = _plain_builder(tp)
    if not metas:
        return build_plain
    checks = [_constraint(meta) for meta in metas]
    if len(checks) == 1:  # nearly every constrained field has one Meta: no loop for it
        [check] = checks

        def build_checked(value: Any, path: str, line: int | None, report: Report) -> Any:
            result = build_plain(value, path, line, report)
            if result is INVALID:
                return INVALID
            problem = check(result)
            if problem:
                report(path, line, problem)
                return INVALID
            return result

        return build_checked

    def build_constrained(value: Any, path: str, line: int | None, report: Report) -> Any:
        result = build_plain(value, path, line, report)
        if result is INVALID:
            return INVALID
        for check in checks:
            problem = check(result)
            if problem:
                report(path, line, problem)
                return INVALID
        return result

    return build_constrained


def _rewrap(tp: Any, metas: list[Meta]) -> Any:
    return typing.Annotated[tp, *metas] if metas else tp


def _constraint(meta: Meta) -> Callable[[Any], str | None]:
    """A check for `meta`'s constraints: the problem with a value, or None when it meets them."""
    pattern = re.compile(meta.pattern) if meta.pattern else None
    what = meta.description or f"of the form {meta.pattern}"
    min_length, min_items = meta.min_length or 0, meta.min_items or 0
    plural = "s" if min_items > 1 else ""
    if pattern is None and not min_items:  # `Text` and its kin: validation's commonest check

        def not_blank(value: Any) -> str | None:
            if isinstance(value, str) and len(value.strip()) < min_length:
                return "must not be empty"
            return None

        return not_blank

    def problem(value: Any) -> str | None:
        if isinstance(value, str):
            # fullmatch: a pattern's `$` also matches before a final newline ("id-\n")
            if pattern is not None and not pattern.fullmatch(value):
                return f"{quote(value)} is not {what}"
            if min_length and len(value.strip()) < min_length:
                return "must not be empty"
        elif isinstance(value, tuple) and min_items and len(value) < min_items:
            return f"needs at least {min_items} item{plural}"
        return None

    return problem


def _plain_builder(tp: Any) -> Builder:
    origin = typing.get_origin(tp)
    if origin is Literal:
        return _literal_builder(typing.get_args(tp))
    if origin is tuple:
        return _tuple_builder(_builder(typing.get_args(tp)[0]))
    if _is_record(tp):
        return _record_builder(tp)
    scalar = _SCALAR_BUILDERS.get(tp)
    if scalar is None:
        raise TypeError(f"schema has a type painref cannot check: {tp!r}")  # a bug in model.py
    return scalar


def _literal_builder(allowed: tuple[Any, ...]) -> Builder:
    def build_literal(value: Any, path: str, line: int | None, report: Report) -> Any:
        if not isinstance(value, str | int | float | bool) or value not in allowed:
            if isinstance(value, str):
                report(path, line, f"{quote(value)} is not one of: {', '.join(allowed)}")
            else:
                report(path, line, f"expected one of: {', '.join(allowed)}; got {_describe(value)}")
            return INVALID
        return value

    return build_literal


def _tuple_builder(build_item: Builder) -> Builder:
    def build_tuple(value: Any, path: str, line: int | None, report: Report) -> Any:
        if not isinstance(value, list):
            report(path, line, f"expected a list, got {_describe(value)}")
            return INVALID
        lines = getattr(value, "lines", None)
        if isinstance(lines, list) and len(lines) >= len(value):
            items = [build_item(v, f"{path}[{i}]", lines[i], report) for i, v in enumerate(value)]
        else:  # read without lines (see yamlio.load): every item is at the list's own line
            items = [build_item(v, f"{path}[{i}]", line, report) for i, v in enumerate(value)]
        # `in` compares in C: records and INVALID compare by identity, text and numbers never
        # equal INVALID
        return INVALID if INVALID in items else tuple(items)

    return build_tuple


def _record_builder(cls: type) -> Builder:
    hints = _hints(cls)
    plan = [
        (name, _builder(hints[name]), default is REQUIRED) for name, default in record_fields(cls)
    ]
    names = [name for name, _, _ in plan]  # in schema order, for "did you mean"
    known = frozenset(names)

    def build_record(value: Any, path: str, line: int | None, report: Report) -> Any:
        if not isinstance(value, dict):
            report(path, line, f"expected a mapping of fields, got {_describe(value)}")
            return INVALID
        lines = getattr(value, "lines", None)
        if not isinstance(lines, dict):
            lines = {}
        prefix = f"{path}." if path else ""
        ok = True
        if not known.issuperset(value):
            for key in value:
                if key not in known:
                    message = _unknown_key_message(key, names)
                    report(f"{prefix}{key_text(key)}", lines.get(key, line), message)
                    ok = False
        kwargs: dict[str, Any] = {}
        for name, build_field, required in plan:
            if name not in value:
                if required:
                    report(f"{prefix}{name}", line, "required field is missing")
                    ok = False
                continue
            built = build_field(value[name], prefix + name, lines.get(name, line), report)
            if built is INVALID:
                ok = False
            else:
                kwargs[name] = built
        return cls(**kwargs) if ok else INVALID

    return build_record


def _build_float(value: Any, path: str, line: int | None, report: Report) -> Any:
    if isinstance(value, bool) or not isinstance(value, int | float):
        report(path, line, f"expected a number, got {_describe(value)}")
        return INVALID
    if not -MAX_NUMBER <= value <= MAX_NUMBER:  # also false for NaN
        report(path, line, f"{quote(value)} is out of range (at most {MAX_NUMBER:,} either way)")
        return INVALID
    return value


def _build_str(value: Any, path: str, line: int | None, report: Report) -> Any:
    if not isinstance(value, str):
        hint = " (put it in quotes)" if isinstance(value, int | float | dt.date) else ""
        report(path, line, f"expected text, got {_describe(value)}{hint}")
        return INVALID
    return value


def _build_date(value: Any, path: str, line: int | None, report: Report) -> Any:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str) and _is_iso_date(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError as exc:  # '2024-13-45': month must be in 1..12
            report(path, line, f"{quote(value)} is not a date ({exc})")
            return INVALID
    report(path, line, f"expected a date (YYYY-MM-DD), got {_describe(value)}")
    return INVALID


def _is_iso_date(text: str) -> bool:
    """Whether text has the form YYYY-MM-DD in ASCII digits (without compiling a pattern)."""
    digits = text[:4] + text[5:7] + text[8:]
    return len(text) == 10 and text[4] == text[7] == "-" and digits.isascii() and digits.isdigit()


_SCALAR_BUILDERS: dict[Any, Builder] = {float: _build_float, str: _build_str, dt.date: _build_date}


def _unknown_key_message(key: Any, fields: Iterable[str]) -> str:
    from difflib import get_close_matches  # only on the error path

    close = get_close_matches(str(key), list(fields), n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    return f"unknown field{hint}"


# --- plain data, both ways ----------------------------------------------------------------------


def to_plain(value: Any) -> Any:
    """A model value as plain data (dicts, lists, strings) with the schema's field names.

    Unset optionals are left out and dates become YYYY-MM-DD, so the plain form of a Procedure is
    itself a valid dataset entry (this is what `--json` prints).
    """
    if isinstance(value, Record):
        out = {}
        for name in field_names(type(value)):
            child = getattr(value, name)
            if child is not None:
                out[name] = to_plain(child)
        return out
    if isinstance(value, tuple | list):
        return [to_plain(item) for item in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value
