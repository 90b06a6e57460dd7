"""Record classes: slots, a field list, and the annotations that are also the dataset schema.

`model/schema.py` reads these annotations to validate raw data, to build these objects and to
export the JSON Schema, so each schema is written down exactly once. Constraints a type cannot say
(a pattern, a minimum length) ride along as `Meta` in `Annotated`.
"""

from __future__ import annotations

from typing import Annotated, Any, ClassVar, TypeVar, dataclass_transform


class Record:
    """Base of the record classes (see `record`): one keyword-only __init__ shared by all.

    Records are read-only by convention and compare by identity.
    """

    __slots__ = ()
    _spec: ClassVar[tuple[tuple[str, Any], ...]]  # (field, default or REQUIRED), set by `record`
    _names: ClassVar[tuple[str, ...]]  # the fields alone, in the same order

    def __init__(self, **values: Any) -> None:
        cls = type(self)
        spec = cls._spec
        for name, default in spec:
            value = values.get(name, default)
            if value is REQUIRED:
                raise TypeError(f"{cls.__name__} needs the field {name!r}")
            object.__setattr__(self, name, value)
        if len(values) > len(spec):
            unknown = sorted(set(values) - {name for name, _ in spec})
            raise TypeError(f"{cls.__name__} has no field(s) {', '.join(unknown)}")


REQUIRED: Any = object()  # the default of a field that has none
R = TypeVar("R", bound=type[Record])


@dataclass_transform(kw_only_default=True)
def record(cls: R) -> R:
    """A record class: its annotated fields, in order, are its schema.

    What `dataclasses.dataclass(slots=True, kw_only=True)` would give for this use, without the
    dataclasses module (it imports `inspect`, about 10 ms of every start-up) and without a
    compiled __init__, __eq__ and __repr__ per class: the class is made again with __slots__ for
    its own fields, and the field list with defaults is kept in `_spec` for `Record.__init__` and
    for `schema.py` (`record_fields`, `field_names`). Fields inherited from a record base come
    first.
    """
    inherited = dict(getattr(cls, "_spec", ()))
    own = [
        name
        # the class's own annotations; inspect.get_annotations would import `inspect` again
        for name, annotation in cls.__dict__.get("__annotations__", {}).items()  # noqa: RUF063
        # a string under `from __future__ import annotations`, else typing.ClassVar[...] itself
        if not str(annotation).split("[")[0].endswith("ClassVar")
    ]
    defaults = {**inherited, **{name: cls.__dict__.get(name, REQUIRED) for name in own}}
    namespace = {
        key: value
        for key, value in cls.__dict__.items()
        if key not in own and key not in ("__dict__", "__weakref__")
    }
    namespace["__slots__"] = tuple(name for name in own if name not in inherited)
    namespace["_spec"] = tuple(defaults.items())
    namespace["_names"] = tuple(defaults)
    made = type(cls.__name__, cls.__bases__, namespace)
    made.__qualname__ = cls.__qualname__
    return made  # type: ignore[return-value]  # the same class, rebuilt with slots


def record_fields(cls: type[Record]) -> tuple[tuple[str, Any], ...]:
    """A record class's (field name, default or REQUIRED), in schema order."""
    return cls._spec


def field_names(cls: type[Record]) -> tuple[str, ...]:
    """A record class's field names, in schema order."""
    return cls._names


class Meta:
    """Schema constraints and documentation attached to a field's type."""

    __slots__ = ("description", "min_items", "min_length", "pattern")

    def __init__(
        self,
        description: str = "",
        pattern: str | None = None,
        min_length: int | None = None,
        min_items: int | None = None,
    ) -> None:
        self.description = description
        self.pattern = pattern
        self.min_length = min_length
        self.min_items = min_items


KEBAB = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
Text = Annotated[str, Meta(min_length=1)]
