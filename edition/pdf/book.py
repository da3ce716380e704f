"""Assembly of the book: front matter, one section per document, back matter, as one HTML file.

The book is written from the Corpus and the print output of the XSLT core through Jinja2 templates
(edition/templates/book/). Every page number the book prints comes from a :class:`PageMap` (the layout
before this one, see paginate.py); without one, placeholders of the expected width are printed. Every
mention of a person or place gets an HTML id, so pagination can tell the index where it fell.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from lxml import etree, html
from markupsafe import Markup

from edition.config import Config
from edition.corpus import NS, Corpus, Correspondent, Document
from edition.links import link_table, short_title
from edition.pdf.chronology import chronology
from edition.pdf.index import INDEXED_KINDS, IndexSection, build_index
from edition.pdf.inline import render_inline
from edition.pdf.paginate import PageMap
from edition.pdf.parts import Part, PartContent, part_css
from edition.transform import Transformer

TEMPLATES = Path(__file__).resolve().parent.parent / "templates" / "book"
BODY_ANCHOR = "body"  # the first page of the body is page 1
_SPACES = re.compile(r"[ \t\r\n]+")  # not \s: a no-break space must stay

STATUS_TEXT = {
    "transcribed": "Text transcribed from the source below",
    "summarised": "Calendar entry: summary only; the text is not transcribed in this edition",
    "draft": "Draft: the transcription is not yet checked",
}


def long_date(date: dt.date | None) -> str:
    return f"{date.day} {date:%B %Y}" if date else "undated"


@dataclass(frozen=True)
class Mention:
    """A person or place named in the book: the HTML id of the mention and the register key."""

    anchor: str
    key: str


@dataclass
class _Mentions:
    """Hands out the ids of one document's mentions, in document order (stable between passes)."""

    prefix: str
    found: list[Mention] = field(default_factory=list)

    def __call__(self, key: str) -> str | None:
        if key.partition(":")[0] not in INDEXED_KINDS:
            return None
        anchor = f"{self.prefix}-m{len(self.found) + 1}"
        self.found.append(Mention(anchor, key))
        return anchor


class PageRefs:
    """The page numbers the templates print: a page map's, or estimates before the first layout.

    Page numbers are set in tabular figures, so a number is exactly as wide as any other of the
    same length. The first layout prints estimates (see :func:`estimated_starts`); where an
    estimate has as many figures as the true number, writing the true number cannot move a line.
    """

    def __init__(self, pages: PageMap | None, estimates: dict[str, int]) -> None:
        self.pages = pages
        self.estimates = estimates
        self.digits = len(str(max(estimates.values(), default=1)))

    @property
    def known(self) -> bool:
        return self.pages is not None

    def label(self, anchor: str) -> str:
        """The printed folio of the page an anchor is on (roman or arabic)."""
        return self.pages.label_of(anchor) if self.pages else "0" * self.digits

    def number(self, anchor: str) -> int:
        """The arabic page number of an anchor in the body."""
        if self.pages:
            return self.pages.number_of(anchor)
        return self.estimates.get(anchor, int("8" * self.digits))


# Before the first layout a document's length is estimated from its text: a page holds about this
# many characters, and a heading (metadata and rules) takes about the room of HEADING_CHARACTERS.
PAGE_CHARACTERS = 2200
HEADING_CHARACTERS = 1000


def estimated_starts(corpus: Corpus) -> dict[str, int]:
    """The page each document is expected to begin on (the part title is page 1).

    Only the number of figures matters (see PageRefs): a good estimate saves a third layout when a
    book crosses page 10, 100 or 1000. Each document begins a page; one that needs more than a
    page ends, on average, half-way down its last one. (Calibrated on the real edition and on
    generated letters: within a few per cent over a book.)
    """
    starts: dict[str, int] = {}
    page = 2.0
    for document in corpus.documents:
        starts[document.id] = round(page)
        characters = HEADING_CHARACTERS
        for part in document.file.root.iterfind("tei:text", NS):
            characters += len(
                " ".join(etree.tostring(part, method="text", encoding="unicode").split())
            )
        characters += len(document.abstract)
        pages = characters / PAGE_CHARACTERS
        page += 1.0 if pages <= 1 else pages + 0.5
    return starts


def _markup(element: html.HtmlElement) -> Markup:
    return Markup(html.tostring(element, encoding="unicode"))  # noqa: S704 - built as elements


