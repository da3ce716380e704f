"""Page numbers without WeasyPrint's forward ``target-counter``: lay out, read, write, lay out, prove.

WeasyPrint resolves forward ``target-counter()`` references by laying the whole book out again until
they settle, which multiplies layout time. Here the book is laid out once with placeholder numbers of
the expected width; every anchor's page is read from WeasyPrint's page model (``page.anchors``); the
numbers are written into the HTML as plain text; the book is laid out again; and the second layout's
anchors are compared with the first. If none moved, the numbers printed in the second layout are the
pages their targets are on, proven. If any moved (a number narrower or wider than its placeholder can
reflow a line), the pages just read are written and the book laid out once more, up to ``max_passes``;
a layout that still moves raises :class:`PaginationError` naming the anchors.

Printed folios follow the book's CSS: the front matter is numbered i, ii, … and the body, from the
page holding the ``body_anchor``, 1, 2, … (``@page body:nth(1 of body) { counter-reset: page 1 }``).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


class PaginationError(Exception):
    """The layout did not settle: anchors moved after their page numbers were written."""


_ROMAN = (
    (1000, "m"),
    (900, "cm"),
    (500, "d"),
    (400, "cd"),
    (100, "c"),
    (90, "xc"),
    (50, "l"),
    (40, "xl"),
    (10, "x"),
    (9, "ix"),
    (5, "v"),
    (4, "iv"),
    (1, "i"),
)


def roman(number: int) -> str:
    """Lower-case roman numerals, as CSS ``lower-roman`` prints them (1 → i, 14 → xiv)."""
    if number < 1:
        raise ValueError(f"no roman numeral for {number}")
    out = []
    for value, letters in _ROMAN:
        count, number = divmod(number, value)
        out.append(letters * count)
    return "".join(out)


@dataclass(frozen=True)
class PageMap:
    """Where every anchor of one layout is: the 0-based index of the first page it appears on."""

    anchors: dict[str, int]
    body_start: int  # index of the page numbered 1
    page_count: int

    def label(self, index: int) -> str:
        """The printed folio of page ``index``: roman in the front matter, arabic in the body."""
        if index < self.body_start:
            return roman(index + 1)
        return str(index - self.body_start + 1)

    def labels(self) -> list[str]:
        return [self.label(i) for i in range(self.page_count)]

    def page_of(self, anchor: str) -> int:
        """The 0-based page index of ``anchor``."""
        try:
            return self.anchors[anchor]
        except KeyError:
            raise PaginationError(f"the anchor #{anchor} is not in the book") from None

    def label_of(self, anchor: str) -> str:
        return self.label(self.page_of(anchor))

    def number_of(self, anchor: str) -> int:
        """The arabic page number of an anchor in the body."""
        index = self.page_of(anchor)
        if index < self.body_start:
            raise PaginationError(f"#{anchor} is in the front matter, which has no arabic pages")
        return index - self.body_start + 1


def read_page_map(document: Any, body_anchor: str) -> PageMap:
    """The page map of a laid-out WeasyPrint ``Document``.

    ``page.anchors`` lists an id on every page its element spans; an anchor's page is the first.
    """
    anchors: dict[str, int] = {}
    for index, page in enumerate(document.pages):
        for anchor in page.anchors:
            anchors.setdefault(anchor, index)
    if body_anchor not in anchors:
        raise PaginationError(f"the body anchor #{body_anchor} is not in the book")
    return PageMap(anchors, anchors[body_anchor], len(document.pages))


def page_map_json(pages: PageMap) -> str:
    """A page map as JSON, kept with the book so the next build can start from it."""
    return (
        json.dumps(
            {"anchors": pages.anchors, "body_start": pages.body_start, "pages": pages.page_count},
            sort_keys=True,
            separators=(",", ":"),
        )
        + "\n"
    )


def read_page_map_json(text: str) -> PageMap | None:
    """The page map written by :func:`page_map_json`; None for anything else (it is only a hint)."""
    try:
        data = json.loads(text)
        anchors = data["anchors"]
        body_start, count = data["body_start"], data["pages"]
    except (ValueError, KeyError, TypeError):
        return None
    if not (
        isinstance(anchors, dict)
        and all(isinstance(k, str) and type(v) is int for k, v in anchors.items())
        and type(body_start) is int
        and type(count) is int
    ):
        return None
    return PageMap(anchors, body_start, count)


def moved_anchors(before: PageMap, after: PageMap) -> list[str]:
    """Anchors whose page differs between two layouts (or that exist in one only)."""
    moved = {a for a in before.anchors.keys() ^ after.anchors.keys()}
    moved |= {
        a
        for a in before.anchors.keys() & after.anchors.keys()
        if before.anchors[a] != after.anchors[a]
    }
    if before.body_start != after.body_start:
        moved.add("(start of the body)")
    return sorted(moved)


@dataclass
class Pagination:
    """The final layout and how it was reached."""

    document: Any  # weasyprint.Document
    pages: PageMap
    html: str
    passes: int
    seconds: list[float] = field(default_factory=list)  # layout time of each pass


def paginate(
    render_html: Callable[[PageMap | None], str],
    lay_out: Callable[[str], Any],
    body_anchor: str,
    max_passes: int = 3,
    seed: PageMap | None = None,
) -> Pagination:
    """Lay the book out until the page numbers it prints are the pages their anchors are on.

    ``render_html(None)`` writes the book with placeholder numbers; ``render_html(pages)`` with the
    numbers of a page map. ``lay_out(html)`` returns a laid-out WeasyPrint ``Document``. A ``seed``
    (the previous build's page map, holding every anchor the book prints a number for) replaces the
    placeholders: when its numbers are still right, one layout is enough.
    """
    if max_passes < 2:
        raise ValueError("pagination needs at least two passes: one to read, one to prove")
    seconds: list[float] = []

    def run(pages: PageMap | None) -> tuple[str, Any, PageMap]:
        html = render_html(pages)
        started = time.perf_counter()
        document = lay_out(html)
        seconds.append(time.perf_counter() - started)
        return html, document, read_page_map(document, body_anchor)

    # Only page maps are kept between layouts: a laid-out book is large, and two at once would
    # double the peak memory.
    if seed is not None:
        # The previous build's pages: after an edit most numbers are right already, and if none
        # moved, this one layout is the proof. If some moved, it was the layout that read them.
        try:
            html = render_html(seed)
        except PaginationError:  # the seed lacks an anchor (a document or a mention was added)
            seed = None
    if seed is not None:
        started = time.perf_counter()
        document = lay_out(html)
        seconds.append(time.perf_counter() - started)
        found = read_page_map(document, body_anchor)
        if not moved_anchors(seed, found):
            return Pagination(document, found, html, 1, seconds)
        del html, document
        written = found
    else:
        written = run(None)[2]
    for passes in range(2, max_passes + 1):
        html, document, found = run(written)
        moved = moved_anchors(written, found)
        if not moved:
            return Pagination(document, found, html, passes, seconds)
        del html, document
        if passes == max_passes:
            shown = ", ".join(f"#{a}" for a in moved[:10])
            more = f" and {len(moved) - 10} more" if len(moved) > 10 else ""
            raise PaginationError(
                f"after {passes} layouts {len(moved)} anchor(s) still moved when their page "
                f"numbers were written: {shown}{more}"
            )
        written = found
    raise AssertionError("unreachable")  # pragma: no cover
