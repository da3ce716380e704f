"""The load stage: read every TEI file safely and build the Corpus, the one model later stages read.

The Corpus holds the documents (identity, type, status, date, correspondents, prev/next, what they mention
and refer to) and the registers (persons, places, organisations, sources), plus the reverse index of who
and what is mentioned where. Later stages never re-parse TEI for facts held here. Loading never fails on
bad input: what cannot be read becomes a located Problem, and the rest of the corpus still loads, so one
check run reports everything.

A file's bytes are read once; its tree is parsed from them when a stage first asks for it. The check
(edition.check.runner) builds documents from facts read in worker processes, or remembered from the
previous build for files whose bytes have not changed, so a corpus of a thousand letters need not be
parsed again in the build's own process to be known; the few stages that need a document's tree (its
reading page, the book) parse exactly the bytes that were checked.
"""

from __future__ import annotations

import datetime as dt
import functools
import heapq
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from edition.check.report import Problem, Severity
from edition.config import Config
from edition.locate import element_position
from edition.xmlsafe import ParseFailure, parse_bytes

TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"
XML_ID = f"{{{XML_NS}}}id"
NS = {"tei": TEI_NS}

# Register kinds by the pointer prefix documents use for them (see listPrefixDef in every document).
REGISTER_PREFIXES = ("person", "place", "org", "source")
POINTER_ATTRIBUTES = ("ref", "target", "corresp", "source", "prev", "next", "resp", "sameAs")
_PREFIXED = re.compile(r"^(person|place|org|source|doc):([A-Za-z0-9._-]+)$")


class SourceFile:
    """One TEI file: the bytes that were read (and checked), and, parsed from them on first use, its
    tree and its text lines, so problems can be located exactly.

    Compared by identity: two reads of one file are two SourceFiles.
    """

    __slots__ = ("_lines", "_pointers", "_tree", "data", "path")

    def __init__(self, path: Path, data: bytes, tree: etree._ElementTree | None = None) -> None:
        self.path = path
        self.data = data
        self._tree = tree
        self._lines: list[str] | None = None
        self._pointers: list[tuple[etree._Element, str, str]] | None = None

    @property
    def tree(self) -> etree._ElementTree:
        if self._tree is None:
            parsed = parse_bytes(self.data)
            if isinstance(parsed, ParseFailure):  # these bytes were read once already
                raise RuntimeError(f"{self.path} no longer parses: {parsed.message}")
            self._tree = parsed
        return self._tree

    @property
    def parsed(self) -> bool:
        """Whether the tree has been parsed (by the check, or by a stage that asked for it)."""
        return self._tree is not None

    @property
    def lines(self) -> list[str]:
        if self._lines is None:
            self._lines = self.data.decode("utf-8", errors="replace").splitlines()
        return self._lines

    @property
    def root(self) -> etree._Element:
        return self.tree.getroot()

    @property
    def pointers(self) -> list[tuple[etree._Element, str, str]]:
        """(element, attribute, pointer) for every pointer in the file (:func:`pointers_in`)."""
        if self._pointers is None:
            self._pointers = pointers_in(self.root)
        return self._pointers

    def position(self, element: etree._Element) -> tuple[int, int]:
        return element_position(element, self.lines)

    def __repr__(self) -> str:
        return f"SourceFile({str(self.path)!r})"


@dataclass(frozen=True)
class Correspondent:
    """A sender, recipient or transmitter as correspDesc names them."""

    name: str
    key: str | None  # "person:castro" or "org:soviet-foreign-ministry"; None if not pointed
    place_name: str | None = None
    place_key: str | None = None


@dataclass(eq=False)
class Document:
    id: str
    file: SourceFile
    type: str
    status: str
    title: str
    date: dt.date | None
    senders: list[Correspondent]
    recipients: list[Correspondent]
    transmitters: list[Correspondent]
    prev: str | None
    next: str | None
    replies_to: list[str]
    abstract: str
    keywords: list[str]
    language: str
    modified: dt.date | None  # the latest revisionDesc/change/@when: the record's datestamp
    number: int = 0  # position in chronological order, 1-based; set by the Corpus
    mentions: set[str] = field(default_factory=set)  # register keys pointed to from this document
    references: set[str] = field(default_factory=set)  # ids of other documents it refers to

    @property
    def transcribed(self) -> bool:
        return self.status == "transcribed"

    @property
    def sender(self) -> Correspondent | None:
        return self.senders[0] if self.senders else None

    @property
    def recipient(self) -> Correspondent | None:
        return self.recipients[0] if self.recipients else None


