"""Reading level of plain-language text (Flesch-Kincaid grade), for the patient texts.

A standard formula computed the standard way: words, sentences and a vowel-group syllable count.
It is a guide, not a verdict, which is why the dataset test allows grade 8 at most.
"""

from __future__ import annotations

import re

_MARKER = re.compile(r"\[[a-z0-9][a-z0-9-]*\]")
_WORD = re.compile(r"[A-Za-z]+(?:'[a-z]+)?")
_SENTENCE_END = re.compile(r"[.!?]+(?:\s|$)")
_VOWEL_GROUPS = re.compile(r"[aeiouy]+")


def syllables(word: str) -> int:
    word = word.lower()
    count = len(_VOWEL_GROUPS.findall(word))
    if word.endswith("e") and not word.endswith(("le", "ee")) and count > 1:
        count -= 1  # a silent final e, as in "take"
    return max(1, count)


def flesch_kincaid_grade(text: str) -> float:
    """US school grade needed to read `text`; citation markers such as [ref] are ignored."""
    text = _MARKER.sub("", text)
    words = _WORD.findall(text)
    if not words:
        return 0.0
    sentences = max(1, len(_SENTENCE_END.findall(text)))
    syllable_count = sum(syllables(word) for word in words)
    return 0.39 * len(words) / sentences + 11.8 * syllable_count / len(words) - 15.59
