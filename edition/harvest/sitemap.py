"""sitemap.xml (every HTML page of the site, as absolute URLs under base_url) and robots.txt.

Page paths come from the link table's functions (edition.links), so the sitemap cannot disagree with the
site's own links; the fixed pages below are the ones the site stage writes; any other HTML page already
in the built site (the harvest stage runs after it) is listed too.
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from edition.config import Config
from edition.corpus import Corpus
from edition.harvest import layout
from edition.harvest.oai_metadata import datestamp
from edition.harvest.xmlout import write_xml
from edition.links import REGISTER_FOLDERS, document_path, entry_path

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
    if site is not None and site.is_dir():
        for path in sorted(site.rglob("*.html")):
            relative = path.relative_to(site).as_posix()
            if relative in NOT_PAGES or relative.startswith(NOT_PAGE_FOLDERS):
                continue
            pages.setdefault(relative, None)
    return pages


def page_url(config: Config, path: str) -> str:
    return config.edition.base_url if path == "index.html" else config.edition.base_url + path


def sitemap(corpus: Corpus, config: Config, site: Path | None = None) -> etree._Element:
    root = etree.Element(f"{{{SITEMAP_NS}}}urlset", nsmap={None: SITEMAP_NS})  # type: ignore[dict-item]
    for path, lastmod in page_paths(corpus, site).items():
        url = etree.SubElement(root, f"{{{SITEMAP_NS}}}url")
        etree.SubElement(url, f"{{{SITEMAP_NS}}}loc").text = page_url(config, path)
        if lastmod:
            etree.SubElement(url, f"{{{SITEMAP_NS}}}lastmod").text = lastmod
    return root


def robots(config: Config) -> str:
    return f"User-agent: *\nAllow: /\n\nSitemap: {config.edition.base_url}{layout.SITEMAP}\n"


def publish_sitemap(corpus: Corpus, config: Config, site: Path) -> None:
    write_xml(site / layout.SITEMAP, sitemap(corpus, config, site))
    (site / layout.ROBOTS).write_text(robots(config), encoding="utf-8")
