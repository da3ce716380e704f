"""What the edition says about each document to OAI-PMH harvesters: identifiers, datestamps, sets,
and the two metadata formats (Dublin Core and the document's own TEI).

Shared by the records file `edition serve` answers from and by the Static Repository file, so both say
the same thing about the same document.
"""

from __future__ import annotations

import copy
import datetime as dt
from urllib.parse import urlsplit

from lxml import etree

from edition.config import Config
from edition.corpus import Corpus, Document
from edition.harvest import layout
from edition.oai.records import MetadataFormat

OAI_DC_NS = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC_NS = "http://purl.org/dc/elements/1.1/"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
TEI_NS = "http://www.tei-c.org/ns/1.0"


OAI_DC = MetadataFormat("oai_dc", "http://www.openarchives.org/OAI/2.0/oai_dc.xsd", OAI_DC_NS)
TEI = MetadataFormat(
    "tei", "https://tei-c.org/release/xml/tei/custom/schema/xsd/tei_all.xsd", TEI_NS
)
FORMATS = (OAI_DC, TEI)

# Names of the sets by document type (text/@type is a closed list); other values are named as written.
TYPE_NAMES = {
    "letter": "Letters",
    "telegram": "Telegrams",
    "cable": "Cables",
    "message": "Messages",
}


def repository_identifier(config: Config) -> str:
    """The host name of the edition: the middle part of every record's oai-identifier."""
    return urlsplit(config.edition.base_url).hostname or "localhost"


def oai_identifier(config: Config, doc_id: str) -> str:
    return f"oai:{repository_identifier(config)}:{doc_id}"


def datestamp(document: Document, config: Config) -> dt.date:
    """When the record last changed: the latest revisionDesc/change, else the edition's release date."""
    return document.modified or config.edition.release_date


def _correspondent_id(key: str | None) -> str | None:
    if not key or ":" not in key:
        return None
    return key.partition(":")[2] or None


def set_specs(document: Document) -> list[str]:
    """The sets a document belongs to: its type, and each of its correspondents (sender, recipient)."""
    specs = [f"type:{document.type}"] if document.type else []
    for person in document.senders + document.recipients:
        entry_id = _correspondent_id(person.key)
        if entry_id and f"correspondent:{entry_id}" not in specs:
            specs.append(f"correspondent:{entry_id}")
    return specs


def sets(corpus: Corpus) -> list[tuple[str, str]]:
    """(setSpec, setName) of every set that has members, the two parent sets first."""
    types: set[str] = set()
    correspondents: dict[str, str] = {}
    for document in corpus.documents:
        if document.type:
            types.add(document.type)
        for person in document.senders + document.recipients:
            entry_id = _correspondent_id(person.key)
            if entry_id and entry_id not in correspondents:
                entry = corpus.entries.get(person.key or "")
                correspondents[entry_id] = entry.label if entry is not None else person.name
    found: list[tuple[str, str]] = []
    if types:
        found.append(("type", "Documents by type"))
        found += [(f"type:{t}", TYPE_NAMES.get(t, t.capitalize())) for t in sorted(types)]
    if correspondents:
        found.append(("correspondent", "Documents by correspondent"))
        found += [
            (f"correspondent:{key}", f"Correspondence of {name}")
            for key, name in sorted(correspondents.items())
        ]
    return found


def _name(corpus: Corpus, key: str | None, name: str) -> str:
    entry = corpus.entries.get(key) if key else None
    return entry.label if entry is not None and entry.label else name


def dublin_core(document: Document, corpus: Corpus, config: Config) -> etree._Element:
    """Simple Dublin Core for a document: who wrote to whom, when, what about, and where to read it."""
    root = etree.Element(
        f"{{{OAI_DC_NS}}}dc",
        nsmap={"oai_dc": OAI_DC_NS, "dc": DC_NS, "xsi": XSI_NS},
    )
    root.set(f"{{{XSI_NS}}}schemaLocation", f"{OAI_DC_NS} {OAI_DC.schema}")

    def add(tag: str, text: str) -> None:
        if text:
            etree.SubElement(root, f"{{{DC_NS}}}{tag}").text = text

    add("title", document.title)
    for person in document.senders:
        add("creator", _name(corpus, person.key, person.name))
    for person in document.recipients:  # the addressee, as correspondence catalogues record them
        add("contributor", _name(corpus, person.key, person.name))
    add("description", document.abstract)
    for keyword in document.keywords:
        add("subject", keyword)
    if document.date is not None:
        add("date", document.date.isoformat())
    add("type", "Text")
    add("type", document.type)
    add("format", "application/tei+xml")
    add("identifier", config.document_url(document.id))
    add("identifier", f"{config.edition.base_url}{layout.TEI_FOLDER}/{document.id}.xml")
    add("language", document.language)
    add("publisher", config.edition.publisher)
    for key in sorted(k for k in document.mentions if k.startswith("source:")):
        entry = corpus.entries.get(key)
        if entry is not None:
            add("source", entry.label)
    add("relation", config.edition.base_url)
    add("rights", config.edition.licence_url)
    return root


def tei_metadata(document: Document) -> etree._Element:
    """The document's TEI element, as published (processing instructions outside it left behind)."""
    return copy.deepcopy(document.file.root)
