"""Writing generated XML files the same way every time (so builds are reproducible).

Files that carry copies of the edition's TEI are written without added indentation: pretty-printing
would put white space between elements the editors wrote side by side, and change the text.
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree


def serialise(root: etree._Element, indent: bool = True) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=indent) + (
        b"" if indent else b"\n"
    )


def write_xml(path: Path, root: etree._Element, indent: bool = True) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(serialise(root, indent))
