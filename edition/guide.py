"""The encoding guide, read from the schema's own annotations.

schema/edition.rng documents every define (``a:documentation``, ``ed:example``) and every closed value;
schema/edition.sch words every rule. This module reads both into a small model (also used by the
grammar check to explain errors in the schema's words) and writes schema/encoding-guide.md from it, so
the guide can never drift from the schema: ``python -m edition.guide`` regenerates it, and a test proves
the committed guide is current.
"""

from __future__ import annotations

import functools
import re
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

RNG_NS = "http://relaxng.org/ns/structure/1.0"
ANNOTATION_NS = "http://relaxng.org/ns/compatibility/annotations/1.0"
EXAMPLE_NS = "https://cmc-edition.example.org/ns/schema-doc"
SCHEMATRON_NS = "http://purl.oclc.org/dsdl/schematron"
RNG_FILE = "edition.rng"
SCHEMATRON_FILE = "edition.sch"
GUIDE_FILE = "encoding-guide.md"

_DOC = f"{{{ANNOTATION_NS}}}documentation"
_EXAMPLE = f"{{{EXAMPLE_NS}}}example"


def _rng(name: str) -> str:
    return f"{{{RNG_NS}}}{name}"


@dataclass(frozen=True)
class Value:
    """One value of a closed list, with what it means."""

    value: str
    documentation: str


@dataclass(frozen=True)
class Attribute:
    """An attribute as one define allows it: closed values, or a datatype described in words."""

    name: str
    documentation: str
    required: bool
    values: tuple[Value, ...]  # empty when the value is a datatype rather than a list
    datatype: str  # the define or XML Schema type of an open value ("data.when", "xsd:date"), or ""


@dataclass(frozen=True)
class Define:
    """One ``define`` of edition.rng, as the guide and the error messages need it."""

    name: str
    documentation: str
    example: str
    element: str | None  # the element it defines, if it defines one
    attributes: tuple[Attribute, ...]
    content: str  # the content model in compact notation, e.g. "salute?, signed+"
    children: tuple[str, ...]  # element names it may contain, in schema order
    required: tuple[tuple[str, ...], ...]  # each group: one of these child elements is required
    references: tuple[str, ...]  # names of the defines it refers to


@dataclass(frozen=True)
class SchematronRule:
    """One assert of edition.sch: its id (the rule id editors see), where it applies, its message."""

    id: str
    context: str
    test: str
    message: str


@dataclass(frozen=True)
class Schema:
    defines: tuple[Define, ...]
    rules: tuple[SchematronRule, ...]

    def define(self, name: str) -> Define | None:
        return next((d for d in self.defines if d.name == name), None)

    def reachable(self, start: str) -> frozenset[str]:
        """The names of the defines a start pattern (``document`` or ``register``) can use."""
        seen: set[str] = set()
        todo = [start]
        while todo:
            name = todo.pop()
            define = self.define(name)
            if name in seen or define is None:
                continue
            seen.add(name)
            todo.extend(define.references)
        return frozenset(seen)

    def element_defines(self, element: str, within: frozenset[str] | None = None) -> list[Define]:
        """Every define of an element (``p`` has one, ``prefixDef`` five), optionally only reachable ones."""
        return [
            d for d in self.defines if d.element == element and (within is None or d.name in within)
        ]

    def attributes_of(
        self, element: str, within: frozenset[str] | None = None
    ) -> dict[str, Attribute]:
        """The attributes an element may carry, merged over its defines (closed values joined)."""
        merged: dict[str, Attribute] = {}
        for define in self.element_defines(element, within):
            for attribute in define.attributes:
                merged[attribute.name] = _merge(merged.get(attribute.name), attribute)
        return merged


def _merged(attributes: Iterator[Attribute]) -> Iterator[Attribute]:
    """One entry per attribute name: a choice may allow the same attribute with different values."""
    merged: dict[str, Attribute] = {}
    for attribute in attributes:
        merged[attribute.name] = _merge(merged.get(attribute.name), attribute)
    return iter(merged.values())


def _merge(old: Attribute | None, new: Attribute) -> Attribute:
    if old is None:
        return new
    values = old.values + tuple(
        v for v in new.values if v.value not in {o.value for o in old.values}
    )
    return Attribute(
        old.name,
        old.documentation or new.documentation,
        old.required and new.required,
        values,
        old.datatype or new.datatype,
    )


