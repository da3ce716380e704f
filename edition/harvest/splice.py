"""Corpus-wide files made of per-item pieces, so that a rebuild makes only the pieces that changed.

A harvesting file such as the Static Repository is fixed text (the repository's description, the
wrappers) around one piece per item (a document's records). A full build makes every piece. An
incremental build copies the bytes of each unchanged piece from the previous build's file, which stays
intact while the new build is written, and makes only the others. What makes this safe is the *memo*
the build keeps in its manifest for each such file: the file's SHA-256, and for each piece the key it
was made from, where it starts and how long it is. A piece is copied only when its key is unchanged and
the previous file is the one the memo describes; otherwise it is made again. Since a piece's bytes
depend only on its key, both ways give the same file.

For XML, a *skeleton* (the document with a processing instruction where each list of pieces goes) gives
the fixed text, and each piece is serialised inside an element that declares the namespaces in scope
at its place, so it is written exactly as it would be inside the whole tree.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from edition.harvest.xmlout import serialise

MARK = "edition-pieces"
_SLOT = re.compile(rb"<\?" + MARK.encode() + rb" ([A-Za-z0-9_.:-]+)\?>")


@dataclass(frozen=True)
class Earlier:
    """A file of the previous build and where its pieces lie in it."""

    data: bytes
    pieces: Mapping[str, tuple[str, int, int]]  # item → (key, start, length)

    @classmethod
    def of(cls, path: Path | None, memo: object) -> Earlier | None:
        """The previous build's file as its memo describes it; None if there is none, or if the file
        is not the one the memo was written for."""
        if path is None or not isinstance(memo, dict):
            return None
        try:
            data = path.read_bytes()
            if hashlib.sha256(data).hexdigest() != memo["sha256"]:
                return None
            pieces: dict[str, tuple[str, int, int]] = {}
            for line in str(memo["pieces"]).split("\n")[:-1]:
                key, start, length, item = line.split(" ", 3)
                pieces[item] = (key, int(start), int(length))
        except (OSError, KeyError, ValueError, AttributeError):
            return None
        return cls(data, pieces)


@dataclass
class Splice:
    """Writes one file from fixed bytes and keyed pieces, copying unchanged pieces from ``earlier``."""

    earlier: Earlier | None = None
    parts: list[bytes] = field(default_factory=list)
    size: int = 0
    pieces: dict[str, tuple[str, int, int]] = field(default_factory=dict)
    made: int = 0  # pieces made in this build (the others were copied)

    def fixed(self, data: bytes) -> None:
        self.parts.append(data)
        self.size += len(data)

    def piece(self, item: str, key: str, make: Callable[[], bytes]) -> bytes:
        """Add the piece of ``item``: copied if the previous file has it with the same key."""
        if item in self.pieces:
            raise ValueError(f"two pieces for {item!r} in one file")
        known = self.earlier.pieces.get(item) if self.earlier is not None else None
        if self.earlier is not None and known is not None and known[0] == key:
            data = self.earlier.data[known[1] : known[1] + known[2]]
        else:
            data = make()
            self.made += 1
        self.pieces[item] = (key, self.size, len(data))
        self.fixed(data)
        return data

    def result(self) -> bytes:
        return b"".join(self.parts)

    def memo(self, data: bytes) -> dict[str, Any]:
        """What the next build needs to reuse the pieces of ``data`` (this splice's result)."""
        # One line per piece, "key start length item", in one string: a large memo stays quick to
        # write and read. An item whose name holds a line break is left out (made again next time).
        lines = [
            f"{key} {start} {length} {item}\n"
            for item, (key, start, length) in self.pieces.items()
            if "\n" not in item
        ]
        return {"sha256": hashlib.sha256(data).hexdigest(), "pieces": "".join(lines)}


# --- XML: skeletons with slots --------------------------------------------------------------------------


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
) -> bytes:
    """Write the skeleton ``root`` with, in each slot, its pieces ((item, key, maker) in order)."""
    for part in skeleton_parts(root, indent):
        if isinstance(part, bytes):
            splice.fixed(part)
            continue
        for number, (item, key, maker) in enumerate(items.get(part.name, [])):
            if number:
                splice.fixed(part.separator)
            splice.piece(item, key, _making(part, maker))
    return splice.result()


def _making(place: Slot, maker: Maker) -> Callable[[], bytes]:
    def make() -> bytes:
        holder = place.holder()
        maker(holder)
        return place.serialise(holder)

    return make
