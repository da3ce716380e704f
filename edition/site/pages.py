"""The reading pages (one per document), the documents table, the pictures, the home, About and search
pages. A document's text comes from the XSLT core (web output); everything around it comes from the
Corpus through the templates."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup

from edition.config import Config
from edition.corpus import Corpus, Correspondent, Document
from edition.links import correspondent_name, document_path, entry_path, link_table, short_title
from edition.parallel import per_document
from edition.site import citation as cite
from edition.site import pictures
from edition.site.header import header_facts
from edition.site.render import SiteWriter, type_label
from edition.site.search import passages
from edition.transform import Transformer

ENCODING_GUIDE = "encoding-guide.md"
_PARAGRAPH = re.compile(r'<p id="p([0-9]+)" class="para')


@dataclass(frozen=True)
class Named:
    """A correspondent or place on a page: its name, short name and register page (if any)."""

    label: str
    short: str
    href: str | None
    key: str | None


def named(corpus: Corpus, key: str | None, name: str, root: str) -> Named:
    entry = corpus.entries.get(key) if key else None
    if entry is None or entry.kind == "source":
        return Named(name, name, None, key)
    return Named(entry.label, entry.short or entry.label, root + entry_path(entry.key), key)


@dataclass(frozen=True)
class Party:
    who: Named
    place: Named | None


def party(corpus: Corpus, correspondent: Correspondent, root: str) -> Party:
    place = (
        named(corpus, correspondent.place_key, correspondent.place_name, root)
        if correspondent.place_name
        else None
    )
    return Party(named(corpus, correspondent.key, correspondent.name, root), place)


@dataclass(frozen=True)
class DocumentLink:
    document: Document
    title: str
    href: str


@dataclass
class Relations:
    """Who answers whom and who mentions whom, both ways, over the whole corpus."""

    replied_by: dict[str, list[Document]]
    mentioned_by: dict[str, list[Document]]

    @classmethod
    def of(cls, corpus: Corpus) -> Relations:
        replied: dict[str, list[Document]] = defaultdict(list)
        mentioned: dict[str, list[Document]] = defaultdict(list)
        for document in corpus.documents:
            for original in document.replies_to:
                replied[original].append(document)
            for other in sorted(document.references):
                mentioned[other].append(document)
        return cls(dict(replied), dict(mentioned))


def document_links(corpus: Corpus, ids: list[str], root: str) -> list[DocumentLink]:
    found = [d for d in (corpus.document(i) for i in ids) if d is not None]
    found.sort(key=lambda d: d.number)
    return [DocumentLink(d, short_title(corpus, d), root + document_path(d.id)) for d in found]


def paragraph_numbers(fragment: str) -> list[str]:
    return _PARAGRAPH.findall(fragment)


@dataclass(frozen=True)
class RenderedDocument:
    """What a reading page leaves behind for the rest of the site: its text for the search index, and
    the files written (page, BibTeX, CSL-JSON)."""

    passages: list[tuple[str, str]]
    files: list[str]


def document_renderer(site: SiteWriter) -> Callable[[], Callable[[str], RenderedDocument]]:
    """The work on one document, set up once per process (edition.parallel.per_document)."""
    corpus, config, root, env = site.corpus, site.config, site.root, site.env

    def set_up() -> Callable[[str], RenderedDocument]:
        transformer = Transformer(config.xslt_dir, "web")
        links = link_table(corpus, prefix="../")
        relations = Relations.of(corpus)
        writer = SiteWriter(corpus, config, root, env, lambda _message: None)

        def render(doc_id: str) -> RenderedDocument:
            document = corpus.document(doc_id)
            assert document is not None
            fragment = transformer.render(document.file.tree, links)
            first = len(writer.paths)
            _document_page(writer, document, fragment, relations)
            return RenderedDocument(passages(fragment), writer.paths[first:])

        return render

    return set_up


def publish_documents(
    site: SiteWriter, ids: Sequence[str] | None = None, jobs: int | None = None
) -> dict[str, RenderedDocument]:
    """The reading pages (with BibTeX and CSL-JSON) of ``ids``, all documents by default; in worker
    processes when there are enough of them (edition.parallel)."""
    corpus = site.corpus
    chosen = [d.id for d in corpus.documents] if ids is None else list(ids)
    if not chosen:
        return {}
    site.env.get_template("document.html")  # compiled here once; forked workers inherit it
    step = max(len(chosen) // 10, 1)

    def progress(done: int, total: int) -> None:
        if done % step == 0 or done == total:
            site.progress(f"site: {done}/{total} document pages")

    rendered = per_document(chosen, document_renderer(site), jobs, progress=progress)
    for result in rendered.values():
        site.written += len(result.files)
        site.paths.extend(result.files)
    return rendered


def passages_of(site: SiteWriter, ids: Sequence[str]) -> dict[str, list[tuple[str, str]]]:
    """The search passages of some documents, transformed again (no page written)."""
    fragments = transform_all(site.corpus, site.config, ids=ids)
    return {doc_id: passages(fragment) for doc_id, fragment in fragments.items()}


def transform_all(
    corpus: Corpus, config: Config, jobs: int | None = None, ids: Sequence[str] | None = None
) -> dict[str, str]:
    """Every document's HTML fragment, as the site stage makes them (for benchmarks)."""

    def set_up() -> Callable[[str], str]:
        transformer = Transformer(config.xslt_dir, "web")
        links = link_table(corpus, prefix="../")

        def transform(doc_id: str) -> str:
            document = corpus.document(doc_id)
            assert document is not None
            return transformer.render(document.file.tree, links)

        return transform

    chosen = [d.id for d in corpus.documents] if ids is None else list(ids)
    return per_document(chosen, set_up, jobs)


