"""The procedure model: frozen dataclasses whose annotations are also the dataset schema.

Field names here are the YAML keys. `schema.py` reads these annotations to validate raw data, to
build these objects and to export the JSON Schema, so the schema is written down exactly once.
Constraints a type cannot say (a pattern, a minimum length) ride along as `Meta` in `Annotated`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Annotated, Literal


@dataclass(frozen=True, slots=True)
class Meta:
    """Schema constraints and documentation attached to a field's type."""

    description: str = ""
    pattern: str | None = None
    min_length: int | None = None
    min_items: int | None = None


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


@dataclass(frozen=True, slots=True, kw_only=True)
class Reference:
    key: Annotated[str, Meta("short key cited in the text as [key]", KEBAB)]
    citation: Text
    doi: Doi | None = None
    pmid: Pmid | None = None
    url: Url | None = None

    @property
    def link(self) -> str | None:
        """The most durable address for the reference: DOI, then PubMed, then the URL."""
        if self.doi:
            return f"https://doi.org/{self.doi}"
        if self.pmid:
            return f"https://pubmed.ncbi.nlm.nih.gov/{self.pmid}/"
        return self.url


@dataclass(frozen=True, slots=True, kw_only=True)
class Contraindications:
    absolute: Texts
    relative: Texts


@dataclass(frozen=True, slots=True, kw_only=True)
class Imaging:
    modalities: Annotated[tuple[Modality, ...], Meta(min_items=1)]
    notes: Annotated[str, Meta("why this guidance", min_length=1)]


@dataclass(frozen=True, slots=True, kw_only=True)
class Medication:
    agent: Text
    dose: Annotated[str, Meta("typical dose; must cite a reference marker")] | None = None
    notes: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Outcomes:
    expected: Annotated[str, Meta("expected benefit; must cite a reference marker", min_length=1)]
    duration: Annotated[
        str, Meta("how long relief lasts; must cite a reference marker", min_length=1)
    ]


@dataclass(frozen=True, slots=True, kw_only=True)
class Complication:
    event: Text
    frequency: Annotated[str, Meta("rough frequency; must cite a reference marker")] | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Related:
    id: Id
    relation: Annotated[
        Relation,
        Meta(
            "leads-to: this comes first in a pathway (diagnostic block, trial, first-line step) "
            "and the other follows; follows: the reverse; alternative; variant"
        ),
    ]
    note: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class PatientGuide:
    """Plain-language text for patients (roughly a 6th-8th grade reading level)."""

    why: Text
    prepare: Texts
    day: Texts
    after: Texts
    relief: Text
    warning_signs: Texts
    questions: Texts


@dataclass(frozen=True, slots=True, kw_only=True)
class Procedure:
    id: Id
    name: Text
    aliases: Annotated[tuple[Text, ...], Meta("abbreviations, lay and brand names", min_items=1)]
    category: Category
    regions: Annotated[tuple[Region, ...], Meta(min_items=1)]
    conditions: Annotated[tuple[Text, ...], Meta("conditions it treats", min_items=1)]
    summary: Annotated[str, Meta("clinician summary", min_length=1)]
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
    cpt_codes: tuple[Cpt, ...]
    evidence: Annotated[
        str, Meta("strength of evidence; must cite a reference marker", min_length=1)
    ]
    related: tuple[Related, ...] = ()
    patient: PatientGuide | None = None
    caveats: Annotated[tuple[Text, ...], Meta("uncertainty and disagreement between sources")] = ()
    references: Annotated[tuple[Reference, ...], Meta(min_items=1)]
    last_reviewed: dt.date


@dataclass(frozen=True)
class Dataset:
    """Procedures after merging the bundled file with any overlays, in file order."""

    procedures: tuple[Procedure, ...]
    origins: dict[str, str] = field(default_factory=dict)  # procedure id -> file it came from
    _by_id: dict[str, Procedure] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_id", {p.id: p for p in self.procedures})

    def get(self, procedure_id: str) -> Procedure | None:
        return self._by_id.get(procedure_id)

    def __len__(self) -> int:
        return len(self.procedures)
