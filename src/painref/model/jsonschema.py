"""The JSON Schema of each data file, for editors, generated from the record types.

`python -m painref.model.jsonschema procedures` prints one (likewise drugs, conditions, lexicon);
CI checks the files in data/ are in sync with the model.
"""

from __future__ import annotations

import datetime as dt
import typing
from typing import Any, Literal

from .procedure import Procedure
from .record import REQUIRED, field_names, record_fields
from .schema import SCHEMA_VERSION, _hints, _is_optional, _is_record, _rewrap, _split_annotated

SCHEMA_FILES = {
    "procedures": "procedures.schema.json",
    "drugs": "anticoagulants.schema.json",
    "conditions": "conditions.schema.json",
    "lexicon": "lexicon.schema.json",
}


def json_schema(kind: str = "procedures") -> dict[str, Any]:
    """The JSON Schema of a data file, for editors: procedures, drugs or conditions."""
    from .condition import Condition
    from .drug import Drug, Guideline
    from .lexicon import Lexicon

    roots: dict[str, tuple[type, dict[str, type]]] = {
        "procedures": (Procedure, {}),
        "drugs": (Drug, {"guideline": Guideline}),
        "conditions": (Condition, {}),
    }
    defs: dict[str, Any] = {}
    properties: dict[str, Any] = {"schema_version": {"const": SCHEMA_VERSION}}
    required: list[str]
    if kind == "lexicon":  # the file is the Lexicon record itself
        hints = _hints(Lexicon)
        properties |= {name: _json_type(hints[name], defs) for name in field_names(Lexicon)}
        required = []
    else:
        item, extra = roots[kind]
        properties |= {key: _json_type(cls, defs) for key, cls in extra.items()}
        properties[kind] = {"type": "array", "items": _json_type(item, defs)}
        required = [kind]  # an overlay of drugs need not repeat the guideline
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://github.com/painref/painref/data/{SCHEMA_FILES[kind]}",
        "title": f"painref {kind}",
        "description": "Generated from the painref model; do not edit by hand "
        f"(run `python -m painref.schema {kind}`).",
        "type": "object",
        "additionalProperties": False,
        "required": required,
        "properties": properties,
        "$defs": defs,
    }


def _json_type(tp: Any, defs: dict[str, Any]) -> dict[str, Any]:
    tp, metas = _split_annotated(tp)
    optional, inner = _is_optional(tp)
    if optional:
        return {"anyOf": [_json_type(_rewrap(inner, metas), defs), {"type": "null"}]}
    out: dict[str, Any]
    origin = typing.get_origin(tp)
    if origin is Literal:
        out = {"enum": list(typing.get_args(tp))}
    elif origin is tuple:
        out = {"type": "array", "items": _json_type(typing.get_args(tp)[0], defs)}
    elif _is_record(tp):
        name = tp.__name__
        if name not in defs:
            defs[name] = {}  # reserve first: a recursive type would otherwise loop
            hints = _hints(tp)
            fields = record_fields(tp)
            defs[name] = {
                "type": "object",
                "additionalProperties": False,
                "required": [field for field, default in fields if default is REQUIRED],
                "properties": {field: _json_type(hints[field], defs) for field, _ in fields},
            }
        out = {"$ref": f"#/$defs/{name}"}
    elif tp is str:
        out = {"type": "string"}
    elif tp is float:
        out = {"type": "number"}
    elif tp is dt.date:
        out = {"type": "string", "format": "date"}
    else:
        raise TypeError(f"no JSON Schema for {tp!r}")
    for meta in metas:
        if meta.description:
            out["description"] = meta.description
        if meta.pattern:
            out["pattern"] = meta.pattern
        if meta.min_length:
            out["minLength"] = meta.min_length
        if meta.min_items:
            out["minItems"] = meta.min_items
    return out


def main() -> None:
    """Print a JSON Schema: `python -m painref.schema [procedures|drugs|conditions]`."""
    import json
    import sys

    kind = sys.argv[1] if len(sys.argv) > 1 else "procedures"
    if kind not in SCHEMA_FILES:
        sys.exit(f"usage: python -m painref.schema [{'|'.join(SCHEMA_FILES)}]")
    print(json.dumps(json_schema(kind), indent=2))


if __name__ == "__main__":
    main()