# --- reading edition.rng -------------------------------------------------------------------------------


def _text(element: etree._Element | None) -> str:
    """Annotation text with its line breaks and indentation folded into single spaces."""
    return " ".join((element.text or "").split()) if element is not None else ""


def _example(element: etree._Element | None) -> str:
    """An example is kept as written (the schema writes examples flush left, in CDATA)."""
    if element is None or not element.text:
        return ""
    return "\n".join(line.rstrip() for line in element.text.strip().splitlines())


def _patterns(element: etree._Element) -> Iterator[etree._Element]:
    """The RELAX NG children of a pattern; annotations are not patterns."""
    return (c for c in element if isinstance(c.tag, str) and c.tag.startswith(f"{{{RNG_NS}}}"))


def _local(element: etree._Element) -> str:
    return etree.QName(element).localname


class _Reader:
    """Walks the defines of one grammar; defines refer to each other, so all are indexed first."""

    def __init__(self, grammar: etree._Element) -> None:
        self.bodies = {d.get("name", ""): d for d in grammar.iter(_rng("define"))}

    def is_element_define(self, name: str) -> bool:
        body = self.bodies.get(name)
        return body is not None and any(_local(p) == "element" for p in _patterns(body))

    def define(self, name: str) -> Define:
        body = self.bodies[name]
        element = next((p for p in _patterns(body) if _local(p) == "element"), None)
        pattern = element if element is not None else body
        return Define(
            name=name,
            documentation=_text(body.find(_DOC)),
            example=_example(body.find(_EXAMPLE)),
            element=element.get("name") if element is not None else None,
            attributes=tuple(_merged(self.attributes(pattern, required=True))),
            content=self.content(pattern) if element is not None or _has_content(name) else "",
            children=tuple(dict.fromkeys(self.children(pattern))),
            required=tuple(self.required(pattern)),
            references=tuple(dict.fromkeys(r.get("name", "") for r in body.iter(_rng("ref")))),
        )

    # Attributes: found in the pattern itself and in attribute-only defines it refers to (att.*),
    # never inside a nested element.
    def attributes(self, pattern: etree._Element, required: bool) -> Iterator[Attribute]:
        for child in _patterns(pattern):
            kind = _local(child)
            if kind == "attribute":
                yield self.attribute(child, required)
            elif kind == "ref" and not self.is_element_define(child.get("name", "")):
                yield from self.attributes(self.bodies[child.get("name", "")], required)
            elif kind in ("optional", "zeroOrMore"):
                yield from self.attributes(child, required=False)
            elif kind in ("group", "choice", "oneOrMore", "interleave"):
                yield from self.attributes(child, required)

    def attribute(self, node: etree._Element, required: bool) -> Attribute:
        values: list[Value] = []
        datatype = ""
        for value in node.iter(_rng("value")):
            following = value.getnext()
            documented = following is not None and following.tag == _DOC
            values.append(Value(value.text or "", _text(following) if documented else ""))
        if not values:
            ref = next(node.iter(_rng("ref")), None)
            data = next(node.iter(_rng("data")), None)
            if ref is not None:
                datatype = ref.get("name", "")
            elif data is not None:
                datatype = f"xsd:{data.get('type')}"
        return Attribute(
            node.get("name", ""), _text(node.find(_DOC)), required, tuple(values), datatype
        )

    # Content: element names (through macro defines), never attributes.
    def children(self, pattern: etree._Element) -> Iterator[str]:
        for child in _patterns(pattern):
            kind = _local(child)
            if kind == "element":
                yield child.get("name", "")
            elif kind == "ref":
                yield from self.children_of_ref(child.get("name", ""))
            elif kind not in ("attribute", "value", "data"):
                yield from self.children(child)

    def children_of_ref(self, name: str) -> Iterator[str]:
        if self.is_element_define(name):
            element = next(p for p in _patterns(self.bodies[name]) if _local(p) == "element")
            yield element.get("name", "")
        else:
            yield from self.children(self.bodies[name])

    def required(self, pattern: etree._Element) -> Iterator[tuple[str, ...]]:
        """Groups of child elements of which one must be present (optional parts are skipped)."""
        for child in _patterns(pattern):
            kind = _local(child)
            if kind == "element" or (
                kind == "ref" and self.is_element_define(child.get("name", ""))
            ):
                yield tuple(self.children_of_node(child))
            elif kind == "ref":
                yield from self.required(self.bodies[child.get("name", "")])
            elif kind == "choice":
                branches = list(_patterns(child))
                if all(self.names_element(b) for b in branches):
                    yield tuple(
                        dict.fromkeys(n for b in branches for n in self.children_of_node(b))
                    )
            elif kind in ("group", "oneOrMore"):
                yield from self.required(child)

    def names_element(self, node: etree._Element) -> bool:
        kind = _local(node)
        return kind == "element" or (kind == "ref" and self.is_element_define(node.get("name", "")))

    def children_of_node(self, node: etree._Element) -> Iterator[str]:
        if _local(node) == "element":
            yield node.get("name", "")
        else:
            yield from self.children_of_ref(node.get("name", ""))

    def content(self, pattern: etree._Element) -> str:
        parts = [
            self.notation(child) for child in _patterns(pattern) if _local(child) != "attribute"
        ]
        parts = [p for p in parts if p]
        return ", ".join(parts) if parts else "empty"

    def notation(self, node: etree._Element) -> str:
        """A compact, DTD-like notation of a pattern, for the guide and for error messages."""
        kind = _local(node)
        inner = [self.notation(c) for c in _patterns(node) if _local(c) != "attribute"]
        inner = [i for i in inner if i]
        if kind == "element":
            return node.get("name", "")
        if kind == "ref":
            name = node.get("name", "")
            if self.is_element_define(name):
                return next(self.children_of_ref(name))
            return name if name.startswith(("macro.", "data.")) else ""
        if kind == "text":
            return "text"
        if kind == "data":
            pattern = node.find(_rng("param"))
            shown = f" matching {pattern.text}" if pattern is not None else ""
            return f"xsd:{node.get('type')}{shown}"
        if kind == "value":
            return f'"{node.text}"'
        if kind == "empty":
            return ""
        if kind == "mixed":
            return "text" + (f" mixed with {_wrap(inner)}" if inner else "")
        suffix = {"optional": "?", "zeroOrMore": "*", "oneOrMore": "+"}.get(kind)
        if suffix is not None:
            return f"{_wrap(inner)}{suffix}" if inner else ""
        if kind == "choice":
            inner = list(dict.fromkeys(inner))
            return "(" + " | ".join(inner) + ")" if len(inner) > 1 else "".join(inner)
        return ", ".join(inner)


