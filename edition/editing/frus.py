"""`edition import frus`: documents of a FRUS volume converted into the edition's encoding.

For each ``--doc`` the importer reads the FRUS heading (what the document is, ``persName`` or
``gloss`` ``type="from"``/``"to"``), the dateline (place; date and, where FRUS gives them, local time
and offset, kept as FRUS writes them), the source note (into sourceDesc) and the text (frus_text).
A telegram that carries a letter — the heading names two offices, the text quotes a letter between
"Begin Text" and "End Text" or opening "Dear …" — is recorded with both roles: the letter's author and
addressee as sent/received, the transmitting officer and office as transmitted. The letter's author is
the name that signs it; its addressee the name the telegram sends it "to". Where the text does not say,
``--letter d65=khrushchev,kennedy`` does.

Converted documents have the status "transcribed" (FRUS is public domain). Nothing is written unless
every requested document converts; a document already in the edition (its source cites the FRUS
document) is replaced only with ``--force``, keeping its summary, keywords, links and history.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree
from markupsafe import Markup

from edition.corpus import NS, Corpus, Document, RegisterEntry, text_of
from edition.editing import frus_match, neighbours
from edition.editing.errors import EditingError
from edition.editing.files import write_all
from edition.editing.frus_text import Converter, Links, local, serialise, tidy
from edition.editing.frus_volume import FRUS_NS, FrusPerson, Volume, document_url, read_volume
from edition.editing.keys import resolve
from edition.editing.new import (
    ABSTRACT_PLACEHOLDER,
    KEYWORD_PLACEHOLDER,
    NAME_ELEMENTS,
    TYPE_WORDS,
    short_label,
)
from edition.editing.render import (
    Action,
    Bibl,
    ContextRef,
    DocumentText,
    Name,
    RespStmt,
    When,
    long_date,
    render_document,
    wrap_markup,
    xml_attribute,
    xml_text,
)
from edition.links import short_title
from edition.xmlsafe import ParseFailure, parse_bytes

_KINDS = {"letter": "letter", "message": "message", "telegram": "telegram", "cable": "cable"}
_FRUS_DOCUMENT_URL = re.compile(
    r"https://history\.state\.gov/historicaldocuments/(?P<volume>frus[0-9A-Za-z-]+)/(?P<doc>d\d+)/?"
)
_FRUS_TARGET = re.compile(r"(?P<volume>frus[0-9A-Za-z-]+)?(?:#(?P<doc>d\d+)(?:fn\d+)?)?")
_BEGIN = re.compile(r"^\W*begin (verbatim )?text\b", re.I)
_END = re.compile(r"\bend (verbatim )?text\b", re.I)
_DEAR = re.compile(r"^[\"“'‘\s]*dear\b", re.I)
_TO_BEFORE = re.compile(r"\bto\s*(the\s*)?$", re.I)
_SIGNATURE_WORDS = 8
_BIBL_ELEMENTS = {"title", "orgName", "ref"}


@dataclass(frozen=True)
class ImportRequest:
    volume: Path
    documents: tuple[str, ...]
    letters: dict[str, tuple[str, str]] = field(default_factory=dict)  # doc → (from key, to key)
    force: bool = False
    today: dt.date = field(default_factory=dt.date.today)


@dataclass
class Imported:
    frus_id: str
    id: str
    path: Path
    text: str
    replaces: bool
    paragraphs: int
    notes: int
    pair: tuple[str, str]  # sender and recipient keys
    day: dt.date
    label: str  # how prev/next links name it: "Khrushchev to Kennedy, 24 October 1962"
    prev: tuple[str, str] | None = None  # suggested neighbours (id, label), for new documents
    next: tuple[str, str] | None = None


@dataclass
class ImportPlan:
    volume: Volume
    documents: list[Imported]
    warnings: list[str]

    def files(self) -> dict[Path, str]:
        return {d.path: d.text for d in self.documents}


def parse_letters(values: tuple[str, ...]) -> dict[str, tuple[str, str]]:
    """``("d65=khrushchev,kennedy",)`` → ``{"d65": ("khrushchev", "kennedy")}``."""
    letters = {}
    for value in values:
        match = re.fullmatch(r"\s*(d\d+)\s*=\s*([\w:-]+)\s*,\s*([\w:-]+)\s*", value)
        if match is None:
            raise EditingError(
                f"--letter '{value}' must be written DOC=FROM,TO, e.g. --letter d65=khrushchev,kennedy"
            )
        letters[match.group(1)] = (match.group(2), match.group(3))
    return letters


# --- what the edition already holds ------------------------------------------------------------------


def frus_index(corpus: Corpus) -> dict[tuple[str, str], str]:
    """(volume, FRUS document) → edition document, from the FRUS addresses documents' sources cite:
    a document whose sourceDesc links to …/frus1961-63v06/d65 *is* d65."""
    index: dict[tuple[str, str], str] = {}
    for document in corpus.documents:
        targets = document.file.root.xpath(
            "tei:teiHeader/tei:fileDesc/tei:sourceDesc//tei:ref/@target", namespaces=NS
        )
        for target in targets if isinstance(targets, list) else []:
            match = _FRUS_DOCUMENT_URL.fullmatch(str(target))
            if match:
                index.setdefault((match.group("volume"), match.group("doc")), document.id)
    return index


def _cites_other_frus(document: Document, volume: str, frus_id: str) -> bool:
    targets = document.file.root.xpath(
        "tei:teiHeader/tei:fileDesc/tei:sourceDesc//tei:ref/@target", namespaces=NS
    )
    for target in targets if isinstance(targets, list) else []:
        match = _FRUS_DOCUMENT_URL.fullmatch(str(target))
        if match and (match.group("volume"), match.group("doc")) != (volume, frus_id):
            return True
    return False


# --- the heading -------------------------------------------------------------------------------------


@dataclass
class Heading:
    number: str
    word: str  # as FRUS calls the document: "Letter", "Telegram", "Oral Message"
    kind: str  # the edition's text type
    sender: etree._Element | None  # persName, gloss or orgName with type="from"
    recipient: etree._Element | None
    source_note: etree._Element | None


def _first(element: etree._Element, path: str) -> etree._Element | None:
    found = element.xpath(path, namespaces=NS)
    return found[0] if isinstance(found, list) and found else None  # type: ignore[return-value]


def read_heading(div: etree._Element, frus_id: str) -> Heading:
    head = _first(div, "tei:head")
    if head is None:
        raise EditingError(f"{frus_id} has no heading (head); it cannot be converted")
    words = text_of(head)
    match = re.match(r"^\s*(?:\d+\.\s*)?(?P<word>.*?)\s+(?:From|from)\b", words)
    word = match.group("word") if match else words
    kind = _KINDS.get(word.split()[-1].casefold() if word.split() else "")
    if kind is None:
        raise EditingError(
            f"{frus_id} is not a letter, message, telegram or cable (FRUS heads it "
            f"'{words}'); the edition holds correspondence only"
        )
    return Heading(
        number=div.get("n", frus_id.lstrip("d")),
        word=word,
        kind=kind,
        sender=_first(head, ".//*[@type='from']"),
        recipient=_first(head, ".//*[@type='to']"),
        source_note=_first(head, "tei:note[@type='source']"),
    )


# --- matching names to the registers -----------------------------------------------------------------


@dataclass
class Matcher:
    """Answers the converter's questions from the registers; collects the warnings, once each."""

    corpus: Corpus
    volume: Volume
    index: dict[tuple[str, str], str]
    frus_id: str = ""
    warnings: list[str] = field(default_factory=list)
    _warned: set[str] = field(default_factory=set)

    def reset(self) -> None:
        self.warnings.clear()
        self._warned.clear()

    def warn(self, key: str, message: str) -> None:
        if key not in self._warned:
            self._warned.add(key)
            self.warnings.append(message)

    def frus_person(self, element: etree._Element) -> FrusPerson | None:
        corresp = (element.get("corresp") or "").lstrip("#")
        return self.volume.persons.get(corresp) if corresp else None

    def person_entry(self, element: etree._Element, quiet: bool = False) -> RegisterEntry | None:
        person = self.frus_person(element)
        if person is None:
            found = frus_match.match_name(self.corpus, "person", text_of(element))
            return found[0] if len(found) == 1 else None
        found = frus_match.match_person(self.corpus, person)
        if len(found) == 1:
            return found[0]
        if not quiet and found:
            self.warn(
                person.id,
                f"{self.frus_id}: {person.name} ({person.id} in the volume's persons list) could be "
                f"{' or '.join(e.key for e in found)}; left without a link — add ref by hand",
            )
        elif not quiet:
            self.warn(
                person.id,
                f"{self.frus_id}: {person.name} is not in the persons register; left without a link. "
                f"To link them, add to tei/register/persons.xml: {frus_match.person_line(self.corpus, person)}",
            )
        return None

    def person(self, element: etree._Element) -> str | None:
        entry = self.person_entry(element)
        return entry.key if entry else None

    def place(self, name: str) -> str | None:
        found = frus_match.match_name(self.corpus, "place", name)
        return found[0].key if len(found) == 1 else None

    def org(self, name: str) -> str | None:
        found = frus_match.match_name(self.corpus, "org", name)
        return found[0].key if len(found) == 1 else None

    def ref(self, target: str) -> tuple[str, str] | None:
        """A FRUS ``ref/@target`` as the edition writes it, or None for what it does not link."""
        if target.startswith("https://"):
            return "source", target
        match = _FRUS_TARGET.fullmatch(target.strip())
        if match is None or not (match.group("volume") or match.group("doc")):
            return None  # a page, a term, a footnote of this document: keep the words
        volume = match.group("volume") or self.volume.id
        doc = match.group("doc")
        if doc and (volume, doc) in self.index:
            return "document", f"doc:{self.index[(volume, doc)]}"
        return "source", document_url(volume, doc)

    def links(self, note_resp: str) -> Links:
        return Links(self.person, self.place, self.org, self.ref, note_resp)


