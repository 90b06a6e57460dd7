"""The fast word wrap of list items must match Rich's own wrap exactly."""

from __future__ import annotations

import pytest
from rich.console import Console
from rich.text import Text

from painref.dataset import load
from painref.render.text import wrap_ascii


def _items() -> list[str]:
    texts = []
    for procedure in load().procedures:
        texts += [*procedure.indications, *procedure.technique, *procedure.recovery]
        texts += [*procedure.contraindications.absolute, *procedure.caveats]
        texts += [reference.citation for reference in procedure.references]
    return [t for t in texts if t.isascii() and t.isprintable()]


ITEMS = _items()
TRICKY = [
    "",
    "word",
    "a  double  spaced   line with trailing spaces   ",
    "supercalifragilisticexpialidocious-and-then-some-more-letters short words after",
    "https://www.ncbi.nlm.nih.gov/books/NBK000000/ a link longer than a narrow column",
    "   leading spaces",
]


@pytest.mark.parametrize("width", [1, 7, 18, 33, 47, 76, 120])
def test_fast_wrap_matches_rich_for_every_dataset_item(width: int) -> None:
    console = Console(width=200)
    assert len(ITEMS) > 300  # the bundled data really was read
    for text in [*ITEMS, *TRICKY]:
        expected = [line.plain for line in Text(text).wrap(console, width, overflow="fold")]
        assert wrap_ascii(text, width) == expected, (width, text)
