"""Parsing TEI as untrusted input: no DTD, no entity expansion, no network.

Every stage that reads XML from the edition's folder goes through ``parse_bytes``; TEI files of this
edition never need a DOCTYPE, so one is refused outright rather than half-trusted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from lxml import etree


def safe_parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_blank_text=False,
    )


@dataclass(frozen=True)
class ParseFailure:
    line: int
    column: int
    message: str
    rule: str


# A DOCTYPE can only stand in the prolog, after the XML declaration, processing instructions and comments.
_PROLOG_DOCTYPE = re.compile(
    rb"\A(?:\xef\xbb\xbf)?\s*(?:(?:<\?.*?\?>|<!--.*?-->)\s*)*<!DOCTYPE", re.S
)

_DOCTYPE_MESSAGE = (
    "a DOCTYPE (and any entity it declares) is not allowed in the edition's TEI files; "
    "remove it and write the characters themselves"
)


def parse_bytes(data: bytes) -> etree._ElementTree | ParseFailure:
    """Parse ``data`` safely, or say (with line and column) why it cannot be accepted."""
    # Refuse a DOCTYPE by name before parsing: libxml2 would otherwise report an entity loop or an
    # undeclared entity as a syntax error, hiding the real reason.
    if _PROLOG_DOCTYPE.match(data):
        return ParseFailure(_line_of(data, b"<!DOCTYPE"), 1, _DOCTYPE_MESSAGE, "no-doctype")
    try:
        root = etree.fromstring(data, safe_parser())
    except etree.XMLSyntaxError as error:
        line, column = error.position
        message = error.msg.split(", line ")[0] if error.msg else "not well-formed XML"
        return ParseFailure(
            line or 1, column or 1, f"the file is not well-formed XML: {message}", "well-formed"
        )
    tree = root.getroottree()
    info: Any = tree.docinfo  # lxml-stubs lacks DocInfo.doctype
    if info.doctype or info.internalDTD is not None:
        line = _line_of(data, b"<!DOCTYPE")
        return ParseFailure(
            line,
            1,
            _DOCTYPE_MESSAGE,
            "no-doctype",
        )
    return tree


def _line_of(data: bytes, needle: bytes) -> int:
    index = data.find(needle)
    return data.count(b"\n", 0, index) + 1 if index >= 0 else 1
