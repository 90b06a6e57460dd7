"""The procedure model: record classes whose annotations are also the dataset schema.

Field names here are the YAML keys. `schema.py` reads these annotations to validate raw data, to
build these objects and to export the JSON Schema, so the schema is written down exactly once.
Constraints a type cannot say (a pattern, a minimum length) ride along as `Meta` in `Annotated`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Annotated, Any, ClassVar, Literal, TypeVar, dataclass_transform


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
        if not str(annotation).startswith("ClassVar")
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


Category = Literal[
    "epidural",
    "joint-injection",
    "nerve-block",
    "sympathetic-block",
    "radiofrequency",
    "neuromodulation",
    "intrathecal",
    "vertebral-augmentation",
    "minimally-invasive-spine",
    "soft-tissue",
    "chemodenervation",
    "diagnostic",
]
Region = Literal[
    "head",
    "neck",
    "cervical",
    "thoracic",
    "lumbar",
    "sacral",
    "pelvis",
    "abdomen",
    "chest-wall",
    "shoulder",
    "upper-limb",
    "hip",
    "knee",
    "lower-limb",
]
Modality = Literal["fluoroscopy", "ct", "ultrasound", "landmark"]
RiskClass = Literal["low", "intermediate", "high"]
Relation = Literal["leads-to", "follows", "alternative", "variant"]

RISK_CLASSES: tuple[RiskClass, ...] = ("low", "intermediate", "high")

KEBAB = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
Id = Annotated[str, Meta("kebab-case identifier", pattern=KEBAB)]
Text = Annotated[str, Meta(min_length=1)]
Texts = Annotated[tuple[Text, ...], Meta(min_items=1)]
Cpt = Annotated[str, Meta("CPT code: five digits, or four digits and a letter", r"^\d{4}[0-9A-Z]$")]
Doi = Annotated[str, Meta("DOI without the https://doi.org/ prefix", r"^10\.\d{4,9}/\S+$")]
Pmid = Annotated[str, Meta("PubMed identifier, digits only", r"^\d{1,9}$")]
Url = Annotated[str, Meta("web address", r"^https?://\S+$")]


@record
class Reference(Record):
    """A source cited as [key] in an entry's text."""

    key: Annotated[str, Meta("short key cited in the text as [key]", KEBAB)]
    citation: Text
    doi: Doi | None = None
    pmid: Pmid | None = None
    url: Url | None = None

    @property
    def line(self) -> str:
        """'[key] citation https://...' as printed under References."""
        return f"[{self.key}] {self.citation}" + (f" {self.link}" if self.link else "")

    @property
    def link(self) -> str | None:
        """The most durable address for the reference: DOI, then PubMed, then the URL."""
        if self.doi:
            return f"https://doi.org/{self.doi}"
        if self.pmid:
            return f"https://pubmed.ncbi.nlm.nih.gov/{self.pmid}/"
        return self.url


@record
class Contraindications(Record):
    """When the procedure should not be done, or only with care."""

    absolute: Texts
    relative: Texts


@record
class Imaging(Record):
    """How the needle or device is guided, and why."""

    modalities: Annotated[tuple[Modality, ...], Meta(min_items=1)]
    notes: Annotated[str, Meta("why this guidance", min_length=1)]


@record
class Medication(Record):
    """A drug given during the procedure, with its usual dose where one is standard."""

    agent: Text
    dose: Annotated[str, Meta("typical dose; must cite a reference marker")] | None = None
    notes: str | None = None


@record
class Outcomes(Record):
    """What benefit to expect and how long it usually lasts."""

    expected: Annotated[str, Meta("expected benefit; must cite a reference marker", min_length=1)]
    duration: Annotated[
        str, Meta("how long relief lasts; must cite a reference marker", min_length=1)
    ]


@record
class Complication(Record):
    """Something that can go wrong, with a rough frequency where known."""

    event: Text
    frequency: Annotated[str, Meta("rough frequency; must cite a reference marker")] | None = None


