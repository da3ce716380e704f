"""A volume of *Foreign Relations of the United States* in the Office of the Historian's TEI
(github.com/HistoryAtState/frus, ``volumes/<volume id>.xml``), read as untrusted input.

What the importer relies on, as the Office of the Historian encodes it:

- the volume id in ``teiHeader//publicationStmt/idno[@type='frus']`` (and on the root's ``xml:id``);
- its title in ``titleStmt/title[@type='complete']``;
- one ``div[@type='document']`` per document, ``xml:id`` ``d1``, ``d2`` …, ``@n`` its number,
  ``@subtype`` ``historical-document`` (or ``editorial-note`` …);
- the persons list, ``div[@xml:id='persons']``: ``item/hi/persName[@xml:id]`` with the name inverted
  ("Kennedy, John F.") and the description after it; names in documents point to it with
  ``persName/@corresp="#p_…"``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

from edition.corpus import TEI_NS, XML_ID, text_of
from edition.editing.errors import EditingError
from edition.xmlsafe import ParseFailure, parse_bytes

FRUS_NS = "http://history.state.gov/frus/ns/1.0"
HISTORICAL_DOCUMENTS = "https://history.state.gov/historicaldocuments/"
NS = {"tei": TEI_NS, "frus": FRUS_NS}
VOLUME_ID = re.compile(r"frus[0-9A-Za-z-]+")
_AUTHORITY_URL = re.compile(
    r"https?://(?:www\.)?(?:(?P<wikidata>wikidata\.org/(?:wiki|entity)/)(?P<q>Q[1-9][0-9]*)"
    r"|(?P<viaf>viaf\.org/viaf/)(?P<v>[1-9][0-9]*))"
)


@dataclass(frozen=True)
class FrusPerson:
    """One entry of the volume's persons list."""

    id: str
    listed: str  # as listed: "Kennedy, John F."
    description: str
    authorities: dict[str, str] = field(
        default_factory=dict
    )  # Wikidata/VIAF, when the volume has them

    @property
    def name(self) -> str:
        """The name in natural order: "John F. Kennedy"; "Llewellyn E. Thompson, Jr."."""
        parts = [p.strip() for p in self.listed.split(",")]
        if len(parts) < 2 or not parts[1]:
            return self.listed
        natural = f"{parts[1]} {parts[0]}"
        return ", ".join([natural, *parts[2:]]) if len(parts) > 2 else natural

    @property
    def surname(self) -> str:
        return self.listed.split(",")[0].strip()


@dataclass
class Volume:
    id: str
    title: str
    persons: dict[str, FrusPerson]
    documents: dict[str, etree._Element]

    def url(self, document: str | None = None) -> str:
        return document_url(self.id, document)


def document_url(volume: str, document: str | None = None) -> str:
    return HISTORICAL_DOCUMENTS + volume + (f"/{document}" if document else "")


def _all(element: etree._Element, path: str) -> list[etree._Element]:
    found = element.xpath(path, namespaces=NS)
    return [e for e in found if isinstance(e, etree._Element)] if isinstance(found, list) else []


def read_volume(data: bytes, name: str) -> Volume:
    """Parse a FRUS volume safely; anything that is not one is an EditingError saying why."""
    parsed = parse_bytes(data)
    if isinstance(parsed, ParseFailure):
        raise EditingError(
            f"{name} cannot be read as a FRUS volume: line {parsed.line}, column {parsed.column}: "
            f"{parsed.message}"
        )
    root = parsed.getroot()
    if etree.QName(root).namespace != TEI_NS or etree.QName(root).localname != "TEI":
        raise EditingError(
            f"{name} is not a FRUS volume: its root element is {{{etree.QName(root).namespace or ''}}}"
            f"{etree.QName(root).localname}, not a TEI element (the Office of the Historian's "
            "volumes are TEI files such as volumes/frus1961-63v06.xml)"
        )
    volume_id = _volume_id(root)
    if volume_id is None:
        raise EditingError(
            f"{name} is a TEI file but not a FRUS volume: it has no "
            '<idno type="frus"> (a volume id such as frus1961-63v06) in its publicationStmt'
        )
    titles = _all(root, "tei:teiHeader/tei:fileDesc/tei:titleStmt/tei:title[@type='complete']")
    titles = titles or _all(root, "tei:teiHeader/tei:fileDesc/tei:titleStmt/tei:title")
    title = text_of(titles[0]) if titles else volume_id
    documents = {
        d.get(XML_ID, ""): d for d in _all(root, "tei:text//tei:div[@type='document'][@xml:id]")
    }
    if not documents:
        raise EditingError(f'{name} ({volume_id}) holds no documents (div type="document")')
    return Volume(volume_id, title, _persons(root), documents)


def _volume_id(root: etree._Element) -> str | None:
    for idno in _all(root, "tei:teiHeader//tei:publicationStmt/tei:idno[@type='frus']"):
        value = text_of(idno)
        if VOLUME_ID.fullmatch(value):
            return value
    root_id = root.get(XML_ID, "")
    return root_id if VOLUME_ID.fullmatch(root_id) else None


def _persons(root: etree._Element) -> dict[str, FrusPerson]:
    persons: dict[str, FrusPerson] = {}
    for name in _all(root, ".//tei:div[@xml:id='persons']//tei:persName[@xml:id]"):
        item = next((a for a in name.iterancestors() if etree.QName(a).localname == "item"), None)
        listed = text_of(name)
        description = ""
        if item is not None:
            whole = text_of(item)
            description = whole[whole.find(listed) + len(listed) :] if listed in whole else whole
            description = description.lstrip(" ,;:").strip()
        persons[name.get(XML_ID, "")] = FrusPerson(
            name.get(XML_ID, ""), listed, description, _authorities(name, item)
        )
    return persons


def _authorities(name: etree._Element, item: etree._Element | None) -> dict[str, str]:
    """Wikidata/VIAF identifiers the volume gives for a person (``@ref``/``@sameAs`` or ``idno``)."""
    found: dict[str, str] = {}
    for element in (name, item):
        if element is None:
            continue
        for attribute in ("ref", "sameAs", "key"):
            for token in (element.get(attribute) or "").split():
                match = _AUTHORITY_URL.match(token)
                if match and match.group("q"):
                    found["Wikidata"] = match.group("q")
                elif match and match.group("v"):
                    found["VIAF"] = match.group("v")
        for idno in _all(element, "tei:idno[@type]"):
            found[idno.get("type", "")] = text_of(idno)
    return found