def _document_page(
    site: SiteWriter, document: Document, fragment: str, relations: Relations
) -> None:
    corpus, config = site.corpus, site.config
    root = "../"
    facts = cite.citation(corpus, config, document)
    paragraphs = paragraph_numbers(fragment)
    note = cite.chicago_note(facts)
    cite_data = {
        "document": note.as_dict(),
        "paragraphs": {n: cite.chicago_note(facts, n).as_dict() for n in paragraphs},
    }
    previous, following = corpus.neighbours(document)
    site.page(
        document_path(document.id),
        "document.html",
        title=short_title(corpus, document),
        document=document,
        senders=[party(corpus, c, root) for c in document.senders],
        recipients=[party(corpus, c, root) for c in document.recipients],
        transmitters=[party(corpus, c, root) for c in document.transmitters],
        filters=_filters(corpus, document),
        text=Markup(fragment),  # noqa: S704 - the XSLT serializer's output; corpus text in it is escaped
        has_choices='class="choice"' in fragment,
        paragraphs=paragraphs,
        previous=document_links(corpus, [previous.id], root)[0] if previous else None,
        following=document_links(corpus, [following.id], root)[0] if following else None,
        replies_to=document_links(corpus, document.replies_to, root),
        replied_by=document_links(
            corpus, [d.id for d in relations.replied_by.get(document.id, [])], root
        ),
        references=document_links(corpus, sorted(document.references), root),
        mentioned_by=document_links(
            corpus, [d.id for d in relations.mentioned_by.get(document.id, [])], root
        ),
        header=header_facts(document),
        sources={k: e for k, e in corpus.entries.items() if e.kind == "source"},
        note=note,
        cite_data=cite_data,
        meta=cite.highwire_meta(facts) + cite.dublin_core_meta(facts),
        permalink=facts.url,
    )
    site.text(f"documents/{document.id}.bib", cite.bibtex(facts))
    site.text(f"documents/{document.id}.json", cite.csl_json(facts))


def _filters(corpus: Corpus, document: Document) -> list[tuple[str, str]]:
    """Pagefind filters of a reading page: its correspondents and its type."""
    filters = []
    for person in (*document.senders, *document.recipients):
        filters.append(("correspondent", correspondent_name(corpus, person.key, person.name)))
    filters.append(("type", type_label(document.type)))
    return list(dict.fromkeys(filters))


# --- The documents table -------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    document: Document
    title: str
    href: str
    sender: Named
    recipient: Named


def publish_table(site: SiteWriter) -> None:
    corpus = site.corpus
    rows = []
    for document in corpus.documents:
        sender = document.sender or Correspondent("unknown", None)
        recipient = document.recipient or Correspondent("unknown", None)
        rows.append(
            Row(
                document,
                short_title(corpus, document),
                document_path(document.id),
                named(corpus, sender.key, sender.name, ""),
                named(corpus, recipient.key, recipient.name, ""),
            )
        )
    correspondents = sorted(
        {(r.sender.key or r.sender.label, r.sender.short) for r in rows}
        | {(r.recipient.key or r.recipient.label, r.recipient.short) for r in rows},
        key=lambda c: (c[1], c[0]),
    )
    site.page(
        "documents.html",
        "documents.html",
        title="Documents",
        rows=rows,
        correspondents=correspondents,
        types=sorted({d.type for d in corpus.documents}),
        statuses=sorted({d.status for d in corpus.documents}),
    )


