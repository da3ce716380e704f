"""The site stage: from the checked Corpus to a complete static site in the staging folder.

The reading pages come first (in worker processes for a large corpus, edition.parallel); the Pagefind
index is then built from them in the background while the corpus-wide pages are written (and, in a
build, the harvesting files: the build waits for it before swapping the staging folder in). The
orchestrator (edition/build.py) builds into a staging folder and swaps it in only when every stage has
succeeded, so an error anywhere here leaves the previous build/ as it was.

In an incremental build ``output.plan`` says which groups of pages are current (edition.incremental):
only the others are written, and every file written is recorded under its group.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from edition.build import Output, terminal_progress
from edition.config import Config
from edition.corpus import Corpus
from edition.incremental import Plan
from edition.site.assets import publish_assets
from edition.site.pages import (
    passages_of,
    publish_documents,
    publish_front,
    publish_pictures,
    publish_table,
)
from edition.site.registers import publish_entry, publish_register_indexes, register_entries
from edition.site.render import SiteWriter, environment
from edition.site.search import (
    FALLBACK_INDEX,
    PAGEFIND,
    SEARCH_INDEX,
    SHARDS_FILE,
    ShardIndexing,
    passages_in,
    shard_folder,
    shards,
    shards_file,
    write_fallback_index,
)
from edition.splice import Earlier, Splice


def publish_site(corpus: Corpus, config: Config, output: Output) -> None:
    """Write the HTML edition into ``output.site`` (only what ``output.plan`` says is stale).

    Given ``output.background``, the Pagefind index may still be being written when this returns
    (the build finishes it); otherwise it is complete.
    """
    started = time.perf_counter()
    output.site.mkdir(parents=True, exist_ok=True)
    plan = output.plan or Plan(output.site)
    site = SiteWriter(corpus, config, output.site, environment(), terminal_progress)
    stale = [d.id for d in corpus.documents if plan.stale(f"doc:{d.id}")]
    rendered = publish_documents(site, stale, output.jobs)
    for doc_id, result in rendered.items():
        plan.record(f"doc:{doc_id}", result.files)
    indexing = Indexing.start(output, plan, corpus)
    try:
        _publish_pages(site, plan)
        if plan.stale(SEARCH_INDEX):
            texts = {doc_id: result.passages for doc_id, result in rendered.items()}
            _publish_fallback_index(site, plan, texts)
        output.timings["site pages"] = time.perf_counter() - started
        if indexing is not None:
            site.progress(f"site: {site.written} files written; indexing for search")
            if output.background is not None:
                output.background.append(indexing)
            else:
                indexing.finish()
    except BaseException:
        if indexing is not None:
            indexing.stop()
        raise


@dataclass
class Indexing:
    """Pagefind indexing the shards of the search index whose pages changed, beside the rest of the
    build (edition.site.search); the list of shards (pagefind/shards.json) is written at once."""

    output: Output
    plan: Plan
    shards: ShardIndexing
    started: float

    @classmethod
    def start(cls, output: Output, plan: Plan, corpus: Corpus) -> Indexing | None:
        started = time.perf_counter()
        found = shards([d.id for d in corpus.documents])
        if plan.stale(PAGEFIND) and found:
            target = output.site / SHARDS_FILE
            target.parent.mkdir(parents=True, exist_ok=True)
            target.unlink(missing_ok=True)  # never write into the previous build's file
            target.write_text(shards_file(list(found)), encoding="utf-8")
            plan.record(PAGEFIND, [SHARDS_FILE])
        stale = {k: ids for k, ids in found.items() if plan.stale(f"{PAGEFIND}:{k}")}
        if not stale:
            return None
        plan.busy.update(shard_folder(k) for k in stale)
        primary = next(iter(found))
        indexing = ShardIndexing.start(output.site, stale, primary, output.jobs)
        return cls(output, plan, indexing, started)

    def finish(self) -> None:
        for shard, folder in zip(self.shards.shards, self.shards.finish(), strict=True):
            self.plan.busy.discard(folder)
            self.plan.record(f"{PAGEFIND}:{shard}", self.plan.listing(folder))
        # From its start: it runs beside the other pages and the harvest stage.
        self.output.timings["search index"] = time.perf_counter() - self.started

    def stop(self) -> None:
        self.shards.stop()


def _publish_pages(site: SiteWriter, plan: Plan) -> None:
    """The corpus-wide pages and the static files (one group), then the register entries' pages."""
    if plan.stale("pages"):
        first = len(site.paths)
        publish_table(site)
        publish_register_indexes(site)
        publish_pictures(site)
        publish_front(site)
        publish_assets(site)
        plan.record("pages", site.paths[first:])
    for entry in register_entries(site.corpus):
        group = f"entry:{entry.key}"
        if plan.stale(group):
            first = len(site.paths)
            publish_entry(site, entry)
            plan.record(group, site.paths[first:])


def _publish_fallback_index(
    site: SiteWriter, plan: Plan, texts: dict[str, list[tuple[str, str]]]
) -> None:
    """The file:// search index: the entries of the reading pages kept from the previous build are
    copied from its index (edition.splice), the others made from the pages just rendered (or, where
    the previous index cannot be used, transformed again)."""
    keys = plan.keys or {}
    earlier = Earlier.of(plan.previous_file(FALLBACK_INDEX), plan.previous_memo(SEARCH_INDEX))
    splice = Splice(earlier)

    def again(ids: list[str]) -> dict[str, list[tuple[str, str]]]:
        # Read back from the previous index (its pages are unchanged), or transformed again.
        previous = plan.previous_file(FALLBACK_INDEX)
        known = passages_in(previous) if previous is not None else {}
        found = {doc_id: known[doc_id] for doc_id in ids if doc_id in known}
        rest = [doc_id for doc_id in ids if doc_id not in found]
        if rest:
            found.update(passages_of(site, rest))
        return found

    data = write_fallback_index(
        splice, site.corpus, texts, lambda doc_id: keys.get(f"doc:{doc_id}", ""), again
    )
    site.bytes(FALLBACK_INDEX, data)
    plan.record(SEARCH_INDEX, [FALLBACK_INDEX], splice.memo(data) if keys else None)
