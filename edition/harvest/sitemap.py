"""sitemap.xml (every HTML page of the site, as absolute URLs under base_url) and robots.txt.

Page paths come from the link table's functions (edition.links), so the sitemap cannot disagree with the
site's own links; the fixed pages below are the ones the site stage writes; any other HTML page already
in the built site (the harvest stage runs after it) is listed too.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from lxml import etree

from edition.config import Config
from edition.corpus import Corpus
from edition.harvest import layout
from edition.harvest.oai_metadata import datestamp
from edition.harvest.skeleton import Maker, slot, write_pieces
from edition.links import REGISTER_FOLDERS, document_path, entry_path
from edition.splice import Splice

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"

# Pages every site has, whatever its corpus: the ones edition.site writes (pages.py, registers.py).
FIXED_PAGES = (
    "index.html",
    "documents.html",
    "timeline.html",
    "network.html",
    "persons/index.html",
    "places/index.html",
    "organisations/index.html",
    "bibliography.html",
    "search.html",
    "about/index.html",
    "about/principles.html",
    "about/citing.html",
    "about/licence.html",
    "about/encoding.html",
)
# Built HTML that is not a page to list: error pages, and folders that hold no reading pages.
NOT_PAGES = ("404.html",)
NOT_PAGE_FOLDERS = ("tei/", "harvest/", "pagefind/", "schema/")


def page_paths(corpus: Corpus, site: Path | None = None) -> dict[str, str | None]:
    """Page path (relative to the site root) → lastmod (ISO date) or None, in a stable order."""
    pages: dict[str, str | None] = dict.fromkeys(FIXED_PAGES)
    for document in corpus.documents:
        pages[document_path(document.id)] = datestamp(document, corpus.config).isoformat()
    for key, entry in sorted(corpus.entries.items()):
        if entry.kind in REGISTER_FOLDERS:
            pages.setdefault(entry_path(key), None)
    for relative in sorted(_built_pages(site), key=lambda path: path.split("/")):
        pages.setdefault(relative, None)
    return pages


def _built_pages(site: Path | None) -> Iterator[str]:
    """The HTML pages already in the built site (not looking into the folders that hold none)."""
    if site is None or not site.is_dir():
        return
    for top, folders, files in os.walk(site):
        relative = Path(top).relative_to(site).as_posix()
        prefix = "" if relative == "." else relative + "/"
        folders[:] = [f for f in folders if not f"{prefix}{f}/".startswith(NOT_PAGE_FOLDERS)]
        for name in files:
            path = prefix + name
            if name.endswith(".html") and path not in NOT_PAGES:
                yield path


def page_url(config: Config, path: str) -> str:
    return config.edition.base_url if path == "index.html" else config.edition.base_url + path


def sitemap_skeleton() -> etree._Element:
    root = etree.Element(f"{{{SITEMAP_NS}}}urlset", nsmap={None: SITEMAP_NS})  # type: ignore[dict-item]
    slot(root, "pages")
    return root


def write_sitemap(splice: Splice, corpus: Corpus, config: Config, site: Path | None) -> None:
    """sitemap.xml: one url per page (its piece is keyed on its path and lastmod)."""
    pages = [
        (path, lastmod or "-", _url(config, path, lastmod))
        for path, lastmod in page_paths(corpus, site).items()
    ]
    write_pieces(splice, sitemap_skeleton(), True, {"pages": pages})


def _url(config: Config, path: str, lastmod: str | None) -> Maker:
    def make(holder: etree._Element) -> None:
        url = etree.SubElement(holder, f"{{{SITEMAP_NS}}}url")
        etree.SubElement(url, f"{{{SITEMAP_NS}}}loc").text = page_url(config, path)
        if lastmod:
            etree.SubElement(url, f"{{{SITEMAP_NS}}}lastmod").text = lastmod

    return make


def robots(config: Config) -> str:
    return f"User-agent: *\nAllow: /\n\nSitemap: {config.edition.base_url}{layout.SITEMAP}\n"
