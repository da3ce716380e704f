"""The book face: EB Garamond from the PyPI package ``fontpkg-eb-garamond``, one @font-face per style.

The fonts are installed by the project's set-up (pyproject.toml) and never committed. They are loaded
from the installed package's files, one ``@font-face`` per style (upright and italic): looking the
face up by its system name garbles italic Cyrillic in WeasyPrint, naming the files does not.

Each file is a variable font (weight axis 400–800). WeasyPrint's ``font-weight`` descriptor takes
one value, not a range, so none is given: fontconfig then offers the font's named instances, a
``font-weight: 600`` selects the 600 instance, and WeasyPrint embeds that instance's outlines.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

FAMILY = "EB Garamond Book"  # a family name of our own, so no system font can stand in for it


class FontError(Exception):
    """The book face is not installed; the message says how to install it."""


@dataclass(frozen=True)
class FontFace:
    path: Path
    style: str  # normal | italic


def font_faces() -> list[FontFace]:
    """The installed files of the book face, one per style."""
    try:
        import fontpkg_eb_garamond
    except ImportError as error:
        raise FontError(
            "the book face is missing: install the PyPI package fontpkg-eb-garamond "
            "(it is a dependency in pyproject.toml; run `make edition` or `pip install -e .`)"
        ) from error
    files = Path(fontpkg_eb_garamond.ROOT) / "files"
    faces = [
        FontFace(files / "EBGaramond[wght].ttf", "normal"),
        FontFace(files / "EBGaramond-Italic[wght].ttf", "italic"),
    ]
    for face in faces:
        if not face.path.is_file():
            raise FontError(
                f"the book face file {face.path} is missing; reinstall fontpkg-eb-garamond"
            )
    return faces


def font_face_css(faces: list[FontFace] | None = None) -> str:
    """``@font-face`` rules for the book face, pointing at the installed files."""
    rules = []
    for face in faces if faces is not None else font_faces():
        rules.append(
            "@font-face {\n"
            f'  font-family: "{FAMILY}";\n'
            f'  src: url("{face.path.resolve().as_uri()}") format("truetype");\n'
            f"  font-style: {face.style};\n"
            "}\n"
        )
    return "".join(rules)
