"""The PDF critical edition, read back: pypdf for what the file says, WeasyPrint's page model for where
things were laid out. The real edition is built once per session into pytest's tmp_path."""

from __future__ import annotations

import dataclasses
import re
import subprocess
import sys
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from lxml import etree
from pypdf import PdfReader
from pypdf.generic import DictionaryObject, IndirectObject

from edition.config import Config, load_config
from edition.corpus import NS, Corpus, load_corpus
from edition.links import short_title
from edition.pdf import Typeset, typeset
from edition.pdf.attach import write_book
from edition.pdf.book import estimated_starts
from edition.pdf.index import (
    WORD_JOINER,
    IndexEntry,
    format_ranges,
    inverted_name,
    merge_ranges,
)
from edition.pdf.layout import _FontsOnly
from edition.pdf.paginate import PageMap, PaginationError, paginate, read_page_map, roman

REPO = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.slow


@dataclass
class Built:
    config: Config
    corpus: Corpus
    typeset: Typeset
    path: Path
    reader: PdfReader

    @property
    def pages(self) -> PageMap:
        return self.typeset.pagination.pages

    @property
    def document(self) -> Any:  # weasyprint.Document
        return self.typeset.pagination.document

    def text(self, index: int) -> str:
        return _texts(self.reader)[index]


_TEXT_CACHE: dict[int, list[str]] = {}


def _texts(reader: PdfReader) -> list[str]:
    key = id(reader)
    if key not in _TEXT_CACHE:
        _TEXT_CACHE[key] = [page.extract_text() or "" for page in reader.pages]
    return _TEXT_CACHE[key]


def _flat(text: str) -> str:
    """Page text as one line: hyphenated line ends joined, white space (and no-break spaces) folded."""
    text = re.sub(r"[\u2010-]\n", "", text)
    return " ".join(text.replace("\xa0", " ").split())


def _config_into(tmp: Path) -> Config:
    config = load_config(REPO)
    return dataclasses.replace(config, paths=dataclasses.replace(config.paths, build=str(tmp)))


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    config = _config_into(tmp_path_factory.mktemp("pdf") / "build")
    corpus, problems = load_corpus(config)
    assert not problems, problems
    result = typeset(corpus, config)
    path = config.build_dir / "pdf" / config.pdf.file_name
    write_book(result.pagination.document, path, result.pagination.pages, corpus, config)
    return Built(config, corpus, result, path, PdfReader(path))


# --- the book's structure --------------------------------------------------------------------------


def test_page_count_agrees_between_layout_and_file(built: Built) -> None:
    assert len(built.reader.pages) == len(built.document.pages) == built.pages.page_count
    # front matter, a part title, at least a page per document, chronology and index
    assert built.pages.body_start >= 5
    assert built.pages.page_count >= built.pages.body_start + len(built.corpus.documents) + 3


def test_pagination_settled_in_two_layouts(built: Built) -> None:
    assert built.typeset.pagination.passes == 2
    assert len(built.typeset.pagination.seconds) == 2


def test_page_labels_are_the_printed_folios(built: Built) -> None:
    labels = built.pages.labels()
    assert built.reader.page_labels == labels
    assert labels[0] == "i" and labels[built.pages.body_start] == "1"
    for index, label in enumerate(labels):
        lines = [line.strip() for line in built.text(index).splitlines() if line.strip()]
        if index == 0:  # the title page has no folio
            assert label not in lines[-1:]
            continue
        assert lines[-1] == label, f"page {index}: folio {lines[-1]!r}, label {label!r}"


def _outline(reader: PdfReader) -> Iterator[tuple[int, str, int]]:
    def walk(items: list[Any], depth: int) -> Iterator[tuple[int, str, int]]:
        for item in items:
            if isinstance(item, list):
                yield from walk(item, depth + 1)
            else:
                yield depth, str(item.title), reader.get_destination_page_number(item)

    yield from walk(reader.outline, 0)


def test_a_bookmark_for_every_document_on_the_page_of_its_heading(built: Built) -> None:
    marks = {title: (depth, page) for depth, title, page in _outline(built.reader)}
    for document in built.corpus.documents:
        title = f"{document.number}. {short_title(built.corpus, document)}"
        assert title in marks, f"no bookmark {title!r}"
        depth, page = marks[title]
        assert depth == 1
        assert page == built.pages.page_of(f"{document.id}-heading")
        # and the page really shows that heading
        assert f"No. {document.number}" in built.text(page)
        assert short_title(built.corpus, document) in _flat(built.text(page))