# --- a telegram that carries a letter -----------------------------------------------------------------


def _paragraphs(div: etree._Element) -> list[etree._Element]:
    found = div.xpath(".//tei:p[not(ancestor::tei:note)]", namespaces=NS)
    return [p for p in found if isinstance(p, etree._Element)] if isinstance(found, list) else []


def _persons_in(paragraph: etree._Element) -> list[etree._Element]:
    found = paragraph.xpath(".//tei:persName[@corresp][not(ancestor::tei:note)]", namespaces=NS)
    return [p for p in found if isinstance(p, etree._Element)] if isinstance(found, list) else []


def _text_before(element: etree._Element) -> str:
    previous = element.getprevious()
    while previous is not None and not isinstance(previous.tag, str):
        previous = previous.getprevious()
    if previous is not None:
        return previous.tail or ""
    parent = element.getparent()
    return (parent.text or "") if parent is not None else ""


@dataclass
class CarriedLetter:
    author: etree._Element | None
    addressee: etree._Element | None


def carried_letter(div: etree._Element) -> CarriedLetter | None:
    """The signing name and the addressee of a letter quoted in a telegram, if it quotes one."""
    paragraphs = _paragraphs(div)
    texts = [text_of(p) for p in paragraphs]
    begin = next((i for i, t in enumerate(texts) if _BEGIN.search(t)), None)
    if begin is None:
        begin = next((i for i, t in enumerate(texts) if _DEAR.search(t)), None)
    if begin is None:
        return None
    end = next((i for i in range(begin, len(texts)) if _END.search(texts[i])), len(texts) - 1)
    author = None
    for paragraph, text in reversed(
        list(zip(paragraphs[begin : end + 1], texts[begin : end + 1], strict=True))
    ):
        names = _persons_in(paragraph)
        if names and len(text.split()) <= _SIGNATURE_WORDS:
            author = names[-1]
            break
    addressees = [
        name
        for paragraph in paragraphs[:begin]
        for name in _persons_in(paragraph)
        if _TO_BEFORE.search(_text_before(name))
        and (author is None or name.get("corresp") != author.get("corresp"))
    ]
    distinct = {a.get("corresp") for a in addressees}
    return CarriedLetter(author, addressees[0] if len(distinct) == 1 else None)


