"""Writing the PDF: PDF/A-3b, tagged, each document's TEI embedded, byte-identical across builds.

* PDF/A-3b (``pdf_variant="pdf/a-3b"``): WeasyPrint writes the XMP identification (pdfaid:part 3,
  conformance B), the sRGB output intent and the file identifier, and marks every embedded file with
  an /AFRelationship (here /Source: the TEI is the source of the page content).
* Tagged (``pdf_tags=True``): the structure tree WeasyPrint builds from the HTML, the document
  language, the title shown by viewers. This is PDF/UA-1 "as far as WeasyPrint allows"; the file
  does not claim PDF/UA conformance (no pdfuaid in the XMP), since that has not been verified.
* Deterministic: the metadata dates (from the book's <meta name="dcterms.*">) and every
  attachment's dates are the edition's release date, and the identifier is a hash of the content.
  fontTools stamps each font subset's ``head`` table with the time it was saved, unless
  ``SOURCE_DATE_EPOCH`` is set (the reproducible-builds convention): it is set to the release date
  while the file is written.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from weasyprint import Attachment

from edition.config import Config
from edition.corpus import Corpus
from edition.links import short_title
from edition.pdf.metadata import finisher
from edition.pdf.paginate import PageMap
from edition.pdf.speedups import linear_page_references

PDF_VARIANT = "pdf/a-3b"


def release_datetime(config: Config) -> dt.datetime:
    return dt.datetime.combine(config.edition.release_date, dt.time(0, 0))


def attachment_name(corpus: Corpus, path: Path) -> str:
    """A document as ``<id>.xml``; a register as ``register/<name>.xml``, as the TEI points to it."""
    if path.parent.resolve() == corpus.config.register_dir.resolve():
        return f"register/{path.name}"
    return path.name


def tei_attachments(corpus: Corpus, config: Config) -> list[Attachment]:
    """Every document's TEI file (chronological), then the registers, byte for byte."""
    when = release_datetime(config)
    attachments = []
    for document in corpus.documents:
        attachments.append(
            Attachment(
                string=document.file.path.read_bytes(),
                name=attachment_name(corpus, document.file.path),
                description=f"TEI source of no. {document.number}: {short_title(corpus, document)}",
                created=when,
                modified=when,
                relationship="Source",
            )
        )
    for kind in sorted(corpus.register_files):
        source = corpus.register_files[kind]
        attachments.append(
            Attachment(
                string=source.path.read_bytes(),
                name=attachment_name(corpus, source.path),
                description=f"TEI register ({kind})",
                created=when,
                modified=when,
                relationship="Source",
            )
        )
    return attachments


@contextmanager
def source_date_epoch(when: dt.datetime) -> Iterator[None]:
    """``SOURCE_DATE_EPOCH`` set to ``when`` (UTC) for the duration, then restored."""
    previous = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(int(when.replace(tzinfo=dt.UTC).timestamp()))
    try:
        yield
    finally:
        if previous is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = previous


def write_pdf(
    document: Any,
    target: Path,
    config: Config,
    attachments: list[Attachment],
    finisher: Any = None,
) -> None:
    """Write a laid-out document as the edition writes every PDF: PDF/A-3b, tagged, deterministic
    (the whole book here, or one part of it in edition/pdf/part_layout.py)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with source_date_epoch(release_datetime(config)), linear_page_references():
        document.write_pdf(
            target,
            pdf_variant=PDF_VARIANT,
            pdf_tags=True,
            attachments=attachments,
            finisher=finisher,
        )


def write_book(document: Any, target: Path, pages: PageMap, corpus: Corpus, config: Config) -> None:
    """Write the laid-out book to ``target`` as PDF/A-3b with its TEI attached."""
    write_pdf(document, target, config, tei_attachments(corpus, config), finisher(pages))