@dataclass(eq=False)
class RegisterEntry:
    key: str  # pointer form: "person:castro"
    kind: str  # person | place | org | source
    id: str
    label: str  # the full name, or the bibl's text for sources
    short: str
    description: str
    birth: str | None
    death: str | None
    authorities: dict[str, str]  # idno type → value (Wikidata, VIAF, GeoNames, URI)
    file: SourceFile
    element: etree._Element


@dataclass
class Corpus:
    config: Config
    files: list[SourceFile]
    documents: list[Document]  # chronological, numbered
    entries: dict[str, RegisterEntry]  # by pointer key
    register_files: dict[str, SourceFile]  # kind → file
    unreadable_registers: list[Path] = field(default_factory=list)  # reported by the load stage

    def document(self, doc_id: str) -> Document | None:
        return self._by_id.get(doc_id)

    def __post_init__(self) -> None:
        self._by_id = {d.id: d for d in self.documents}
        index: dict[str, list[Document]] = defaultdict(list)
        for document in self.documents:
            for key in sorted(document.mentions):
                index[key].append(document)
        self._mentioned_in = dict(index)

    def mentioned_in(self, key: str) -> list[Document]:
        """Documents that point to a register entry, in chronological order."""
        return self._mentioned_in.get(key, [])

    def neighbours(self, document: Document) -> tuple[Document | None, Document | None]:
        prev = self.document(document.prev) if document.prev else None
        nxt = self.document(document.next) if document.next else None
        return prev, nxt


# --- reading helpers -------------------------------------------------------------------------------


def text_of(element: etree._Element | None) -> str:
    """The element's text with white space folded, notes left out (they are not part of names)."""
    if element is None:
        return ""
    parts: list[str] = []
    _collect_text(element, parts)
    return " ".join("".join(parts).split())


def _collect_text(element: etree._Element, parts: list[str]) -> None:
    if element.text:
        parts.append(element.text)
    for child in element:
        if isinstance(child.tag, str) and etree.QName(child).localname not in {"note", "sic"}:
            _collect_text(child, parts)
        if child.tail:
            parts.append(child.tail)


@functools.lru_cache(maxsize=256)
def _compiled(path: str) -> etree.XPath:
    """An XPath compiled once per process: evaluating a compiled one is several times faster."""
    return etree.XPath(path, namespaces=NS)


def xpath_first(element: etree._Element, path: str) -> etree._Element | None:
    """The first element ``path`` (TEI prefix ``tei:``) selects below ``element``, if any."""
    found = _compiled(path)(element)
    return found[0] if isinstance(found, list) and found else None  # type: ignore[return-value]


def xpath_all(element: etree._Element, path: str) -> list[etree._Element]:
    """The elements ``path`` (TEI prefix ``tei:``) selects below ``element``."""
    found = _compiled(path)(element)
    return [e for e in found if isinstance(e, etree._Element)] if isinstance(found, list) else []


def _attribute(element: etree._Element | None, path: str, name: str) -> str | None:
    """The attribute ``name`` of the first element at ``path`` below ``element``, if any."""
    found = xpath_first(element, path) if element is not None else None
    return found.get(name) if found is not None else None


@functools.lru_cache(maxsize=4096)  # a corpus's dates recur
def parse_iso_date(value: str | None) -> dt.date | None:
    """A full ISO date, or the first day of a year or month; None if absent or not ISO."""
    if not value:
        return None
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}T.+", value):
        value = value[:10]  # a date and time (a telegram's hour): its local date
    for pattern, fmt in (
        (r"\d{4}-\d{2}-\d{2}", "%Y-%m-%d"),
        (r"\d{4}-\d{2}", "%Y-%m"),
        (r"\d{4}", "%Y"),
    ):
        if re.fullmatch(pattern, value):
            try:
                return dt.datetime.strptime(value, fmt).date()
            except ValueError:
                return None
    return None