# --- one document ----------------------------------------------------------------------------------


@dataclass
class Roles:
    kind: str
    sender: RegisterEntry
    recipient: RegisterEntry
    transmitted: list[Name]


def _name(entry: RegisterEntry) -> Name:
    return Name(NAME_ELEMENTS[entry.kind], entry.label, entry.key)


def _required(
    matcher: Matcher, element: etree._Element | None, role: str, frus_id: str
) -> RegisterEntry:
    if element is None:
        raise EditingError(f'{frus_id}: the FRUS heading names no {role} (type="{role}")')
    words = text_of(element)
    if local(element) == "persName":
        entry = matcher.person_entry(element, quiet=True)
        if entry is not None:
            return entry
        person = matcher.frus_person(element)
        line = frus_match.person_line(matcher.corpus, person) if person else ""
        hint = f"; add to tei/register/persons.xml: {line}" if line else ""
        raise EditingError(
            f"{frus_id}: the {'sender' if role == 'from' else 'recipient'} {words} is not in the "
            f"persons register (or matches more than one entry){hint}"
        )
    found = frus_match.match_name(matcher.corpus, "org", words)
    if len(found) == 1:
        return found[0]
    raise EditingError(
        f"{frus_id}: the {'sender' if role == 'from' else 'recipient'} '{words}' is not a name in the "
        'organisations register; add it as a variant name (<orgName type="variant">'
        f"{xml_text(words)}</orgName>) to the entry it means, or add to "
        f"tei/register/organisations.xml: {frus_match.org_line(matcher.corpus, words)}"
    )


