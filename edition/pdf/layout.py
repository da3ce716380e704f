"""One WeasyPrint layout of the book's HTML, with the book face and nothing fetched from outside.

The stylesheet and the fonts are prepared once and reused by every pass. The URL fetcher lets
WeasyPrint read the book face's files and nothing else: the book's HTML comes from TEI, which is
untrusted, and a layout must never reach the network or other local files.
"""

from __future__ import annotations

from typing import Any

from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

from edition.pdf.fonts import FontFace, font_face_css, font_faces


class _FontsOnly(URLFetcher):  # type: ignore[misc]
    """Fetches only the given file URLs (the book face)."""

    def __init__(self, allowed: set[str]) -> None:
        super().__init__(allowed_protocols=("file",))
        self._allowed = allowed

    def fetch(self, url: str, headers: Any = None) -> Any:
        if url not in self._allowed:
            raise ValueError(f"the book fetches no resource but its fonts, not {url}")
        return super().fetch(url, headers)


class Layouter:
    """Lays out HTML with the book's stylesheet; reusable across passes."""

    def __init__(self, stylesheet: str, faces: list[FontFace] | None = None) -> None:
        faces = faces if faces is not None else font_faces()
        self.fetcher = _FontsOnly({face.path.resolve().as_uri() for face in faces})
        self.font_config = FontConfiguration()
        self.css = CSS(
            string=font_face_css(faces) + stylesheet,
            font_config=self.font_config,
            url_fetcher=self.fetcher,
        )

    def __call__(self, html: str) -> Any:
        """The laid-out ``weasyprint.Document``."""
        return HTML(string=html, url_fetcher=self.fetcher, base_url=None).render(
            stylesheets=[self.css], font_config=self.font_config
        )
