"""Writing generated XML files the same way every time (so builds are reproducible)."""

from __future__ import annotations

from pathlib import Path

from lxml import etree


def serialise(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def write_xml(path: Path, root: etree._Element) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(serialise(root))