def _signer(div: etree._Element) -> etree._Element | None:
    return _first(div, "tei:closer//tei:persName[@corresp] | tei:closer//tei:persName")


def read_roles(
    matcher: Matcher, div: etree._Element, heading: Heading, letter: tuple[str, str] | None
) -> Roles:
    frus_id = matcher.frus_id
    offices = heading.sender is not None and local(heading.sender) != "persName"
    carried = carried_letter(div) if offices and heading.kind in ("telegram", "cable") else None
    if letter is None and carried is None:
        return Roles(
            heading.kind,
            _required(matcher, heading.sender, "from", frus_id),
            _required(matcher, heading.recipient, "to", frus_id),
            [],
        )
    if letter is not None:
        sender = resolve(matcher.corpus, letter[0], ("person", "org"), f"--letter {frus_id}")
        recipient = resolve(matcher.corpus, letter[1], ("person", "org"), f"--letter {frus_id}")
    else:
        assert carried is not None
        author = matcher.person_entry(carried.author) if carried.author is not None else None
        addressee = (
            matcher.person_entry(carried.addressee) if carried.addressee is not None else None
        )
        if author is None or addressee is None:
            missing = "author" if author is None else "addressee"
            raise EditingError(
                f"{frus_id} is a telegram that carries a letter, but the letter's {missing} is not "
                "marked in the text or not in the persons register; say who wrote it to whom with "
                f"--letter {frus_id}=FROM,TO (register keys)"
            )
        sender, recipient = author, addressee
    return Roles("letter", sender, recipient, _transmitted(matcher, div, heading))


def _transmitted(matcher: Matcher, div: etree._Element, heading: Heading) -> list[Name]:
    names: list[Name] = []
    signer = _signer(div)
    if signer is not None:
        entry = matcher.person_entry(signer)
        if entry is not None:
            names.append(_name(entry))
    if heading.sender is not None:
        office = text_of(heading.sender)
        found = frus_match.match_name(matcher.corpus, "org", office)
        if len(found) == 1:
            names.append(_name(found[0]))
        else:
            matcher.warn(
                f"org:{office}",
                f"{matcher.frus_id}: the transmitting office '{office}' is not a name in the "
                'organisations register, so it is left out of correspAction type="transmitted"; '
                f'add <orgName type="variant">{office}</orgName> to its entry to include it',
            )
    return names


