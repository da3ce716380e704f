"""XML written from per-item pieces (edition.splice): a *skeleton* — the document with a processing
instruction where each list of pieces goes — gives the fixed text, and each piece is serialised inside an
element that declares the namespaces in scope at its place, so it is written exactly as it would be
inside the whole tree (tests/test_harvest_incremental.py compares the two).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

from lxml import etree

from edition.harvest.xmlout import serialise
from edition.splice import Splice

MARK = "edition-pieces"
_SLOT = re.compile(rb"<\?" + MARK.encode() + rb" ([A-Za-z0-9_.:-]+)\?>")


def slot(parent: etree._Element, name: str) -> None:
    """Mark the place in a skeleton where the pieces called ``name`` go (as children of ``parent``)."""
    parent.append(etree.ProcessingInstruction(MARK, name))


@dataclass(frozen=True)
class Slot:
    """A place for pieces: the element they go into, and how pieces follow each other there."""

    name: str
    tag: str
    namespaces: Mapping[str | None, str]
    level: int  # depth of the pieces in the document
    separator: bytes  # between two pieces (a new line and indentation in an indented file)
    indent: bool

    def holder(self) -> etree._Element:
        """An element standing for the pieces' parent: same name, same namespaces in scope."""
        return etree.Element(self.tag, nsmap=dict(self.namespaces))  # type: ignore[arg-type]

    def serialise(self, holder: etree._Element) -> bytes:
        """The children a maker appended to ``holder``, as they are written at this slot."""
        if self.indent:
            for child in holder:
                etree.indent(child, level=self.level)
                child.tail = None
        data = etree.tostring(holder, encoding="UTF-8")
        start = data.index(b">") + 1  # the holder's start tag has no attributes: no ">" but its end
        end = data.rindex(b"</")
        return data[start:end]


def skeleton_parts(root: etree._Element, indent: bool) -> Iterator[bytes | Slot]:
    """The document ``root`` as it is written (see xmlout.serialise), cut at its slots: fixed bytes
    and the slots between them, in order."""
    places: dict[str, etree._Element] = {}
    for mark in root.iter(etree.ProcessingInstruction):
        if isinstance(mark, etree._ProcessingInstruction) and mark.target == MARK and mark.text:
            parent = mark.getparent()
            if parent is None or mark.text in places:
                raise ValueError(f"slot {mark.text!r} is not a single place inside the document")
            places[mark.text] = parent
    data = serialise(root, indent)
    at = 0
    for found in _SLOT.finditer(data):
        name = found.group(1).decode()
        parent = places[name]
        before = data[at : found.start()]
        separator = b"\n" + before[before.rfind(b"\n") + 1 :] if indent else b""
        yield before
        level = sum(1 for _ in parent.iterancestors()) + 1
        yield Slot(name, parent.tag, parent.nsmap, level, separator, indent)
        at = found.end()
    yield data[at:]


Maker = Callable[[etree._Element], None]  # appends a piece's element(s) to the holder it is given


def write_pieces(
    splice: Splice,
    root: etree._Element,
    indent: bool,
    items: Mapping[str, list[tuple[str, str, Maker]]],
) -> None:
    """Write the skeleton ``root`` with, in each slot, its pieces ((item, key, maker) in order)."""
    for part in skeleton_parts(root, indent):
        if isinstance(part, bytes):
            splice.fixed(part)
            continue
        for number, (item, key, maker) in enumerate(items.get(part.name, [])):
            if number:
                splice.fixed(part.separator)
            splice.piece(item, key, _making(part, maker))


def _making(place: Slot, maker: Maker) -> Callable[[], bytes]:
    def make() -> bytes:
        holder = place.holder()
        maker(holder)
        return place.serialise(holder)

    return make
