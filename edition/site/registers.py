"""Register pages: a page per person, place and organisation listing every document that mentions it
(with the part it plays there) and its authority links; an index per register; the bibliography."""

from __future__ import annotations

import re
from dataclasses import dataclass

from edition.corpus import NS, Corpus, Document, RegisterEntry, text_of
from edition.links import REGISTER_FOLDERS, short_title
from edition.site.header import Link, safe_url
from edition.site.render import SiteWriter

# Register kind → (page title, singular noun).
REGISTERS = {
    "person": ("Persons", "person"),
    "place": ("Places", "place"),
    "org": ("Organisations", "organisation"),
}

# How an authority identifier becomes a link; the pattern keeps anything odd as plain text.
AUTHORITIES = {
    "Wikidata": (re.compile(r"Q[0-9]+"), "https://www.wikidata.org/wiki/{}"),
    "VIAF": (re.compile(r"[0-9]+"), "https://viaf.org/viaf/{}/"),
    "GeoNames": (re.compile(r"[0-9]+"), "https://www.geonames.org/{}/"),
    "GND": (re.compile(r"[0-9X-]+"), "https://d-nb.info/gnd/{}"),
}


@dataclass(frozen=True)
class Authority:
    name: str
    value: str
    url: str | None


def authorities(entry: RegisterEntry) -> list[Authority]:
    found = []
    for name, value in sorted(entry.authorities.items()):
        known = AUTHORITIES.get(name)
        if known and known[0].fullmatch(value):
            url: str | None = known[1].format(value)
        else:
            url = safe_url(value) if name == "URI" else None
        found.append(Authority(name, value, url))
    return found


def variant_names(entry: RegisterEntry) -> list[str]:
    found = entry.element.xpath(
        "tei:persName[@type='variant'] | tei:placeName[@type='variant'] | tei:orgName[@type='variant']",
        namespaces=NS,
    )
    names = [text_of(e) for e in found] if isinstance(found, list) else []  # type: ignore[arg-type]
    return [n for n in names if n and n not in (entry.label, entry.short)]


@dataclass(frozen=True)
class Mention:
    document: Document
    title: str
    roles: tuple[str, ...]


def roles(document: Document, key: str) -> tuple[str, ...]:
    found = []
    if any(c.key == key for c in document.senders):
        found.append("sender")
    if any(c.key == key for c in document.recipients):
        found.append("recipient")
    if any(c.key == key for c in document.transmitters):
        found.append("transmitted it")
    places = [c.place_key for c in (*document.senders, *document.recipients)]
    if key in places:
        found.append("place of sending or receipt")
    return tuple(found) or ("mentioned",)


def mentions(corpus: Corpus, key: str) -> list[Mention]:
    return [Mention(d, short_title(corpus, d), roles(d, key)) for d in corpus.mentioned_in(key)]


def entries_of(corpus: Corpus, kind: str) -> list[RegisterEntry]:
    found = [e for e in corpus.entries.values() if e.kind == kind]
    return sorted(found, key=lambda e: (e.short.casefold(), e.label.casefold(), e.id))


def source_links(entry: RegisterEntry) -> list[Link]:
    found = entry.element.xpath(".//tei:ref[@target]", namespaces=NS)
    links = []
    for ref in found if isinstance(found, list) else []:
        if not hasattr(ref, "get"):
            continue
        url = safe_url(ref.get("target"))  # type: ignore[union-attr]
        if url:
            links.append(Link(text_of(ref) or url, url))  # type: ignore[arg-type]
    return links


def publish_registers(site: SiteWriter) -> None:
    """Every register page: the indexes, the bibliography and a page per entry."""
    publish_register_indexes(site)
    for entry in register_entries(site.corpus):
        publish_entry(site, entry)


def register_entries(corpus: Corpus) -> list[RegisterEntry]:
    """The entries that have a page of their own (persons, places, organisations)."""
    return [entry for kind in REGISTERS for entry in entries_of(corpus, kind)]


def publish_register_indexes(site: SiteWriter) -> None:
    """The index of each register and the bibliography (the sources register)."""
    corpus = site.corpus
    for kind, (title, noun) in REGISTERS.items():
        folder = REGISTER_FOLDERS[kind]
        entries = entries_of(corpus, kind)
        site.page(
            f"{folder}/index.html",
            "register_index.html",
            title=title,
            kind=kind,
            noun=noun,
            entries=[(e, len(corpus.mentioned_in(e.key))) for e in entries],
        )
    sources = entries_of(corpus, "source")
    site.page(
        "bibliography.html",
        "bibliography.html",
        title="Sources",
        sources=[
            (s, text_of(s.element), source_links(s), mentions(corpus, s.key)) for s in sources
        ],
    )


def publish_entry(site: SiteWriter, entry: RegisterEntry) -> None:
    """The page of one person, place or organisation."""
    title, noun = REGISTERS[entry.kind]
    site.page(
        f"{REGISTER_FOLDERS[entry.kind]}/{entry.id}.html",
        "register_entry.html",
        title=entry.label,
        register_title=title,
        kind=entry.kind,
        noun=noun,
        entry=entry,
        variants=variant_names(entry),
        authorities=authorities(entry),
        mentions=mentions(site.corpus, entry.key),
    )