def test_a_bookmark_for_every_part(built: Built) -> None:
    parts = {title: page for depth, title, page in _outline(built.reader) if depth == 0}
    for title, anchor in [
        ("Contents", "contents"),
        ("Introduction", "introduction"),
        ("Editorial principles", "principles"),
        ("Abbreviations and sigla", "abbreviations"),
        ("The Documents", "documents"),
        ("Chronology", "chronology"),
        ("Index of persons and places", "index"),
    ]:
        assert parts.get(title) == built.pages.page_of(anchor), title


def test_documents_start_on_a_new_page_in_order(built: Built) -> None:
    starts = [built.pages.page_of(d.id) for d in built.corpus.documents]
    assert starts == sorted(set(starts))
    for document, start in zip(built.corpus.documents, starts, strict=True):
        # nothing of the previous document on the first page of this one
        previous = built.corpus.documents[document.number - 2] if document.number > 1 else None
        if previous is not None:
            assert f"{previous.id}-heading" not in built.document.pages[start].anchors


def test_running_heads_name_the_document_and_its_date(built: Built) -> None:
    documents = built.corpus.documents
    starts = [built.pages.page_of(d.id) for d in documents] + [built.pages.page_of("chronology")]
    for document, start, end in zip(documents, starts, starts[1:], strict=False):
        head = f"No. {document.number} · {short_title(built.corpus, document)}"
        for index in range(start, end):
            lines = [line.strip() for line in built.text(index).splitlines()]
            # as in most books, a document's opening page carries no running head
            assert (head in lines) == (index > start), (index, head)


# --- page numbers written by the pagination --------------------------------------------------------


def _contents_lines(built: Built) -> list[str]:
    first = built.pages.page_of("contents")
    last = built.pages.page_of("introduction")
    return [line for i in range(first, last) for line in built.text(i).splitlines()]


def test_contents_page_numbers_are_right(built: Built) -> None:
    lines = _contents_lines(built)
    found = 0
    for document in built.corpus.documents:
        title = short_title(built.corpus, document)
        line = next(line for line in lines if line.startswith(f"{document.number} {title} "))
        printed = line.rsplit(" ", 1)[1]
        outline_page = next(
            page for _d, t, page in _outline(built.reader) if t == f"{document.number}. {title}"
        )
        assert printed == built.reader.page_labels[outline_page], line
        found += 1
    for title, anchor in [("Introduction", "introduction"), ("Chronology", "chronology")]:
        line = next(line for line in lines if line.startswith(f"{title} "))
        assert line.rsplit(" ", 1)[1] == built.pages.label_of(anchor)
        assert built.text(built.pages.page_of(anchor)).startswith(title)
    assert found == len(built.corpus.documents)


_XREF = re.compile(r"\[no\.\s*(\d+),\s*p\.\s*(\d+)\]")


def test_cross_references_name_the_page_a_document_begins_on(built: Built) -> None:
    labels = built.reader.page_labels
    checked = 0
    for index in range(built.pages.body_start, built.pages.page_count):
        for number, page in _XREF.findall(_flat(built.text(index))):
            document = built.corpus.documents[int(number) - 1]
            target = labels.index(page)
            assert f"No. {number}" in built.text(target)
            assert target == built.pages.page_of(document.id)
            checked += 1
    # the exemplar alone refers to other documents five times; headings add prev/next/reply
    assert checked >= 5 + len(built.corpus.documents)


def test_the_second_layout_is_proven_not_to_move() -> None:
    """paginate() raises when writing the numbers moves an anchor, and says which."""

    class Page:
        def __init__(self, anchors: dict[str, Any]) -> None:
            self.anchors = anchors

    class Doc:
        def __init__(self, layout: list[list[str]]) -> None:
            self.pages = [Page(dict.fromkeys(anchors, (0, 0))) for anchors in layout]

    layouts = {
        "placeholder": [["body", "a"], ["b"]],
        "numbers": [["body"], ["a", "b"]],  # writing the numbers pushed #a to the next page
    }

    def render(pages: PageMap | None) -> str:
        return "placeholder" if pages is None else "numbers"

    with pytest.raises(PaginationError, match="#a"):
        paginate(render, lambda html: Doc(layouts[html]), "body", max_passes=2)
    # with a third pass the numbers of the second layout are written, and proven
    result = paginate(render, lambda html: Doc(layouts[html]), "body", max_passes=3)
    assert result.passes == 3 and result.pages.page_of("a") == 1


