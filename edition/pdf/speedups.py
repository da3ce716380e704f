"""Work-arounds for costs in the PDF libraries that grow with the square of the book's length.

pydyf's ``PDF.page_references`` builds a tuple of every page's reference each time it is read, and
WeasyPrint reads it once per tagged element and per bookmark (``pdf/tags.py``, ``pdf/anchors.py``):
for a book of 2,500 pages that is hundreds of thousands of tuples of 2,500 strings, and writing the
file took longer than laying it out. While a book is written the property is replaced by one that
builds the tuple once per page count (WeasyPrint reads it only after adding every page, but a
changed count still rebuilds it, so the answer is always the same as pydyf's).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pydyf


def _cached_page_references(pdf: Any) -> tuple[bytes, ...]:
    kids = pdf.pages["Kids"]
    cached = pdf.__dict__.get("_edition_page_references")
    if cached is None or cached[0] != len(kids):
        references = tuple(f"{number} 0 R".encode("ascii") for number in kids[::3])
        cached = (len(kids), references)
        pdf.__dict__["_edition_page_references"] = cached
    result: tuple[bytes, ...] = cached[1]
    return result


@contextmanager
def linear_page_references() -> Iterator[None]:
    """pydyf's ``PDF.page_references``, cached per page count, for the duration."""
    original = pydyf.PDF.__dict__["page_references"]
    pydyf.PDF.page_references = property(_cached_page_references)  # type: ignore[method-assign,assignment]
    try:
        yield
    finally:
        pydyf.PDF.page_references = original  # type: ignore[method-assign]
