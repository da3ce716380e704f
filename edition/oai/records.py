"""The records file: everything `edition serve` answers OAI-PMH requests from.

The harvest stage writes it into the built site (``harvest/oai-records.xml``); the server reads only this
file, never the TEI. It holds the repository's description, the metadata formats, the sets, and every
record with its identifier, datestamp, sets and metadata in each format. Its SHA-256 is the record set's
fingerprint: a resumption token issued for one record set is refused for another.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from edition.xmlsafe import ParseFailure, parse_bytes

RECORDS_NS = "urn:x-edition-builder:oai-records"


def _r(tag: str) -> str:
    return f"{{{RECORDS_NS}}}{tag}"


@dataclass(frozen=True)
class MetadataFormat:
    prefix: str
    schema: str
    namespace: str


@dataclass(frozen=True)
class OaiSet:
    spec: str
    name: str


@dataclass(frozen=True)
class Record:
    identifier: str
    datestamp: dt.date
    sets: tuple[str, ...]
    metadata: Mapping[str, etree._Element]  # metadataPrefix → the metadata's root element

    def in_set(self, spec: str) -> bool:
        """Membership, hierarchy included: a record in ``type:letter`` is also in ``type``."""
        return any(s == spec or s.startswith(spec + ":") for s in self.sets)


@dataclass(frozen=True)
class Repository:
    name: str
    admin_email: str
    earliest_datestamp: dt.date
    formats: tuple[MetadataFormat, ...]
    sets: tuple[OaiSet, ...]
    records: tuple[Record, ...]
    fingerprint: str = ""
    _by_identifier: dict[str, Record] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._by_identifier.update({r.identifier: r for r in self.records})

    def record(self, identifier: str) -> Record | None:
        return self._by_identifier.get(identifier)

    def format(self, prefix: str) -> MetadataFormat | None:
        return next((f for f in self.formats if f.prefix == prefix), None)


class RecordsError(Exception):
    """The records file is missing or not what the build writes; the message says which."""


def to_xml(repository: Repository) -> etree._Element:
    root = etree.Element(
        _r("records"),
        {
            "repositoryName": repository.name,
            "adminEmail": repository.admin_email,
            "earliestDatestamp": repository.earliest_datestamp.isoformat(),
        },
        nsmap={None: RECORDS_NS},  # type: ignore[dict-item]
    )
    for fmt in repository.formats:
        etree.SubElement(
            root,
            _r("format"),
            {"prefix": fmt.prefix, "schema": fmt.schema, "namespace": fmt.namespace},
        )
    for oai_set in repository.sets:
        etree.SubElement(root, _r("set"), {"spec": oai_set.spec, "name": oai_set.name})
    for record in repository.records:
        element = etree.SubElement(
            root,
            _r("record"),
            {"identifier": record.identifier, "datestamp": record.datestamp.isoformat()},
        )
        for spec in record.sets:
            etree.SubElement(element, _r("setSpec")).text = spec
        for prefix, metadata in record.metadata.items():
            holder = etree.SubElement(element, _r("metadata"), {"prefix": prefix})
            holder.append(copy.deepcopy(metadata))
    return root


def _attribute(element: etree._Element, name: str) -> str:
    value = element.get(name)
    if not value:
        raise RecordsError(f"<{etree.QName(element).localname}> has no {name} attribute")
    return value


def _date(element: etree._Element, name: str) -> dt.date:
    try:
        return dt.date.fromisoformat(_attribute(element, name))
    except ValueError as error:
        raise RecordsError(f"{name} is not a date: {error}") from None


def from_bytes(data: bytes) -> Repository:
    parsed = parse_bytes(data)
    if isinstance(parsed, ParseFailure):
        raise RecordsError(
            f"not well-formed XML at {parsed.line}:{parsed.column}: {parsed.message}"
        )
    root = parsed.getroot()
    if root.tag != _r("records"):
        raise RecordsError(f"the root element is {root.tag}, not {_r('records')}")
    formats = tuple(
        MetadataFormat(_attribute(e, "prefix"), _attribute(e, "schema"), _attribute(e, "namespace"))
        for e in root.iterchildren(_r("format"))
    )
    sets = tuple(
        OaiSet(_attribute(e, "spec"), _attribute(e, "name")) for e in root.iterchildren(_r("set"))
    )
    records = []
    for element in root.iterchildren(_r("record")):
        metadata = {}
        for holder in element.iterchildren(_r("metadata")):
            children = [c for c in holder if isinstance(c.tag, str)]
            if len(children) != 1:
                raise RecordsError("a <metadata> element must hold exactly one element")
            metadata[_attribute(holder, "prefix")] = children[0]
        records.append(
            Record(
                identifier=_attribute(element, "identifier"),
                datestamp=_date(element, "datestamp"),
                sets=tuple((s.text or "").strip() for s in element.iterchildren(_r("setSpec"))),
                metadata=metadata,
            )
        )
    return Repository(
        name=_attribute(root, "repositoryName"),
        admin_email=_attribute(root, "adminEmail"),
        earliest_datestamp=_date(root, "earliestDatestamp"),
        formats=formats,
        sets=sets,
        records=tuple(records),
        fingerprint=hashlib.sha256(data).hexdigest()[:32],
    )


def load(path: Path) -> Repository:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise RecordsError(
            f"{path} cannot be read ({error.strerror}); run `edition build` first"
        ) from None
    try:
        return from_bytes(data)
    except RecordsError as error:
        raise RecordsError(f"{path}: {error}") from None