# Every attribute of a file, in document order: libxml2 finds them in one pass, faster than a walk
# over the elements in Python or one search per pointer attribute.
_ATTRIBUTES = etree.XPath("//@*")
_POINTER_NAMES = frozenset(POINTER_ATTRIBUTES)


def pointers_in(root: etree._Element) -> list[tuple[etree._Element, str, str]]:
    """(element, attribute, pointer) for every pointer in ``root``'s file, in document order;
    pointer attributes hold lists."""
    found: list[tuple[etree._Element, str, str]] = []
    values = _ATTRIBUTES(root)
    for value in values if isinstance(values, list) else []:
        name = getattr(value, "attrname", None)  # "{namespace}name" for others than ours
        if name not in _POINTER_NAMES:
            continue
        element = getattr(value, "getparent", lambda: None)()
        if isinstance(element, etree._Element) and isinstance(name, str):
            found.extend((element, name, token) for token in str(value).split())
    return found


@functools.lru_cache(maxsize=4096)  # the same keys recur in every document
def split_pointer(token: str) -> tuple[str, str] | None:
    """``("person", "castro")`` for ``person:castro``; None for anything else."""
    match = _PREFIXED.match(token)
    return (match.group(1), match.group(2)) if match else None


# --- loading ---------------------------------------------------------------------------------------


def read_file(path: Path) -> SourceFile | Problem:
    return read_source(path, path.read_bytes())


def read_source(path: Path, data: bytes) -> SourceFile | Problem:
    """The file ``path`` whose bytes are ``data``, parsed; or why it cannot be read as TEI."""
    parsed = parse_bytes(data)
    if isinstance(parsed, ParseFailure):
        return Problem(
            path, parsed.line, parsed.column, Severity.ERROR, parsed.message, parsed.rule
        )
    source = SourceFile(path, data, parsed)
    root = source.root
    if etree.QName(root).namespace != TEI_NS:
        line, column = source.position(root)
        found = etree.QName(root).namespace or "no namespace"
        return Problem(
            path,
            line,
            column,
            Severity.ERROR,
            f"the root element must be in the TEI namespace {TEI_NS} (found {found}); "
            f'write <TEI xmlns="{TEI_NS}">',
            "tei-namespace",
        )
    return source


def _correspondents(action: etree._Element | None) -> list[Correspondent]:
    if action is None:
        return []
    place = xpath_first(action, "tei:placeName")
    people = xpath_all(action, "tei:persName | tei:orgName")
    return [
        Correspondent(
            name=text_of(p),
            key=p.get("ref"),
            place_name=text_of(place) if place is not None else None,
            place_key=place.get("ref") if place is not None else None,
        )
        for p in people
    ]


def _context_ref(root: etree._Element, kind: str) -> list[str]:
    refs = xpath_all(root, f".//tei:correspContext/tei:ref[@type='{kind}']")
    ids = []
    for ref in refs:
        parsed = split_pointer(ref.get("target", ""))
        if parsed and parsed[0] == "doc":
            ids.append(parsed[1])
    return ids


def _latest_change(root: etree._Element) -> dt.date | None:
    dates = [
        parse_iso_date(c.get("when")) for c in xpath_all(root, ".//tei:revisionDesc/tei:change")
    ]
    known = [d for d in dates if d is not None]
    return max(known) if known else None


def read_document(source: SourceFile) -> Document:
    root = source.root
    sent = xpath_first(root, ".//tei:correspDesc/tei:correspAction[@type='sent']")
    prev, nxt = _context_ref(root, "prev"), _context_ref(root, "next")
    document = Document(
        id=root.get(XML_ID, source.path.stem),
        file=source,
        type=_attribute(root, "tei:text", "type") or "",
        status=_attribute(root, "tei:teiHeader/tei:revisionDesc", "status") or "",
        title=text_of(xpath_first(root, "tei:teiHeader/tei:fileDesc/tei:titleStmt/tei:title")),
        date=parse_iso_date(_attribute(sent, "tei:date", "when")),
        senders=_correspondents(sent),
        recipients=_correspondents(
            xpath_first(root, ".//tei:correspDesc/tei:correspAction[@type='received']")
        ),
        transmitters=_correspondents(
            xpath_first(root, ".//tei:correspDesc/tei:correspAction[@type='transmitted']")
        ),
        prev=prev[0] if prev else None,
        next=nxt[0] if nxt else None,
        replies_to=_context_ref(root, "replyTo"),
        abstract=text_of(xpath_first(root, ".//tei:profileDesc/tei:abstract")),
        keywords=[text_of(t) for t in xpath_all(root, ".//tei:textClass/tei:keywords/tei:term")],
        language=root.get(f"{{{XML_NS}}}lang", "en"),
        modified=_latest_change(root),
    )
    for _element, _name, token in source.pointers:
        parsed = split_pointer(token)
        if parsed is None:
            continue
        prefix, key = parsed
        if prefix == "doc":
            if key != document.id:
                document.references.add(key)
        else:
            document.mentions.add(token)
    return document