@record
class Related(Record):
    """A link to another procedure: a pathway step, an alternative or a variant."""

    id: Id
    relation: Annotated[
        Relation,
        Meta(
            "leads-to: this comes first in a pathway (diagnostic block, trial, first-line step) "
            "and the other follows; follows: the reverse; alternative; variant"
        ),
    ]
    note: str | None = None


@record
class CptCode(Record):
    """A CPT code and what it covers, paraphrased (CPT descriptors are copyrighted)."""

    code: Cpt
    meaning: Annotated[
        str,
        Meta(
            "what the code covers, in our own words: region, first or additional level, "
            "imaging included or not, add-on",
            min_length=1,
        ),
    ]


@record
class LevelRisk(Record):
    """The bleeding-risk class that applies at some of a procedure's regions."""

    regions: Annotated[tuple[Region, ...], Meta(min_items=1)]
    risk: RiskClass
    note: Annotated[str, Meta("why this class at these regions; cites a reference")] | None = None


@record
class Brief(Record):
    """The one-screen view before a case: what matters most, each point sourced."""

    what: Annotated[str, Meta("what is done and where, in one or two sentences", min_length=1)]
    key_points: Annotated[
        tuple[Text, ...], Meta("key technique and safety points, each citing a reference", min_items=1)
    ]
    complications: Annotated[
        tuple[Text, ...], Meta("the main complications with their frequencies", min_items=1)
    ]


@record
class PatientGuide(Record):
    """Plain-language text for patients (roughly a 6th-8th grade reading level)."""

    why: Text
    prepare: Texts
    day: Texts
    after: Texts
    relief: Text
    warning_signs: Texts
    questions: Texts


@record
class Procedure(Record):
    """One interventional pain procedure, as a dataset entry."""

    id: Id
    name: Text
    patient_title: Annotated[
        str, Meta("plain-language title for the patient handout", min_length=1)
    ] | None = None
    aliases: Annotated[tuple[Text, ...], Meta("abbreviations, lay and brand names", min_items=1)]
    category: Category
    regions: Annotated[tuple[Region, ...], Meta(min_items=1)]
    conditions: Annotated[tuple[Text, ...], Meta("conditions it treats", min_items=1)]
    summary: Annotated[str, Meta("clinician summary", min_length=1)]
    brief: Brief | None = None
    patient_summary: Annotated[str, Meta("plain-language summary", min_length=1)]
    indications: Texts
    contraindications: Contraindications
    imaging: Imaging
    technique: Annotated[tuple[Text, ...], Meta("ordered steps", min_items=1)]
    medications: tuple[Medication, ...]
    outcomes: Outcomes
    complications: Annotated[tuple[Complication, ...], Meta(min_items=1)]
    recovery: Texts
    anticoagulation_risk: Annotated[
        RiskClass, Meta("bleeding-risk class per the ASRA Pain Medicine interventional guideline")
    ]
    anticoagulation_note: str | None = None
    anticoagulation_by_level: Annotated[
        tuple[LevelRisk, ...],
        Meta("classes that differ by region; anticoagulation_risk is the class when none is given"),
    ] = ()
    cpt_codes: tuple[CptCode, ...]
    evidence: Annotated[
        str, Meta("strength of evidence; must cite a reference marker", min_length=1)
    ]
    regulatory: Annotated[
        tuple[Text, ...], Meta("regulatory status and label warnings (FDA and similar), sourced")
    ] = ()
    coverage: Annotated[
        tuple[Text, ...], Meta("main US payer rules (e.g. Medicare coverage limits), sourced")
    ] = ()
    related: tuple[Related, ...] = ()
    patient: PatientGuide | None = None
    caveats: Annotated[tuple[Text, ...], Meta("uncertainty and disagreement between sources")] = ()
    references: Annotated[tuple[Reference, ...], Meta(min_items=1)]
    last_reviewed: dt.date


