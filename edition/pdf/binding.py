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
* page labels (i, ii, … then 1, 2, …) and the viewer settings of metadata.py.

Fonts stay as each part subset them (a face is embedded once per part). The file identifier is the
base's, which WeasyPrint derives from its content; the bytes do not depend on the machine or on how
many workers laid the parts out.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pypdf import PdfReader, PdfWriter
from pypdf.constants import PageLabelStyle
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    Fit,
    IndirectObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

from edition.pdf.paginate import PageMap
from edition.pdf.part_layout import PART_LINK, Bookmark


class BindingError(Exception):
    """A part's PDF is not shaped as WeasyPrint writes a tagged document."""


def _dict(value: Any) -> DictionaryObject:
    """``value`` resolved, as a dictionary (pypdf types what it reads loosely)."""
    resolved = value.get_object() if value is not None else None
    if not isinstance(resolved, DictionaryObject):
        raise BindingError(f"expected a dictionary, found {type(resolved).__name__}")
    return resolved


def _array(value: Any) -> ArrayObject:
    resolved = value.get_object() if value is not None else None
    if not isinstance(resolved, ArrayObject):
        raise BindingError(f"expected an array, found {type(resolved).__name__}")
    return resolved


def _number(value: Any) -> int:
    resolved = value.get_object()
    if not isinstance(resolved, int):
        raise BindingError(f"expected a number, found {type(resolved).__name__}")
    return int(resolved)


def _nums(tree_root: DictionaryObject) -> ArrayObject:
    """The parent tree's /Nums (WeasyPrint writes it flat, without /Kids)."""
    return _array(_dict(tree_root["/ParentTree"]).get("/Nums"))


def _struct_root(catalog: DictionaryObject) -> tuple[DictionaryObject, DictionaryObject]:
    """The structure tree root and its single /Document element."""
    if "/StructTreeRoot" not in catalog:
        raise BindingError("the part is not tagged")
    root = _dict(catalog["/StructTreeRoot"])
    kids = root["/K"]
    kids = kids if isinstance(kids, ArrayObject) else ArrayObject([kids])
    if len(kids) != 1:
        raise BindingError("the structure tree has more than one root element")
    return root, _dict(kids[0])


def _dests(catalog: DictionaryObject) -> list[tuple[str, Any]]:
    if "/Names" not in catalog or "/Dests" not in _dict(catalog["/Names"]):
        return []
    flat = _array(_dict(_dict(catalog["/Names"])["/Dests"]).get("/Names", ArrayObject()))
    return [(str(flat[i]), flat[i + 1]) for i in range(0, len(flat), 2)]


def _relink(page: DictionaryObject) -> None:
    """Links to another part's anchors become links to named destinations."""
    for reference in _array(page.get("/Annots", ArrayObject())):
        annotation = _dict(reference)
        if "/A" not in annotation:
            continue
        uri = str(_dict(annotation["/A"]).get("/URI", ""))
        if uri.startswith(PART_LINK):
            anchor = TextStringObject(uri[len(PART_LINK) :])
            del annotation["/A"]
            annotation[NameObject("/Dest")] = anchor
            if "/Contents" in annotation:
                annotation[NameObject("/Contents")] = anchor


def _subset_tag(tag: str, part: int) -> str:
    """Six capitals derived from a subset's tag and its part: unique names for distinct subsets."""
    digest = hashlib.sha256(f"{part}:{tag}".encode()).digest()
    return "".join(chr(ord("A") + byte % 26) for byte in digest[:6])


def _rename_subsets(pages: Sequence[DictionaryObject], part: int, done: set[int]) -> None:
    """Each part embeds its own subset of a face under the tag WeasyPrint gave it (the same in every
    part); a file must not name two different subsets alike, so a later part's get tags of their own."""

    def renamed(name: Any) -> NameObject:
        tag, plus, rest = str(name)[1:].partition("+")
        if not plus:
            return NameObject(name)
        return NameObject(f"/{_subset_tag(tag, part)}+{rest}")

    for page in pages:
        resources = _dict(page.get("/Resources", DictionaryObject()))
        if "/Font" not in resources:
            continue
        for reference in _dict(resources["/Font"]).values():
            font = _dict(reference)
            if id(font) in done:
                continue
            done.add(id(font))
            members = [font]
            members += [_dict(d) for d in _array(font.get("/DescendantFonts", ArrayObject()))]
            for member in members:
                if "/BaseFont" in member:
                    member[NameObject("/BaseFont")] = renamed(member["/BaseFont"])
                if "/FontDescriptor" in member:
                    descriptor = _dict(member["/FontDescriptor"])
                    if id(descriptor) not in done:
                        done.add(id(descriptor))
                        descriptor[NameObject("/FontName")] = renamed(descriptor["/FontName"])


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