def test_first_layout_estimates_have_the_figures_of_the_true_pages(built: Built) -> None:
    """The estimates printed by the first layout are as wide as the true numbers."""
    estimates = estimated_starts(built.corpus)
    for document in built.corpus.documents:
        true = built.pages.number_of(document.id)
        assert len(str(estimates[document.id])) == len(str(true)), (document.id, true)
    last = built.corpus.documents[-1]
    assert abs(estimates[last.id] - built.pages.number_of(last.id)) <= 3


def test_page_map_reads_first_page_and_roman_front_matter() -> None:
    class Page:
        def __init__(self, anchors: list[str]) -> None:
            self.anchors = dict.fromkeys(anchors, (0, 0))

    class Doc:
        def __init__(self) -> None:
            self.pages = [Page(["t"]), Page(["x"]), Page(["body", "x"]), Page(["y"])]

    pages = read_page_map(Doc(), "body")
    assert pages.page_of("x") == 1  # an element spanning pages is on its first
    assert pages.labels() == ["i", "ii", "1", "2"]
    assert pages.number_of("y") == 2
    with pytest.raises(PaginationError):
        pages.number_of("x")
    assert [roman(n) for n in (1, 4, 9, 14, 40, 90, 400, 1994)] == [
        "i", "iv", "ix", "xiv", "xl", "xc", "cd", "mcmxciv"
    ]  # fmt: skip


# --- text: paragraphs, footnotes, apparatus ------------------------------------------------------


def _tei_paragraphs(built: Built) -> list[tuple[str, str]]:
    return [
        (d.id, p.get("n", ""))
        for d in built.corpus.documents
        for p in d.file.root.iterfind(".//tei:body//tei:p[@n]", NS)
    ]


def test_every_numbered_paragraph_is_in_the_book_with_its_number(built: Built) -> None:
    paragraphs = _tei_paragraphs(built)
    assert paragraphs, "the edition has transcribed paragraphs"
    for doc_id, n in paragraphs:
        index = built.pages.page_of(f"{doc_id}-p{n}")
        lines = [line.strip() for line in built.text(index).splitlines()]
        assert n in lines, f"paragraph number {n} of {doc_id} not in the margin of its page"


def _boxes(page: Any) -> Iterator[Any]:
    stack = [page._page_box]
    while stack:
        box = stack.pop()
        yield box
        stack.extend(getattr(box, "children", []))


def _footnotes(built: Built) -> tuple[dict[str, int], dict[str, int]]:
    """(call page, footnote page) by footnote id, from WeasyPrint's boxes."""
    calls: dict[str, int] = {}
    notes: dict[str, int] = {}
    for index, page in enumerate(built.document.pages):
        for box in _boxes(page):
            element = getattr(box, "element", None)
            if element is None or "footnote" not in (element.get("class") or "").split():
                continue
            tag = box.element_tag
            if tag.endswith("::footnote-call"):
                calls.setdefault(element.get("id"), index)
            elif "::" not in tag:
                notes.setdefault(element.get("id"), index)
    return calls, notes


def test_each_footnote_is_on_the_page_of_its_call(built: Built) -> None:
    calls, notes = _footnotes(built)
    tei_notes = sum(
        len(d.file.root.findall(".//tei:text//tei:note", NS)) for d in built.corpus.documents
    )
    assert tei_notes > 0
    assert len(calls) == len(notes) == tei_notes
    for note_id, page in notes.items():
        assert calls[note_id] == page, (
            f"footnote {note_id} on page {page}, call on {calls[note_id]}"
        )


def test_footnote_text_is_printed_on_that_page(built: Built) -> None:
    _calls, notes = _footnotes(built)
    for document in built.corpus.documents:
        for n, note in enumerate(document.file.root.iterfind(".//tei:text//tei:note", NS), 1):
            page = notes[f"{document.id}-n{n}"]
            words = " ".join("".join(note.itertext()).split()[:6])
            assert words in _flat(built.text(page)), (document.id, n)


