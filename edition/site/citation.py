"""How a document is cited: a Chicago note (with the paragraph, when one is chosen), BibTeX, CSL-JSON,
and the Highwire ``citation_*`` and Dublin Core meta tags that Zotero and Google Scholar read.

One function builds the facts of a citation from the Corpus; every format is written from those facts,
so the formats cannot disagree. Nothing here depends on the time of the build: a citation changes only
when the sources or edition.toml do.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from edition.config import Config
from edition.corpus import Corpus, Correspondent, Document
from edition.site.render import long_date, type_label

# A document's type as Chicago names it after the correspondents ("A to B, telegram, 26 October 1962").
_CHICAGO_GENRE = {"telegram": "telegram", "cable": "cable", "message": "message"}


@dataclass(frozen=True)
class Name:
    """A correspondent as a citation needs it: split for persons, literal for organisations."""

    display: str  # "Nikita Khrushchev"
    family: str | None = None
    given: str | None = None
    suffix: str | None = None

    @property
    def inverted(self) -> str:
        """ "Khrushchev, Nikita" (or the literal name)."""
        if not self.family:
            return self.display
        inverted = f"{self.family}, {self.given}" if self.given else self.family
        return f"{inverted}, {self.suffix}" if self.suffix else inverted

    def csl(self) -> dict[str, str]:
        if not self.family:
            return {"literal": self.display}
        name = {"family": self.family}
        if self.given:
            name["given"] = self.given
        if self.suffix:
            name["suffix"] = self.suffix
        return name


def citation_name(corpus: Corpus, correspondent: Correspondent) -> Name:
    """The register's full name, split at the family name the register's short name gives."""
    entry = corpus.entries.get(correspondent.key) if correspondent.key else None
    display = entry.label if entry is not None and entry.label else correspondent.name
    if entry is not None and entry.kind == "org":
        return Name(display)
    words = display.split()
    if len(words) < 2:
        return Name(display, family=display)
    family_word = (entry.short.split() or [words[-1]])[-1] if entry is not None else words[-1]
    at = max((i for i, w in enumerate(words) if w == family_word), default=len(words) - 1)
    given = " ".join(words[:at]) or None
    suffix = " ".join(words[at + 1 :]) or None
    return Name(display, family=words[at], given=given, suffix=suffix)


@dataclass(frozen=True)
class Citation:
    """The facts every citation format of one document is written from."""

    id: str
    number: int
    title: str
    authors: tuple[Name, ...]
    recipients: tuple[Name, ...]
    type: str
    status: str
    date_text: str
    date_parts: tuple[int, ...]
    url: str
    edition_title: str
    editors: tuple[str, ...]
    publisher: str
    version: str
    release_year: int
    release_date: str
    language: str
    abstract: str
    keywords: tuple[str, ...]
    licence_url: str
    pdf_url: str
    tei_url: str


def pdf_url(config: Config) -> str:
    """Where the edition's PDF is published: the pdf/ folder beside the site."""
    return f"{config.edition.base_url}pdf/{config.pdf.file_name}"


def citation(corpus: Corpus, config: Config, document: Document) -> Citation:
    edition = config.edition
    date = document.date
    return Citation(
        id=document.id,
        number=document.number,
        title=document.title,
        authors=tuple(citation_name(corpus, c) for c in document.senders),
        recipients=tuple(citation_name(corpus, c) for c in document.recipients),
        type=document.type,
        status=document.status,
        date_text=long_date(date),
        date_parts=(date.year, date.month, date.day) if date else (),
        url=config.document_url(document.id),
        edition_title=edition.title,
        editors=tuple(edition.editors),
        publisher=edition.publisher,
        version=edition.version,
        release_year=edition.release_date.year,
        release_date=edition.release_date.isoformat(),
        language=document.language,
        abstract=document.abstract,
        keywords=tuple(document.keywords),
        licence_url=edition.licence_url,
        pdf_url=pdf_url(config),
        tei_url=config.tei_url(document.id),
    )


# --- Chicago notes ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Note:
    """A Chicago note in three parts, so a page can set the edition's title in italics."""

    before: str
    title: str
    after: str

    @property
    def text(self) -> str:
        return self.before + self.title + self.after

    def as_dict(self) -> dict[str, str]:
        return {"before": self.before, "title": self.title, "after": self.after}


def _and_list(names: list[str]) -> str:
    if len(names) <= 2:
        return " and ".join(names)
    return ", ".join(names[:-1]) + ", and " + names[-1]


def chicago_note(cite: Citation, paragraph: str | None = None) -> Note:
    """Chicago notes style, e.g. 'Nikita Khrushchev to Fidel Castro, 28 October 1962, in *Title*, ed.
    …, version 0.1.0 (Publisher, 2026), no. 11, para. 3, https://…/doc.html#p3.'"""
    who = _and_list([n.display for n in cite.authors]) or "Unknown"
    to = _and_list([n.display for n in cite.recipients]) or "unknown"
    parts = [f"{who} to {to}"]
    genre = _CHICAGO_GENRE.get(cite.type)
    if genre:
        parts.append(genre)
    parts.append(cite.date_text + (" (calendar entry)" if cite.status == "summarised" else ""))
    before = ", ".join(parts) + ", in "
    after = [f"ed. {_and_list(list(cite.editors))}"] if cite.editors else []
    after.append(f"version {cite.version} ({cite.publisher}, {cite.release_year})")
    after.append(f"no. {cite.number}")
    url = cite.url
    if paragraph:
        after.append(f"para. {paragraph}")
        url = f"{url}#p{paragraph}"
    after.append(url)
    return Note(before, cite.edition_title, ", " + ", ".join(after) + ".")