def _has_content(name: str) -> bool:
    """Content groups and datatypes are shown with their model, attribute groups are not."""
    return name.startswith(("macro.", "data."))


def _wrap(parts: Sequence[str]) -> str:
    """One part stands alone; several become a parenthesised sequence."""
    if len(parts) == 1 and re.fullmatch(r"[\w.:\"]+|\(.*\)[*+?]?", parts[0]):
        return parts[0]
    return "(" + ", ".join(parts) + ")"


# --- reading edition.sch -------------------------------------------------------------------------------


def _message(assertion: etree._Element) -> str:
    """The assert's words, with each computed part shown as an ellipsis."""
    parts = [assertion.text or ""]
    for child in assertion:
        parts.append("…" if _local(child) in ("value-of", "name") else (child.text or ""))
        parts.append(child.tail or "")
    return " ".join("".join(parts).split())


def _rules(schematron: etree._Element) -> Iterator[SchematronRule]:
    for rule in schematron.iter(f"{{{SCHEMATRON_NS}}}rule"):
        for assertion in rule:
            if assertion.tag in (f"{{{SCHEMATRON_NS}}}assert", f"{{{SCHEMATRON_NS}}}report"):
                yield SchematronRule(
                    id=assertion.get("id") or rule.get("id") or "",
                    context=rule.get("context", ""),
                    test=assertion.get("test", ""),
                    message=_message(assertion),
                )


def _parse(path: Path) -> etree._Element:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    return etree.parse(str(path), parser).getroot()


@functools.cache
def read_schema(schema_dir: Path) -> Schema:
    """The model of edition.rng and edition.sch in ``schema_dir`` (read once per directory)."""
    reader = _Reader(_parse(schema_dir / RNG_FILE))
    return Schema(
        defines=tuple(reader.define(name) for name in reader.bodies),
        rules=tuple(_rules(_parse(schema_dir / SCHEMATRON_FILE))),
    )


