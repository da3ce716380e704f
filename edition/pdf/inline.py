"""TEI phrases of the header (the summary, the source description) as HTML for the book.

The XSLT core renders a document's ``<text>``; the book's document heading is built from the Corpus,
and two header parts that are prose with names in them (``abstract`` and ``sourceDesc/bibl``) are
rendered here. Only a handful of phrase elements occur there: names (which become index mentions),
titles, links and emphasis. Anything else keeps its text. Output is built as elements, never by
string concatenation, so text is always escaped.
"""

from __future__ import annotations

from collections.abc import Callable

from lxml import etree, html

from edition.corpus import TEI_NS

NAME_ELEMENTS = frozenset({"persName", "placeName", "orgName", "name", "rs"})

# Called for a name with its pointer (e.g. "person:castro"); returns the HTML id to give it, or None.
MentionHook = Callable[[str], str | None]


def render_inline(
    element: etree._Element, mention: MentionHook, tag: str = "span", css_class: str = ""
) -> html.HtmlElement:
    """``element``'s content as one HTML element ``tag`` (its text, phrases converted)."""
    out = html.Element(tag)
    if css_class:
        out.set("class", css_class)
    _convert_children(element, out, mention)
    return out


def _append_text(parent: html.HtmlElement, text: str | None) -> None:
    if not text:
        return
    if len(parent):
        last = parent[-1]
        last.tail = (last.tail or "") + text
    else:
        parent.text = (parent.text or "") + text


def _convert_children(
    source: etree._Element, target: html.HtmlElement, mention: MentionHook
) -> None:
    _append_text(target, source.text)
    for child in source:
        if isinstance(child.tag, str) and etree.QName(child).namespace == TEI_NS:
            if etree.QName(child).localname == "note":  # header notes are not printed here
                _append_text(target, child.tail)
                continue
            converted = _convert(child, mention)
            if converted is None:
                _convert_children(child, target, mention)  # unknown phrase: keep its text
            else:
                target.append(converted)
        _append_text(target, child.tail)


def _convert(element: etree._Element, mention: MentionHook) -> html.HtmlElement | None:
    name = etree.QName(element).localname
    if name in NAME_ELEMENTS:
        out = html.Element("span", {"class": name})
        pointer = (element.get("ref") or "").strip()
        if pointer and " " not in pointer:
            out.set("data-ref", pointer)
            anchor = mention(pointer)
            if anchor:
                out.set("id", anchor)
        _convert_children(element, out, mention)
        return out
    if name == "title":
        out = html.Element("cite")
        _convert_children(element, out, mention)
        return out
    if name in {"hi", "emph", "foreign", "term"}:
        out = html.Element("em")
        _convert_children(element, out, mention)
        return out
    if name in {"ref", "ptr"}:
        target = (element.get("target") or "").strip()
        if target.startswith("https://") and " " not in target:
            out = html.Element("a", {"href": target, "class": "ref source"})
            _convert_children(element, out, mention)
            if not len(out) and not (out.text or "").strip():
                out.text = target
            return out
        return None
    return None
