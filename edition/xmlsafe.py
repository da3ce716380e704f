"""Parsing TEI as untrusted input: no DTD, no entity expansion, no network.

Every stage that reads XML from the edition's folder goes through ``parse_bytes``; TEI files of this
edition never need a DOCTYPE, so one is refused outright rather than half-trusted.
"""

from __future__ import annotations

import re
import threading
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
_SPACE = re.compile(rb"\s*")
_PROLOG_ITEMS = ((b"<?", b"?>"), (b"<!--", b"-->"))


def _doctype_in_prolog(data: bytes) -> bool:
    """Whether ``data`` has a DOCTYPE in its prolog: after an optional byte-order mark, the XML
    declaration, processing instructions, comments and white space. One pass, in linear time (a
    regular expression for this backtracks through the whole file when there is none)."""
    position = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    while True:
        space = _SPACE.match(data, position)
        position = space.end() if space else position
        for opening, closing in _PROLOG_ITEMS:
            if data.startswith(opening, position):
                end = data.find(closing, position + len(opening))
                if end < 0:
                    return False  # unterminated: the parser says where
                position = end + len(closing)
                break
        else:
            return data.startswith(b"<!DOCTYPE", position)


_parsers = threading.local()


def _parser() -> etree.XMLParser:
    """A safe parser for this thread (a parser may serve one document at a time)."""
    parser: etree.XMLParser | None = getattr(_parsers, "parser", None)
    if parser is None:
        parser = _parsers.parser = safe_parser()
    return parser


_DOCTYPE_MESSAGE = (
    "a DOCTYPE (and any entity it declares) is not allowed in the edition's TEI files; "
    "remove it and write the characters themselves"
)


def parse_bytes(data: bytes) -> etree._ElementTree | ParseFailure:
    """Parse ``data`` safely, or say (with line and column) why it cannot be accepted."""
    # Refuse a DOCTYPE by name before parsing: libxml2 would otherwise report an entity loop or an
    # undeclared entity as a syntax error, hiding the real reason.
    if _doctype_in_prolog(data):
        return ParseFailure(_line_of(data, b"<!DOCTYPE"), 1, _DOCTYPE_MESSAGE, "no-doctype")
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as error:
        line, column = error.position
        message, rule = editor_message(error.msg or "")
        duplicate = re.search(r"ID ([\w.-]+) already defined", error.msg or "")
        if duplicate:
            first = _line_of(data, f'xml:id="{duplicate.group(1)}"'.encode())
            message = message.replace("in this file;", f"in this file (first on line {first});")
        return ParseFailure(line or 1, column or 1, message, rule)
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


# libxml2's wording for the commonest slips, rewritten as an editor would say them and what to do.
_SYNTAX_MESSAGES: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        # libxml2 enforces xml:id uniqueness within a file while parsing.
        re.compile(r"ID ([\w.-]+) already defined"),
        "xml:id '{0}' is used twice in this file; every xml:id must be unique across the "
        "edition — choose another",
    ),
    (
        re.compile(r"Opening and ending tag mismatch: ([\w:.-]+) line (\d+) and ([\w:.-]+)"),
        "<{0}> opened on line {1} is not closed before </{2}>; add </{0}> where it should end "
        "(or remove the stray </{2}>)",
    ),
    (
        re.compile(r"Premature end of data in tag ([\w:.-]+) line (\d+)"),
        "the file ends before <{0}> (opened on line {1}) is closed; add </{0}>",
    ),
    (
        re.compile(r"EntityRef: expecting ';'"),
        "a bare '&' must be written &amp; (or finish the character reference with ';')",
    ),
    (
        re.compile(r"Entity '(\w+)' not defined"),
        "&{0}; is not an XML character name; type the character itself (the files are UTF-8), "
        "or use a numeric reference such as &#160;",
    ),
    (
        re.compile(r"AttValue: \" or ' expected"),
        'an attribute value must be in quotes, e.g. n="1"',
    ),
    (
        re.compile(r"Extra content at the end of the document"),
        "there is content after the closing </TEI>; a file holds exactly one TEI document",
    ),
)


def editor_message(raw: str) -> tuple[str, str]:
    """libxml2's syntax error in an editor's words, and its rule id; unknown ones keep libxml2's text."""
    for pattern, template in _SYNTAX_MESSAGES:
        match = pattern.search(raw)
        if match:
            text = template.format(*match.groups())
            if text.startswith("xml:id"):
                return text, "unique-id"
            return "not well-formed XML: " + text, "well-formed"
    return "not well-formed XML: " + (raw.split(", line ")[0] or "the parser could not read it"), (
        "well-formed"
    )


def _line_of(data: bytes, needle: bytes) -> int:
    index = data.find(needle)
    return data.count(b"\n", 0, index) + 1 if index >= 0 else 1
