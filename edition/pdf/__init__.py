"""The PDF critical edition: typeset with WeasyPrint, paginated in two passes, carrying its TEI.

``publish_pdf`` is the build stage (see edition/build.py); ``typeset`` is the part that lays the
book out, for tests and benchmarks.

    book.py        assembly: front matter, a section per document, back matter (Jinja2 templates)
    paginate.py    page numbers read from the page model and written as text; proven stable
    index.py       index of persons and places, merged page ranges
    chronology.py  events of the crisis and the documents on their dates
    inline.py      header phrases (summary, sources) as HTML
    fonts.py       EB Garamond from its PyPI package, @font-face per style
    layout.py      one WeasyPrint layout, fetching nothing but the fonts
    metadata.py    page labels and viewer settings
    attach.py      PDF/A-3b, tagged, TEI attached, deterministic
    parts.py       the book cut into parts laid out separately (front matter, runs of documents, back)
    part_layout.py the parts laid out on every core, page numbers proven across them
    binding.py     the parts' PDFs bound into the book (structure tree, links, outline, labels)
    speedups.py    a work-around for a cost in pydyf that grows with the square of the page count

A book of more than ``DOCUMENTS_PER_PART`` documents is laid out in parts, in parallel; a smaller one
whole, in one process. Both ways give the same book: the same pages with the same text, anchors,
links, outline, labels and structure tree (tests/test_pdf_parts.py).
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from edition.build import Output
from edition.config import Config
from edition.corpus import Corpus
from edition.pdf.attach import write_book
from edition.pdf.binding import bind
from edition.pdf.book import BODY_ANCHOR, Book
from edition.pdf.layout import Layouter
from edition.pdf.paginate import (
    PageMap,
    Pagination,
    page_map_json,
    paginate,
    read_page_map_json,
)
from edition.pdf.part_layout import PartsTypeset, typeset_in_parts
from edition.pdf.parts import DOCUMENTS_PER_PART
from edition.transform import Transformer

# Beside the book in build/pdf/ (not published): where each anchor fell, for the next build.
PAGE_MAP = ".pages.json"

__all__ = ["Typeset", "publish_in_parts", "publish_pdf", "typeset"]


@dataclass
class Typeset:
    book: Book
    pagination: Pagination


def typeset(
    corpus: Corpus, config: Config, max_passes: int = 3, seed: PageMap | None = None
) -> Typeset:
    """The book laid out with proven page numbers (not yet written)."""
    book = Book(corpus, config, Transformer(config.xslt_dir, "print"))
    layouter = Layouter(book.stylesheet())
    pagination = paginate(book.render, layouter, BODY_ANCHOR, max_passes=max_passes, seed=seed)
    return Typeset(book, pagination)


def publish_in_parts(
    corpus: Corpus,
    config: Config,
    target: Path,
    jobs: int | None = None,
    per_part: int = DOCUMENTS_PER_PART,
    seed: PageMap | None = None,
) -> PartsTypeset:
    """Lay the book out in parts on every core and bind them into ``target``."""
    book = Book(corpus, config, Transformer(config.xslt_dir, "print"))
    with tempfile.TemporaryDirectory(prefix="edition-book-parts-") as folder:
        result = typeset_in_parts(corpus, config, book, Path(folder), jobs, per_part, seed=seed)
        bookmarks = [page for part in result.laid_out for page in part.bookmarks]
        sheets = [part.pdf for part in result.laid_out if part.pdf is not None]
        target.parent.mkdir(parents=True, exist_ok=True)
        bind(sheets, target, result.pages, bookmarks)
    return result


def previous_pages(config: Config) -> PageMap | None:
    """The page map the previous build kept beside its book, if any (a hint, never trusted: a
    layout that does not confirm it is laid out again)."""
    kept = config.build_dir / "pdf" / PAGE_MAP
    try:
        return read_page_map_json(kept.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        return None


def publish_pdf(corpus: Corpus, config: Config, output: Output) -> None:
    """The build stage: writes ``<output>/pdf/<config.pdf.file_name>`` and, beside it, the page map
    the next build starts from (after an edit, one layout instead of two when no page moved)."""
    target = output.pdf / config.pdf.file_name
    seed = previous_pages(config)
    # Decided by the book's size alone, never by the number of cores, so the bytes of the book do
    # not depend on the machine that built it.
    if len(corpus.documents) > DOCUMENTS_PER_PART:
        pages = publish_in_parts(corpus, config, target, jobs=output.jobs, seed=seed).pages
    else:
        result = typeset(corpus, config, seed=seed)
        pages = result.pagination.pages
        write_book(result.pagination.document, target, pages, corpus, config)
    (output.pdf / PAGE_MAP).write_text(page_map_json(pages), encoding="utf-8")