# --- a document as a record: what a worker sends back, and what the build manifest keeps -----------


def _people_record(people: Iterable[Correspondent]) -> list[list[str | None]]:
    return [[p.name, p.key, p.place_name, p.place_key] for p in people]


def _people_of(rows: Iterable[list[str | None]]) -> list[Correspondent]:
    return [
        Correspondent(str(name), key, place_name, place_key)
        for name, key, place_name, place_key in rows
    ]


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _date_of(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def document_record(document: Document) -> dict[str, Any]:
    """Everything read from a document's file, as JSON values (its number depends on the corpus)."""
    return {
        "id": document.id,
        "type": document.type,
        "status": document.status,
        "title": document.title,
        "date": _iso(document.date),
        "senders": _people_record(document.senders),
        "recipients": _people_record(document.recipients),
        "transmitters": _people_record(document.transmitters),
        "prev": document.prev,
        "next": document.next,
        "replies_to": list(document.replies_to),
        "abstract": document.abstract,
        "keywords": list(document.keywords),
        "language": document.language,
        "modified": _iso(document.modified),
        "mentions": sorted(document.mentions),
        "references": sorted(document.references),
    }


def document_from_record(record: dict[str, Any], source: SourceFile) -> Document:
    """The Document :func:`document_record` describes, read from ``source``."""
    return Document(
        id=record["id"],
        file=source,
        type=record["type"],
        status=record["status"],
        title=record["title"],
        date=_date_of(record["date"]),
        senders=_people_of(record["senders"]),
        recipients=_people_of(record["recipients"]),
        transmitters=_people_of(record["transmitters"]),
        prev=record["prev"],
        next=record["next"],
        replies_to=list(record["replies_to"]),
        abstract=record["abstract"],
        keywords=list(record["keywords"]),
        language=record["language"],
        modified=_date_of(record["modified"]),
        mentions=set(record["mentions"]),
        references=set(record["references"]),
    )


_REGISTER_KINDS = {"person": "person", "place": "place", "org": "org", "bibl": "source"}


_NAME_ELEMENT = {"person": "tei:persName", "place": "tei:placeName", "org": "tei:orgName"}


def _entry_names(element: etree._Element, kind: str) -> tuple[str, str]:
    """(full label, short label) of a register entry; a source is labelled by its title."""
    if kind == "source":
        title = xpath_first(element, "tei:title")
        label = text_of(title if title is not None else element)
        return label, label
    name_path = _NAME_ELEMENT[kind]
    full = xpath_first(element, f"{name_path}[@type='full']")
    if full is None:
        full = xpath_first(element, name_path)
    short = xpath_first(element, f"{name_path}[@type='short']")
    label = text_of(full)
    return label, text_of(short) if short is not None else label


def read_register(source: SourceFile) -> list[RegisterEntry]:
    entries = []
    for element in xpath_all(
        source.root, ".//tei:person | .//tei:place | .//tei:org | .//tei:listBibl/tei:bibl"
    ):
        kind = _REGISTER_KINDS[etree.QName(element).localname]
        entry_id = element.get(XML_ID)
        if not entry_id:
            continue
        label, short = _entry_names(element, kind)
        entries.append(
            RegisterEntry(
                key=f"{kind}:{entry_id}",
                kind=kind,
                id=entry_id,
                label=label,
                short=short,
                description=text_of(xpath_first(element, "tei:note[@type='description']")),
                birth=_attribute(element, "tei:birth", "when"),
                death=_attribute(element, "tei:death", "when"),
                authorities={i.get("type", ""): text_of(i) for i in xpath_all(element, "tei:idno")},
                file=source,
                element=element,
            )
        )
    return entries


def _chronological(documents: Iterable[Document]) -> list[Document]:
    """Documents by date; those of one day in the order their own links give (prev/next, replies).

    Sorting a day's documents by id alone would, for instance, put Kennedy's reply of 27 October before
    the Khrushchev letter it answers.
    """
    by_date: dict[dt.date, list[Document]] = defaultdict(list)
    for document in documents:
        by_date[document.date or dt.date.max].append(document)
    ordered: list[Document] = []
    for date in sorted(by_date):
        ordered.extend(_order_one_day(by_date[date]))
    for number, document in enumerate(ordered, start=1):
        document.number = number
    return ordered


def _order_one_day(day: list[Document]) -> list[Document]:
    """Kahn's topological sort over the links within one day, ties broken by id (stable, total): at
    each step the smallest id of those whose predecessors are all placed; where the links form a
    cycle, the smallest id left. A heap of the ready ids keeps it O(n log n) in a busy day."""
    ids = {d.id for d in day}
    after: dict[str, set[str]] = {d.id: set() for d in day}  # id → ids that must come before it
    for document in day:
        earlier = {i for i in (document.prev, *document.replies_to) if i} & ids
        after[document.id] |= earlier - {document.id}
        if document.next in ids and document.next != document.id:
            after[document.next].add(document.id)
    before: dict[str, set[str]] = {i: set() for i in ids}  # id → ids that must come after it
    for later, earlier_ids in after.items():
        for earlier_id in earlier_ids:
            before[earlier_id].add(later)
    waiting = {i: len(after[i]) for i in ids}  # predecessors not yet placed
    ready = sorted(i for i in ids if not waiting[i])
    by_id = {d.id: d for d in day}
    ordered: list[Document] = []
    remaining = set(ids)
    while remaining:
        chosen = heapq.heappop(ready) if ready else min(remaining)
        if chosen not in remaining:
            continue  # placed already, to break a cycle
        ordered.append(by_id[chosen])
        remaining.discard(chosen)
        for later in before[chosen]:
            waiting[later] -= 1
            if not waiting[later] and later in remaining:
                heapq.heappush(ready, later)
    return ordered


def _xml_files(folder: Path) -> list[Path]:
    """The XML files of ``folder`` by name (the order of Paths, found faster)."""
    return sorted((p for p in folder.glob("*.xml") if p.is_file()), key=lambda p: p.name)


def document_paths(config: Config) -> list[Path]:
    return _xml_files(config.tei_dir)


def register_paths(config: Config) -> list[Path]:
    return _xml_files(config.register_dir)


def load_corpus(config: Config) -> tuple[Corpus, list[Problem]]:
    """Read every document and register; what cannot be read is reported, not raised."""
    problems: list[Problem] = []
    registers = set(register_paths(config))
    loaded: list[tuple[SourceFile, Document | None]] = []
    unreadable_registers: list[Path] = []
    for path in document_paths(config) + register_paths(config):
        read = read_file(path)
        if isinstance(read, Problem):
            problems.append(read)
            if path in registers:
                unreadable_registers.append(path)
            continue
        loaded.append((read, None if path in registers else read_document(read)))
    return assemble_corpus(config, loaded, unreadable_registers), problems


def assemble_corpus(
    config: Config,
    loaded: Iterable[tuple[SourceFile, Document | None]],
    unreadable_registers: list[Path],
) -> Corpus:
    """The Corpus of the files read, in the order read: each a document with its Document, or a
    register (None), whose entries are read here."""
    files: list[SourceFile] = []
    documents: list[Document] = []
    entries: dict[str, RegisterEntry] = {}
    register_files: dict[str, SourceFile] = {}
    for source, document in loaded:
        files.append(source)
        if document is not None:
            documents.append(document)
            continue
        for entry in read_register(source):
            entries.setdefault(entry.key, entry)
            register_files.setdefault(entry.kind, source)
    return Corpus(
        config, files, _chronological(documents), entries, register_files, unreadable_registers
    )
