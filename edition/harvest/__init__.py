"""The harvest stage: what libraries and aggregators take from the edition.

Writes into the built site (paths in ``edition.harvest.layout``): the TEI files, a ZIP and a teiCorpus of
them; CMIF for correspSearch; an OAI-PMH Static Repository; the records file `edition serve` answers
OAI-PMH requests from; sitemap.xml and robots.txt. It reads only the checked Corpus and never changes the
edition's files.
"""

from __future__ import annotations

from edition.build import Output
from edition.config import Config
from edition.corpus import Corpus
from edition.harvest.cmif import publish_cmif
from edition.harvest.oai_records import publish_oai_records
from edition.harvest.sitemap import publish_sitemap
from edition.harvest.static_repository import publish_static_repository
from edition.harvest.tei_files import publish_tei


def publish_harvest(corpus: Corpus, config: Config, output: Output) -> None:
    site = output.site
    site.mkdir(parents=True, exist_ok=True)
    publish_tei(corpus, config, site)
    publish_cmif(corpus, config, site)
    publish_static_repository(corpus, config, site)
    publish_oai_records(corpus, config, site)
    publish_sitemap(corpus, config, site)


__all__ = ["publish_harvest"]