def _dated(div: etree._Element, frus_id: str) -> tuple[str, dt.date]:
    """The @when of the dateline as FRUS gives it, and the local calendar day it falls on."""
    date = _first(div, "tei:dateline//tei:date[@when]")
    when = date.get("when", "") if date is not None else ""
    if not when:
        low = div.get(f"{{{FRUS_NS}}}doc-dateTime-min", "")
        high = div.get(f"{{{FRUS_NS}}}doc-dateTime-max", "")
        when = low[:10] if low[:10] and low[:10] == high[:10] else ""
    try:
        return when, dt.date.fromisoformat(when[:10])
    except ValueError:
        raise EditingError(
            f"{frus_id} has no exact date (its dateline gives {when or 'none'}); it cannot be named "
            "and ordered — add it by hand with edition new"
        ) from None


def _when_text(when: str, day: dt.date) -> str:
    """'26 October 1962, 19:00 (UTC+03:00)' for a date with local time and offset."""
    text = long_date(day)
    match = re.fullmatch(r"\d{4}-\d{2}-\d{2}T(\d{2}:\d{2})(?::\d{2})?(Z|[+-]\d{2}:\d{2})?", when)
    if match:
        offset = match.group(2)
        zone = f" (UTC{offset})" if offset and offset != "Z" else " (UTC)" if offset else ""
        text += f", {match.group(1)}{zone}"
    return text


def _inner(element: etree._Element) -> Markup:
    """The content of an element of ours, as XML text without the element's own tags."""
    text = serialise(element)
    return Markup(text[text.index(">") + 1 : text.rindex("<")])  # noqa: S704 - serialised by lxml


def _plain(element: etree._Element) -> etree._Element:
    """A copy of a TEI element (from an edition file) in no namespace, white space tidied."""
    copy = etree.fromstring(etree.tostring(element))
    for node in copy.iter():
        if isinstance(node.tag, str) and node.tag.startswith("{"):
            node.tag = etree.QName(node).localname
    etree.cleanup_namespaces(copy)
    return tidy(copy)


# --- putting it together -----------------------------------------------------------------------------


@dataclass
class Carried:
    """What a replaced document keeps: the editors' own work."""

    abstract: list[Markup]
    keywords: list[str]
    context: list[ContextRef]
    changes: list[tuple[dt.date, str]]


def carry_over(document: Document) -> Carried:
    root = document.file.root
    abstract = [_inner(_plain(p)) for p in root.iterfind(".//tei:abstract/tei:p", NS)]
    context = []
    for ref in root.iterfind(".//tei:correspContext/tei:ref", NS):
        target = ref.get("target", "")
        if target.startswith("doc:"):
            context.append(ContextRef(ref.get("type", ""), target[4:], text_of(ref)))
    changes = []
    for change in root.iterfind(".//tei:revisionDesc/tei:change", NS):
        try:
            changes.append((dt.date.fromisoformat(change.get("when", "")), text_of(change)))
        except ValueError:
            continue
    return Carried(abstract, document.keywords, context, changes)


def _body(
    dateline: etree._Element, text_paragraphs: list[etree._Element], closer: etree._Element | None
) -> Markup:
    lines = ['      <div type="letter">', "        <opener>"]
    lines.append(f"          {wrap_markup(serialise(dateline), '          ', 100, 10)}")
    lines.append("        </opener>")
    for paragraph in text_paragraphs:
        lines.append(f"        {wrap_markup(serialise(paragraph), '        ', 100, 8)}")
    if closer is not None:
        lines.append("        <closer>")
        for part in closer:
            lines.append(f"          {wrap_markup(serialise(part), '          ', 100, 10)}")
        lines.append("        </closer>")
    lines.append("      </div>")
    return Markup("\n".join(lines))  # noqa: S704 - serialised by lxml