class Book:
    """Writes the book's HTML for a page map; one instance per build (the XSLT is compiled once)."""

    def __init__(self, corpus: Corpus, config: Config, transformer: Transformer) -> None:
        self.corpus = corpus
        self.config = config
        self.transformer = transformer
        self.environment = jinja2.Environment(
            loader=jinja2.FileSystemLoader(TEMPLATES),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.estimates = estimated_starts(corpus)
        self.mentions: list[Mention] = []  # of the last render
        self.index: list[IndexSection] = []  # of the last render
        # A link from a mention to the site's page tells which register entry it is (the fallback
        # for output that carries no data-ref).
        links = link_table(corpus, config.edition.base_url)
        self._entry_by_href = {
            row.get("href", ""): row.get("key", "") for row in links.getroot().iter("entry")
        }
        self._document_by_href = {
            row.get("href", ""): row.get("id", "") for row in links.getroot().iter("document")
        }

    def stylesheet(self) -> str:
        return (TEMPLATES / "book.css").read_text(encoding="utf-8")

    # --- the whole book -----------------------------------------------------------------------

    def render(self, pages: PageMap | None) -> str:
        """The whole book as one HTML file, its page numbers from ``pages`` (None: placeholders)."""
        context = self.context(pages)
        return self.environment.get_template("book.html").render(**context)

    def render_parts(self, pages: PageMap | None, parts: Sequence[Part]) -> list[str]:
        """The book as separate HTML files, one per part (see parts.py), each starting its folios
        where the part before it ends according to ``pages``."""
        context = self.context(pages)
        refs: PageRefs = context["refs"]
        documents = {d["id"]: d for d in context["documents"]}
        template = self.environment.get_template("part.html")
        out = []
        for part in parts:
            content = [documents[doc_id] for doc_id in part.documents]
            out.append(
                template.render(
                    **context,
                    part=PartContent(part.kind, content, part.opens_body),
                    part_css=part_css(self._first_folio(part, refs)),
                )
            )
        return out

    @staticmethod
    def _first_folio(part: Part, refs: PageRefs) -> int | None:
        """The arabic folio a part begins on: after the front matter, the page its first anchor is on
        in ``refs`` (an estimate before the first layout; folios are set in the page margin, so a
        wrong one cannot move the text)."""
        if part.kind == "front":
            return None
        if part.opens_body:
            return 1
        return refs.number(part.documents[0] if part.documents else "chronology")

    def context(self, pages: PageMap | None) -> dict[str, Any]:
        """What the book's templates print, for one layout."""
        refs = PageRefs(pages, self.estimates)
        self.mentions = []
        # One link table per layout: references to other documents print the page they begin on.
        starts = {d.id: refs.number(d.id) for d in self.corpus.documents}
        links = link_table(self.corpus, self.config.edition.base_url, pages=starts)
        documents = [self._document(d, refs, links) for d in self.corpus.documents]
        index = self.index = self._index(refs)
        return {
            "edition": self.config.edition,
            "config": self.config,
            "corpus": self.corpus,
            "documents": documents,
            "refs": refs,
            "body_anchor": BODY_ANCHOR,
            "index": index,
            "chronology": chronology(self.corpus),
            "counts": self._counts(),
            "sigla": self._sigla(),
            "first": documents[0] if documents else None,
            "titles": {d["id"]: d["short_title"] for d in documents},
            "keywords": self._keywords(),
            "long_date": long_date,
        }

    def _counts(self) -> dict[str, Any]:
        documents = self.corpus.documents
        dated = [d.date for d in documents if d.date]
        return {
            "documents": len(documents),
            "transcribed": sum(1 for d in documents if d.transcribed),
            "summarised": sum(1 for d in documents if d.status == "summarised"),
            "first": long_date(min(dated)) if dated else "",
            "last": long_date(max(dated)) if dated else "",
            "persons": sum(1 for e in self.corpus.entries.values() if e.kind == "person"),
            "places": sum(1 for e in self.corpus.entries.values() if e.kind == "place"),
        }

    def _keywords(self) -> list[str]:
        """The PDF's keywords: the documents' subject terms, most frequent first."""
        counts: dict[str, int] = defaultdict(int)
        for document in self.corpus.documents:
            for term in document.keywords:
                counts[term] += 1
        return sorted(counts, key=lambda term: (-counts[term], term))[:20]

    def _sigla(self) -> list[tuple[str, str]]:
        """Sigla of the sources the edition cites, with the register's title."""
        known = {"wcda": "WCDA", "frus-1961-63-v06": "FRUS", "avp-rf": "AVP RF"}
        sigla = []
        for key, siglum in known.items():
            entry = self.corpus.entries.get(f"source:{key}")
            if entry is not None:
                sigla.append((siglum, entry.label))
        return sorted(sigla)

    def _index(self, refs: PageRefs) -> list[IndexSection]:
        if refs.pages is None:
            return build_index(self.corpus, {})
        pages: dict[str, set[int]] = defaultdict(set)
        for mention in self.mentions:
            pages[mention.key].add(refs.pages.number_of(mention.anchor))
        return build_index(self.corpus, pages)

    # --- one document -------------------------------------------------------------------------

    def _document(
        self, document: Document, refs: PageRefs, links: etree._ElementTree
    ) -> dict[str, Any]:
        mention = _Mentions(document.id)
        root = document.file.root
        sender = document.sender
        head = {
            "id": document.id,
            "number": document.number,
            "short_title": short_title(self.corpus, document),
            "title": document.title,
            "type": document.type.capitalize() or "Document",
            "lang": document.language,
            "date": long_date(document.date),
            "place": sender.place_name if sender and sender.place_name else "",
            "senders": [self._correspondent(c, mention) for c in document.senders],
            "recipients": [self._correspondent(c, mention) for c in document.recipients],
            "transmitters": [self._correspondent(c, mention) for c in document.transmitters],
            "status": STATUS_TEXT.get(document.status, document.status),
            "transcribed": document.transcribed,
            "sources": [
                _markup(render_inline(bibl, mention))
                for bibl in root.iterfind(".//tei:sourceDesc//tei:bibl", NS)
            ],
            "abstract": [
                _markup(render_inline(p, mention, "p"))
                for p in root.iterfind(".//tei:profileDesc/tei:abstract/tei:p", NS)
            ],
            "url": self.config.document_url(document.id),
            "tei_url": self.config.tei_url(document.id),
            "replies_to": self._doc_refs(document.replies_to, refs),
            "prev": self._doc_refs([document.prev] if document.prev else [], refs),
            "next": self._doc_refs([document.next] if document.next else [], refs),
        }
        if not head["abstract"] and document.abstract:
            head["abstract"] = [Markup("<p>{}</p>").format(document.abstract)]
        head["text"] = self._text(document, links, mention)
        self.mentions.extend(mention.found)
        return head

    def _correspondent(self, person: Correspondent, mention: _Mentions) -> Markup:
        name = html.Element(
            "span",
            {"class": "persName" if person.key and person.key.startswith("person:") else "orgName"},
        )
        name.text = person.name
        if person.key:
            name.set("data-ref", person.key)
            anchor = mention(person.key)
            if anchor:
                name.set("id", anchor)
        out = html.Element("span", {"class": "correspondent"})
        out.append(name)
        if person.place_name:
            place = html.Element("span", {"class": "placeName"})
            place.text = person.place_name
            if person.place_key:
                place.set("data-ref", person.place_key)
                anchor = mention(person.place_key)
                if anchor:
                    place.set("id", anchor)
            name.tail = " ("
            out.append(place)
            place.tail = ")"
        return _markup(out)

    def _doc_refs(self, ids: Iterable[str], refs: PageRefs) -> list[dict[str, Any]]:
        out = []
        for doc_id in ids:
            other = self.corpus.document(doc_id)
            if other is None:
                continue
            out.append(
                {
                    "id": other.id,
                    "number": other.number,
                    "title": short_title(self.corpus, other),
                    "page": refs.number(other.id),
                }
            )
        return out

    def _text(self, document: Document, links: etree._ElementTree, mention: _Mentions) -> Markup:
        fragment = self.transformer.render(document.file.tree, links)
        if not fragment.strip():
            return Markup("")
        return Markup(self._post_process(fragment, document, mention))  # noqa: S704

    def _post_process(self, fragment: str, document: Document, mention: _Mentions) -> str:
        """Ids for mentions and footnotes; links to other documents point into the book."""
        root = html.fragment_fromstring(fragment)
        for element in root.iter():
            # Source line breaks are not text (WeasyPrint keeps them in footnotes otherwise).
            if element.text:
                element.text = _SPACES.sub(" ", element.text)
            if element.tail:
                element.tail = _SPACES.sub(" ", element.tail)
            if not isinstance(element.tag, str):
                continue
            classes = (element.get("class") or "").split()
            if {"persName", "placeName", "orgName", "name", "rs"} & set(classes):
                key = element.get("data-ref") or self._entry_by_href.get(element.get("href", ""))
                if key:
                    element.set("data-ref", key)
                    anchor = mention(key)
                    if anchor and not element.get("id"):
                        element.set("id", anchor)
            elif "footnote" in classes and element.get("data-n"):
                element.set("id", element.get("id") or f"{document.id}-n{element.get('data-n')}")
            if element.tag == "a":
                target = self._document_by_href.get(element.get("href", ""))
                if target:
                    element.set("href", f"#{target}")
        return str(html.tostring(root, encoding="unicode"))
