"""Binding the parts' PDFs into the book: one file, as WeasyPrint would have written it whole.

The first part (the front matter, written with the TEI attached) is the base: its catalog carries
what makes the file PDF/A-3b — XMP metadata, output intent, the embedded TEI and /AF — and its
language and viewer settings. Each further part brings its pages, and the binding joins what
WeasyPrint writes per document into one:

* the structure tree: a part's elements join the base's /Document element in order; its parent
  tree is renumbered after the base's (pages' /StructParents and annotations' /StructParent with
  it), so every marked-content sequence still finds its element;
* named destinations: one name tree with every part's anchors;
* links between parts (written as ``PART_LINK`` URIs, see part_layout.py) become links to named
  destinations, exactly as WeasyPrint writes a link within a document;
* the outline, rebuilt from every page's bookmarks with WeasyPrint's nesting by level;
* page labels (i, ii, … then 1, 2, …) as metadata.py writes them.

The parts are joined with pikepdf (qpdf): copying a part's objects into the base is done in C++,
which matters for a tagged book of thousands of pages and hundreds of thousands of structure
elements (pypdf took about 50 ms a page). Fonts stay as each part subset them (a face is embedded
once per part, under a subset name of its own). The file identifier is computed from the content,
so the bytes do not depend on the machine or on how many workers laid the parts out.
"""

from __future__ import annotations

import hashlib
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pikepdf
from pikepdf import Array, Dictionary, Name, String

from edition.pdf.paginate import PageMap
from edition.pdf.part_layout import PART_LINK, Bookmark


class BindingError(Exception):
    """A part's PDF is not shaped as WeasyPrint writes a tagged document."""


def _document_element(pdf: pikepdf.Pdf) -> tuple[Any, Any]:
    """The structure tree root and its single /Document element."""
    if "/StructTreeRoot" not in pdf.Root:
        raise BindingError("the part is not tagged")
    root = pdf.Root.StructTreeRoot
    kids = root.K
    if isinstance(kids, Array):
        if len(kids) != 1:
            raise BindingError("the structure tree has more than one root element")
        kids = kids[0]
    return root, kids


def _keys(nums: Any) -> list[int]:
    return [int(nums[i]) for i in range(0, len(nums), 2)]


def _dests(pdf: pikepdf.Pdf) -> list[tuple[str, Any]]:
    if "/Names" not in pdf.Root or "/Dests" not in pdf.Root.Names:
        return []
    flat = pdf.Root.Names.Dests.get("/Names", Array())
    if "/Kids" in pdf.Root.Names.Dests:
        raise BindingError("the destinations are not a flat name tree")
    return [(str(flat[i]), flat[i + 1]) for i in range(0, len(flat), 2)]


def _relink(page: Any) -> None:
    """Links to another part's anchors become links to named destinations."""
    for annotation in page.obj.get("/Annots", Array()):
        if "/A" not in annotation:
            continue
        uri = str(annotation.A.get("/URI", ""))
        if uri.startswith(PART_LINK):
            anchor = String(uri[len(PART_LINK) :])
            del annotation["/A"]
            annotation.Dest = anchor
            if "/Contents" in annotation:
                annotation.Contents = anchor


def _subset_tag(tag: str, part: int) -> str:
    """Six capitals derived from a subset's tag and its part: unique names for distinct subsets."""
    digest = hashlib.sha256(f"{part}:{tag}".encode()).digest()
    return "".join(chr(ord("A") + byte % 26) for byte in digest[:6])


def _rename_subsets(pages: Sequence[Any], part: int, done: set[tuple[int, int]]) -> None:
    """Each part embeds its own subset of a face under the tag WeasyPrint gave it (the same in every
    part); a file must not name two different subsets alike, so later parts' get tags of their own."""

    def renamed(name: Any) -> Name:
        tag, plus, rest = str(name)[1:].partition("+")
        return Name(f"/{_subset_tag(tag, part)}+{rest}") if plus else Name(str(name))

    for page in pages:
        resources = page.obj.get("/Resources", Dictionary())
        for font in resources.get("/Font", Dictionary()).values():
            if font.objgen in done:
                continue
            done.add(font.objgen)
            for member in [font, *font.get("/DescendantFonts", Array())]:
                if "/BaseFont" in member:
                    member.BaseFont = renamed(member.BaseFont)
                descriptor = member.get("/FontDescriptor")
                if descriptor is not None and descriptor.objgen not in done:
                    done.add(descriptor.objgen)
                    descriptor.FontName = renamed(descriptor.FontName)