def test_apparatus_keys_emendations_to_paragraph_numbers(built: Built) -> None:
    for document in built.corpus.documents:
        for choice in document.file.root.iterfind(".//tei:text//tei:choice", NS):
            sic, corr = choice.find("tei:sic", NS), choice.find("tei:corr", NS)
            if sic is None or corr is None:
                continue
            paragraph = next(a for a in choice.iterancestors(f"{{{NS['tei']}}}p"))
            entry = f"{paragraph.get('n')} {corr.text}] {sic.text} source"
            start = built.pages.page_of(document.id)
            end = max(i for a, i in built.pages.anchors.items() if a.startswith(document.id))
            text = " ".join(_flat(built.text(i)) for i in range(start, end + 1))
            assert entry in text


# --- index --------------------------------------------------------------------------------------


def _index_text(built: Built) -> str:
    start = built.pages.page_of("index")
    return " ".join(_flat(built.text(i)) for i in range(start, built.pages.page_count))


def _name_forms(built: Built, key: str) -> set[str]:
    entry = built.corpus.entries[key]
    forms = {entry.label, entry.short}
    for name in entry.element.iter():
        if isinstance(name.tag, str) and name.tag.endswith("Name"):
            forms.add(" ".join("".join(name.itertext()).split()))
    if entry.kind == "person":
        forms.add(entry.short.split()[-1])  # the surname
    return {f for f in forms if f}


def test_index_is_printed_with_merged_ranges(built: Built) -> None:
    sections = built.typeset.book.index
    text = _index_text(built)
    assert [s.title for s in sections] == ["Persons", "Places"]
    entries = [e for s in sections for e in s.entries]
    assert len(entries) >= 10
    for entry in entries:
        assert f"{entry.heading}" in text
        assert entry.locators in text, (entry.heading, entry.locators)
    assert any("–" in e.locators for e in entries), "some names run over consecutive pages"
    # The word joiners that hold a range together are not in the text a reader copies.
    assert "\u2060" not in text


def test_a_printed_range_never_breaks_at_its_dash() -> None:
    entry = IndexEntry("person:x", "X", "", (3, 4, 5, 9, 12, 13))
    assert entry.printed_locators == "3\u2060–\u20605, 9, 12\u2060–\u206013"
    assert entry.printed_locators.replace(WORD_JOINER, "") == entry.locators == "3–5, 9, 12–13"


def test_every_index_entry_names_its_pages(built: Built) -> None:
    sections = built.typeset.book.index
    labels = built.reader.page_labels
    for entry in (e for s in sections for e in s.entries):
        forms = _name_forms(built, entry.key)
        for page in entry.pages:
            text = _flat(built.text(labels.index(str(page))))
            assert any(form in text for form in forms), (entry.heading, page)


def test_index_pages_lie_in_documents_that_name_the_entry(built: Built) -> None:
    """Independent of the mention anchors: the Corpus says which documents name whom."""
    spans: dict[str, set[int]] = defaultdict(set)
    for document in built.corpus.documents:
        start = built.pages.number_of(document.id)
        after = [built.pages.number_of(d.id) for d in built.corpus.documents[document.number :]]
        end = (after[0] - 1) if after else built.pages.number_of("chronology") - 1
        for key in document.mentions:
            spans[key] |= set(range(start, end + 1))
    sections = built.typeset.book.index
    for entry in (e for s in sections for e in s.entries):
        assert set(entry.pages) <= spans[entry.key], entry.heading
        # and every document that names the entry has one of its pages in the entry
        for document in built.corpus.mentioned_in(entry.key):
            start = built.pages.number_of(document.id)
            after = [built.pages.number_of(d.id) for d in built.corpus.documents[document.number :]]
            end = (after[0] - 1) if after else built.pages.number_of("chronology") - 1
            assert set(entry.pages) & set(range(start, end + 1)), (entry.heading, document.id)


def test_correspondents_are_indexed_on_the_first_page_of_their_documents(built: Built) -> None:
    pages = {e.key: set(e.pages) for s in built.typeset.book.index for e in s.entries}
    checked = 0
    for document in built.corpus.documents:
        start = built.pages.number_of(document.id)
        for person in document.senders + document.recipients:
            for key in (person.key, person.place_key):
                if key and key.partition(":")[0] in ("person", "place"):
                    assert start in pages[key], (document.id, key)
                    checked += 1
    assert checked >= 2 * len(built.corpus.documents)


