"""Full-text search with no server.

Served over http(s), the search page uses Pagefind: its index (``pagefind/``, in shards that the page
merges: see below) is built here from the finished reading pages, offline, by the ``pagefind`` binary
that the PyPI package ``pagefind_bin`` ships. Opened from the file system, a browser will not let Pagefind load its index (modules and fetch
are refused for ``file://``), so the page falls back to a compact index of the same texts written as a
script (``search-index.js``) that a plain <script> element can load. Both search the reading pages
only, and both filter by correspondent and document type. In an incremental build, only the shards
whose pages changed are indexed again, and the file:// index is spliced from per-document entries
(edition.splice).
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import shlex
import subprocess
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from lxml import html

from edition.corpus import Corpus, Document
from edition.links import correspondent_name, document_path, short_title
from edition.site.pagefind_order import stabilise
from edition.site.render import iso_date, long_date, type_label
from edition.splice import Splice

FALLBACK_INDEX = "search-index.js"
SEARCH_INDEX = "search-index"  # its group in an incremental build (edition.incremental)


class SearchIndexError(Exception):
    """Pagefind failed; the message carries what it said."""


def passages(fragment: str) -> list[tuple[str, str]]:
    """(anchor, text) for every paragraph and note of a rendered text, in reading order."""
    if not fragment.strip():
        return []
    tree = html.fragment_fromstring(fragment, create_parent="div")
    found: list[tuple[str, str]] = []
    for element in tree.iter("p", "li"):
        classes = (element.get("class") or "").split()
        if element.tag == "li" and "note" not in classes:
            continue
        if element.tag == "p" and element.getparent() is not None and element.xpath("ancestor::li"):
            continue
        parts = []
        for node in element.xpath(
            ".//text()[not(ancestor::*[@class='para-n'])"
            " and not(ancestor::*[@role='doc-backlink'])"
            " and not(ancestor::*[@class='sic'])]"
        ):
            parts.append(str(node))
        text = " ".join("".join(parts).split())
        if text:
            found.append((element.get("id") or "", text))
    return found


def fallback_index(corpus: Corpus, fragments: dict[str, str]) -> str:
    """The search index for file:// readers, as a script that sets one global."""
    return fallback_index_of(
        corpus, {d.id: passages(fragments.get(d.id, "")) for d in corpus.documents}
    )


def fallback_index_of(corpus: Corpus, texts: Mapping[str, Sequence[tuple[str, str]]]) -> str:
    """The same, from each document's passages (see :func:`passages`)."""
    data = write_fallback_index(Splice(), corpus, texts, lambda _doc_id: "")
    return data.decode("ascii")


def fallback_entry(corpus: Corpus, document: Document, texts: Sequence[tuple[str, str]]) -> bytes:
    """One document in the file:// search index: plain ASCII, and no "<", so nothing in it can end a
    script element or confuse a parser."""
    correspondents = [
        correspondent_name(corpus, c.key, c.name) for c in (*document.senders, *document.recipients)
    ]
    entry = {
        "url": document_path(document.id),
        "number": document.number,
        "title": short_title(corpus, document),
        "date": iso_date(document.date),
        "dateText": long_date(document.date),
        "type": type_label(document.type),
        "correspondents": list(dict.fromkeys(correspondents)),
        "summary": document.abstract,
        "passages": [list(p) for p in texts],
    }
    text = json.dumps(entry, ensure_ascii=True, separators=(",", ":")).replace("<", "\\u003c")
    return text.encode("ascii")


