"""`edition new`: a skeleton for a new document, named and headed by the edition's conventions.

The file name and xml:id are ``<sender>-<recipient>-YYYY-MM-DD`` (register keys; ``-b``, ``-c`` … when
taken). The header is filled from the registers and edition.toml; what only the editor can supply (the
source, the summary, the text) is a placeholder that starts with ``TODO``, so that ``edition check``
can point at each one. The status is ``draft``.
"""

from __future__ import annotations

import datetime as dt
import re
import string
from dataclasses import dataclass, field
from pathlib import Path

from markupsafe import Markup

from edition.corpus import Corpus, Document, RegisterEntry
from edition.editing import neighbours
from edition.editing.errors import EditingError
from edition.editing.files import write_all
from edition.editing.keys import resolve
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

TYPES = ("letter", "telegram", "cable", "message")
TYPE_WORDS = {"letter": "Letter", "telegram": "Telegram", "cable": "Cable", "message": "Message"}
NAME_ELEMENTS = {"person": "persName", "org": "orgName", "place": "placeName"}

# Every placeholder begins with this word, so that a check rule (and a text search) finds them all.
PLACEHOLDER = "TODO"
SOURCE_PLACEHOLDER = (
    f"{PLACEHOLDER}: name the source of the text — the archive or publication it is taken from — "
    'with corresp="source:KEY", and add a ref of type "source" to the address where it can be read.'
)
SOURCE_KNOWN_PLACEHOLDER = (
    f"{PLACEHOLDER}: say where in this source the text is, and add a ref of type "
    '"source" to the address where it can be read.'
)
DECL_PLACEHOLDER = (
    f"{PLACEHOLDER}: say which text this edition follows and what was corrected or normalised."
)
ABSTRACT_PLACEHOLDER = f"{PLACEHOLDER}: summarise the document in your own words."
LANGUAGE_PLACEHOLDER = (
    f"{PLACEHOLDER}: the language of the text, e.g. English (translation from the Russian original)"
)
KEYWORD_PLACEHOLDER = f"{PLACEHOLDER}: keywords"
TEXT_PLACEHOLDER = (
    f"{PLACEHOLDER}: transcribe the text here, one numbered paragraph for each paragraph of the "
    'source; or, for a calendar entry, replace this division by a div type="untranscribed" that says '
    'where the text can be read, and set the status to "summarised".'
)

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class NewRequest:
    """What the editor asked for, as typed on the command line."""

    type: str
    sender: str
    recipient: str
    date: str
    place: str | None = None
    source: str | None = None
    link: bool = False
    today: dt.date = field(default_factory=dt.date.today)


@dataclass
class NewPlan:
    """The new document and, with --link, the neighbours' new texts; nothing is written yet."""

    id: str
    path: Path
    text: str
    prev: Document | None
    next: Document | None
    edits: dict[Path, str]

    def files(self) -> dict[Path, str]:
        return {self.path: self.text, **self.edits}


def parse_date(value: str, corpus: Corpus) -> dt.date:
    start, end = corpus.config.edition.span_start, corpus.config.edition.span_end
    try:
        if not _ISO_DATE.fullmatch(value):
            raise ValueError
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise EditingError(
            f"--date '{value}' is not a date written YYYY-MM-DD (e.g. 1962-10-30)"
        ) from None
    if not start <= day <= end:
        raise EditingError(
            f"--date {value} lies outside the edition's span ({start.isoformat()} to "
            f"{end.isoformat()}, set in edition.toml)"
        )
    return day


def free_id(corpus: Corpus, base: str) -> str:
    """``base``, or ``base-b``, ``base-c`` … : the first that no file or xml:id of the edition uses."""
    used = {d.id for d in corpus.documents} | {e.id for e in corpus.entries.values()}
    for suffix in ("", *(f"-{letter}" for letter in string.ascii_lowercase[1:])):
        candidate = base + suffix
        if candidate not in used and not (corpus.config.tei_dir / f"{candidate}.xml").exists():
            return candidate
    raise EditingError(f"every id from {base} to {base}-z is taken")


def _name(entry: RegisterEntry) -> Name:
    return Name(NAME_ELEMENTS[entry.kind], entry.label, entry.key)


def short_label(sender: RegisterEntry, recipient: RegisterEntry, day: dt.date) -> str:
    """How prev/next links name the new document: 'Khrushchev to Castro, 30 October 1962'."""
    return (
        f"{sender.short or sender.label} to {recipient.short or recipient.label}, {long_date(day)}"
    )


def _body(place: RegisterEntry | None, day: dt.date) -> Markup:
    dateline = f'<date when="{day.isoformat()}">{long_date(day)}</date>'
    if place is not None:
        dateline = f"{_name(place).xml()}, {dateline}"
    return Markup(  # noqa: S704 - every part is escaped
        '      <div type="letter">\n'
        "        <opener>\n"
        f"          <dateline>{dateline}</dateline>\n"
        "        </opener>\n"
        f'        <p n="1">{wrap_markup(xml_text(TEXT_PLACEHOLDER), "        ", 100, 17)}</p>\n'
        "      </div>"
    )