def _add_outline(writer: PdfWriter, nodes: list[Any], parent: IndirectObject | None) -> None:
    for label, (page_number, x, y), children, state in nodes:
        item = writer.add_outline_item(
            title=label,
            page_number=page_number,
            parent=parent,
            fit=Fit.xyz(x, y, 0),
            is_open=state != "closed",
        )
        _add_outline(writer, children, item)


def bind(
    parts: Sequence[Path],
    target: Path,
    pages: PageMap,
    bookmarks: Sequence[Sequence[Bookmark]],
) -> None:
    """Bind ``parts`` (in order; the first carries the catalog) into ``target``."""
    if not parts:
        raise BindingError("a book needs at least one part")
    writer = PdfWriter(clone_from=PdfReader(parts[0]))
    catalog = writer.root_object
    tree_root, document = _struct_root(catalog)
    nums = _nums(tree_root)
    next_key = max((int(nums[i]) for i in range(0, len(nums), 2)), default=-1) + 1
    dests = _dests(catalog)
    parts_done: list[Path] = [parts[0]]
    renamed_fonts: set[int] = set()

    for path in parts[1:]:
        reader = PdfReader(path)
        first = len(writer.pages)
        for page in reader.pages:
            writer.add_page(page)
        _rename_subsets(writer.pages[first:], len(parts_done), renamed_fonts)
        parts_done.append(path)
        part_catalog = _dict(reader.trailer["/Root"])
        _struct_root(part_catalog)  # a tagged part, shaped as expected
        # Cloned after the pages, so references to them resolve to the pages just added.
        cloned_root, cloned_document = _struct_root(
            DictionaryObject(
                {
                    NameObject("/StructTreeRoot"): part_catalog.raw_get("/StructTreeRoot").clone(
                        writer
                    )
                }
            )
        )
        kids = _array(document["/K"])
        for kid in _array(cloned_document.get("/K", ArrayObject())):
            _dict(kid)[NameObject("/P")] = document.indirect_reference
            kids.append(kid)
        part_nums = _nums(cloned_root)
        for i in range(0, len(part_nums), 2):
            nums.append(NumberObject(int(part_nums[i]) + next_key))
            nums.append(part_nums[i + 1])
        for index, page in enumerate(reader.pages):
            added = writer.pages[first + index]
            if "/StructParents" in page:
                added[NameObject("/StructParents")] = NumberObject(
                    _number(page["/StructParents"]) + next_key
                )
            for reference in _array(added.get("/Annots", ArrayObject())):
                annotation = _dict(reference)
                if "/StructParent" in annotation:
                    annotation[NameObject("/StructParent")] = NumberObject(
                        _number(annotation["/StructParent"]) + next_key
                    )
        next_key += max((int(part_nums[i]) for i in range(0, len(part_nums), 2)), default=-1) + 1
        for name, destination in _dests(part_catalog):
            dests.append((name, destination.clone(writer)))

    for page in writer.pages:
        _relink(page)
    _write_dests(writer, catalog, dests)
    if "/Outlines" in catalog:
        del catalog["/Outlines"]
    _add_outline(writer, outline_tree(bookmarks), None)
    _page_labels(writer, pages)
    writer.write(target)


def _write_dests(
    writer: PdfWriter, catalog: DictionaryObject, dests: list[tuple[str, Any]]
) -> None:
    flat = ArrayObject()
    for name, destination in sorted(dests, key=lambda item: item[0]):
        flat.append(TextStringObject(name))
        flat.append(destination)
    if "/Names" not in catalog:
        catalog[NameObject("/Names")] = writer._add_object(DictionaryObject())
    dest_tree = DictionaryObject({NameObject("/Names"): flat})
    _dict(catalog["/Names"])[NameObject("/Dests")] = writer._add_object(dest_tree)


def _page_labels(writer: PdfWriter, pages: PageMap) -> None:
    if pages.body_start > 0:
        writer.set_page_label(
            0, pages.body_start - 1, style=PageLabelStyle.LOWERCASE_ROMAN, start=1
        )
    writer.set_page_label(
        pages.body_start, pages.page_count - 1, style=PageLabelStyle.DECIMAL, start=1
    )
