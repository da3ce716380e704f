"""The OAI-PMH Static Repository: one XML file with every record, for hosts with no dynamic server.

A Static Repository is harvested through a Static Repository Gateway, which answers the six OAI-PMH
requests from this file. The format's rules, kept here: granularity YYYY-MM-DD, no deleted records, no
sets in record headers, no resumption tokens, every record with a header and metadata, at most 5000
records. The gateway's base URL for this repository is the gateway's address followed by this file's URL
without its scheme; until a gateway is named (``[oai] static_gateway``), baseURL is this file's own URL.
"""

from __future__ import annotations

import copy
from collections.abc import Callable

from lxml import etree

from edition.config import Config
from edition.corpus import Corpus, Document
from edition.harvest import layout
from edition.harvest.oai_records import Records, repository_description
from edition.harvest.skeleton import Maker, slot, write_pieces
from edition.oai.records import Repository
from edition.splice import Splice

STATIC_NS = "http://www.openarchives.org/OAI/2.0/static-repository"
OAI_NS = "http://www.openarchives.org/OAI/2.0/"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
STATIC_SCHEMA = "http://www.openarchives.org/OAI/2.0/static-repository.xsd"
MAX_RECORDS = 5000


class StaticRepositoryError(Exception):
    pass


def static_base_url(config: Config) -> str:
    """The gateway's address followed by the file's URL; the file's own URL until a gateway is set."""
    own_url = f"{config.edition.base_url}{layout.STATIC_REPOSITORY}"
    gateway = config.oai.static_gateway
    if not gateway:
        return own_url
    return gateway.rstrip("/") + "/" + own_url.split("://", 1)[1]


def _o(tag: str) -> str:
    return f"{{{OAI_NS}}}{tag}"


def _s(tag: str) -> str:
    return f"{{{STATIC_NS}}}{tag}"


def _text(parent: etree._Element, tag: str, text: str) -> None:
    etree.SubElement(parent, tag).text = text


def static_repository(repository: Repository, base_url: str, count: int) -> etree._Element:
    """The Static Repository without its records: a slot in each ListRecords (one per format) for
    the ``count`` records."""
    if count > MAX_RECORDS:
        raise StaticRepositoryError(
            f"a Static Repository holds at most {MAX_RECORDS} records; this edition has "
            f"{count}: use `edition serve` instead"
        )
    namespaces: dict[str | None, str] = {None: STATIC_NS, "oai": OAI_NS, "xsi": XSI_NS}
    root = etree.Element(_s("Repository"), nsmap=namespaces)  # type: ignore[arg-type]
    root.set(f"{{{XSI_NS}}}schemaLocation", f"{STATIC_NS} {STATIC_SCHEMA}")
    identify = etree.SubElement(root, _s("Identify"))
    _text(identify, _o("repositoryName"), repository.name)
    _text(identify, _o("baseURL"), base_url)
    _text(identify, _o("protocolVersion"), "2.0")
    _text(identify, _o("adminEmail"), repository.admin_email)
    _text(identify, _o("earliestDatestamp"), repository.earliest_datestamp.isoformat())
    _text(identify, _o("deletedRecord"), "no")
    _text(identify, _o("granularity"), "YYYY-MM-DD")
    formats = etree.SubElement(root, _s("ListMetadataFormats"))
    for fmt in repository.formats:
        element = etree.SubElement(formats, _o("metadataFormat"))
        _text(element, _o("metadataPrefix"), fmt.prefix)
        _text(element, _o("schema"), fmt.schema)
        _text(element, _o("metadataNamespace"), fmt.namespace)
    if not count:
        return root
    for fmt in repository.formats:
        slot(etree.SubElement(root, _s("ListRecords"), {"metadataPrefix": fmt.prefix}), fmt.prefix)
    return root


def write_static_repository(
    splice: Splice,
    corpus: Corpus,
    config: Config,
    records: Records,
    keys: Callable[[Document], str],
) -> None:
    """The Static Repository: its description, then each document's record in every format."""
    description = repository_description(corpus, config)
    skeleton = static_repository(description, static_base_url(config), len(corpus.documents))
    pieces = {
        fmt.prefix: [
            (f"{fmt.prefix}/{d.id}", keys(d), _record(records, d, fmt.prefix))
            for d in corpus.documents
        ]
        for fmt in description.formats
    }
    write_pieces(splice, skeleton, False, pieces)


def _record(records: Records, document: Document, prefix: str) -> Maker:
    def make(holder: etree._Element) -> None:
        record = records.of(document)
        element = etree.SubElement(holder, _o("record"))
        header = etree.SubElement(element, _o("header"))
        _text(header, _o("identifier"), record.identifier)
        _text(header, _o("datestamp"), record.datestamp.isoformat())
        metadata = etree.SubElement(element, _o("metadata"))
        metadata.append(copy.deepcopy(record.metadata[prefix]))

    return make