def test_every_name_in_a_text_is_indexed(built: Built) -> None:
    html = etree.HTML(built.typeset.pagination.html.encode())
    for document in built.corpus.documents:
        names = [
            e.get("ref")
            for e in document.file.root.iterfind(".//tei:text//*[@ref]", NS)
            if e.get("ref", "").partition(":")[0] in ("person", "place")
        ]
        text = html.find(f".//article[@id='{document.id}']//div[@class='tei-text']")
        indexed = (
            []
            if text is None
            else [
                e.get("data-ref")
                for e in text.iter()
                if e.get("id")
                and (e.get("data-ref") or "").partition(":")[0] in ("person", "place")
            ]
        )
        assert sorted(indexed) == sorted(names), document.id


def test_index_helpers() -> None:
    assert merge_ranges([31, 12, 14, 13, 12]) == [(12, 14), (31, 31)]
    assert format_ranges([12, 13, 14, 31]) == "12–14, 31"
    assert format_ranges([5]) == "5"
    assert format_ranges([]) == ""
    assert inverted_name("John F. Kennedy", "Kennedy") == "Kennedy, John F."
    assert inverted_name("Robert F. Kennedy", "Robert Kennedy") == "Kennedy, Robert F."
    assert inverted_name("Rudolf Anderson Jr.", "Anderson") == "Anderson, Rudolf, Jr."
    assert inverted_name("U Thant", "U Thant") == "Thant, U"
    assert inverted_name("Cuba", "Cuba") == "Cuba"


# --- the file: fonts, metadata, PDF/A, attachments, determinism -------------------------------------


def _resolve(obj: Any) -> Any:
    return obj.get_object() if isinstance(obj, IndirectObject) else obj


def test_fonts_are_embedded_eb_garamond(built: Built) -> None:
    fonts: dict[str, DictionaryObject] = {}
    for page in built.reader.pages:
        resources = _resolve(page.get("/Resources"))
        for font in _resolve(resources.get("/Font", {})).values():
            font = _resolve(font)
            fonts[str(font["/BaseFont"])] = font
    assert fonts
    styles = set()
    for name, font in fonts.items():
        assert "Garamond" in name, name
        descendant = _resolve(font["/DescendantFonts"][0]) if "/DescendantFonts" in font else font
        descriptor = _resolve(descendant["/FontDescriptor"])
        assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), name
        styles.add("italic" if "Italic" in name else "upright")
    assert styles == {"italic", "upright"}


def test_document_metadata(built: Built) -> None:
    info = built.reader.metadata
    edition = built.config.edition
    assert info is not None
    assert info.title == edition.title
    assert info.author == ", ".join(edition.editors)
    assert info.subject == edition.subtitle
    assert "Cuban Missile Crisis" in (info.get("/Keywords") or "")
    assert info.creation_date is not None and info.creation_date.date() == edition.release_date
    assert info.modification_date is not None
    assert info.modification_date.date() == edition.release_date
    root = built.reader.trailer["/Root"]
    assert root["/Lang"] == edition.language
    assert root["/ViewerPreferences"]["/DisplayDocTitle"]


def test_pdfa_3b_identification_and_tagging(built: Built) -> None:
    root = built.reader.trailer["/Root"]
    xmp = _resolve(root["/Metadata"]).get_data().decode()
    assert re.search(r'pdfaid:part="3"|<pdfaid:part>3<', xmp)
    assert re.search(r'pdfaid:conformance="B"|<pdfaid:conformance>B<', xmp)
    intents = [_resolve(i) for i in root["/OutputIntents"]]
    assert any(i["/S"] == "/GTS_PDFA1" for i in intents)
    assert "/ID" in built.reader.trailer
    # tagged: a structure tree, marked content
    assert "/StructTreeRoot" in root
    assert root["/MarkInfo"]["/Marked"]
    # every embedded file is declared as associated with the document
    files = len(built.corpus.documents) + len(built.corpus.register_files)
    assert len(root["/AF"]) == len({spec.idnum for spec in root["/AF"]}) == files
    for spec in root["/AF"]:
        assert _resolve(spec)["/AFRelationship"] == "/Source"


def test_tei_sources_are_attached_byte_for_byte(built: Built) -> None:
    attachments = built.reader.attachments
    expected = {d.file.path.name: d.file.path for d in built.corpus.documents}
    expected |= {f"register/{f.path.name}": f.path for f in built.corpus.register_files.values()}
    assert set(attachments) == set(expected)
    for name, path in expected.items():
        assert attachments[name] == [path.read_bytes()], name


