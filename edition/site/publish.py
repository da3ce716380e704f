"""The site stage: from the checked Corpus to a complete static site in the staging folder.

Order matters only at the end: the Pagefind index is built from the finished reading pages. The
orchestrator (edition/build.py) builds into a staging folder and swaps it in only when every stage has
succeeded, so an error anywhere here leaves the previous build/ as it was.
"""

from __future__ import annotations

from edition.build import Output, terminal_progress
from edition.config import Config
from edition.corpus import Corpus
from edition.site.assets import publish_assets
from edition.site.pages import publish_documents, publish_front, publish_pictures, publish_table
from edition.site.registers import publish_registers
from edition.site.render import SiteWriter, environment
from edition.site.search import FALLBACK_INDEX, fallback_index, run_pagefind
from edition.transform import Transformer


def publish_site(corpus: Corpus, config: Config, output: Output) -> None:
    """Write the HTML edition into ``output.site``."""
    output.site.mkdir(parents=True, exist_ok=True)
    site = SiteWriter(corpus, config, output.site, environment(), terminal_progress)
    transformer = Transformer(config.xslt_dir, "web")  # compiled once for the whole build
    fragments = publish_documents(site, transformer)
    publish_table(site)
    publish_registers(site)
    publish_pictures(site)
    publish_front(site)
    publish_assets(site)
    site.text(FALLBACK_INDEX, fallback_index(corpus, fragments))
    site.progress(f"site: {site.written} files written; indexing for search")
    run_pagefind(output.site)