def write_fallback_index(
    splice: Splice,
    corpus: Corpus,
    texts: Mapping[str, Sequence[tuple[str, str]]],
    keys: Callable[[str], str],
    again: Callable[[list[str]], Mapping[str, Sequence[tuple[str, str]]]] | None = None,
) -> bytes:
    """The file:// search index, one piece per document (edition.splice), keyed by ``keys`` (the key of
    the document's reading page). A document whose piece cannot be copied from the previous index and
    whose passages are not in ``texts`` has them made by ``again``."""
    missing = [
        d.id for d in corpus.documents if d.id not in texts and not splice.has(d.id, keys(d.id))
    ]
    if missing and again is not None:
        texts = {**texts, **again(missing)}
    splice.fixed(f"{_INDEX_START}[".encode("ascii"))
    for number, document in enumerate(corpus.documents):
        if number:
            splice.fixed(b",")
        own = texts.get(document.id, ())
        splice.piece(
            document.id, keys(document.id), functools.partial(fallback_entry, corpus, document, own)
        )
    splice.fixed(b"];\n")
    return splice.result()


_INDEX_START = "window.editionSearchIndex = "


def passages_in(index: Path) -> dict[str, list[tuple[str, str]]]:
    """Each document's passages, read back from a fallback index written by :func:`fallback_index_of`
    (an incremental build reuses those of the pages it keeps). Empty if it cannot be read."""
    try:
        text = index.read_text(encoding="utf-8")
        entries = json.loads(text.removeprefix(_INDEX_START).rstrip().removesuffix(";"))
        found: dict[str, list[tuple[str, str]]] = {}
        for entry in entries:
            url = str(entry["url"])
            doc_id = url.removeprefix("documents/").removesuffix(".html")
            found[doc_id] = [(str(anchor), str(text)) for anchor, text in entry["passages"]]
        return found
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def pagefind_executable() -> Path:
    from pagefind_bin import get_executable  # type: ignore[import-untyped]

    return Path(get_executable())


# --- the Pagefind index, in shards -------------------------------------------------------------------
#
# Pagefind cannot update an index: it indexes a set of pages from scratch. So the reading pages are
# split into shards, each indexed on its own into pagefind/<shard>/, and the search page merges them
# (Pagefind's mergeIndex) as listed in pagefind/shards.json. A document's shard is fixed by a hash of
# its id, so an edited letter re-indexes only its shard, and an added or deleted one only the shard it
# falls in. The number of shards is a power of two chosen from the size of the corpus (about
# SHARD_PAGES pages each, at most MAX_SHARDS); it changes only when the corpus doubles or halves. The
# first shard is the *primary* index, whose folder also holds Pagefind's script, worker and
# WebAssembly; the others hold only their index. Results are ranked across shards by Pagefind's score.

PAGEFIND = "pagefind"
SHARDS_FILE = f"{PAGEFIND}/shards.json"
SHARD_PAGES = 32
MAX_SHARDS = 64
# What Pagefind writes that the edition does not use: ready-made UIs and a highlighter.
UNUSED = (
    "pagefind-ui.js",
    "pagefind-ui.css",
    "pagefind-modular-ui.js",
    "pagefind-modular-ui.css",
    "pagefind-component-ui.js",
    "pagefind-component-ui.css",
    "pagefind-highlight.js",
)
# The search code the primary shard carries; the other shards need none of it.
BUNDLE = ("pagefind.js", "pagefind-worker.js")
BUNDLE_PATTERN = "wasm.*.pagefind"


def shard_count(pages: int) -> int:
    """How many shards for ``pages`` reading pages: a power of two giving about SHARD_PAGES each."""
    count = 1
    while count < MAX_SHARDS and pages > count * SHARD_PAGES:
        count *= 2
    return count


