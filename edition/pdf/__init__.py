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
"""

from __future__ import annotations

from dataclasses import dataclass

from edition.build import Output
from edition.config import Config
from edition.corpus import Corpus
from edition.pdf.attach import write_book
from edition.pdf.book import BODY_ANCHOR, Book
from edition.pdf.layout import Layouter
from edition.pdf.paginate import Pagination, paginate
from edition.transform import Transformer

__all__ = ["Typeset", "publish_pdf", "typeset"]


@dataclass
class Typeset:
    book: Book
    pagination: Pagination


def typeset(corpus: Corpus, config: Config, max_passes: int = 3) -> Typeset:
    """The book laid out with proven page numbers (not yet written)."""
    book = Book(corpus, config, Transformer(config.xslt_dir, "print"))
    layouter = Layouter(book.stylesheet())
    pagination = paginate(book.render, layouter, BODY_ANCHOR, max_passes=max_passes)
    return Typeset(book, pagination)


def publish_pdf(corpus: Corpus, config: Config, output: Output) -> None:
    """The build stage: writes ``<output>/pdf/<config.pdf.file_name>``."""
    result = typeset(corpus, config)
    write_book(
        result.pagination.document,
        output.pdf / config.pdf.file_name,
        result.pagination.pages,
        corpus,
        config,
    )
