"""The book laid out part by part, on every core: the parallel counterpart of paginate.py.

The parts (parts.py) are laid out in worker processes, each holding one laid-out part at a time;
only small facts come back — the part's page count, the page of each anchor, its bookmarks — and,
once the page numbers are proven, the part's PDF, written by the worker into a temporary folder.
From the parts' facts one page map of the whole book is assembled, and the numbers the book prints
are proven as paginate.py proves them for the whole book: the book is written with the numbers of
the previous layout and laid out again until no anchor moves. binding.py then binds the parts' PDFs
into the book.

Links between parts: WeasyPrint keeps a link to ``#anchor`` only when the anchor is in the document
it lays out, so a link whose target is in another part is written as ``PART_LINK + anchor`` (an
address no TEI text can produce: the XSLT writes only http(s) and mailto links), which WeasyPrint
keeps as a URI; binding.py turns it back into a link to the named destination, as WeasyPrint writes
links within a document.
"""

from __future__ import annotations

import re
import time
from collections.abc import Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from edition.config import Config
from edition.corpus import Corpus
from edition.parallel import can_fork, pool, worker_count
from edition.pdf.attach import tei_attachments, write_pdf
from edition.pdf.book import BODY_ANCHOR, Book
from edition.pdf.layout import Layouter
from edition.pdf.metadata import viewer_settings
from edition.pdf.paginate import PageMap, PaginationError, moved_anchors
from edition.pdf.parts import DOCUMENTS_PER_PART, Part, plan_parts

PART_LINK = "x-edition-part-link:"

_ID = re.compile(r'\sid="([^"]+)"')
_INTERNAL_HREF = re.compile(r'href="#([^"]+)"')

# A bookmark as WeasyPrint's page model gives it, in PDF coordinates: (level, label, x, y, state).
Bookmark = tuple[int, str, float, float, str]


def link_across_parts(html: str) -> str:
    """``href="#x"`` for every ``x`` not in this part written as a link to another part."""
    here = set(_ID.findall(html))

    def relink(match: re.Match[str]) -> str:
        anchor = match.group(1)
        return match.group(0) if anchor in here else f'href="{PART_LINK}{anchor}"'

    return _INTERNAL_HREF.sub(relink, html)


@dataclass(frozen=True)
class LaidOutPart:
    """What the parent keeps of one part's layout."""

    name: str
    page_count: int
    anchors: dict[str, int]  # anchor → index of its first page within the part
    bookmarks: list[list[Bookmark]]  # per page
    pdf: Path | None = None  # written when asked for


@dataclass
class _Press:
    """A worker's tools: one layouter (style sheet and fonts prepared once) and what a PDF carries."""

    layouter: Layouter
    corpus: Corpus
    config: Config


_press: _Press | None = None


def _start_press(stylesheet: str, corpus: Corpus, config: Config) -> None:
    global _press
    _press = _Press(Layouter(stylesheet), corpus, config)


def _lay_out(name: str, html: str, target: Path | None, carries_tei: bool) -> LaidOutPart:
    """Lay one part out; write it to ``target`` as PDF/A-3b, tagged, when given."""
    assert _press is not None, "the press is started in each worker"
    document = _press.layouter(html)
    anchors: dict[str, int] = {}
    bookmarks: list[list[Bookmark]] = []
    for index, page in enumerate(document.pages):
        for anchor in page.anchors:
            anchors.setdefault(anchor, index)
        # WeasyPrint's own transformation for outlines: CSS pixels, y downwards → PDF points.
        bookmarks.append(
            [
                (level, label, x * 0.75, (page.height - y) * 0.75, state)
                for level, label, (x, y), state in page.bookmarks
            ]
        )
    if target is not None:
        attachments = tei_attachments(_press.corpus, _press.config) if carries_tei else []
        write_pdf(
            document,
            target,
            _press.config,
            attachments,
            finisher=viewer_settings if carries_tei else None,
        )
    return LaidOutPart(name, len(document.pages), anchors, bookmarks, target)