def shard_of(doc_id: str, count: int) -> int:
    """A document's shard: fixed by its id (the same in every build and on every machine)."""
    digest = hashlib.sha256(doc_id.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % count


def shards(doc_ids: Sequence[str]) -> dict[int, list[str]]:
    """Shard → the documents in it (in the order given), for the shards that have any, in order."""
    count = shard_count(len(doc_ids))
    found: dict[int, list[str]] = {}
    for doc_id in doc_ids:
        found.setdefault(shard_of(doc_id, count), []).append(doc_id)
    return dict(sorted(found.items()))


def shard_folder(shard: int) -> str:
    return f"{PAGEFIND}/{shard}"


def shards_file(numbers: Sequence[int]) -> str:
    """pagefind/shards.json: the shards' folders (relative to pagefind/), the primary first."""
    folders = [f"{number}/" for number in numbers]
    return json.dumps({"shards": folders}, separators=(",", ":")) + "\n"


def pagefind_command(site: Path, shard: int, doc_ids: Sequence[str]) -> list[str]:
    """Index the reading pages of ``doc_ids`` (and nothing else) into site/pagefind/<shard>/, offline."""
    names = [document_path(doc_id) for doc_id in doc_ids]
    # Document ids are XML names: none of Pagefind's glob characters (*?[]{},!\) can occur in them.
    if len(names) == 1:
        glob = names[0]
    else:
        glob = (
            "documents/{"
            + ",".join(n.removeprefix("documents/").removesuffix(".html") for n in names)
            + "}.html"
        )
    return [
        str(pagefind_executable()),
        "--site",
        str(site),
        "--glob",
        glob,
        "--force-language",
        "en",
        "--output-path",
        str(site / shard_folder(shard)),
        "--quiet",
    ]


@dataclass
class ShardIndexing:
    """Pagefind indexing some shards in the background, a few chains of shards side by side.

    Each chain indexes its shards one after the other in a single child process (a shell running the
    Pagefind commands in turn), so the indexing goes on while the rest of the build runs, with no
    thread in this process, and uses no more cores than it is given.
    """

    site: Path
    shards: dict[int, list[str]]  # the shards to index → their documents
    primary: int  # the shard that carries Pagefind's script
    chains: list[subprocess.Popen[bytes]] = field(default_factory=list)

    @classmethod
    def start(
        cls, site: Path, stale: dict[int, list[str]], primary: int, jobs: int | None = None
    ) -> ShardIndexing:
        indexing = cls(site, stale, primary)
        width = max(1, min(jobs or os.cpu_count() or 1, len(stale)))
        commands = [pagefind_command(site, shard, ids) for shard, ids in stale.items()]
        for number in range(width):
            chain = commands[number::width]
            if not chain:
                continue
            if len(chain) == 1:
                argv = chain[0]
            else:
                script = " && ".join(" ".join(shlex.quote(a) for a in c) for c in chain)
                argv = ["sh", "-c", script]
            indexing.chains.append(
                subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            )
        return indexing

    def finish(self) -> list[str]:
        """Wait for the indexer; tidy each shard (see :func:`tidy_shard`). Returns the shards' folders."""
        failures = []
        for chain in self.chains:
            out, err = chain.communicate()
            if chain.returncode != 0:
                failures.append((err or out).decode("utf-8", errors="replace").strip())
        if failures:
            raise SearchIndexError(f"pagefind could not index the site: {failures[0]}")
        folders = []
        for shard in self.shards:
            tidy_shard(self.site / shard_folder(shard), primary=shard == self.primary)
            folders.append(shard_folder(shard))
        return folders

    def stop(self) -> None:
        for chain in self.chains:
            if chain.poll() is None:
                chain.kill()
            chain.wait()


def tidy_shard(folder: Path, primary: bool) -> None:
    """Leave out what the edition does not use (and, but in the primary shard, the search code), and
    fix the order of Pagefind's filter files so that the index is the same from build to build."""
    unused = list(UNUSED)
    if not primary:
        unused += [*BUNDLE, *(p.name for p in folder.glob(BUNDLE_PATTERN))]
    for name in unused:
        (folder / name).unlink(missing_ok=True)
    stabilise(folder)


def run_pagefind(site: Path, doc_ids: Sequence[str]) -> list[str]:
    """Index the reading pages of ``doc_ids`` into site/pagefind/, in shards, offline; write
    shards.json. Returns the shards' folders."""
    found = shards(doc_ids)
    if not found:
        return []
    primary = next(iter(found))
    folders = ShardIndexing.start(site, found, primary).finish()
    (site / SHARDS_FILE).write_text(shards_file(list(found)), encoding="utf-8")
    return folders
