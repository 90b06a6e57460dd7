"""The procedure model: record classes whose annotations are also the dataset schema.

Field names here are the YAML keys. Nothing here reads files or knows of terminals.
"""

import datetime as dt
from typing import Annotated, Literal, get_args

from .record import KEBAB, Meta, Record, Text, record

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
REGIONS: tuple[str, ...] = get_args(Region)
MODALITIES: tuple[str, ...] = get_args(Modality)

Id = Annotated[str, Meta("kebab-case identifier", pattern=KEBAB)]
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
        tuple[Text, ...],
        Meta("key technique and safety points, each citing a reference", min_items=1),
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
    patient_title: (
        Annotated[str, Meta("plain-language title for the patient handout", min_length=1)] | None
    ) = None
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


@record
class Listing(Record):
    """What `list` shows and filters on, stored beside each entry so that listing and filtering
    a dataset decode none of them (a full entry is a few hundred values; this is a dozen)."""

    id: Id
    name: Text
    category: Category
    regions: tuple[Region, ...]
    modalities: tuple[Modality, ...]
    anticoagulation_risk: RiskClass
    conditions: tuple[Text, ...]

    @classmethod
    def of(cls, procedure: Procedure) -> "Listing":
        return cls(
            id=procedure.id,
            name=procedure.name,
            category=procedure.category,
            regions=procedure.regions,
            modalities=procedure.imaging.modalities,
            anticoagulation_risk=procedure.anticoagulation_risk,
            conditions=procedure.conditions,
        )
