"""Document-level PDF metadata WeasyPrint does not write itself: page labels and viewer settings.

Applied as a WeasyPrint *finisher* (called with the pydyf PDF before the trailer is written), so the
file is still written once, by WeasyPrint, with its PDF/A metadata intact.

Page labels make the reader's page box show the printed folios: i, ii, … for the front matter and
1, 2, … from the first page of the body.
"""

from __future__ import annotations

from typing import Any

import pydyf

from edition.pdf.paginate import PageMap


def page_labels(pages: PageMap) -> pydyf.Dictionary:
    """The catalog's /PageLabels number tree: lower roman, then decimal from 1."""
    numbers = pydyf.Array()
    if pages.body_start > 0:
        numbers.extend([0, pydyf.Dictionary({"S": "/r"})])
    numbers.extend([pages.body_start, pydyf.Dictionary({"S": "/D", "St": 1})])
    return pydyf.Dictionary({"Nums": numbers})


def finisher(pages: PageMap) -> Any:
    """A WeasyPrint finisher adding page labels and viewer preferences to the catalog."""

    def finish(_document: Any, pdf: pydyf.PDF) -> None:
        pdf.catalog["PageLabels"] = page_labels(pages)
        viewer_settings(_document, pdf)

    return finish


def viewer_settings(_document: Any, pdf: pydyf.PDF) -> None:
    """A WeasyPrint finisher for what does not depend on the pages: the viewer opens the outline and
    shows the title; each attachment is listed once in /AF."""
    pdf.catalog["PageMode"] = "/UseOutlines"
    # PDF/UA: the viewer shows the document's title, not its file name.
    pdf.catalog["ViewerPreferences"] = pydyf.Dictionary({"DisplayDocTitle": "true"})
    # WeasyPrint 70 lists each embedded file twice in /AF (once from the name tree, once from the
    # file specifications); one entry per file is what PDF/A-3 describes.
    if "AF" in pdf.catalog:
        pdf.catalog["AF"] = pydyf.Array(dict.fromkeys(pdf.catalog["AF"]))
