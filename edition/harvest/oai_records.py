"""The records file that `edition serve` answers OAI-PMH requests from (see edition.oai.records).

Also the records themselves, shared with the Static Repository: one per document, in chronological
order, made only when asked for (a rebuild copies the pieces of unchanged documents, see
edition.splice).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from lxml import etree

from edition.config import Config
from edition.corpus import Corpus, Document
from edition.harvest.oai_metadata import (
    FORMATS,
    datestamp,
    dublin_core,
    oai_identifier,
    set_specs,
    sets,
    tei_metadata,
)
from edition.harvest.skeleton import Maker, slot, write_pieces
from edition.oai.records import OaiSet, Record, Repository, to_xml
from edition.splice import Splice


class Records:
    """Each document's OAI-PMH record, made on first use."""

    def __init__(self, corpus: Corpus, config: Config) -> None:
        self.corpus, self.config = corpus, config
        self._made: dict[str, Record] = {}

    def of(self, document: Document) -> Record:
        if document.id not in self._made:
            self._made[document.id] = Record(
                identifier=oai_identifier(self.config, document.id),
                datestamp=datestamp(document, self.config),
                sets=tuple(set_specs(document)),
                metadata={
                    "oai_dc": dublin_core(document, self.corpus, self.config),
                    "tei": tei_metadata(document),
                },
            )
        return self._made[document.id]


def repository_description(corpus: Corpus, config: Config) -> Repository:
    """The repository as OAI-PMH describes it (name, formats, sets …), without its records."""
    stamps = [datestamp(d, config) for d in corpus.documents]
    return Repository(
        name=config.oai.repository_name,
        admin_email=config.oai.admin_email,
        earliest_datestamp=min(stamps, default=config.edition.release_date),
        formats=FORMATS,
        sets=tuple(OaiSet(spec, name) for spec, name in sets(corpus)),
        records=(),
    )


def oai_repository(corpus: Corpus, config: Config) -> Repository:
    """The repository as OAI-PMH shows it: one record per document, in chronological order."""
    records = Records(corpus, config)
    return dataclasses.replace(
        repository_description(corpus, config),
        records=tuple(records.of(d) for d in corpus.documents),
    )


def write_oai_records(
    splice: Splice,
    corpus: Corpus,
    config: Config,
    records: Records,
    keys: Callable[[Document], str],
) -> None:
    """The records file: the repository's description, then every record (written as to_xml does)."""
    description = repository_description(corpus, config)
    skeleton = to_xml(description)
    slot(skeleton, "records")
    pieces = [(d.id, keys(d), _record(description, records, d)) for d in corpus.documents]
    write_pieces(splice, skeleton, False, {"records": pieces})


def _record(description: Repository, records: Records, document: Document) -> Maker:
    def make(holder: etree._Element) -> None:
        # to_xml of a repository holding this record alone (and no formats or sets, which the record
        # does not need), so the record is written exactly as edition.oai.records writes (and reads) it.
        alone = dataclasses.replace(
            description, formats=(), sets=(), records=(records.of(document),)
        )
        holder.append(to_xml(alone)[-1])

    return make