def test_attachments_carry_the_release_date(built: Built) -> None:
    stamp = f"D:{built.config.edition.release_date:%Y%m%d}000000"
    names = built.reader.trailer["/Root"]["/Names"]["/EmbeddedFiles"]["/Names"]
    for spec in names[1::2]:
        params = _resolve(_resolve(spec)["/EF"]["/F"])["/Params"]
        assert str(params["/CreationDate"]).startswith(stamp)
        assert str(params["/ModDate"]).startswith(stamp)


_SECOND_BUILD = """
import sys
from pathlib import Path
import dataclasses
from edition.config import load_config
from edition.corpus import load_corpus
from edition.pdf import typeset
from edition.pdf.attach import write_book
from edition.pdf.book import estimated_starts
config = load_config(Path(sys.argv[1]))
corpus, _ = load_corpus(config)
result = typeset(corpus, config)
write_book(result.pagination.document, Path(sys.argv[2]), result.pagination.pages, corpus, config)
"""


def test_two_builds_are_byte_identical(built: Built, tmp_path: Path) -> None:
    """A second build in a separate process (another hash seed, another clock) gives the same bytes."""
    second = tmp_path / "second.pdf"
    subprocess.run(
        [sys.executable, "-c", _SECOND_BUILD, str(REPO), str(second)],
        check=True,
        env={"PYTHONHASHSEED": "12345", "PATH": "/usr/bin:/bin"},
        cwd=REPO,
    )
    assert second.read_bytes() == built.path.read_bytes()


def test_edition_pdf_command_writes_the_book(tmp_path: Path) -> None:
    """`edition pdf` (the README's build, PDF part) writes build/pdf/<file_name>."""
    config = (REPO / "edition.toml").read_text(encoding="utf-8")
    for key in ("tei", "registers", "schema", "xslt"):
        config = re.sub(
            rf'(?m)^({key} = )"([^"]*)"$', lambda m: f'{m.group(1)}"{REPO / m.group(2)}"', config
        )
    config = re.sub(r'(?m)^build = "[^"]*"$', f'build = "{tmp_path / "build"}"', config)
    (tmp_path / "edition.toml").write_text(config, encoding="utf-8")
    run = subprocess.run(
        [str(REPO / ".venv" / "bin" / "edition"), "--root", str(tmp_path), "pdf"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    written = tmp_path / "build" / "pdf" / load_config(REPO).pdf.file_name
    assert PdfReader(written).page_labels[0] == "i"


def test_book_face_sets_cyrillic_and_spanish_upright_and_italic(tmp_path: Path) -> None:
    """No fallback face and no garbled glyphs: the text reads back as it was written."""
    from edition.pdf.layout import Layouter

    samples = ["Жизнь и судьба", "Señor Castro, año", "Khrushchev"]
    body = "".join(f"<p>{s}</p><p><i>{s}</i></p><p><b>{s}</b></p>" for s in samples)
    layout = Layouter("html { font-family: 'EB Garamond Book'; }")
    path = tmp_path / "faces.pdf"
    layout(f"<html lang='ru'><body>{body}</body></html>").write_pdf(path)
    reader = PdfReader(path)
    text = reader.pages[0].extract_text()
    for sample in samples:
        assert text.count(sample) == 3, sample
    fonts = {
        str(_resolve(f)["/BaseFont"])
        for f in _resolve(reader.pages[0]["/Resources"]["/Font"]).values()
    }
    assert len(fonts) == 3 and all("Garamond" in f for f in fonts), fonts


def test_layout_fetches_nothing_but_the_fonts() -> None:
    fetcher = _FontsOnly({"file:///allowed/font.ttf"})
    for url in ("file:///etc/hostname", "https://example.org/x.png", "data:text/plain,hi"):
        with pytest.raises(ValueError, match="fetches no resource"):
            fetcher.fetch(url)


def test_hyphenation_follows_the_document_language(built: Built) -> None:
    html = etree.HTML(built.typeset.pagination.html.encode())
    assert html.get("lang") == built.config.edition.language
    for document in built.corpus.documents:
        article = html.find(f".//article[@id='{document.id}']")
        assert article is not None
        assert article.get("lang") == document.language
    css = built.typeset.book.stylesheet()
    assert re.search(r"\.tei-text \{[^}]*hyphens: auto", css)
    # and words are in fact hyphenated at line ends (WeasyPrint sets U+2010)
    hyphenated = [i for i in range(built.pages.page_count) if "\u2010\n" in built.text(i)]
    assert any(i >= built.pages.body_start for i in hyphenated)
