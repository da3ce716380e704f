"""Writing generated XML files the same way every time (so builds are reproducible).

Files that carry copies of the edition's TEI are written without added indentation: pretty-printing
would put white space between elements the editors wrote side by side, and change the text.
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from edition.corpus import TEI_NS


def serialise(root: etree._Element, indent: bool = True) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=indent) + (
        b"" if indent else b"\n"
    )


def write_xml(path: Path, root: etree._Element, indent: bool = True) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(serialise(root, indent))


def tei(tag: str) -> str:
    """The Clark name of a TEI element."""
    return f"{{{TEI_NS}}}{tag}"


def tei_sub(
    parent: etree._Element, tag: str, text: str | None = None, **attributes: str
) -> etree._Element:
    """A TEI child element with its text and attributes, appended to ``parent``."""
    element = etree.SubElement(parent, tei(tag), attributes)
    if text is not None:
        element.text = text
    return element