def outline_tree(bookmarks: Sequence[Sequence[Bookmark]]) -> list[Any]:
    """Bookmarks of every page (in order) nested as WeasyPrint nests them: each under the last one
    of a lower level. A node is ``(label, (page, x, y), children, state)``."""
    root: list[Any] = []
    stack: list[tuple[int, list[Any]]] = [(0, root)]
    for page_number, page in enumerate(bookmarks):
        for level, label, x, y, state in page:
            while stack[-1][0] >= level:
                stack.pop()
            children: list[Any] = []
            stack[-1][1].append((label, (page_number, x, y), children, state))
            stack.append((level, children))
    return root


def _outline(pdf: pikepdf.Pdf, nodes: list[Any]) -> None:
    """The /Outlines tree, written as WeasyPrint writes it (closed items count negatively)."""
    pages = pdf.pages

    def items(nodes: list[Any], parent: Any) -> tuple[Any, Any, int]:
        first = last = previous = None
        visible = 0
        for label, (page_number, x, y), children, state in nodes:
            item = pdf.make_indirect(
                Dictionary(
                    Title=String(label),
                    Parent=parent,
                    Dest=Array([pages[page_number].obj, Name.XYZ, x, y, 0]),
                )
            )
            if children:
                child_first, child_last, count = items(children, item)
                item.First, item.Last = child_first, child_last
                item.Count = count if state != "closed" else -count
                visible += count if state != "closed" else 0
            if previous is not None:
                previous.Next = item
                item.Prev = previous
            first = first if first is not None else item
            last = previous = item
            visible += 1
        return first, last, visible

    if not nodes:
        return
    outlines = pdf.make_indirect(Dictionary(Type=Name.Outlines))
    first, last, count = items(nodes, outlines)
    outlines.First, outlines.Last, outlines.Count = first, last, count
    pdf.Root.Outlines = outlines


def _page_labels(pdf: pikepdf.Pdf, pages: PageMap) -> None:
    numbers: list[Any] = []
    if pages.body_start > 0:
        numbers += [0, Dictionary(S=Name.r)]
    numbers += [pages.body_start, Dictionary(S=Name.D, St=1)]
    pdf.Root.PageLabels = Dictionary(Nums=Array(numbers))


def bind(
    parts: Sequence[Path],
    target: Path,
    pages: PageMap,
    bookmarks: Sequence[Sequence[Bookmark]],
) -> None:
    """Bind ``parts`` (in order; the first carries the catalog) into ``target``."""
    if not parts:
        raise BindingError("a book needs at least one part")
    opened: list[pikepdf.Pdf] = []
    try:
        book = pikepdf.open(parts[0])
        opened.append(book)
        tree_root, document = _document_element(book)
        nums = tree_root.ParentTree.Nums
        next_key = max(_keys(nums), default=-1) + 1
        dests = _dests(book)
        renamed: set[tuple[int, int]] = set()
        for number, path in enumerate(parts[1:], start=1):
            part = pikepdf.open(path)
            opened.append(part)
            first = len(book.pages)
            with warnings.catch_warnings():
                # pikepdf warns that named destinations are not carried over: they are, below.
                warnings.simplefilter("ignore", pikepdf.PageCopyWarning)
                book.pages.extend(part.pages)
            added = [book.pages[i] for i in range(first, len(book.pages))]
            _rename_subsets(added, number, renamed)
            part_root, part_document = _document_element(part)
            # Copied after the pages, so its references to them lead to the pages just added.
            copied_document = book.copy_foreign(part_document)
            for kid in copied_document.get("/K", Array()):
                kid.P = document
                document.K.append(kid)
            part_nums = book.copy_foreign(part_root.ParentTree).Nums
            for i in range(0, len(part_nums), 2):
                nums.append(int(part_nums[i]) + next_key)
                nums.append(part_nums[i + 1])
            for page in added:
                if "/StructParents" in page.obj:
                    page.obj.StructParents = int(page.obj.StructParents) + next_key
                for annotation in page.obj.get("/Annots", Array()):
                    if "/StructParent" in annotation:
                        annotation.StructParent = int(annotation.StructParent) + next_key
            next_key += max(_keys(part_nums), default=-1) + 1
            # A destination is a direct array in the part's name tree; qpdf copies indirect objects.
            dests += [
                (name, book.copy_foreign(part.make_indirect(dest))) for name, dest in _dests(part)
            ]
        for page in book.pages:
            _relink(page)
        flat = Array()
        for name, destination in sorted(dests, key=lambda item: item[0]):
            flat.extend([String(name), destination])
        if "/Names" not in book.Root:
            book.Root.Names = Dictionary()
        book.Root.Names.Dests = book.make_indirect(Dictionary(Names=flat))
        if "/Outlines" in book.Root:
            del book.Root["/Outlines"]
        _outline(book, outline_tree(bookmarks))
        _page_labels(book, pages)
        # The XMP is the front part's, as WeasyPrint wrote it for the book: left untouched.
        book.save(target, deterministic_id=True, fix_metadata_version=False)
    finally:
        for pdf in opened:
            pdf.close()
