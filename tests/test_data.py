"""The bundled dataset is complete: every listed procedure, every field filled, every link real."""

from __future__ import annotations

import datetime as dt

import pytest

from painref.model.procedure import Procedure
from painref.query.readability import flesch_kincaid_grade
from painref.store.checks import MARKER
from painref.store.sources import load

REQUIRED_IDS = [
    "interlaminar-esi",
    "transforaminal-esi",
    "caudal-esi",
    "facet-joint-injection",
    "medial-branch-block",
    "medial-branch-rfa",
    "sacroiliac-joint-injection",
    "sacroiliac-rfa",
    "sacroiliac-joint-fusion",
    "epidural-blood-patch",
    "epidural-adhesiolysis",
    "discography",
    "genicular-nerve-block",
    "genicular-rfa",
    "pulsed-radiofrequency",
    "stellate-ganglion-block",
    "lumbar-sympathetic-block",
    "celiac-plexus-block",
    "superior-hypogastric-plexus-block",
    "ganglion-impar-block",
    "sphenopalatine-ganglion-block",
    "occipital-nerve-block",
    "trigger-point-injection",
    "suprascapular-nerve-block",
    "intercostal-nerve-block",
    "pudendal-nerve-block",
    "hip-joint-injection",
    "shoulder-joint-injection",
    "spinal-cord-stimulation",
    "drg-stimulation",
    "peripheral-nerve-stimulation",
    "intrathecal-drug-delivery",
    "vertebroplasty",
    "kyphoplasty",
    "basivertebral-nerve-ablation",
    "mild",
    "interspinous-spacer",
    "botulinum-toxin-migraine",
    # added with the second round of the dataset
    "knee-joint-injection",
    "greater-trochanteric-bursa-injection",
    "subacromial-bursa-injection",
    "piriformis-injection",
    "trigeminal-ganglion-block",
    "thoracic-sympathetic-block",
    "splanchnic-nerve-block",
    "sacral-lateral-branch-block",
    "ilioinguinal-nerve-block",
    "lateral-femoral-cutaneous-nerve-block",
    "intradiscal-thermal-therapy",
    "percutaneous-disc-decompression",
    "cryoneurolysis",
    "occipital-nerve-stimulation",
    "tunneled-epidural-catheter",
    "percutaneous-cordotomy",
    "platelet-rich-plasma-injection",
    "prolotherapy",
    "hip-rfa",
    "ketamine-infusion",
    "intrathecal-pump-refill",
    "epiduroscopy",
]
MAX_PATIENT_GRADE = 8.0

DATASET = load()
PROCEDURES = DATASET.procedures
BY_ID = {p.id: p for p in PROCEDURES}


def ids(procedures: tuple[Procedure, ...]) -> list[str]:
    return [p.id for p in procedures]


def test_every_required_procedure_is_present() -> None:
    missing = sorted(set(REQUIRED_IDS) - set(ids(PROCEDURES)))
    assert missing == []


def test_there_are_sixty_or_more() -> None:
    assert len(PROCEDURES) >= 60


@pytest.mark.parametrize("procedure", PROCEDURES, ids=ids(PROCEDURES))
def test_every_entry_has_a_patient_title_a_brief_and_code_meanings(procedure: Procedure) -> None:
    assert procedure.patient_title and flesch_kincaid_grade(procedure.patient_title) <= 8.0
    assert procedure.brief is not None
    for text in (procedure.brief.what, *procedure.brief.key_points):
        assert MARKER.search(text), text
    assert all(code.meaning.strip() for code in procedure.cpt_codes)


def test_ids_are_unique() -> None:
    assert len(set(ids(PROCEDURES))) == len(PROCEDURES)


@pytest.mark.parametrize("procedure", PROCEDURES, ids=ids(PROCEDURES))
def test_entry_is_complete(procedure: Procedure) -> None:
    assert procedure.patient is not None, "every bundled entry carries the patient guide"
    assert procedure.references, "at least one reference"
    assert all(ref.doi or ref.pmid or ref.url for ref in procedure.references)
    assert procedure.last_reviewed <= dt.date.today()
    for text in (procedure.summary, procedure.patient_summary, procedure.evidence):
        assert text.strip()


@pytest.mark.parametrize("procedure", PROCEDURES, ids=ids(PROCEDURES))
def test_patient_text_is_plain(procedure: Procedure) -> None:
    guide = procedure.patient
    assert guide is not None
    assert any("prescrib" in line.lower() for line in guide.prepare), (
        "preparation must say blood thinners are stopped only on the prescriber's advice"
    )
    text = " ".join(
        [procedure.patient_summary, guide.why, guide.relief, *guide.prepare, *guide.day,
         *guide.after, *guide.warning_signs, *guide.questions]
    )  # fmt: skip
    assert flesch_kincaid_grade(text) <= MAX_PATIENT_GRADE


@pytest.mark.parametrize("procedure", PROCEDURES, ids=ids(PROCEDURES))
def test_every_reference_is_cited(procedure: Procedure) -> None:
    from painref.render.jsonout import to_data

    body = {k: v for k, v in to_data(procedure).items() if k != "references"}
    cited = set(MARKER.findall(repr(body)))
    unused = [ref.key for ref in procedure.references if ref.key not in cited]
    assert unused == [], "a reference nobody cites supports nothing"


@pytest.mark.parametrize("procedure", PROCEDURES, ids=lambda p: p.id)
def test_every_clinical_list_line_cites_a_source(procedure: Procedure) -> None:
    """Indications, contraindications, technique steps, complications and recovery lines each
    name a reference [key]; an unsourced line is rewritten to what a source says, or removed."""
    lines = {
        "indications": procedure.indications,
        "contraindications.absolute": procedure.contraindications.absolute,
        "contraindications.relative": procedure.contraindications.relative,
        "technique": procedure.technique,
        "recovery": procedure.recovery,
        "complications": tuple(f"{c.event} {c.frequency or ''}" for c in procedure.complications),
    }
    uncited = [
        f"{field}: {text}" for field, texts in lines.items() for text in texts
        if not MARKER.search(text)
    ]  # fmt: skip
    assert uncited == []


def test_related_ids_resolve_and_pathways_point_both_ways() -> None:
    for procedure in PROCEDURES:
        for related in procedure.related:
            other = BY_ID.get(related.id)
            assert other is not None, f"{procedure.id} -> {related.id}"
            if related.relation == "leads-to":
                back = {(r.id, r.relation) for r in other.related}
                assert (procedure.id, "follows") in back, (
                    f"{related.id} should follow {procedure.id}"
                )


def test_procedures_the_guideline_does_not_list_explain_their_class() -> None:
    for procedure in PROCEDURES:
        assert procedure.anticoagulation_note, f"{procedure.id} has no anticoagulation note"


@pytest.mark.parametrize("procedure", PROCEDURES, ids=ids(PROCEDURES))
def test_every_entry_renders_fully_at_80_columns(procedure: Procedure) -> None:
    import io

    from painref.render.console import Console
    from painref.render.show import procedure_view

    buffer = io.StringIO()
    Console(width=80, file=buffer, no_color=True).print(procedure_view(procedure))
    text = buffer.getvalue()
    assert max(len(line) for line in text.splitlines()) <= 80
    for heading in ("Summary", "Contraindications", "Complications", "References"):
        assert f"\n{heading}\n" in text
    assert all(ref.citation[:30] in " ".join(text.split()) for ref in procedure.references)
