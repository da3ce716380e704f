"""The letters' metadata in the Correspondence Metadata Interchange Format (CMIF) 1.1, for correspSearch.

One correspDesc per document: sender and addressee (persName, or orgName for an office), the places of
sending and receiving, the date, and the document's canonical URL. Authority URIs come from the
registers, but only for the authority files the CMIF documentation names (persons and organisations:
VIAF, GND, LC, BnF, NDL; places: GeoNames); a register's Wikidata identifier is not one of them and is
left out. The transmitting office (TEI correspAction type="transmitted") has no place in CMIF.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable

from lxml import etree

from edition.config import Config
from edition.corpus import TEI_NS, Corpus, Correspondent, Document
from edition.harvest import layout
from edition.harvest.skeleton import Maker, slot, write_pieces
from edition.harvest.xmlout import tei as _t
from edition.harvest.xmlout import tei_sub as _sub
from edition.splice import Splice

LICENCE_TEXT = "This file is licensed under the terms of the Creative Commons License CC-BY 4.0"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"

# idno/@type in the registers → URI pattern, for the authority files the CMIF documentation accepts.
PERSON_AUTHORITIES = {
    "VIAF": "http://viaf.org/viaf/{}",
    "GND": "https://d-nb.info/gnd/{}",
    "LC": "http://id.loc.gov/authorities/names/{}",
    "BnF": "https://data.bnf.fr/ark:/12148/{}",
    "NDL": "https://id.ndl.go.jp/auth/ndlna/{}",
}
PLACE_AUTHORITIES = {"GeoNames": "https://www.geonames.org/{}"}


def bibl_id(config: Config) -> str:
    """A UUID for the edition's bibl that stays the same from build to build (derived from its URL)."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, config.edition.base_url))


def authority_uris(corpus: Corpus, key: str | None, patterns: dict[str, str]) -> list[str]:
    entry = corpus.entries.get(key) if key else None
    if entry is None:
        return []
    return [
        pattern.format(entry.authorities[kind])
        for kind, pattern in patterns.items()
        if entry.authorities.get(kind)
    ]


def _label(corpus: Corpus, key: str | None, name: str) -> str:
    entry = corpus.entries.get(key) if key else None
    return entry.label if entry is not None and entry.label else name or "Unknown"


def _action(
    corpus: Corpus,
    parent: etree._Element,
    kind: str,
    people: list[Correspondent],
    when: dt.date | None,
) -> None:
    action = _sub(parent, "correspAction", type=kind)
    if not people:
        _sub(action, "persName", "Unknown")
    for person in people:
        tag = "orgName" if (person.key or "").startswith("org:") else "persName"
        element = _sub(action, tag, _label(corpus, person.key, person.name))
        uris = authority_uris(corpus, person.key, PERSON_AUTHORITIES)
        if uris:
            element.set("ref", " ".join(uris))
    places = {(p.place_key, p.place_name) for p in people if p.place_key or p.place_name}
    for place_key, place_name in sorted(places, key=lambda p: (p[0] or "", p[1] or "")):
        element = _sub(action, "placeName", _label(corpus, place_key, place_name or ""))
        uris = authority_uris(corpus, place_key, PLACE_AUTHORITIES)
        if uris:
            element.set("ref", " ".join(uris))
    if when is not None:
        _sub(action, "date", when=when.isoformat())


def corresp_desc(corpus: Corpus, config: Config, document: Document) -> etree._Element:
    element = etree.Element(
        _t("correspDesc"),
        {"ref": config.document_url(document.id), "source": f"#{bibl_id(config)}"},
    )
    _action(corpus, element, "sent", document.senders, document.date)
    _action(corpus, element, "received", document.recipients, None)
    return element


def last_update(corpus: Corpus, config: Config) -> dt.date:
    """The latest change to any document, or the release date if that is later."""
    changes = [d.modified for d in corpus.documents if d.modified is not None]
    return max([config.edition.release_date, *changes])


def cmif_skeleton(corpus: Corpus, config: Config) -> etree._Element:
    """The CMIF file without its letters: a slot in profileDesc where their correspDescs go."""
    edition = config.edition
    root = etree.Element(_t("TEI"), nsmap={None: TEI_NS})  # type: ignore[dict-item]
    header = _sub(root, "teiHeader")
    file_desc = _sub(header, "fileDesc")
    title_stmt = _sub(file_desc, "titleStmt")
    _sub(title_stmt, "title", f"{edition.title}: index of letters (CMIF)")
    for number, name in enumerate(edition.editors):
        editor = _sub(title_stmt, "editor", name)
        if number == 0:
            _sub(editor, "email", config.oai.admin_email)
    publication = _sub(file_desc, "publicationStmt")
    _sub(publication, "publisher", edition.publisher)
    _sub(publication, "idno", f"{edition.base_url}{layout.CMIF}", type="url")
    _sub(publication, "date", when=f"{last_update(corpus, config).isoformat()}T00:00:00Z")
    availability = _sub(publication, "availability")
    _sub(availability, "licence", LICENCE_TEXT, target=LICENCE_URL)
    source_desc = _sub(file_desc, "sourceDesc")
    bibl = _sub(
        source_desc,
        "bibl",
        f"{edition.title}. Edited by {', '.join(edition.editors)}. {edition.publisher}, "
        f"version {edition.version}. ",
        type="online",
    )
    bibl.set("{http://www.w3.org/XML/1998/namespace}id", bibl_id(config))
    _sub(bibl, "ref", edition.base_url, target=edition.base_url)
    slot(_sub(header, "profileDesc"), "letters")
    body = _sub(_sub(root, "text"), "body")
    _sub(body, "p")
    return root


def write_cmif(
    splice: Splice, corpus: Corpus, config: Config, keys: Callable[[Document], str]
) -> None:
    """The CMIF file: one correspDesc per document, in chronological order."""
    letters = [(d.id, keys(d), _letter(corpus, config, d)) for d in corpus.documents]
    write_pieces(splice, cmif_skeleton(corpus, config), True, {"letters": letters})


def _letter(corpus: Corpus, config: Config, document: Document) -> Maker:
    return lambda holder: holder.append(corresp_desc(corpus, config, document))
