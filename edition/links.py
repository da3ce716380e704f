"""The link table: how every pointer of the corpus resolves, handed to the XSLT as one parameter.

Built once per build from the Corpus, so the stylesheets never look anything up on their own. It also
fixes the site's URL layout in one place (a scholar's permalink must not move between builds):

    documents/<id>.html            a document's reading page (paragraph anchors #p1, notes #n1)
    persons/<key>.html, places/<key>.html, organisations/<key>.html   register pages
    bibliography.html#<key>        a source
    tei/<id>.xml                   a document's TEI
"""

from __future__ import annotations

from collections.abc import Mapping

from lxml import etree

from edition.corpus import Corpus, Document

REGISTER_FOLDERS = {"person": "persons", "place": "places", "org": "organisations"}


def document_path(doc_id: str) -> str:
    """Path of a document's page, relative to the site root."""
    return f"documents/{doc_id}.html"


def entry_path(key: str) -> str:
    """Path of a register entry's page (or anchor), relative to the site root."""
    kind, _, entry_id = key.partition(":")
    if kind == "source":
        return f"bibliography.html#{entry_id}"
    return f"{REGISTER_FOLDERS[kind]}/{entry_id}.html"


def correspondent_name(corpus: Corpus, key: str | None, name: str) -> str:
    """The register's short name for a correspondent ('Khrushchev'), else the name as encoded."""
    entry = corpus.entries.get(key) if key else None
    return entry.short if entry is not None and entry.short else name


def short_title(corpus: Corpus, document: Document) -> str:
    """'Khrushchev to Castro, 28 October 1962': how lists and references name a document."""
    names = []
    for person in (document.sender, document.recipient):
        names.append(correspondent_name(corpus, person.key, person.name) if person else "unknown")
    when = f"{document.date.day} {document.date:%B %Y}" if document.date else "undated"
    return f"{names[0]} to {names[1]}, {when}"


def link_table(
    corpus: Corpus, prefix: str = "../", pages: Mapping[str, int] | None = None
) -> etree._ElementTree:
    """The link table as seen from a page ``prefix`` away from the site root.

    ``pages`` maps a document id to the page its section starts on in the PDF (print output only).
    """
    root = etree.Element("links")
    for document in corpus.documents:
        attributes = {
            "id": document.id,
            "href": prefix + document_path(document.id),
            "number": str(document.number),
            "title": short_title(corpus, document),
        }
        if pages and document.id in pages:
            attributes["page"] = str(pages[document.id])
        etree.SubElement(root, "document", attributes)
    for key, entry in sorted(corpus.entries.items()):
        etree.SubElement(
            root, "entry", {"key": key, "href": prefix + entry_path(key), "label": entry.label}
        )
    return root.getroottree()