def _source_bibl(
    matcher: Matcher, heading: Heading, frus_id: str, historian: RegisterEntry
) -> Markup:
    volume = matcher.volume
    url = volume.url(frus_id)
    parts = [
        f"<title>{xml_text(volume.title)}</title>, document {xml_text(heading.number)}, published "
        f'online by the <orgName ref="{xml_attribute(historian.key)}">'
        f"{xml_text(historian.short or historian.label)}</orgName>: "
        f'<ref type="source" target="{xml_attribute(url)}">history.state.gov, document '
        f"{xml_text(heading.number)}</ref>."
    ]
    offices = heading.sender is not None and local(heading.sender) != "persName"
    if offices or heading.word.casefold() != heading.kind:
        parts.append(f" FRUS prints it as: {xml_text(_heading_words(heading))}.")
    if heading.source_note is not None:
        converter = Converter(matcher.links(historian.key))
        note = etree.Element("bibl")
        converter.inline(heading.source_note, note, "phrase", in_note=True)
        etree.strip_tags(note, *{local(e) for e in note.iter() if e is not note} - _BIBL_ELEMENTS)
        if note.text:
            note.text = re.sub(r"^\s*Source:\s*", "", note.text)
        parts.append(f" The volume's source note: {_inner(tidy(note))}")
    return Markup("".join(parts))  # noqa: S704 - every part is escaped or serialised by lxml


def _heading_words(heading: Heading) -> str:
    words = heading.word
    if heading.sender is not None and heading.recipient is not None:
        words += f" from the {text_of(heading.sender)} to the {text_of(heading.recipient)}"
        words = words.replace("the the ", "the ")
    return words


def convert(
    corpus: Corpus,
    matcher: Matcher,
    frus_id: str,
    doc_id: str,
    historian: RegisterEntry,
    source: RegisterEntry,
    letter: tuple[str, str] | None,
    carried: Carried | None,
    today: dt.date,
) -> Imported:
    volume = matcher.volume
    div = volume.documents[frus_id]
    heading = read_heading(div, frus_id)
    roles = read_roles(matcher, div, heading, letter)
    when, day = _dated(div, frus_id)
    span = corpus.config.edition
    if not span.span_start <= day <= span.span_end:
        raise EditingError(
            f"{frus_id} is dated {day.isoformat()}, outside the edition's span "
            f"({span.span_start.isoformat()} to {span.span_end.isoformat()}, set in edition.toml)"
        )
    converter = Converter(matcher.links(historian.key))
    source_dateline = _first(div, "tei:dateline")
    if source_dateline is not None:
        dateline = converter.dateline(source_dateline)
    else:
        dateline = etree.Element("dateline")
        etree.SubElement(dateline, "date", when=when).text = long_date(day)
    place_element = dateline.find("placeName")
    place = (
        Name("placeName", text_of(place_element), place_element.get("ref"))
        if place_element is not None
        else None
    )
    text = converter.text(div)
    if not text.paragraphs:
        raise EditingError(f"{frus_id} has no text to convert")
    config = corpus.config
    edition = config.edition
    actions = [
        Action("sent", [_name(roles.sender)], place, When(when, _when_text(when, day))),
        Action("received", [_name(roles.recipient)]),
    ]
    if roles.transmitted:
        actions.append(Action("transmitted", roles.transmitted, place))
    changes = list(carried.changes) if carried else []
    changes.append(
        (
            today,
            f"Text converted from {volume.id}, document {heading.number}, with edition import frus.",
        )
    )
    document = DocumentText(
        id=doc_id,
        lang=edition.language,
        title=(
            f"{TYPE_WORDS[roles.kind]} from {roles.sender.label} to {roles.recipient.label}, "
            f"{long_date(day)}"
        ),
        editors=list(edition.editors),
        resp_stmts=[
            RespStmt(
                "Encoding, converted from the Office of the Historian's TEI edition",
                [Name("name", edition.editors[0])],
            ),
            RespStmt(
                "Text and footnotes of Foreign Relations of the United States",
                [Name("orgName", historian.short or historian.label, historian.key)],
            ),
        ],
        publisher=edition.publisher,
        uri=config.document_url(doc_id),
        licence_url=edition.licence_url,
        licence=(
            f"The encoding is licensed under {edition.licence}. The text and the notes attributed "
            "to the Office of the Historian are taken from Foreign Relations of the United States, "
            "a work of the United States government in the public domain."
        ),
        bibls=[Bibl("publication", source.key, _source_bibl(matcher, heading, frus_id, historian))],
        editorial_decl=(
            f"The text follows document {heading.number} of {volume.title} in the Office of the "
            f"Historian's TEI edition ({volume.id}), converted with edition import frus. Paragraphs "
            "are numbered; the volume's footnotes are kept as notes attributed to the Office of the "
            "Historian; references to other documents link into this edition where it holds them "
            "and to history.state.gov where not. Page breaks and the volume's glosses of "
            "abbreviations are not kept."
        ),
        abstract=Markup(" ").join(carried.abstract)
        if carried and carried.abstract
        else xml_text(ABSTRACT_PLACEHOLDER),
        actions=actions,
        context=list(carried.context) if carried else [],
        language_ident=edition.language,
        language="English (as printed in Foreign Relations of the United States)",
        keywords=list(carried.keywords) if carried and carried.keywords else [KEYWORD_PLACEHOLDER],
        status="transcribed",
        changes=changes,
        text_type=roles.kind,
        body=_body(dateline, text.paragraphs, text.closer),
    )
    rendered = render_document(document)
    parsed = parse_bytes(rendered.encode("utf-8"))
    if isinstance(parsed, ParseFailure):
        raise EditingError(f"{frus_id}: the conversion produced broken XML ({parsed.message})")
    return Imported(
        frus_id,
        doc_id,
        config.tei_dir / f"{doc_id}.xml",
        rendered,
        carried is not None,
        len(text.paragraphs),
        text.notes,
        (roles.sender.key, roles.recipient.key),
        day,
        short_label(roles.sender, roles.recipient, day),
    )