# --- writing the guide ---------------------------------------------------------------------------------

_INTRO = """\
# Encoding guide

*Generated from `schema/edition.rng` and `schema/edition.sch` by `python -m edition.guide`. Do not edit
this file: change the schema's annotations and regenerate it.*

The edition's files are TEI P5, restricted to the elements, attributes and values below. Every file
valid against `edition.rng` is also valid against `tei_all`. `edition check` validates each document
against the grammar and the Schematron rules, and prints each problem as
`file:line:column: error: message [rule-id]`; the rule ids are listed at the end of this guide.
"""


def _md(text: str) -> str:
    """Prose for Markdown: angle brackets outside code spans would be read as HTML tags."""
    parts = text.split("`")
    for index in range(0, len(parts), 2):
        parts[index] = parts[index].replace("<", "&lt;").replace(">", "&gt;")
    return "`".join(parts)


def _section(define: Define) -> Iterator[str]:
    title = f"`<{define.element}>`" if define.element else f"`{define.name}`"
    yield f"### {title} — {define.name}" if define.element else f"### {title}"
    yield ""
    yield _md(define.documentation)
    yield ""
    if define.content:
        yield f"{'Content' if define.element else 'Model'}: `{define.content}`"
        yield ""
    for attribute in define.attributes:
        yield from _attribute_lines(attribute)
    if define.attributes:
        yield ""
    if define.example:
        yield "```xml"
        yield define.example
        yield "```"
        yield ""


def _attribute_lines(attribute: Attribute) -> Iterator[str]:
    need = "required" if attribute.required else "optional"
    kind = f", `{attribute.datatype}`" if attribute.datatype else ""
    yield f"- `@{attribute.name}` ({need}{kind}): {_md(attribute.documentation)}".rstrip()
    for value in attribute.values:
        yield f"  - `{value.value}` — {_md(value.documentation)}".rstrip(" —")


_GROUPS = (
    ("Files", lambda d: d.name in ("document", "register")),
    ("Elements", lambda d: d.element is not None),
    ("Attribute groups", lambda d: d.name.startswith("att.") or d.name.startswith("prefixDef.")),
    ("Content groups", lambda d: d.name.startswith("macro.")),
    ("Datatypes and pointers", lambda d: d.name.startswith("data.")),
)


def render_guide(schema: Schema) -> str:
    lines = [_INTRO]
    placed: set[str] = set()
    for heading, belongs in _GROUPS:
        lines += [f"## {heading}", ""]
        chosen = [d for d in schema.defines if belongs(d) and d.name not in placed]
        if heading == "Elements":
            chosen.sort(key=lambda d: ((d.element or "").lower(), d.name))
        for define in chosen:
            placed.add(define.name)
            lines += list(_section(define))
    lines += ["## Schematron rules", ""]
    lines += ["| rule id | applies to | message |", "|---|---|---|"]
    for rule in schema.rules:
        context = rule.context.replace("|", "\\|")
        lines.append(f"| `{rule.id}` | `{context}` | {_md(rule.message)} |")
    lines += ["", "## Grammar rule ids", ""]
    lines += [f"- `{rule}` — {words}" for rule, words in GRAMMAR_RULES.items()]
    return "\n".join(lines).rstrip() + "\n"


# The ids the grammar check gives RELAX NG errors (edition/check/grammar.py), listed here so the guide
# can explain them too.
GRAMMAR_RULES = {
    "schema-element": "an element that is not allowed where it stands (or not used by the edition).",
    "schema-missing": "an element lacks a part it requires.",
    "schema-attribute": "an attribute that is not allowed on its element, or a required one missing.",
    "schema-value": "an attribute or element value outside its closed list or datatype.",
    "schema": "any other grammar error, in libxml2's words.",
}


def write_guide(schema_dir: Path) -> Path:
    """Regenerate schema/encoding-guide.md from the schema in ``schema_dir``."""
    read_schema.cache_clear()  # the guide is written after the schema was edited
    target = schema_dir / GUIDE_FILE
    target.write_text(render_guide(read_schema(schema_dir)), encoding="utf-8")
    return target


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    schema_dir = (
        Path(arguments[0]) if arguments else Path(__file__).resolve().parent.parent / "schema"
    )
    print(f"wrote {write_guide(schema_dir)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
