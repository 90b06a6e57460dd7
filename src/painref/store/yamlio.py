"""Safe YAML to plain values that remember the line of every key and list item.

Two readers give the same result. The fast one walks libyaml's event stream and builds the values
directly; it handles what data files are made of (mappings, lists, plain and quoted scalars). The
full one is PyYAML's safe loader with line-keeping constructors; it is used whenever the fast one
meets anything else (anchors, aliases, explicit tags, merge keys, complex keys) or any error, so
error messages and unusual files behave exactly as PyYAML defines them. On a 5,000-entry overlay
the fast reader takes about a quarter of the time: PyYAML's composer builds a node object (with
two position marks) for every scalar and then a second pass constructs the values.

Only safe constructors exist on either path: no file can build Python objects. A file is untrusted
input: a scalar that its type cannot hold (`2023-02-30`, `!!int abc`, an integer of thousands of
digits) is a YAML error at its line, never an exception from a constructor, and aliases may not
expand a file beyond what its own text could hold written out (a "billion laughs" is refused
after composing, which takes milliseconds, before anything is built from it).
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml import events

from ..model.schema import LinedDict, LinedList

try:  # the C parser is several times faster; the pure-Python one gives identical results
    from yaml._yaml import CParser as _EventParser

    _BaseLoader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml.loader import SafeLoader as _EventParser  # type: ignore[assignment]

    _BaseLoader = yaml.SafeLoader

DuplicateKeys = list[tuple[int, Any]]  # (line, key) of each key met again in its mapping

_STR_TAG = "tag:yaml.org,2002:str"
_MERGE_TAG = "tag:yaml.org,2002:merge"
# YAML 1.1's implicit types (null, bool, int, float, timestamp, merge, value) never contain a space
# unless they start with a digit, sign or dot, so prose is plain text without trying every
# resolver pattern on it; most scalars in a dataset are prose.
_MAY_BE_TYPED = frozenset("0123456789+-.~=<")


def _is_prose(value: str) -> bool:
    return " " in value and value[0] not in _MAY_BE_TYPED


# What aliases may add to a file beyond the values its text could hold written out (at least one
# character and a separator each): generous for shared blocks, far below an exponential bomb.
MAX_ALIAS_VALUES = 100_000


def load(text: str, lined: bool = True) -> tuple[Any, DuplicateKeys]:
    """The document in `text` and its duplicate keys; raises yaml.YAMLError when it is not YAML.

    Without `lined`, the fast reader makes plain dicts and lists and records no line (a duplicate
    key's line is 0): about a fifth less time, for a file that is read again with lines only if
    it turns out to have a problem to point at. The full reader always keeps lines."""
    duplicates: DuplicateKeys = []
    try:
        return _read_events(text, duplicates, lined), duplicates
    except (_NotSimple, yaml.YAMLError):
        pass
    loader = _LineLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, []
        _check_expansion(node, len(text) // 2 + MAX_ALIAS_VALUES)
        return loader.construct_document(node), loader.duplicate_keys
    finally:
        loader.dispose()


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [child for pair in node.value for child in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _check_expansion(root: yaml.Node, limit: int) -> None:
    """Refuse a document whose aliases expand it to more than `limit` values.

    Each node's expanded size is counted once (an alias is the same node object again), so this
    takes time in proportion to the written file, however far its aliases would expand.
    """
    sizes: dict[int, int] = {}
    on_path: set[int] = set()  # a node inside itself: the constructor refuses it, with its mark
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        key = id(node)
        if children_done:
            on_path.discard(key)
            size = 1 + sum(sizes.get(id(child), 0) for child in _children(node))
            sizes[key] = size
            if size > limit:
                raise yaml.constructor.ConstructorError(
                    None,
                    None,
                    f"its aliases expand to more than {limit:,} values, more than the file "
                    "could hold written out",
                    node.start_mark,
                )
            continue
        if key in sizes or key in on_path:
            continue
        on_path.add(key)
        stack.append((node, True))
        stack += [(child, False) for child in _children(node) if id(child) not in sizes]


# --- the fast reader ----------------------------------------------------------------------------


class _NotSimple(Exception):
    """The text uses something only the full loader handles; hand it over."""


_NO_KEY = object()
_resolver = yaml.resolver.Resolver()
_constructor = yaml.constructor.SafeConstructor()
_TYPED_FIRST_CHARACTERS = frozenset(yaml.resolver.Resolver.yaml_implicit_resolvers)


def _plain_scalar(value: str) -> Any:
    """A plain (unquoted) scalar as YAML 1.1 types it: null, bool, number, date or text."""
    if value and value[0] not in _TYPED_FIRST_CHARACTERS:
        return value  # no implicit type starts with this character: most single words
    tag = _resolver.resolve(yaml.ScalarNode, value, (True, False))  # type: ignore[no-untyped-call]
    if tag == _STR_TAG:
        return value
    construct = _constructor.yaml_constructors.get(tag)
    if construct is None:  # merge keys, and the '=' value type PyYAML itself refuses
        raise _NotSimple
    try:
        return construct(_constructor, yaml.ScalarNode(tag, value))
    except Exception:  # 2023-02-30, an int of 5,000 digits: the full reader says where and why
        raise _NotSimple from None


def _read_events(text: str, duplicates: DuplicateKeys, lined: bool) -> Any:
    parser = _EventParser(text)
    try:
        return _build(parser.get_event, duplicates, lined)
    finally:
        parser.dispose()


def _build(next_event: Any, duplicates: DuplicateKeys, lined: bool) -> Any:
    scalar_event, alias_event = events.ScalarEvent, events.AliasEvent
    map_start, seq_start = events.MappingStartEvent, events.SequenceStartEvent
    map_end, seq_end = events.MappingEndEvent, events.SequenceEndEvent
    may_be_typed, no_key = _MAY_BE_TYPED, _NO_KEY
    next_event()  # stream start
    first = next_event()
    if type(first) is events.StreamEndEvent:
        return None
    # The innermost open container and its state live in locals (this loop runs once per scalar
    # of a large file); each enclosing one waits on the stack as (container, its lines, is a
    # mapping, pending key, key line, the inner container's own line).
    stack: list[tuple[Any, Any, bool, Any, int, int]] = []
    plain_values: dict[str, Any] = {}
    container: Any = None
    lines: Any = None
    is_map = False
    key: Any = no_key
    key_line = 0
    document: Any = None
    while True:
        event = next_event()
        kind = type(event)
        line = 0  # a scalar's line is looked up only where it is kept: keys and list items
        if kind is scalar_event:
            if event.anchor is not None or (event.tag is not None and event.tag != "!"):
                raise _NotSimple
            value: Any = event.value
            # Prose (a space, and no implicit type can start with its first character) is text;
            # keys and short words repeat thousands of times: each spelling is typed once.
            if event.implicit[0] and not (value and " " in value and value[0] not in may_be_typed):
                typed = plain_values.get(value, no_key)
                if typed is no_key:
                    typed = plain_values[value] = _plain_scalar(value)
                value = typed
        elif kind is map_start or kind is seq_start:
            if event.anchor is not None or (event.tag is not None and event.tag != "!"):
                raise _NotSimple
            own_line = event.start_mark.line + 1 if lined else 0
            stack.append((container, lines, is_map, key, key_line, own_line))
            is_map, key = kind is map_start, no_key
            if not lined:
                container = {} if is_map else []
            elif is_map:
                container = LinedDict()
                lines = container.lines = {}
            else:
                container = LinedList()
                lines = container.lines = []
            continue
        elif kind is map_end or kind is seq_end:
            value = container
            container, lines, is_map, key, key_line, line = stack.pop()
        elif kind is alias_event:
            raise _NotSimple
        else:  # the document's end
            break
        if container is None:
            document = value
        elif not is_map:
            container.append(value)
            if lined:
                lines.append(line or event.start_mark.line + 1)
        elif key is no_key:
            if not (value is None or isinstance(value, str | int | float | bool)):
                raise _NotSimple  # the full loader explains why the key is refused
            key = value
            if lined:
                key_line = line or event.start_mark.line + 1
        else:
            if key in container:
                duplicates.append((key_line, key))
            container[key] = value
            if lined:
                lines[key] = key_line
            key = no_key
    if type(next_event()) is not events.StreamEndEvent:
        raise _NotSimple  # a second document: the full loader refuses it with PyYAML's message
    return document


# --- the full reader ----------------------------------------------------------------------------


class _LineLoader(_BaseLoader):  # type: ignore[valid-type,misc]
    """PyYAML's safe loading, remembering line numbers and collecting duplicate keys."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.duplicate_keys: DuplicateKeys = []
        self.merged_pairs: dict[int, int] = {}  # id(mapping node) -> pairs a merge key put first

    def flatten_mapping(self, node: yaml.MappingNode) -> None:
        """PyYAML's, remembering how many pairs merge keys (`<<: *base`) put before the node's
        own: YAML lets its own keys override those, so only a key written twice among its own
        is a duplicate. (A node is flattened once, perhaps as the source of another's merge.)"""
        own = sum(1 for key_node, _ in node.value if key_node.tag != _MERGE_TAG)
        super().flatten_mapping(node)
        self.merged_pairs.setdefault(id(node), len(node.value) - own)

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        if kind is yaml.ScalarNode and implicit[0] and value and _is_prose(value):
            return _STR_TAG
        return super().resolve(kind, value, implicit)

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        """PyYAML's, except that a scalar its type cannot hold is a YAML error at its line.

        PyYAML's own constructors raise whatever their conversion raises: ValueError for
        `!!int abc` or `2023-02-30`, KeyError for `!!bool maybe`, AttributeError for
        `!!timestamp nope`.
        """
        try:
            return super().construct_object(node, deep)
        except yaml.YAMLError:
            raise
        except (ValueError, TypeError, KeyError, AttributeError, ArithmeticError) as exc:
            if not isinstance(node, yaml.ScalarNode):
                raise
            raise yaml.constructor.ConstructorError(
                None, None, _unreadable(node, exc), node.start_mark
            ) from None


_TYPE_NAMES = {
    "int": "a whole number",
    "float": "a number",
    "bool": "true or false",
    "timestamp": "a date",
    "null": "null",
    "binary": "base64 data",
}


def _unreadable(node: yaml.ScalarNode, exc: Exception) -> str:
    """Why a scalar cannot be read as its type, quoting at most a few dozen characters of it."""
    from ..printable import quote

    kind = str(node.tag).rsplit(":", 1)[-1]
    what = _TYPE_NAMES.get(kind, f"'{kind}'")
    reason = ""
    if kind == "timestamp" and isinstance(exc, ValueError):
        reason = f" ({exc})"  # 'month must be in 1..12', 'day is out of range for month'
    elif kind == "int" and "digits" in str(exc):
        reason = " (too many digits)"
    return f"{quote(node.value)} is not {what}{reason}"


def _construct_map(loader: _LineLoader, node: yaml.MappingNode) -> LinedDict:
    loader.flatten_mapping(node)
    merged = loader.merged_pairs.get(id(node), 0)
    mapping = LinedDict()
    mapping.lines = {}
    own_keys: set[Any] = set()
    for index, (key_node, value_node) in enumerate(node.value):
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str | int | float | bool) and key is not None:
            raise yaml.constructor.ConstructorError(
                None, None, "a mapping key must be plain text", key_node.start_mark
            )
        line = key_node.start_mark.line + 1
        if index >= merged:
            if key in own_keys:
                loader.duplicate_keys.append((line, key))
            own_keys.add(key)
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.lines[key] = line
    return mapping


def _construct_seq(loader: _LineLoader, node: yaml.SequenceNode) -> LinedList:
    items = LinedList(loader.construct_object(child, deep=True) for child in node.value)
    items.lines = [child.start_mark.line + 1 for child in node.value]
    return items


_LineLoader.add_constructor("tag:yaml.org,2002:map", _construct_map)
_LineLoader.add_constructor("tag:yaml.org,2002:seq", _construct_seq)
