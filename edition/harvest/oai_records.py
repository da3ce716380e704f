"""The records file that `edition serve` answers OAI-PMH requests from (see edition.oai.records)."""

from __future__ import annotations

from pathlib import Path

from edition.config import Config
from edition.corpus import Corpus
from edition.harvest import layout
from edition.harvest.oai_metadata import (
    FORMATS,
    datestamp,
    dublin_core,
    oai_identifier,
    set_specs,
    sets,
    tei_metadata,
)
from edition.harvest.xmlout import write_xml
from edition.oai.records import OaiSet, Record, Repository, to_xml


def oai_repository(corpus: Corpus, config: Config) -> Repository:
    """The repository as OAI-PMH shows it: one record per document, in chronological order."""
    records = tuple(
        Record(
            identifier=oai_identifier(config, document.id),
            datestamp=datestamp(document, config),
            sets=tuple(set_specs(document)),
            metadata={
                "oai_dc": dublin_core(document, corpus, config),
                "tei": tei_metadata(document),
            },
        )
        for document in corpus.documents
    )
    earliest = min((r.datestamp for r in records), default=config.edition.release_date)
    return Repository(
        name=config.oai.repository_name,
        admin_email=config.oai.admin_email,
        earliest_datestamp=earliest,
        formats=FORMATS,
        sets=tuple(OaiSet(spec, name) for spec, name in sets(corpus)),
        records=records,
    )


def publish_oai_records(corpus: Corpus, config: Config, site: Path) -> None:
    write_xml(site / layout.OAI_RECORDS, to_xml(oai_repository(corpus, config)), indent=False)
