from __future__ import annotations

from painref.query.readability import flesch_kincaid_grade, syllables


def test_syllable_count() -> None:
    assert [syllables(w) for w in ("pain", "needle", "injection", "take", "the")] == [1, 2, 3, 1, 1]


def test_simple_text_reads_easier_than_clinical_text() -> None:
    plain = "The doctor puts a thin needle in your back. You may feel some pressure."
    clinical = (
        "Fluoroscopically guided transforaminal corticosteroid administration demonstrates "
        "intermediate-term analgesic efficacy in radicular presentations."
    )
    assert flesch_kincaid_grade(plain) < 6
    assert flesch_kincaid_grade(clinical) > 14


def test_markers_do_not_count_as_words() -> None:
    text = "You can go home the same day."
    assert flesch_kincaid_grade(text + " [asra-2018]") == flesch_kincaid_grade(text)