class Dataset:
    """Procedures after merging the bundled file with any overlays, in file order.

    A dataset read from the parse cache holds each procedure as a packed record and builds the
    object only when asked for it, so `show ID` on a 5,000-entry overlay builds one procedure,
    not 5,000. `procedures` builds them all; `ids`, `get` and `at` never do more than needed.
    """

    __slots__ = ("_built", "_by_id", "_fetch", "_summary", "ids", "origins", "search_tables")

    def __init__(
        self, procedures: tuple[Procedure, ...] = (), origins: Sequence[str] | None = None
    ) -> None:
        self.ids: tuple[str, ...] = tuple(p.id for p in procedures)
        # the file each procedure came from, by position ("" when built in memory)
        self.origins: tuple[str, ...] = tuple(origins) if origins else ("",) * len(self.ids)
        self._built: list[Procedure | None] = list(procedures)
        self._by_id: dict[str, int] | None = None  # id -> position, made on first use
        self._fetch: Callable[[int], Procedure] | None = None
        self._summary: Callable[[int], tuple[str, str]] | None = None
        # Prebuilt search tables from the cache (opaque to everything but search.py).
        self.search_tables: Any = None

    @classmethod
    def deferred(
        cls,
        ids: Sequence[str],
        origins: Sequence[str],
        fetch: Callable[[int], Procedure],
        search_tables: Any = None,
        summary: Callable[[int], tuple[str, str]] | None = None,
    ) -> Dataset:
        """A dataset whose procedure at position i is built by `fetch(i)` on first use.

        `summary(i)` gives a procedure's (name, category), which is all a list of search results
        needs, so listing hits never builds the procedures behind them.
        """
        dataset = cls((), origins)
        dataset.ids = tuple(ids)
        dataset._built = [None] * len(dataset.ids)
        dataset._fetch = fetch
        dataset.search_tables = search_tables
        dataset._summary = summary
        return dataset

    def at(self, position: int) -> Procedure:
        procedure = self._built[position]
        if procedure is None:
            assert self._fetch is not None  # only deferred datasets have unbuilt slots
            procedure = self._built[position] = self._fetch(position)
        return procedure

    def _positions(self) -> dict[str, int]:
        # Made when first asked: a search works with positions and never needs it, and on a
        # 5,000-entry dataset it is a measurable part of the start-up.
        if self._by_id is None:
            self._by_id = {procedure_id: i for i, procedure_id in enumerate(self.ids)}
        return self._by_id

    def get(self, procedure_id: str) -> Procedure | None:
        position = self._positions().get(procedure_id)
        return None if position is None else self.at(position)

    def summary(self, procedure_id: str) -> tuple[str, str]:
        """(name, category) of a procedure, without building it when the cache knows them."""
        return self.summary_at(self._positions()[procedure_id])

    def summary_at(self, position: int) -> tuple[str, str]:
        if self._summary is not None:
            return self._summary(position)
        procedure = self.at(position)
        return procedure.name, procedure.category

    def origin(self, procedure_id: str) -> str:
        """The file a procedure came from."""
        return self.origins[self._positions()[procedure_id]]

    def position(self, procedure_id: str) -> int:
        """Where a procedure stands in file order."""
        return self._positions()[procedure_id]

    @property
    def procedures(self) -> tuple[Procedure, ...]:
        return tuple(self.at(i) for i in range(len(self.ids)))

    def __len__(self) -> int:
        return len(self.ids)


# Every record class by name: the parse cache stores a record as its class name and fields.
RECORD_CLASSES: dict[str, type] = {
    cls.__name__: cls
    for cls in (
        Reference,
        Contraindications,
        Imaging,
        Medication,
        Outcomes,
        Complication,
        Related,
        CptCode,
        LevelRisk,
        Brief,
        PatientGuide,
        Procedure,
    )
}