def page_map(parts: Sequence[LaidOutPart]) -> PageMap:
    """The page map of the whole book, from its parts in order."""
    anchors: dict[str, int] = {}
    offset = 0
    for part in parts:
        for anchor, index in part.anchors.items():
            anchors.setdefault(anchor, offset + index)
        offset += part.page_count
    if BODY_ANCHOR not in anchors:
        raise PaginationError(f"the body anchor #{BODY_ANCHOR} is not in the book")
    return PageMap(anchors, anchors[BODY_ANCHOR], offset)


@dataclass
class PartsTypeset:
    """The book laid out in parts, numbers proven, each part's PDF written to ``folder``."""

    book: Book
    parts: list[Part]
    laid_out: list[LaidOutPart]
    pages: PageMap
    passes: int
    seconds: list[float] = field(default_factory=list)  # each pass, all in
    html_seconds: list[float] = field(default_factory=list)  # of which writing the parts' HTML


def typeset_in_parts(
    corpus: Corpus,
    config: Config,
    book: Book,
    folder: Path,
    jobs: int | None = None,
    per_part: int = DOCUMENTS_PER_PART,
    max_passes: int = 3,
    seed: PageMap | None = None,
) -> PartsTypeset:
    """Lay the book out part by part until the numbers it prints are where their anchors are.

    With a ``seed`` (the previous build's page map) the first layout prints its numbers and writes
    the parts: if no anchor moved, that layout is the book."""
    if max_passes < 2:
        raise ValueError("pagination needs at least two passes: one to read, one to prove")
    parts = plan_parts([d.id for d in corpus.documents], per_part)
    workers = min(worker_count(jobs), len(parts)) if can_fork() else 1
    run = _Runner(workers, (book.stylesheet(), corpus, config))
    seconds: list[float] = []
    html_seconds: list[float] = []
    try:
        written: PageMap | None = seed
        for passes in range(1, max_passes + 1):
            started = time.perf_counter()
            try:
                rendered = book.render_parts(written, parts)
            except PaginationError:
                if passes > 1 or seed is None:
                    raise
                # The seed lacks an anchor (a document or a mention was added): start afresh.
                written = None
                rendered = book.render_parts(written, parts)
            htmls = [link_across_parts(html) for html in rendered]
            html_seconds.append(time.perf_counter() - started)
            final = written is not None
            work = [
                (
                    part.name,
                    html,
                    folder / f"{number:03d}-{part.kind}.pdf" if final else None,
                    part.kind == "front",
                )
                for number, (part, html) in enumerate(zip(parts, htmls, strict=True))
            ]
            laid_out = run(work)
            found = page_map(laid_out)
            seconds.append(time.perf_counter() - started)
            if written is not None:
                moved = moved_anchors(written, found)
                if not moved:
                    return PartsTypeset(book, parts, laid_out, found, passes, seconds, html_seconds)
                if passes == max_passes:
                    shown = ", ".join(f"#{a}" for a in moved[:10])
                    raise PaginationError(
                        f"after {passes} layouts {len(moved)} anchor(s) still moved when their "
                        f"page numbers were written: {shown}"
                    )
            written = found
    finally:
        run.close()
    raise AssertionError("unreachable")  # pragma: no cover


Job = tuple[str, str, Path | None, bool]


class _Runner:
    """Lays parts out in forked workers (or here, with one worker), results in the parts' order."""

    def __init__(self, workers: int, initargs: tuple[Any, ...]) -> None:
        self.executor = pool(workers, _start_press, initargs) if workers > 1 else None
        if self.executor is None:
            _start_press(*initargs)

    def __call__(self, jobs: Sequence[Job]) -> list[LaidOutPart]:
        if self.executor is None:
            return [_lay_out(*job) for job in jobs]
        # Largest parts first, so the last part to finish is a short one.
        order = sorted(range(len(jobs)), key=lambda i: -len(jobs[i][1]))
        futures: dict[int, Future[LaidOutPart]] = {
            i: self.executor.submit(_lay_out, *jobs[i]) for i in order
        }
        return [futures[i].result() for i in range(len(jobs))]

    def close(self) -> None:
        if self.executor is not None:
            self.executor.shutdown(cancel_futures=True)
