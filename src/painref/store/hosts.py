"""The maintained list of hosts a reference's url may point to (`data/reference-hosts.yaml`).

A clinical reference cites publishers and journals, PubMed and PMC, societies and government
bodies, hospitals, payers' policies, device and drug labels, and recognised clinical references;
`painref validate` warns about a url whose host is not on the list, so a personal page, a
document-sharing site or a mirror is caught before it ships.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Annotated, Literal

from ..errors import Problem
from ..model.procedure import Reference
from ..model.record import Meta, Record, record
from .paths import bundled_file

HostKind = Literal[
    "journal or publisher",
    "index",
    "university repository",
    "clinical reference",
    "society",
    "government",
    "hospital",
    "payer policy",
    "device or drug label",
]
HOSTS_FILE = "reference-hosts.yaml"


@record
class Host(Record):
    host: Annotated[str, Meta("a host name, without www.", r"^[a-z0-9.-]+\Z")]
    kind: HostKind


def read_hosts(path: str | None = None) -> tuple[frozenset[str], list[Problem]]:
    """The accepted hosts, and any problem with the list itself."""
    from .files import read_text

    name = path or bundled_file(HOSTS_FILE)
    problems: list[Problem] = []
    text = read_text(name, problems)
    if text is None:
        return frozenset(), problems
    hosts = _read_hosts(name, text, problems, lined=False)
    if problems:  # read again with line numbers, for the messages
        problems = []
        hosts = _read_hosts(name, text, problems, lined=True)
    return hosts, problems


def _read_hosts(name: str, text: str, problems: list[Problem], lined: bool) -> frozenset[str]:
    from ..model.schema import INVALID, build
    from .files import open_document, parse_document, reporter

    document = open_document(parse_document(text, name, problems, lined), name, "hosts",
                             ["hosts"], problems)  # fmt: skip
    if document is None:
        return frozenset()
    built = build(tuple[Host, ...], document["hosts"], "hosts", None, reporter(name, problems))
    return frozenset() if built is INVALID else frozenset(h.host for h in built)


def host_of(url: str) -> str:
    """A url's host name, lowercased, as `urllib.parse.urlsplit(url).hostname` gives it for the
    web addresses a reference holds (`http(s)://`, no spaces: the schema's pattern); "" when it
    has none. Taken apart by hand because importing urllib.parse (and the ipaddress module it
    loads) was a third of the time the host check took (a test holds it to urllib's answer)."""
    scheme, found, rest = url.partition("://")
    if not found or not scheme:
        return ""
    for end in "/?#":
        rest = rest.partition(end)[0]
    rest = rest.rpartition("@")[2]  # user:password@
    if rest.startswith("["):  # an IPv6 literal
        return rest[1 : rest.find("]")].lower() if "]" in rest else ""
    return rest.partition(":")[0].lower()


def accepted(url: str, hosts: frozenset[str]) -> bool:
    """Whether a url's host, or a parent domain of it, is on the list."""
    host = host_of(url).removeprefix("www.")
    parts = host.split(".")
    return any(".".join(parts[i:]) in hosts for i in range(len(parts) - 1))


def host_warnings(
    entries: Iterable[tuple[str, str, Sequence[Reference]]], hosts: frozenset[str]
) -> Iterator[Problem]:
    """A warning for each reference url not on the list; entries are (file, id, references)."""
    known: dict[str, bool] = {}  # most urls are cited by several entries: each is checked once
    for origin, entry_id, references in entries:
        for i, reference in enumerate(references):
            url = reference.url
            if url and url not in known:
                known[url] = accepted(url, hosts)
            if url and not known[url]:
                host = host_of(url) or url
                yield Problem(
                    origin,
                    None,
                    f"{entry_id}.references[{i}].url",
                    f"host {host!r} is not on the list of accepted sources ({HOSTS_FILE})",
                )
