"""The site's own files: stylesheet, scripts and the EB Garamond fonts, all served from the site itself.

The fonts are not committed: they are copied at build time from the PyPI package fontpkg-eb-garamond,
with their licence (SIL Open Font License) beside them.
"""

from __future__ import annotations

from pathlib import Path

from edition.site.render import SiteWriter

STATIC = Path(__file__).resolve().parent.parent / "static"

# The font files the stylesheet's @font-face rules name, as the package ships them.
FONTS = {
    "EBGaramond[wght].ttf": "eb-garamond.ttf",
    "EBGaramond-Italic[wght].ttf": "eb-garamond-italic.ttf",
}


class MissingFontError(Exception):
    """The font package is not installed (pip install fontpkg-eb-garamond)."""


def font_folder() -> Path:
    try:
        import fontpkg_eb_garamond  # type: ignore[import-untyped]
    except ImportError as error:
        raise MissingFontError(
            "the EB Garamond fonts are missing: install the PyPI package fontpkg-eb-garamond"
        ) from error
    return Path(fontpkg_eb_garamond.ROOT)


def publish_assets(site: SiteWriter) -> None:
    for path in sorted(STATIC.rglob("*")):
        if path.is_file():
            site.bytes(f"static/{path.relative_to(STATIC).as_posix()}", path.read_bytes())
    fonts = font_folder()
    for shipped, name in FONTS.items():
        source = fonts / "files" / shipped
        if not source.is_file():
            raise MissingFontError(f"{source} is missing from fontpkg-eb-garamond")
        site.bytes(f"static/fonts/{name}", source.read_bytes())
    licence = fonts / "LICENSE"
    if licence.is_file():
        site.bytes("static/fonts/LICENSE.txt", licence.read_bytes())