# --- BibTeX --------------------------------------------------------------------------------------

_BIBTEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def bibtex_escape(value: str) -> str:
    return "".join(_BIBTEX_SPECIAL.get(char, char) for char in " ".join(value.split()))


def _bibtex_name(name: Name) -> str:
    if not name.family:
        return "{" + bibtex_escape(name.display) + "}"  # an organisation: one literal name
    return bibtex_escape(name.inverted)


def bibtex(cite: Citation) -> str:
    """A BibTeX/BibLaTeX record (@misc, which every style knows; BibLaTeX also reads date)."""
    fields: list[tuple[str, str]] = []
    if cite.authors:
        fields.append(("author", " and ".join(_bibtex_name(n) for n in cite.authors)))
    fields.append(("title", "{" + bibtex_escape(cite.title) + "}"))
    if cite.date_parts:
        year, month, day = cite.date_parts
        fields += [
            ("date", f"{year:04d}-{month:02d}-{day:02d}"),
            ("year", str(year)),
            ("month", _MONTHS[month - 1]),
        ]
    if cite.recipients:
        recipients = " and ".join(n.display for n in cite.recipients)
        fields.append(("note", bibtex_escape(f"{type_label(cite.type)} to {recipients}")))
    fields.append(("booktitle", bibtex_escape(cite.edition_title)))
    if cite.editors:
        fields.append(("editor", " and ".join("{" + bibtex_escape(e) + "}" for e in cite.editors)))
    fields += [
        ("publisher", bibtex_escape(cite.publisher)),
        ("edition", bibtex_escape(f"version {cite.version}")),
        ("number", str(cite.number)),
        ("url", cite.url),
        ("language", bibtex_escape(cite.language)),
    ]
    body = ",\n".join(
        f"  {name} = {value}" if name == "month" else f"  {name} = {{{value}}}"
        for name, value in fields
    )
    return f"@misc{{{cite.id},\n{body}\n}}\n"


# --- CSL-JSON ------------------------------------------------------------------------------------


def csl_json(cite: Citation) -> str:
    """A one-item CSL-JSON array (type personal_communication: CSL's type for letters)."""
    item: dict[str, object] = {
        "id": cite.id,
        "type": "personal_communication",
        "genre": type_label(cite.type),
        "title": cite.title,
        "author": [n.csl() for n in cite.authors],
        "recipient": [n.csl() for n in cite.recipients],
    }
    if cite.date_parts:
        item["issued"] = {"date-parts": [list(cite.date_parts)]}
    item.update(
        {
            "container-title": cite.edition_title,
            "editor": [{"literal": e} for e in cite.editors],
            "publisher": cite.publisher,
            "version": cite.version,
            "number": str(cite.number),
            "URL": cite.url,
            "language": cite.language,
            "abstract": cite.abstract,
        }
    )
    if cite.status == "summarised":
        item["note"] = "Calendar entry: the edition gives a summary, not the text."
    return json.dumps([item], ensure_ascii=False, indent=2) + "\n"


# --- Meta tags -----------------------------------------------------------------------------------


def _slashed(parts: tuple[int, ...]) -> str:
    return "/".join(f"{p:02d}" if i else f"{p:04d}" for i, p in enumerate(parts))


def highwire_meta(cite: Citation) -> list[tuple[str, str]]:
    """Highwire Press tags (Google Scholar's inclusion guidelines; Zotero's embedded metadata)."""
    meta = [("citation_title", cite.title)]
    meta += [("citation_author", n.inverted) for n in cite.authors]
    if cite.date_parts:
        meta += [
            ("citation_date", _slashed(cite.date_parts)),
            ("citation_publication_date", _slashed(cite.date_parts)),
        ]
    meta += [
        ("citation_online_date", cite.release_date.replace("-", "/")),
        ("citation_book_title", cite.edition_title),
        ("citation_inbook_title", cite.edition_title),
        ("citation_publisher", cite.publisher),
        ("citation_language", cite.language),
        ("citation_public_url", cite.url),
        ("citation_abstract_html_url", cite.url),
        ("citation_fulltext_html_url", cite.url),
        ("citation_pdf_url", cite.pdf_url),
    ]
    if cite.keywords:
        meta.append(("citation_keywords", "; ".join(cite.keywords)))
    if cite.abstract:
        meta.append(("citation_abstract", cite.abstract))
    return meta


def dublin_core_meta(cite: Citation) -> list[tuple[str, str]]:
    """Dublin Core (DC.* with DCTERMS refinements): the recipient is the letter's addressee."""
    meta = [("DC.title", cite.title)]
    meta += [("DC.creator", n.inverted) for n in cite.authors]
    meta += [("DC.contributor", n.inverted) for n in cite.recipients]
    if cite.date_parts:
        meta.append(("DC.date", "-".join(f"{p:02d}" for p in cite.date_parts)))
    meta += [
        ("DC.type", "Text"),
        ("DC.format", "text/html"),
        ("DC.identifier", cite.url),
        ("DC.language", cite.language),
        ("DC.publisher", cite.publisher),
        ("DC.rights", cite.licence_url),
        ("DCTERMS.isPartOf", cite.edition_title),
        ("DCTERMS.hasVersion", cite.version),
        ("DCTERMS.issued", cite.release_date),
    ]
    meta += [("DC.subject", k) for k in cite.keywords]
    if cite.abstract:
        meta.append(("DC.description", cite.abstract))
    return meta