def suggest_neighbours(corpus: Corpus, imported: list[Imported]) -> None:
    """Where each new document falls in its correspondence, among the edition's documents and the
    others of this import (existing documents of the same day come first)."""
    for item in imported:
        if item.replaces:
            continue
        known = [
            (d.date, 0, d.id, short_title(corpus, d))
            for d in neighbours.correspondence(corpus, *item.pair)
            if d.date is not None and d.id != item.id
        ]
        known += [
            (o.day, 1 + n, o.id, o.label)
            for n, o in enumerate(imported)
            if o is not item and set(o.pair) == set(item.pair)
        ]
        own = (item.day, 1 + imported.index(item))
        earlier = sorted(k for k in known if (k[0], k[1]) < own)
        later = sorted(k for k in known if (k[0], k[1]) > own)
        item.prev = (earlier[-1][2], earlier[-1][3]) if earlier else None
        item.next = (later[0][2], later[0][3]) if later else None


def _target_id(
    corpus: Corpus,
    index: dict[tuple[str, str], str],
    volume: Volume,
    frus_id: str,
    base: str,
    taken: set[str],
    force: bool,
) -> tuple[str, Document | None]:
    """The id to write ``frus_id`` under, and the document it replaces (with --force)."""
    existing = index.get((volume.id, frus_id))
    if existing is not None:
        if not force:
            raise EditingError(
                f"{frus_id} is already in the edition as tei/{existing}.xml (its source cites "
                f"{volume.url(frus_id)}); use --force to replace it (its summary, keywords, links "
                "and history are kept)"
            )
        return existing, corpus.document(existing)
    candidate = base
    for suffix in ("", *(f"-{c}" for c in "bcdefghijklmnopqrstuvwxyz")):
        candidate = base + suffix
        other = corpus.document(candidate)
        path = corpus.config.tei_dir / f"{candidate}.xml"
        if candidate in taken:
            continue
        if other is not None and _cites_other_frus(other, volume.id, frus_id):
            continue  # another document of the same pair and day
        if other is not None or path.exists():
            if not force:
                raise EditingError(
                    f"tei/{candidate}.xml exists already and does not cite another FRUS document; "
                    f"if it is {frus_id}, use --force to replace it (its summary, keywords, links "
                    "and history are kept)"
                )
            return candidate, other
        if candidate not in {e.id for e in corpus.entries.values()}:
            return candidate, None
    raise EditingError(f"every id from {base} to {base}-z is taken")