# --- Pictures ------------------------------------------------------------------------------------


def publish_pictures(site: SiteWriter) -> None:
    corpus, edition = site.corpus, site.config.edition
    panels = pictures.timeline(corpus, edition.span_start, edition.span_end, "")
    legend = pictures.legend(corpus)
    site.page("timeline.html", "timeline.html", title="Timeline", panels=panels, legend=legend)
    site.page(
        "network.html",
        "network.html",
        title="Correspondence network",
        svg=Markup(pictures.network(corpus, "")),  # noqa: S704 - serialised element tree
        pairs=pictures.pairs(corpus, ""),
        legend=legend,
    )


# --- Home, About, search -------------------------------------------------------------------------


def render_markdown(text: str) -> Markup:
    """Markdown to HTML with raw HTML switched off (it is escaped) and unsafe links refused."""
    # Imported here: the About page is rarely written again, and the import is a tenth of an
    # incremental rebuild's fixed cost.
    from markdown_it import MarkdownIt

    renderer = MarkdownIt("commonmark", {"html": False}).enable("table")
    html = renderer.render(text)
    # Code and tables scroll sideways on a phone: make them reachable with the keyboard.
    html = html.replace("<pre>", '<pre tabindex="0">')
    html = html.replace("<table>", '<div class="table-wrap" tabindex="0"><table>')
    html = html.replace("</table>", "</table></div>")
    return Markup(html)  # noqa: S704 - markdown-it escapes text and raw HTML


def publish_front(site: SiteWriter) -> None:
    corpus, config = site.corpus, site.config
    documents = corpus.documents
    counts = {
        "documents": len(documents),
        "transcribed": sum(1 for d in documents if d.transcribed),
        "summarised": sum(1 for d in documents if d.status == "summarised"),
        "persons": sum(1 for e in corpus.entries.values() if e.kind == "person"),
        "places": sum(1 for e in corpus.entries.values() if e.kind == "place"),
        "organisations": sum(1 for e in corpus.entries.values() if e.kind == "org"),
    }
    first = documents[0] if documents else None
    panels = pictures.timeline(corpus, config.edition.span_start, config.edition.span_end, "")
    site.page(
        "index.html",
        "home.html",
        title=config.edition.title,
        counts=counts,
        first=DocumentLink(first, short_title(corpus, first), document_path(first.id))
        if first
        else None,
        transcribed=[
            DocumentLink(d, short_title(corpus, d), document_path(d.id))
            for d in documents
            if d.transcribed
        ],
        panel=panels[0] if panels else None,
        legend=pictures.legend(corpus),
    )
    example = next((d for d in documents if d.transcribed), first)
    example_note = None
    if example is not None:
        facts = cite.citation(corpus, config, example)
        example_note = (
            cite.chicago_note(facts),
            cite.chicago_note(facts, "3"),
            short_title(corpus, example),
        )
    about = {
        "counts": counts,
        "example": example,
        "example_note": example_note,
        "pdf_url": cite.pdf_url(config),
        "first": _link(corpus, documents[0]) if documents else None,
        "last": _link(corpus, documents[-1]) if documents else None,
    }
    site.page("about/index.html", "about/introduction.html", title="Introduction", **about)
    site.page(
        "about/principles.html", "about/principles.html", title="Editorial principles", **about
    )
    site.page("about/citing.html", "about/citing.html", title="How to cite", **about)
    site.page("about/licence.html", "about/licence.html", title="Licence and version", **about)
    guide = config.schema_dir / ENCODING_GUIDE
    site.page(
        "about/encoding.html",
        "about/encoding.html",
        title="Encoding guide",
        guide=render_markdown(_read(guide)) if guide.is_file() else None,
        **about,
    )
    site.page(
        "search.html",
        "search.html",
        title="Search",
        correspondents=sorted(
            {
                name
                for d in documents
                for kind, name in _filters(corpus, d)
                if kind == "correspondent"
            }
        ),
        types=sorted({type_label(d.type) for d in documents}),
    )


def _link(corpus: Corpus, document: Document) -> DocumentLink:
    return DocumentLink(document, short_title(corpus, document), "../" + document_path(document.id))


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def cite_json(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True)
