"""The previous and next documents of a correspondence, and linking a new document between them.

A correspondence is every document between the same two correspondents, in either direction, in
chronological order (the Corpus order). Linking edits the neighbours' files as text: one ``ref`` line is
replaced or inserted in their correspContext and every other byte stays as the editor wrote it. Each
edited text is parsed again and must then say exactly the intended prev/next, or nothing is written.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from lxml import etree

from edition.corpus import NS, Corpus, Document, split_pointer
from edition.editing.errors import EditingError
from edition.editing.render import xml_attribute, xml_text
from edition.links import short_title
from edition.xmlsafe import ParseFailure, parse_bytes


def correspondence(corpus: Corpus, first: str, second: str) -> list[Document]:
    """Documents between the correspondents ``first`` and ``second`` (pointer keys), dated, in order."""
    pair = {first, second}
    found = []
    for document in corpus.documents:
        keys = {
            document.sender.key if document.sender else None,
            document.recipient.key if document.recipient else None,
        }
        if keys == pair and document.date is not None:
            found.append(document)
    return found


@dataclass(frozen=True)
class Neighbours:
    prev: Document | None
    next: Document | None


def suggest(corpus: Corpus, first: str, second: str, date: dt.date) -> Neighbours:
    """Where a document of ``date`` falls in the correspondence: after every document of the same day
    or earlier, before the first later one."""
    documents = correspondence(corpus, first, second)
    earlier = [d for d in documents if d.date is not None and d.date <= date]
    later = [d for d in documents if d.date is not None and d.date > date]
    return Neighbours(earlier[-1] if earlier else None, later[0] if later else None)


def describe(corpus: Corpus, document: Document) -> str:
    return f"{document.id} ({short_title(corpus, document)})"


# --- editing a neighbour's text -------------------------------------------------------------------

_CONTEXT = re.compile(r"<correspContext\b[^>]*>(?P<inner>.*?)</correspContext\s*>", re.S)
_EMPTY_CONTEXT = re.compile(r"<correspContext\b[^>]*/>")
_LAST_ACTION_END = re.compile(r"</correspAction\s*>(?![\s\S]*</correspAction\s*>)")


def _ref_pattern(kind: str) -> re.Pattern[str]:
    type_attribute = r"""\btype\s*=\s*(?P<q>["'])""" + re.escape(kind) + r"(?P=q)"
    return re.compile(r"<ref\b(?=[^>]*" + type_attribute + r")[^>]*?(?:/>|>.*?</ref\s*>)", re.S)


_ANY_REF = re.compile(r"<ref\b[^>]*?(?:/>|>.*?</ref\s*>)", re.S)


def context_ref(kind: str, target: str, label: str) -> str:
    return f'<ref type="{kind}" target="doc:{xml_attribute(target)}">{xml_text(label)}</ref>'


def _line_start(text: str, index: int) -> int:
    return text.rfind("\n", 0, index) + 1


def _indentation(text: str, index: int) -> str:
    start = _line_start(text, index)
    line = text[start:index]
    return line if line.strip() == "" else ""


def set_context_ref(text: str, kind: str, target: str, label: str) -> str:
    """``text`` with its correspContext's ``ref type=kind`` pointing to ``target``: the existing ref is
    replaced, or a new one inserted on its own line (prev first, next after prev), or a correspContext
    added after the last correspAction."""
    newline = "\r\n" if "\r\n" in text else "\n"
    new_ref = context_ref(kind, target, label)
    if _EMPTY_CONTEXT.search(text):
        raise EditingError("its correspContext is empty (<correspContext/>); add the link by hand")
    context = _CONTEXT.search(text)
    if context is not None:
        start = context.start("inner")
        inner = context.group("inner")
        existing = _ref_pattern(kind).search(inner)
        if existing is not None:
            return text[: start + existing.start()] + new_ref + text[start + existing.end() :]
        anchor = _ref_pattern("prev").search(inner) if kind == "next" else None
        if anchor is not None:  # on the line after the prev ref
            end = start + anchor.end()
            indent = _indentation(text, start + anchor.start())
            return text[:end] + newline + indent + new_ref + text[end:]
        first = _ANY_REF.search(inner)
        if first is not None:  # on the line before the first ref
            position = start + first.start()
            indent = _indentation(text, position)
            if indent:
                line = _line_start(text, position)
                return text[:line] + indent + new_ref + newline + text[line:]
            return text[:position] + new_ref + text[position:]
        raise EditingError("its correspContext holds no ref; add the link by hand")
    action_end = _LAST_ACTION_END.search(text)
    if action_end is None:
        raise EditingError("it has no correspDesc/correspAction to add a correspContext after")
    indent = _indentation(text, action_end.start())
    line = _line_start(text, action_end.start())
    above = text[_line_start(text, max(line - 1, 0)) : max(line - 1, 0)].rstrip("\r")
    child = above[: len(above) - len(above.lstrip())]  # the indentation inside correspAction
    unit = child[len(indent) :] if child.startswith(indent) and len(child) > len(indent) else "  "
    block = (
        f"{newline}{indent}<correspContext>{newline}{indent}{unit}{new_ref}"
        f"{newline}{indent}</correspContext>"
    )
    return text[: action_end.end()] + block + text[action_end.end() :]


def context_targets(root: etree._Element, kind: str) -> list[str]:
    found = root.xpath(f".//tei:correspContext/tei:ref[@type='{kind}']/@target", namespaces=NS)
    targets = []
    for value in found if isinstance(found, list) else []:
        parsed = split_pointer(str(value))
        targets.append(parsed[1] if parsed and parsed[0] == "doc" else str(value))
    return targets


def verify_link(text: str, kind: str, target: str, name: str) -> None:
    """The edited text is well-formed and names exactly ``target`` as its ``kind``."""
    parsed = parse_bytes(text.encode("utf-8"))
    if isinstance(parsed, ParseFailure):
        raise EditingError(
            f"linking {name} would break it ({parsed.message}, line {parsed.line}); "
            "nothing was written — add the link by hand"
        )
    found = context_targets(parsed.getroot(), kind)
    if found != [target]:
        raise EditingError(
            f"could not set the {kind} link of {name} safely (it would name {found}); "
            "nothing was written — add the link by hand"
        )


def link_neighbour(document: Document, kind: str, target: str, label: str) -> str:
    """The text of ``document``'s file with its ``kind`` link set to ``target``."""
    path = document.file.path
    text = path.read_bytes().decode("utf-8")
    try:
        edited = set_context_ref(text, kind, target, label)
    except EditingError as error:
        raise EditingError(f"cannot link {path.name}: {error}") from None
    verify_link(edited, kind, target, path.name)
    return edited
