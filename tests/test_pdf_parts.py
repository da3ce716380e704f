"""The book laid out in parts on every core and bound (edition/pdf/parts.py, part_layout.py,
binding.py) is the same book as the book laid out whole.

The real edition is cut into parts of five documents (front matter, three runs of documents, back
matter) and compared with the whole layout page by page: the text of every page, every named
destination, every link, the outline, the page labels, the structure tree, the attachments and the
XMP metadata.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject

from edition.config import Config, load_config
from edition.corpus import Corpus, load_corpus
from edition.pdf import publish_in_parts, typeset
from edition.pdf.attach import write_book
from edition.pdf.binding import outline_tree
from edition.pdf.part_layout import PART_LINK, PartsTypeset, link_across_parts
from edition.pdf.parts import Part, part_css, plan_parts

REPO = Path(__file__).resolve().parent.parent
PER_PART = 5

pytestmark = pytest.mark.slow


@dataclass
class Books:
    corpus: Corpus
    config: Config
    whole: PdfReader
    parts: PdfReader
    parts_path: Path
    typeset: PartsTypeset


@pytest.fixture(scope="module")
def books(tmp_path_factory: pytest.TempPathFactory) -> Books:
    tmp = tmp_path_factory.mktemp("parts")
    config = load_config(REPO)
    config = dataclasses.replace(
        config, paths=dataclasses.replace(config.paths, build=str(tmp / "build"))
    )
    corpus, problems = load_corpus(config)
    assert not problems, problems
    assert len(corpus.documents) > 2 * PER_PART, "the real edition fills at least three runs"
    whole = typeset(corpus, config)
    whole_path = tmp / "whole.pdf"
    write_book(whole.pagination.document, whole_path, whole.pagination.pages, corpus, config)
    parts_path = tmp / "parts.pdf"
    result = publish_in_parts(corpus, config, parts_path, jobs=2, per_part=PER_PART)
    return Books(corpus, config, PdfReader(whole_path), PdfReader(parts_path), parts_path, result)


def _catalog(reader: PdfReader) -> Any:
    """The catalog, loosely typed (pypdf types what it reads as PdfObject)."""
    return reader.trailer["/Root"].get_object()


def _texts(reader: PdfReader) -> list[str]:
    return [page.extract_text() or "" for page in reader.pages]


def _destinations(reader: PdfReader) -> dict[str, int | None]:
    return {
        name: reader.get_destination_page_number(dest)
        for name, dest in reader.named_destinations.items()
    }


def _outline(reader: PdfReader) -> list[tuple[int, str, int | None]]:
    out: list[tuple[int, str, int | None]] = []

    def walk(items: list[Any], depth: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                out.append((depth, item.title, reader.get_destination_page_number(item)))

    walk(reader.outline, 0)
    return out


def _links(reader: PdfReader) -> list[tuple[int, str, str]]:
    """Every link annotation: (page, kind, target)."""
    found = []
    for number, page in enumerate(reader.pages):
        for reference in page.get("/Annots", ArrayObject()):
            annotation: Any = reference.get_object()
            if annotation.get("/Subtype") != "/Link":
                continue
            if "/Dest" in annotation:
                found.append((number, "dest", str(annotation["/Dest"])))
            else:
                found.append((number, "uri", str(annotation["/A"].get_object()["/URI"])))
    return found


def _structure(reader: PdfReader) -> Counter[str]:
    """How many structure elements of each type the tree holds."""
    root = _catalog(reader)["/StructTreeRoot"].get_object()
    counts: Counter[str] = Counter()
    stack = [root["/K"]]
    while stack:
        node = stack.pop()
        node = node.get_object() if hasattr(node, "get_object") else node
        if isinstance(node, ArrayObject):
            stack.extend(node)
        elif isinstance(node, DictionaryObject) and "/S" in node:
            counts[str(node["/S"])] += 1
            if "/K" in node:
                stack.append(node["/K"])
    return counts


# --- the same book -------------------------------------------------------------------------------


def test_the_parts_were_laid_out_separately(books: Books) -> None:
    kinds = [part.kind for part in plan_parts([d.id for d in books.corpus.documents], PER_PART)]
    assert kinds[0] == "front" and kinds[-1] == "back"
    assert kinds.count("documents") >= 3
    assert len(books.typeset.laid_out) == len(kinds)
    assert books.typeset.passes == 2


def test_every_page_has_the_same_text(books: Books) -> None:
    whole, parts = _texts(books.whole), _texts(books.parts)
    assert len(parts) == len(whole)
    differing = [i for i, (a, b) in enumerate(zip(whole, parts, strict=True)) if a != b]
    assert differing == [], f"pages {differing[:10]} differ"


def test_folios_continue_across_parts(books: Books) -> None:
    """The first page of a later run of documents prints the folio after the run before it."""
    pages = books.typeset.pages
    for part in books.typeset.parts:
        if part.kind != "documents" or part.opens_body:
            continue
        index = pages.page_of(part.documents[0])
        folio = pages.label(index)
        last_line = _texts(books.parts)[index].strip().splitlines()[-1]
        assert last_line.strip() == folio


def test_anchors_links_and_outline_are_the_same(books: Books) -> None:
    assert _destinations(books.parts) == _destinations(books.whole)
    assert _links(books.parts) == _links(books.whole)
    assert _outline(books.parts) == _outline(books.whole)
    assert books.parts.page_labels == books.whole.page_labels


def test_links_across_parts_lead_to_their_anchor(books: Books) -> None:
    """The contents (front matter) link to every document, each in another part."""
    destinations = _destinations(books.parts)
    contents = books.typeset.pages.page_of("contents")
    targets = {target for page, kind, target in _links(books.parts) if page == contents}
    for document in books.corpus.documents:
        assert document.id in targets
        assert destinations[document.id] == books.typeset.pages.page_of(document.id)
    assert not any(PART_LINK in target for _, _, target in _links(books.parts))


def test_structure_tree_is_the_same_and_every_mark_finds_its_element(books: Books) -> None:
    assert _structure(books.parts) == _structure(books.whole)
    root = _catalog(books.parts)["/StructTreeRoot"].get_object()
    nums = root["/ParentTree"]["/Nums"]
    keys = {int(nums[i]) for i in range(0, len(nums), 2)}
    assert len(keys) == len(nums) // 2, "no key twice in the parent tree"
    for page in books.parts.pages:
        page_dict: Any = page
        assert int(page_dict["/StructParents"]) in keys
        for reference in page.get("/Annots", ArrayObject()):
            annotation: Any = reference.get_object()
            assert int(annotation["/StructParent"]) in keys


def test_catalog_metadata_and_attachments_are_the_same(books: Books) -> None:
    whole = _catalog(books.whole)
    parts = _catalog(books.parts)
    assert sorted(parts.keys()) == sorted(whole.keys())
    for key in ("/Lang", "/PageMode", "/MarkInfo", "/ViewerPreferences"):
        assert parts[key] == whole[key]
    assert books.parts.xmp_metadata is not None and books.whole.xmp_metadata is not None
    assert books.parts.xmp_metadata.stream.get_data() == books.whole.xmp_metadata.stream.get_data()
    assert books.parts.metadata == books.whole.metadata
    assert sorted(books.parts.attachments) == sorted(books.whole.attachments)
    assert len(parts["/AF"]) == len(whole["/AF"]) == len(books.whole.attachments)


def test_each_font_subset_has_its_own_name(books: Books) -> None:
    """Every part embeds its own subsets; two different subsets never share a name."""
    programs: dict[str, set[int]] = {}
    for page in books.parts.pages:
        resources: Any = page["/Resources"]
        for reference in resources["/Font"].values():
            font = reference.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
            program = descriptor["/FontFile2"].indirect_reference.idnum
            programs.setdefault(str(font["/BaseFont"]), set()).add(program)
    assert all(len(found) == 1 for found in programs.values()), programs
    assert len(programs) > 5, "subsets of several parts"


def test_the_bytes_do_not_depend_on_the_number_of_workers(books: Books, tmp_path: Path) -> None:
    one = tmp_path / "one.pdf"
    publish_in_parts(books.corpus, books.config, one, jobs=1, per_part=PER_PART)
    assert one.read_bytes() == books.parts_path.read_bytes()


# --- the pieces ----------------------------------------------------------------------------------


def test_plan_parts_cuts_runs_of_documents() -> None:
    parts = plan_parts(["a", "b", "c", "d", "e"], 2)
    assert parts == [
        Part("front"),
        Part("documents", ("a", "b"), opens_body=True),
        Part("documents", ("c", "d")),
        Part("documents", ("e",)),
        Part("back"),
    ]
    assert [p.name for p in parts] == [
        "front",
        "documents-a",
        "documents-c",
        "documents-e",
        "back",
    ]
    # Runs are as even as they can be: 110 documents in parts of at most 100 are two runs of 55.
    ids = [f"d{i:03d}" for i in range(110)]
    runs = [len(p.documents) for p in plan_parts(ids, 100) if p.kind == "documents"]
    assert runs == [55, 55]
    assert [len(p.documents) for p in plan_parts(ids[:100], 100)][1:-1] == [100]
    with pytest.raises(ValueError, match="at least one document"):
        plan_parts(["a"], 0)


def test_part_css_starts_the_folios() -> None:
    assert part_css(None) == ""
    assert re.fullmatch(r"@page body:nth\(1 of body\) \{ counter-reset: page 57; \}", part_css(57))


def test_link_across_parts_rewrites_only_anchors_elsewhere() -> None:
    html = '<p id="here"><a href="#here">x</a> <a href="#there">y</a> <a href="https://e.org/#x">z</a></p>'
    out = link_across_parts(html)
    assert '<a href="#here">' in out
    assert f'<a href="{PART_LINK}there">' in out
    assert '<a href="https://e.org/#x">' in out


def test_outline_tree_nests_by_level_as_weasyprint_does() -> None:
    from weasyprint.anchors import make_page_bookmark_tree
    from weasyprint.matrix import Matrix

    pages = [
        [(1, "Title", 0.0, 10.0, "open")],
        [(1, "Part", 0.0, 20.0, "open"), (2, "Doc 1", 0.0, 30.0, "open")],
        [(2, "Doc 2", 0.0, 40.0, "closed"), (4, "Deep", 0.0, 50.0, "open")],
        [(3, "Shallower", 0.0, 60.0, "open"), (1, "Index", 0.0, 70.0, "open")],
    ]
    expected: list[Any] = []
    skipped: list[int] = []
    last_by_depth: list[Any] = [expected]
    previous = 0

    @dataclass
    class Page:
        bookmarks: list[tuple[int, str, tuple[float, float], str]]

    for number, page in enumerate(pages):
        marks = [(level, label, (x, y), state) for level, label, x, y, state in page]
        previous = make_page_bookmark_tree(
            Page(marks), skipped, last_by_depth, previous, number, Matrix()
        )
    assert outline_tree(pages) == expected


def test_a_seed_from_the_previous_build_lays_the_parts_out_once(
    books: Books, tmp_path: Path
) -> None:
    seeded = tmp_path / "seeded.pdf"
    result = publish_in_parts(
        books.corpus, books.config, seeded, jobs=2, per_part=PER_PART, seed=books.typeset.pages
    )
    assert result.passes == 1
    assert result.pages == books.typeset.pages
    assert seeded.read_bytes() == books.parts_path.read_bytes()
