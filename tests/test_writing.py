"""Every data file reads as a reference: no words about its own drafting, no first person, and
every reference points to a source of an accepted kind (see data/reference-hosts.yaml)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from painref.store.hosts import accepted, read_hosts
from painref.store.paths import bundled_file

DATA_FILES = ["procedures.yaml", "anticoagulants.yaml", "conditions.yaml", "lexicon.yaml"]
# What a reader must never see: the entry talking about how it was written.
DRAFTING = re.compile(
    r"\b(the brief|this draft|draft's|before release|my knowledge|my recollection|"
    r"the sources I|could not (?:be )?(?:read|open(?:ed)?) here|verify against the full text|"
    r"UNVERIFIED|this release could not|from memory|"
    # which copies of a source were at hand is about the drafting, not the evidence
    r"(?:the )?available copy|faithful copy|(?:was|were) (?:not )?available|was not verified)\b",
    re.IGNORECASE,
)
# The first person, in prose: "I" followed by a verb, and we/our/my/me/us as words. Roman
# numerals ("CRPS type I", "level I"), author initials ("Garg I,") and the United States (US)
# are not first person, so "I" counts only before a verb and "us"/"me" only in lower case.
FIRST_PERSON = re.compile(
    r"\bI (?:am|was|have|had|could|did|do|checked|found|read|think|believe|used|saw|searched|"
    r"would|will|can|cannot|could not|chose|wrote|added|kept|removed)\b"
    r"|(?i:\b(?:we|our|ours|my|mine)\b)|\b(?:me|us)\b"
)
# Fields that quote a source or name it, where a title may say "How I do it" or a URL "my-".
QUOTED = ("citation", "url", "doi", "pmid", "key", "source")


_QUOTED_IN_TEXT = re.compile(r"\[[a-z0-9][a-z0-9-]*\]|https?://\S+")  # [keys] and addresses


def _texts(value: Any, path: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield path, _QUOTED_IN_TEXT.sub(" ", value)
    elif isinstance(value, dict):
        for key, child in value.items():
            if key not in QUOTED:
                yield from _texts(child, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for i, child in enumerate(value):
            yield from _texts(child, f"{path}[{i}]")


def _document(name: str) -> Any:
    return yaml.safe_load(Path(bundled_file(name)).read_text("utf-8"))


@pytest.mark.parametrize("name", DATA_FILES)
def test_no_data_file_speaks_of_its_own_drafting(name: str) -> None:
    found = [(p, t) for p, t in _texts(_document(name)) if DRAFTING.search(t)]
    assert found == []


# The lexicon lists the words people type, first-person ones among them ("my", "me").
@pytest.mark.parametrize("name", DATA_FILES[:3])
def test_no_data_file_writes_in_the_first_person(name: str) -> None:
    found = [(p, FIRST_PERSON.search(t)) for p, t in _texts(_document(name))]
    assert [(p, m.group(0)) for p, m in found if m] == []


@pytest.mark.parametrize(
    "text",
    [
        "I could read only the abstract.",
        "From my knowledge of the full paper.",
        "We checked the label.",
        "Our reading of the guideline.",
        "This draft's reading of the table.",
        "Verify against the full text before release.",
        "The available copy of the table breaks off.",
        "Only its abstract was available.",
        "Coding for fluoroscopic guidance was not verified.",
    ],
)
def test_the_checks_catch_drafting_and_first_person(text: str) -> None:
    assert DRAFTING.search(text) or FIRST_PERSON.search(text)


@pytest.mark.parametrize(
    "text",
    [
        "CRPS type I",
        "Urits I, Schwartz RH.",
        "US Medicare coverage",
        "level I-II evidence",
        "despite the best available medicines",
        "a commercially available preparation",
    ],
)
def test_the_checks_leave_numerals_initials_and_the_us_alone(text: str) -> None:
    assert not DRAFTING.search(text) and not FIRST_PERSON.search(text)


def _urls(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        if isinstance(value.get("url"), str):
            yield value["url"]
        for child in value.values():
            yield from _urls(child)
    elif isinstance(value, list):
        for child in value:
            yield from _urls(child)


@pytest.mark.parametrize("name", DATA_FILES[:3])
def test_every_reference_url_is_an_accepted_kind_of_source(name: str) -> None:
    hosts, problems = read_hosts()
    assert problems == []
    assert [url for url in _urls(_document(name)) if not accepted(url, hosts)] == []


def test_the_host_list_refuses_mirrors_and_personal_pages() -> None:
    hosts, _ = read_hosts()
    assert accepted("https://pubmed.ncbi.nlm.nih.gov/29278603/", hosts)
    assert accepted(
        "https://www.cms.gov/medicare-coverage-database/view/lcd.aspx?lcdid=39240", hosts
    )
    for url in ("https://sites.google.com/view/x", "https://www.scribd.com/document/1",
                "https://medilib.ir/uptodate/show/1", "https://dokumen.tips/a"):  # fmt: skip
        assert not accepted(url, hosts), url


def test_validate_warns_about_a_reference_to_an_unlisted_host(
    write_dataset: Any, invoke: Any
) -> None:
    from .conftest import make_entry

    entry = make_entry(
        references=[{"key": "ref-a", "citation": "A copy.", "url": "https://www.scribd.com/d/1"}]
    )
    path = write_dataset([entry])
    result = invoke("validate", str(path))
    assert result.exit_code == 0
    assert "warning:" in result.stdout and "'www.scribd.com' is not on the list" in result.stdout


def test_the_host_of_every_reference_url_is_read_as_urllib_reads_it() -> None:
    """`validate` names the host of a url it warns about, and checks it against the list, without
    urllib: it must find the same host urllib would, for every bundled url and the awkward ones."""
    from urllib.parse import urlsplit

    from painref.store.hosts import host_of

    urls = {url for name in DATA_FILES[:3] for url in _urls(_document(name))}
    urls |= {
        "https://User:pw@Example.ORG:8443/a?b#c",
        "http://[2001:db8::1]:80/path",
        "https://www.ncbi.nlm.nih.gov?term=x",
        "https://example.org#frag",
        "https://example.org:443",
        "https://a.b.c.example.co.uk/x/y",
    }
    assert len(urls) > 300
    for url in sorted(urls):
        assert host_of(url) == (urlsplit(url).hostname or ""), url
