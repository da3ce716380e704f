"""The text of one FRUS document in the edition's encoding.

FRUS → edition, element by element:

- ``p`` → ``p n="1"`` …, numbered without gaps; lists, quotations and attachments become paragraphs;
- footnotes (``note n="1"``) → ``note type="editorial" resp="org:…"`` (the Office of the Historian),
  where the volume puts them; a note where the edition allows none (inside a name, a reference, the
  signature) moves to just after that element, or to the end of the last paragraph;
- ``persName/@corresp`` → ``persName ref="person:…"`` through the volume's persons list; places and
  organisations by name; what is not in the registers keeps its name without a link (and a warning);
- ``ref/@target`` → ``ref type="document" target="doc:…"`` when the FRUS document is in the edition,
  else ``ref type="source"`` to its page on history.state.gov; page references are dropped;
- ``closer/signed`` → ``closer/signed``; a short valediction ("Respectfully,") just before it becomes
  the closer's ``salute``;
- ``pb``, ``hi``, ``gloss`` and the like keep their text only (``hi`` in a note is a title).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from lxml import etree

from edition.corpus import TEI_NS, text_of

_SPACE = re.compile(r"\s+")
_DATE_ONLY = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")
_VALEDICTION_WORDS = 5


@dataclass
class Links:
    """What the converter asks about names and references (answered by the importer)."""

    person: Callable[[etree._Element], str | None]
    place: Callable[[str], str | None]
    org: Callable[[str], str | None]
    ref: Callable[[str], tuple[str, str] | None]  # FRUS target → (ref type, edition target)
    note_resp: str


@dataclass
class Text:
    paragraphs: list[etree._Element]
    closer: etree._Element | None
    notes: int


def local(element: etree._Element) -> str:
    return etree.QName(element).localname


def _append(target: etree._Element, text: str | None) -> None:
    if not text:
        return
    if len(target):
        last = target[-1]
        last.tail = (last.tail or "") + text
    else:
        target.text = (target.text or "") + text


def tidy(element: etree._Element) -> etree._Element:
    """One space for every run of white space; none at the start and end of ``element``."""
    for node in element.iter():
        if node.text:
            node.text = _SPACE.sub(" ", node.text)
        if node is not element and node.tail:
            node.tail = _SPACE.sub(" ", node.tail)
    if element.text:
        element.text = element.text.lstrip()
    if len(element):
        last = element[-1]
        if last.tail:
            last.tail = last.tail.rstrip()
    elif element.text:
        element.text = element.text.rstrip()
    return element


def _empty(element: etree._Element) -> bool:
    return not len(element) and not (element.text or "").strip()


@dataclass
class Converter:
    links: Links
    pending: list[etree._Element] = field(default_factory=list)
    notes: int = 0

    # --- phrase level ------------------------------------------------------------------------------

    def inline(
        self, source: etree._Element, target: etree._Element, mode: str, in_note: bool = False
    ) -> None:
        """Convert ``source``'s content into ``target``. ``mode``: "paragraph" (notes allowed),
        "phrase" (no notes: they wait in ``pending``) or "name" (text only)."""
        _append(target, source.text)
        for child in source:
            if isinstance(child.tag, str):
                self._element(child, target, mode, in_note)
                if mode == "paragraph" and self.pending:
                    target.extend(self.pending)
                    self.pending.clear()
            _append(target, child.tail)

    def _element(
        self, child: etree._Element, target: etree._Element, mode: str, in_note: bool
    ) -> None:
        name = local(child)
        if etree.QName(child).namespace not in (TEI_NS, None):
            self.inline(child, target, mode, in_note)
        elif name == "pb":
            return
        elif name == "lb":
            _append(target, " ")
        elif name == "note":
            self._note(child, target, mode, in_note)
        elif mode == "name":
            self.inline(child, target, mode, in_note)
        elif name in ("persName", "placeName", "orgName", "gloss"):
            self._name(child, target, in_note)
        elif name == "ref":
            self._ref(child, target, in_note)
        elif name == "date":
            date = etree.SubElement(target, "date")
            when = child.get("when")
            if when and _DATE_ONLY.fullmatch(when):
                date.set("when", when)
            self.inline(child, date, "name", in_note)
        elif name == "title" or (name == "hi" and in_note and child.get("rend") == "italic"):
            self.inline(child, etree.SubElement(target, "title"), "phrase", in_note)
        else:
            self.inline(child, target, mode, in_note)

    def _note(
        self, child: etree._Element, target: etree._Element, mode: str, in_note: bool
    ) -> None:
        if in_note:  # the edition has no notes within notes: keep the words
            self.inline(child, target, mode, in_note)
            return
        if child.get("type") == "source" or child.get("n") == "0":
            return  # the source note is the document's sourceDesc
        note = etree.Element("note", {"type": "editorial", "resp": self.links.note_resp})
        self.inline(child, note, "phrase", in_note=True)
        tidy(note)
        self.notes += 1
        if mode == "paragraph":
            target.append(note)
        else:
            self.pending.append(note)

    def _name(self, child: etree._Element, target: etree._Element, in_note: bool) -> None:
        kind = local(child)
        if kind == "persName":
            ref = self.links.person(child)
        elif kind == "placeName":
            ref = self.links.place(text_of(child))
        else:
            ref = self.links.org(text_of(child))
        if kind == "gloss" and ref is None:  # an abbreviation FRUS explains: keep the words
            self.inline(child, target, "phrase", in_note)
            return
        element = etree.SubElement(target, "orgName" if kind == "gloss" else kind)
        if ref:
            element.set("ref", ref)
        self.inline(child, element, "name", in_note)

    def _ref(self, child: etree._Element, target: etree._Element, in_note: bool) -> None:
        resolved = self.links.ref(child.get("target", ""))
        if resolved is None:
            self.inline(child, target, "phrase", in_note)
            return
        kind, pointer = resolved
        self.inline(
            child,
            etree.SubElement(target, "ref", {"type": kind, "target": pointer}),
            "phrase",
            in_note,
        )

    # --- dateline --------------------------------------------------------------------------------------

    def dateline(self, source: etree._Element) -> etree._Element:
        """``<placeName ref=…>Moscow</placeName>, <date when=…>…</date>``; ``@when`` as FRUS gives it."""
        dateline = etree.Element("dateline")
        _append(dateline, source.text)
        for child in source:
            if isinstance(child.tag, str) and local(child) == "placeName":
                self._name(child, dateline, False)
            elif isinstance(child.tag, str) and local(child) == "date":
                date = etree.SubElement(dateline, "date")
                if child.get("when"):
                    date.set("when", child.get("when", ""))
                self.inline(child, date, "name")
            elif isinstance(child.tag, str):
                self.inline(child, dateline, "name")
            _append(dateline, child.tail)
        return tidy(dateline)

    # --- block level ---------------------------------------------------------------------------------

    def text(self, document: etree._Element) -> Text:
        paragraphs: list[etree._Element] = []
        closers: list[etree._Element] = []
        self._blocks(document, paragraphs, closers, top=True)
        closer = self._closer(closers, paragraphs) if closers else None
        if self.pending:
            if not paragraphs:
                paragraphs.append(etree.Element("p"))
            paragraphs[-1].extend(self.pending)
            self.pending.clear()
        for number, paragraph in enumerate(paragraphs, start=1):
            paragraph.set("n", str(number))
        return Text(paragraphs, closer, self.notes)

    def _blocks(
        self,
        container: etree._Element,
        paragraphs: list[etree._Element],
        closers: list[etree._Element],
        top: bool = False,
    ) -> None:
        for child in container:
            if not isinstance(child.tag, str):
                continue
            name = local(child)
            if top and name in ("head", "dateline"):
                continue
            if name in ("pb", "lb"):
                continue
            if name in ("closer", "signed"):
                closers.append(child)
            elif name == "note":
                self._note(child, etree.Element("p"), "phrase", False)
            elif name in ("p", "item", "row", "salute", "ab", "l", "label", "dateline", "head"):
                self._paragraph(child, paragraphs)
            elif any(isinstance(c.tag, str) and local(c) in _BLOCKS for c in child):
                self._blocks(child, paragraphs, closers)
            else:
                self._paragraph(child, paragraphs)

    def _paragraph(self, source: etree._Element, paragraphs: list[etree._Element]) -> None:
        paragraph = etree.Element("p")
        self.inline(source, paragraph, "paragraph")
        tidy(paragraph)
        if not _empty(paragraph):
            paragraphs.append(paragraph)

    def _closer(
        self, sources: list[etree._Element], paragraphs: list[etree._Element]
    ) -> etree._Element | None:
        closer = etree.Element("closer")
        salute: etree._Element | None = None
        for source in sources:
            if local(source) == "signed":
                self._signed(source, closer, whole=True)
                continue
            if (source.text or "").strip():  # words directly in the closer: the signature
                signed = etree.Element("signed")
                _append(signed, source.text)
                closer.append(tidy(signed))
            for part in source:
                if not isinstance(part.tag, str):
                    continue
                name = local(part)
                if name == "note":
                    self._note(part, closer, "phrase", False)
                elif name == "salute" and salute is None:
                    salute = etree.Element("salute")
                    self.inline(part, salute, "phrase")
                    tidy(salute)
                elif name in ("signed", "persName"):
                    self._signed(part, closer, whole=name == "signed")
                elif name != "pb":
                    self._paragraph(part, paragraphs)
        if salute is None and paragraphs and _is_valediction(paragraphs[-1]):
            salute = paragraphs.pop()
            salute.tag = "salute"
        if not len(closer):
            if salute is not None:
                salute.tag = "p"
                paragraphs.append(salute)
            return None
        if salute is not None:
            closer.insert(0, salute)
        return closer

    def _signed(self, source: etree._Element, closer: etree._Element, whole: bool) -> None:
        """A signature: the content of a ``signed``, or a name standing alone in the closer."""
        signed = etree.Element("signed")
        if whole:
            self.inline(source, signed, "phrase")
        else:
            self._element(source, signed, "phrase", False)
        if not _empty(tidy(signed)):
            closer.append(signed)


_BLOCKS = {"p", "list", "item", "table", "row", "quote", "div", "closer", "signed", "lg", "ab"}


def _is_valediction(paragraph: etree._Element) -> bool:
    words = (paragraph.text or "").split()
    return not len(paragraph) and 0 < len(words) <= _VALEDICTION_WORDS and words[-1].endswith(",")


def serialise(element: etree._Element) -> str:
    return etree.tostring(element, encoding="unicode", with_tail=False)