def plan_import(corpus: Corpus, request: ImportRequest) -> ImportPlan:
    """Convert every requested document; raises EditingError (and nothing is written) if any fails."""
    try:
        data = request.volume.read_bytes()
    except OSError as error:
        raise EditingError(f"{request.volume} cannot be read ({error.strerror})") from None
    volume = read_volume(data, request.volume.name)
    wanted = list(dict.fromkeys(d.strip() for d in request.documents))
    for frus_id in wanted:
        if frus_id not in volume.documents:
            close = difflib_close(frus_id, list(volume.documents))
            hint = f" (did you mean {', '.join(close)}?)" if close else ""
            raise EditingError(
                f"{volume.id} has no document '{frus_id}'{hint}; its documents are "
                f"{_range(list(volume.documents))}"
            )
    unknown_letters = set(request.letters) - set(wanted)
    if unknown_letters:
        raise EditingError(
            f"--letter names {', '.join(sorted(unknown_letters))}, which is not a --doc"
        )
    historian = frus_match.historian(corpus)
    if historian is None:
        raise EditingError(
            "the organisations register has no entry for the Office of the Historian, to which the "
            "FRUS notes are attributed; add to tei/register/organisations.xml: "
            + frus_match.HISTORIAN_LINE
        )
    source = frus_match.volume_source(corpus, volume)
    if source is None:
        raise EditingError(
            f"the sources register has no entry for {volume.id} (one whose ref target is "
            f"{volume.url()}); add to tei/register/sources.xml: "
            + frus_match.source_line(corpus, volume)
        )
    index = frus_index(corpus)
    matcher = Matcher(corpus, volume, index)
    targets: dict[str, tuple[str, Document | None]] = {}
    taken: set[str] = set()
    for frus_id in wanted:  # ids first, so that documents of one import can link to each other
        matcher.frus_id = frus_id
        div = volume.documents[frus_id]
        heading = read_heading(div, frus_id)
        roles = read_roles(matcher, div, heading, request.letters.get(frus_id))
        _, day = _dated(div, frus_id)
        base = f"{roles.sender.id}-{roles.recipient.id}-{day.isoformat()}"
        targets[frus_id] = _target_id(corpus, index, volume, frus_id, base, taken, request.force)
        taken.add(targets[frus_id][0])
    matcher.reset()
    for frus_id, (doc_id, _) in targets.items():
        index[(volume.id, frus_id)] = doc_id
    imported = []
    for frus_id in wanted:
        matcher.frus_id = frus_id
        doc_id, replaced = targets[frus_id]
        imported.append(
            convert(
                corpus,
                matcher,
                frus_id,
                doc_id,
                historian,
                source,
                request.letters.get(frus_id),
                carry_over(replaced) if replaced is not None else None,
                request.today,
            )
        )
    suggest_neighbours(corpus, imported)
    return ImportPlan(volume, imported, matcher.warnings)


def difflib_close(value: str, known: list[str]) -> list[str]:
    return difflib.get_close_matches(value, known, n=3, cutoff=0.6)


def _range(ids: list[str]) -> str:
    numbered = sorted((int(i[1:]), i) for i in ids if re.fullmatch(r"d\d+", i))
    if not numbered:
        return ", ".join(ids[:10])
    return f"{numbered[0][1]} to {numbered[-1][1]}"


def write_import(plan: ImportPlan) -> None:
    write_all(plan.files())


def describe(plan: ImportPlan, root: Path) -> list[str]:
    lines = []
    for item in plan.documents:
        try:
            shown = item.path.resolve().relative_to(root.resolve())
        except ValueError:
            shown = item.path
        verb = "replaces" if item.replaces else "new"
        lines.append(
            f"{item.frus_id} → {shown} ({verb}; {item.paragraphs} paragraphs, {item.notes} notes)"
        )
    return lines
