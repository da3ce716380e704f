"""A document's TEI text from the template edition/templates/tei/document.xml.j2.

The template holds the edition's encoding as it is written by hand (the exemplar
tei/khrushchev-castro-1962-10-28.xml): processing instructions, indentation, element order. Jinja2
escapes everything it is given (autoescape); the filters ``xt`` (text) and ``xa`` (attribute value) escape
exactly as XML needs, so apostrophes and dashes stay as editors write them. Parts that are XML already
(a converted FRUS body) are passed as ``Markup`` built by lxml.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

TEMPLATES = Path(__file__).resolve().parent.parent / "templates" / "tei"


def xml_text(value: object) -> Markup:
    text = str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return Markup(text)  # noqa: S704 - escaped above


def xml_attribute(value: object) -> Markup:
    return Markup(str(xml_text(value)).replace('"', "&quot;"))  # noqa: S704 - escaped above


@dataclass(frozen=True)
class Name:
    """A name as the header writes it: ``<persName ref="person:castro">Fidel Castro</persName>``."""

    element: str  # persName | orgName | placeName | name
    text: str
    ref: str | None = None

    def xml(self) -> Markup:
        ref = f' ref="{xml_attribute(self.ref)}"' if self.ref else ""
        return Markup(f"<{self.element}{ref}>{xml_text(self.text)}</{self.element}>")  # noqa: S704


@dataclass(frozen=True)
class When:
    value: str  # the @when: an ISO date, or a date and time with offset as a source gives it
    text: str


@dataclass(frozen=True)
class Action:
    type: str  # sent | received | transmitted
    names: list[Name]
    place: Name | None = None
    date: When | None = None


@dataclass(frozen=True)
class ContextRef:
    type: str  # prev | next | replyTo
    target: str  # a document id
    label: str


@dataclass(frozen=True)
class RespStmt:
    resp: str
    names: list[Name]


@dataclass(frozen=True)
class Bibl:
    type: str  # archive | publication
    corresp: str | None  # source:KEY
    content: Markup


@dataclass
class DocumentText:
    """Everything the template needs for one document."""

    id: str
    lang: str
    title: str
    editors: list[str]
    resp_stmts: list[RespStmt]
    publisher: str
    uri: str
    licence_url: str
    licence: str
    bibls: list[Bibl]
    editorial_decl: str
    abstract: Markup
    actions: list[Action]
    language_ident: str
    language: str
    keywords: list[str]
    status: str
    changes: list[tuple[dt.date, str]]
    text_type: str
    body: Markup
    context: list[ContextRef] = field(default_factory=list)


def _environment() -> Environment:
    environment = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=StrictUndefined,
    )
    environment.filters["xt"] = xml_text
    environment.filters["xa"] = xml_attribute
    environment.filters["wrap"] = wrap_markup
    return environment


def render_document(document: DocumentText) -> str:
    return _environment().get_template("document.xml.j2").render(d=document)


def long_date(day: dt.date) -> str:
    """``30 October 1962``: how the edition writes a date in prose and headers."""
    return f"{day.day} {day:%B %Y}"


# A token is a run of non-space text or a whole tag (tags may hold spaces between attributes).
_TOKEN = re.compile(r"<[^>]*>|[^\s<]+|\s+")


def wrap_markup(markup: str, indent: str, width: int = 100, first: int = 0) -> Markup:
    """Break XML mixed content at spaces outside tags so lines stay within ``width`` columns.

    Whitespace in TEI prose is not significant beyond one space, so a line break plus indentation reads
    the same as the space it replaces. ``first`` is how many columns the first line already uses.
    """
    words: list[str] = [""]
    for match in _TOKEN.finditer(markup):
        token = match.group(0)
        if token.isspace():
            if words[-1]:
                words.append("")
        else:
            words[-1] += token
    lines: list[str] = []
    current, column = "", first
    for word in (w for w in words if w):
        if current and column + 1 + len(word) > width:
            lines.append(current)
            current, column = indent + "  " + word, len(indent) + 2 + len(word)
        elif current:
            current += " " + word
            column += 1 + len(word)
        else:
            current, column = word, column + len(word)
    lines.append(current)
    return Markup("\n".join(lines))  # noqa: S704 - markup is XML already