def document_text(
    corpus: Corpus,
    doc_id: str,
    kind: str,
    sender: RegisterEntry,
    recipient: RegisterEntry,
    day: dt.date,
    place: RegisterEntry | None,
    source: RegisterEntry | None,
    context: list[ContextRef],
    today: dt.date,
) -> str:
    config = corpus.config
    edition = config.edition
    sent = Action(
        "sent",
        [_name(sender)],
        _name(place) if place else None,
        When(day.isoformat(), long_date(day)),
    )
    document = DocumentText(
        id=doc_id,
        lang=edition.language,
        title=f"{TYPE_WORDS[kind]} from {sender.label} to {recipient.label}, {long_date(day)}",
        editors=list(edition.editors),
        resp_stmts=[RespStmt("Encoding", [Name("name", edition.editors[0])])],
        publisher=edition.publisher,
        uri=config.document_url(doc_id),
        licence_url=edition.licence_url,
        licence=(
            f"The encoding, summary and editorial notes are licensed under {edition.licence}."
        ),
        bibls=[
            Bibl(
                "publication",
                source.key if source else None,
                xml_text(SOURCE_KNOWN_PLACEHOLDER if source else SOURCE_PLACEHOLDER),
            )
        ],
        editorial_decl=DECL_PLACEHOLDER,
        abstract=xml_text(ABSTRACT_PLACEHOLDER),
        actions=[sent, Action("received", [_name(recipient)])],
        context=context,
        language_ident=edition.language,
        language=LANGUAGE_PLACEHOLDER,
        keywords=[KEYWORD_PLACEHOLDER],
        status="draft",
        changes=[(today, "Draft created with edition new.")],
        text_type=kind,
        body=_body(place, day),
    )
    return render_document(document)


def plan_new(corpus: Corpus, request: NewRequest) -> NewPlan:
    """Resolve everything the request names and prepare the texts; raises EditingError, writes nothing."""
    if request.type not in TYPES:
        raise EditingError(f"--type must be one of {', '.join(TYPES)}, not '{request.type}'")
    sender = resolve(corpus, request.sender, ("person", "org"), "--from")
    recipient = resolve(corpus, request.recipient, ("person", "org"), "--to")
    if sender.key == recipient.key:
        raise EditingError("--from and --to name the same correspondent")
    place = resolve(corpus, request.place, ("place",), "--place") if request.place else None
    source = resolve(corpus, request.source, ("source",), "--source") if request.source else None
    day = parse_date(request.date, corpus)
    doc_id = free_id(corpus, f"{sender.id}-{recipient.id}-{day.isoformat()}")
    found = neighbours.suggest(corpus, sender.key, recipient.key, day)
    label = short_label(sender, recipient, day)
    context: list[ContextRef] = []
    edits: dict[Path, str] = {}
    if request.link:
        if found.prev is not None:
            context.append(ContextRef("prev", found.prev.id, short_title(corpus, found.prev)))
            edits[found.prev.file.path] = neighbours.link_neighbour(
                found.prev, "next", doc_id, label
            )
        if found.next is not None:
            context.append(ContextRef("next", found.next.id, short_title(corpus, found.next)))
            edits[found.next.file.path] = neighbours.link_neighbour(
                found.next, "prev", doc_id, label
            )
    text = document_text(
        corpus, doc_id, request.type, sender, recipient, day, place, source, context, request.today
    )
    _verify(text, doc_id)
    path = corpus.config.tei_dir / f"{doc_id}.xml"
    return NewPlan(doc_id, path, text, found.prev, found.next, edits)


def _verify(text: str, doc_id: str) -> None:
    parsed = parse_bytes(text.encode("utf-8"))
    if isinstance(parsed, ParseFailure):  # a bug in the template, never the editor's doing
        raise EditingError(f"the template produced broken XML for {doc_id}: {parsed.message}")


def write_new(plan: NewPlan) -> None:
    if plan.path.exists():
        raise EditingError(f"{plan.path} appeared while the document was prepared; run again")
    write_all(plan.files())


def suggestion_lines(corpus: Corpus, plan: NewPlan, linked: bool) -> list[str]:
    """What to tell the editor about the neighbours."""
    lines = []
    for kind, other, counterpart in (("prev", plan.prev, "next"), ("next", plan.next, "prev")):
        if other is None:
            lines.append(
                f"{kind}: none (no {'earlier' if kind == 'prev' else 'later'} document "
                "between these correspondents)"
            )
            continue
        described = neighbours.describe(corpus, other)
        if linked:
            lines.append(f"{kind}: {described} — linked both ways")
        else:
            lines.append(
                f"{kind}: {described} — to link, run again with --link, or add "
                f'<ref type="{kind}" target="doc:{xml_attribute(other.id)}"> here and '
                f'<ref type="{counterpart}" target="doc:{plan.id}"> in {other.file.path.name}'
            )
    return lines


def parse_today(value: str | None) -> dt.date:
    """The date recorded in revisionDesc/change: today, or (for tests and reproducible runs) ``value``."""
    if value is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise EditingError(f"--today '{value}' is not a date written YYYY-MM-DD") from None
