"""The book cut into parts that can be laid out separately: the front matter, runs of documents, the
back matter.

Every document begins a page and nothing flows from one document into the next, so a run of documents
laid out on its own fills the same pages it fills in the whole book; only the folios differ, and a
part's style sheet (``part_css``) starts them where the part before it ends. The front matter is
numbered from i on its own as in the book; the back matter (chronology and index) continues the
arabic folios of the body.

How many documents a part holds is fixed (``DOCUMENTS_PER_PART``), never derived from the number of
workers: the parts, and so the bytes of the bound book, are the same however many cores build it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

# About 250 pages of generated letters: large enough that each part's fixed costs (the style sheet's
# cascade, a font subset per face in its PDF) stay small, small enough to share work between cores.
DOCUMENTS_PER_PART = 100


@dataclass(frozen=True)
class Part:
    """One part of the book: its kind ("front", "documents" or "back") and, for a run of documents,
    their ids in the book's order."""

    kind: str
    documents: tuple[str, ...] = ()
    opens_body: bool = False  # the first run: carries the body's anchor and the part title

    @property
    def name(self) -> str:
        if self.kind == "documents":
            return f"documents-{self.documents[0]}" if self.documents else "documents"
        return self.kind


@dataclass(frozen=True)
class PartContent:
    """What part.html prints of a part: the rendered documents, not their ids."""

    kind: str
    documents: list[dict[str, Any]] = field(default_factory=list)
    opens_body: bool = False


def plan_parts(document_ids: Sequence[str], per_part: int = DOCUMENTS_PER_PART) -> list[Part]:
    """Front matter, the documents in even runs of at most ``per_part``, back matter."""
    if per_part < 1:
        raise ValueError("a part holds at least one document")
    # As few runs as hold ``per_part`` each, made as even as they can be (110 documents: 55 + 55,
    # not 100 + 10, which left one worker idle while the other laid out the long run).
    count = max(1, -(-len(document_ids) // per_part))
    size = max(1, -(-len(document_ids) // count))
    runs = [tuple(document_ids[i : i + size]) for i in range(0, len(document_ids), size)]
    parts = [Part("front")]
    parts += [Part("documents", run, opens_body=(i == 0)) for i, run in enumerate(runs or [()])]
    parts.append(Part("back"))
    return parts


def part_css(first_folio: int | None) -> str:
    """The part's own page rule: its first body page carries ``first_folio`` (None: front matter)."""
    if first_folio is None:
        return ""
    # The same rule as book.css's `body:nth(1 of body) { counter-reset: page 1 }`, which sets the
    # folio of the first page of the body; here that page is the part's first.
    return f"@page body:nth(1 of body) {{ counter-reset: page {int(first_folio)}; }}"
