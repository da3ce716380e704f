"""What a document page's metadata panel shows that the Corpus does not hold: the header's own words.

The Corpus has the facts every stage needs (who, when, where, status). The reading page also shows the
sources as the header describes them, who translated and encoded the text, and the licence statement.
They are read here, once per document, from the tree the load stage already parsed (nothing is parsed
again), and only as text: a URL is kept only if it is an absolute http(s) address.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

from edition.corpus import NS, Document, text_of

_SAFE_URL = re.compile(r"^https?://[^\s\\\"'<>`]+$", re.IGNORECASE)


def safe_url(value: str | None) -> str | None:
    """``value`` if it is an absolute http(s) URL without spaces or quotes; otherwise None."""
    if value and _SAFE_URL.match(value) and not value.lower().startswith(("http:///", "https:///")):
        return value
    return None


@dataclass(frozen=True)
class Link:
    label: str
    url: str


@dataclass(frozen=True)
class SourceEntry:
    """One bibl of the header's sourceDesc."""

    kind: str  # archive | publication
    source_key: str | None  # "source:wcda", into the bibliography
    text: str
    links: tuple[Link, ...]


@dataclass(frozen=True)
class Responsibility:
    what: str
    who: str
    key: str | None


@dataclass(frozen=True)
class HeaderFacts:
    sources: tuple[SourceEntry, ...]
    responsibilities: tuple[Responsibility, ...]
    licence: str
    licence_url: str | None
    language: str
    editorial_declaration: str


def _elements(element: etree._Element, path: str) -> list[etree._Element]:
    found = element.xpath(path, namespaces=NS)
    return [e for e in found if isinstance(e, etree._Element)] if isinstance(found, list) else []


def _first_text(element: etree._Element, path: str) -> str:
    found = _elements(element, path)
    return text_of(found[0]) if found else ""


def _links(element: etree._Element) -> tuple[Link, ...]:
    links = []
    for ref in _elements(element, ".//tei:ref[@target]"):
        url = safe_url(ref.get("target"))
        if url:
            links.append(Link(text_of(ref) or url, url))
    return tuple(links)


def header_facts(document: Document) -> HeaderFacts:
    root = document.file.root
    header = _elements(root, "tei:teiHeader")
    if not header:
        return HeaderFacts((), (), "", None, "", "")
    head = header[0]
    sources = tuple(
        SourceEntry(
            kind=bibl.get("type", ""),
            source_key=bibl.get("corresp"),
            text=text_of(bibl),
            links=_links(bibl),
        )
        for bibl in _elements(head, "tei:fileDesc/tei:sourceDesc//tei:bibl")
    )
    responsibilities = []
    for statement in _elements(head, "tei:fileDesc/tei:titleStmt/tei:respStmt"):
        names = _elements(statement, "tei:name | tei:persName | tei:orgName")
        who = "; ".join(text_of(n) for n in names)
        key = names[0].get("ref") if names else None
        responsibilities.append(Responsibility(_first_text(statement, "tei:resp"), who, key))
    licences = _elements(head, "tei:fileDesc/tei:publicationStmt/tei:availability/tei:licence")
    return HeaderFacts(
        sources=sources,
        responsibilities=tuple(responsibilities),
        licence=text_of(licences[0]) if licences else "",
        licence_url=safe_url(licences[0].get("target")) if licences else None,
        language=_first_text(head, "tei:profileDesc/tei:langUsage/tei:language"),
        editorial_declaration=_first_text(head, "tei:encodingDesc/tei:editorialDecl"),
    )
