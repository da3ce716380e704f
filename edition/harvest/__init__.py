"""The harvest stage: what libraries and aggregators take from the edition.

Writes into the built site (paths in ``edition.harvest.layout``): the TEI files, a ZIP and a teiCorpus of
them; CMIF for correspSearch; an OAI-PMH Static Repository; the records file `edition serve` answers
OAI-PMH requests from; sitemap.xml and robots.txt. It reads only the checked Corpus and never changes the
edition's files.

In a build (``output.plan``, edition.incremental) each TEI file's copy is a group of its own, written
again only when the file changed; the corpus-wide files are one group ("harvest"), written again when
any TEI file changed, from per-document pieces of which only those of changed documents are made anew
(edition.splice): the rest are copied from the previous build's files.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from edition.build import Output
from edition.config import Config
from edition.corpus import Corpus, Document, SourceFile
from edition.harvest import layout
from edition.harvest.cmif import write_cmif
from edition.harvest.oai_records import Records, write_oai_records
from edition.harvest.sitemap import robots, write_sitemap
from edition.harvest.static_repository import write_static_repository
from edition.harvest.tei_files import (
    PublishedFile,
    corpus_files,
    publish_copy,
    publish_schema,
    write_tei_corpus,
    write_zip,
)
from edition.incremental import Plan
from edition.splice import Earlier, Splice

HARVEST = "harvest"  # the group of the corpus-wide files


def publish_harvest(corpus: Corpus, config: Config, output: Output) -> None:
    site = output.site
    site.mkdir(parents=True, exist_ok=True)
    plan = output.plan or Plan(site)
    files = corpus_files(corpus, config)
    for published in files:
        group = f"download:{published.label}"
        if plan.stale(group):
            plan.record(group, [publish_copy(published, site)])
    if plan.stale(HARVEST):
        spliced = SplicedFiles(site, plan)
        written = publish_schema(config, site)
        written += spliced.corpus_wide(corpus, config, files)
        (site / layout.ROBOTS).unlink(missing_ok=True)
        (site / layout.ROBOTS).write_text(robots(config), encoding="utf-8")
        written.append(layout.ROBOTS)
        plan.record(HARVEST, written, spliced.memo())


class SplicedFiles:
    """The corpus-wide files, each written from pieces (those of the previous build where unchanged).

    The pieces' keys come from the plan (edition.incremental.site_keys): a file's copy is keyed on its
    bytes ("download:<label>"), a document's records on its file, facts and register entries
    ("record:<id>"). Without keys (a stage run outside a build) every piece is made and nothing kept.
    The previous build's pieces are used only if it was made by the same tool, configuration and
    libraries (the "basis"), and only from files that are still the ones its memo describes.
    """

    def __init__(self, site: Path, plan: Plan) -> None:
        self.site, self.plan = site, plan
        self.keys = plan.keys or {}
        # What every piece depends on: the tool, its libraries, the configuration (see site_keys).
        self.basis = self.keys.get("harvest-basis", "")
        earlier = plan.previous_memo(HARVEST)
        self.earlier: dict[str, Any] = earlier if isinstance(earlier, dict) else {}
        self.files: dict[str, Any] = {}

    def write(self, relative: str, write: Callable[[Splice], None], basis: str = "") -> str:
        """Write one file; ``write`` fills the Splice it is given."""
        basis = f"{self.basis}{basis}"
        known = self.earlier.get("files", {}).get(relative)
        same_basis = isinstance(known, dict) and known.get("basis") == basis
        earlier = Earlier.of(self.plan.previous_file(relative), known) if same_basis else None
        splice = Splice(earlier)
        write(splice)
        memo = splice.write(self.site / relative)  # replaces the file, never writes into it
        if self.keys:
            self.files[relative] = {"basis": basis, **memo}
        return relative

    def memo(self) -> dict[str, Any] | None:
        return {"files": self.files} if self.keys else None

    def corpus_wide(self, corpus: Corpus, config: Config, files: list[PublishedFile]) -> list[str]:
        """The ZIP, teiCorpus, CMIF, Static Repository, OAI-PMH records and sitemap."""
        by_file = {id(published.source): published for published in files}
        records = Records(corpus, config)

        def of_file(published: PublishedFile) -> str:
            return self.keys.get(f"download:{published.label}", "")

        def of_source(source: SourceFile) -> tuple[str, str]:
            published = by_file[id(source)]
            return published.label, of_file(published)

        def of_document(document: Document) -> str:
            return self.keys.get(f"record:{document.id}", "")

        stamp = config.edition.release_date
        return [
            self.write(
                layout.TEI_ZIP,
                lambda s: write_zip(s, files, of_file, stamp),
                basis=f" zlib {zlib.ZLIB_RUNTIME_VERSION} {stamp.isoformat()}",
            ),
            self.write(layout.TEI_CORPUS, lambda s: write_tei_corpus(s, corpus, config, of_source)),
            self.write(layout.CMIF, lambda s: write_cmif(s, corpus, config, of_document)),
            self.write(
                layout.STATIC_REPOSITORY,
                lambda s: write_static_repository(s, corpus, config, records, of_document),
            ),
            self.write(
                layout.OAI_RECORDS,
                lambda s: write_oai_records(s, corpus, config, records, of_document),
            ),
            self.write(layout.SITEMAP, lambda s: write_sitemap(s, corpus, config, self.site)),
        ]


__all__ = ["publish_harvest"]
