"""Full-text search with no server.

Served over http(s), the search page uses Pagefind: its index (``pagefind/``) is built here from the
finished reading pages, offline, by the ``pagefind`` binary that the PyPI package ``pagefind_bin``
ships. Opened from the file system, a browser will not let Pagefind load its index (modules and fetch
are refused for ``file://``), so the page falls back to a compact index of the same texts written as a
script (``search-index.js``) that a plain <script> element can load. Both search the reading pages
only, and both filter by correspondent and document type.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path

from lxml import html

from edition.corpus import Corpus
from edition.links import correspondent_name, document_path, short_title
from edition.site.pagefind_order import stabilise
from edition.site.render import iso_date, long_date, type_label

FALLBACK_INDEX = "search-index.js"


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
    entries = []
    for document in corpus.documents:
        correspondents = [
            correspondent_name(corpus, c.key, c.name)
            for c in (*document.senders, *document.recipients)
        ]
        entries.append(
            {
                "url": document_path(document.id),
                "number": document.number,
                "title": short_title(corpus, document),
                "date": iso_date(document.date),
                "dateText": long_date(document.date),
                "type": type_label(document.type),
                "correspondents": list(dict.fromkeys(correspondents)),
                "summary": document.abstract,
                "passages": [list(p) for p in texts.get(document.id, ())],
            }
        )
    # Plain ASCII, and no "<": nothing in it can end a script element or confuse a parser.
    data = json.dumps(entries, ensure_ascii=True, separators=(",", ":")).replace("<", "\\u003c")
    return f"{_INDEX_START}{data};\n"


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


def run_pagefind(site: Path) -> None:
    """Index the reading pages (documents/*.html) into site/pagefind/, offline."""
    finish_pagefind(site, start_pagefind(site))


def start_pagefind(site: Path) -> subprocess.Popen[str]:
    """Start indexing in the background (it reads only the reading pages, which must be complete)."""
    command = [
        str(pagefind_executable()),
        "--site",
        str(site),
        "--glob",
        "documents/*.html",
        "--force-language",
        "en",
        "--quiet",
    ]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def finish_pagefind(site: Path, process: subprocess.Popen[str]) -> None:
    """Wait for the indexer; then leave out what the edition does not use and fix the file order."""
    out, err = process.communicate()
    if process.returncode != 0:
        said = (err or out).strip()
        raise SearchIndexError(f"pagefind could not index the site: {said}")
    # Pagefind also writes ready-made UIs and a playground the edition does not use.
    for unused in (
        "pagefind-ui.js",
        "pagefind-ui.css",
        "pagefind-modular-ui.js",
        "pagefind-modular-ui.css",
        "pagefind-component-ui.js",
        "pagefind-component-ui.css",
        "pagefind-highlight.js",
    ):
        (site / "pagefind" / unused).unlink(missing_ok=True)
    stabilise(site / "pagefind")
