"""The transform stage: one TEI document in, one HTML fragment out, through the XSLT core (xslt/).

A :class:`Transformer` is made once per build and output ("web" or "print"); it compiles the
stylesheet once and then renders document after document::

    transformer = Transformer(Path("xslt"), "web")
    html = transformer.render(tei_tree, link_table)

Security (see docs in the stylesheets and the project's design notes). Saxon, left at its defaults,
expands external entities and lets ``doc()``/``unparsed-text()`` read any file or URL. Here:

* each Transformer has its own Saxon processor whose configuration forbids every URI scheme
  (``allowedProtocols`` = ""), set *before* anything is compiled or parsed;
* the stylesheet is therefore compiled from text: :func:`assemble` reads the ``.xsl`` modules in
  Python and merges their ``xsl:import`` tree into one stylesheet, keeping import precedence;
* documents reach Saxon as text serialised from an lxml tree (root element only, so no DOCTYPE);
  a tree that still holds entity references or declarations is refused, never expanded.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, Literal

import saxonche
from lxml import etree

Output = Literal["web", "print"]
OUTPUTS: Final[tuple[Output, ...]] = ("web", "print")

XSL: Final = "http://www.w3.org/1999/XSL/Transform"
_ALLOWED_PROTOCOLS: Final = "http://saxon.sf.net/feature/allowedProtocols"


class TransformError(Exception):
    """A stylesheet that cannot be assembled or compiled, or a document that cannot be rendered."""


def safe_parser() -> etree.XMLParser:
    """The only way XML is parsed here: no DTD, no entity expansion, no network."""
    return etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False
    )


def parse_safely(data: bytes) -> etree._ElementTree:
    """Parse XML bytes with :func:`safe_parser` (for callers and tests that hold raw XML)."""
    return etree.ElementTree(etree.fromstring(data, safe_parser()))


class Transformer:
    """The compiled XSLT core for one output. Not thread-safe: one per build (or per thread)."""

    def __init__(self, xslt_dir: Path, output: Output) -> None:
        if output not in OUTPUTS:
            raise ValueError(f"output must be one of {OUTPUTS}, not {output!r}")
        self.output: Final[Output] = output
        self._processor = saxonche.PySaxonProcessor(license=False)
        # Before anything is compiled or parsed: Saxon may open no URI of any scheme.
        self._processor.set_configuration_property(_ALLOWED_PROTOCOLS, "")
        text = assemble(xslt_dir / f"{output}.xsl")
        try:
            compiler = self._processor.new_xslt30_processor()
            self._executable = compiler.compile_stylesheet(stylesheet_text=text, encoding="UTF-8")
        except saxonche.PySaxonApiError as error:
            raise TransformError(f"{output}.xsl does not compile: {error}") from error
        self._links_text: str | None = None
        self._links_given: object = None

    def render(
        self,
        document: etree._ElementTree | etree._Element,
        links: etree._ElementTree | etree._Element,
    ) -> str:
        """The HTML fragment (``<div class="tei-text">…</div>``) for one TEI document.

        ``links`` is the link table (no-namespace ``<links>`` with ``document`` and ``entry``
        rows) through which every pointer is resolved.
        """
        self._set_links(links)
        node = self._parse(_serialise(document))
        try:
            result = self._executable.transform_to_string(xdm_node=node)
        except saxonche.PySaxonApiError as error:
            raise TransformError(f"transform failed: {error}") from error
        return result or ""

    def _set_links(self, links: etree._ElementTree | etree._Element) -> None:
        # A build passes the same table object for every document: serialising it again to see whether
        # it changed would walk the whole corpus per document (quadratic in the corpus). A table is
        # never changed after it is handed over, so a new object is the only sign of a new table; and
        # a new object with the same content is still parsed only once.
        if links is self._links_given:
            return
        text = _serialise(links)
        if text != self._links_text:
            self._executable.set_parameter("links", self._parse(text))
            self._links_text = text
        self._links_given = links

    def _parse(self, text: str) -> saxonche.PyXdmNode:
        try:
            return self._processor.parse_xml(xml_text=text, encoding="UTF-8")
        except saxonche.PySaxonApiError as error:
            raise TransformError(f"Saxon could not read the input: {error}") from error


def _serialise(tree: etree._ElementTree | etree._Element) -> str:
    """The root element as text: the DOCTYPE and internal subset are left behind by design."""
    root = tree.getroot() if isinstance(tree, etree._ElementTree) else tree
    dtd: Any = root.getroottree().docinfo.internalDTD  # lxml-stubs lack DTD.iterentities
    if dtd is not None and any(True for _ in dtd.iterentities()):
        raise TransformError("the document declares entities; documents of the edition have none")
    if any(True for _ in root.iter(etree.Entity)):
        raise TransformError("the document contains entity references; they are never expanded")
    return etree.tostring(root, encoding="unicode")


# --- Assembling xsl:import without letting Saxon read files ----------------------------------
#
# XSLT import precedence is kept like this: modules are ordered as XSLT orders them (an imported
# module below the module importing it, later imports above earlier ones); a named component
# (template, function, variable, mode) is taken from the highest module that declares it; every
# template rule is moved into a priority band of its module (band = rank * 10), so a rule of a
# higher module beats any rule of a lower one, and xsl:next-match still falls through in the same
# order. What cannot be kept that way is refused with a clear error, not approximated.

_BAND: Final = 10.0
# (not "version": every module must be XSLT 3.0, and on xsl:output it means the output's version)
_STANDARD_ATTRIBUTES: Final = (
    "exclude-result-prefixes",
    "extension-element-prefixes",
    "xpath-default-namespace",
    "default-collation",
    "default-validation",
    "expand-text",
)
_ADDITIVE: Final = frozenset({"key", "strip-space", "preserve-space"})
_OVERRIDABLE: Final = frozenset({"template", "function", "variable", "param", "mode", "output"})
_MODULE_NAME: Final = re.compile(r"[A-Za-z0-9_-]+\.xsl")


@dataclass(frozen=True)
class _Module:
    path: Path
    root: etree._Element


def assemble(entry: Path) -> str:
    """One stylesheet, as text, equivalent to ``entry`` with its ``xsl:import`` tree."""
    modules = _ordered_modules(entry.resolve(), ())
    namespaces: dict[str, str] = {}
    for module in modules:
        for prefix, uri in module.root.nsmap.items():
            if prefix is None:  # it would change the literal result elements of other modules
                raise TransformError(f"{module.path.name}: a default namespace is not supported")
            if namespaces.setdefault(prefix, uri) != uri:
                raise TransformError(f"{module.path.name}: prefix {prefix!r} bound to two URIs")
    out = etree.Element(f"{{{XSL}}}stylesheet", nsmap=namespaces)
    out.set("version", "3.0")
    chosen: dict[tuple[object, ...], tuple[str, etree._Element]] = {}
    rules = 0
    for rank, module in enumerate(modules):
        for declaration in _declarations(module):
            key = _override_key(declaration, module)
            placed = _placed(declaration, module, rank)
            if key is None:
                rules += 1
                chosen[("rule", rules)] = (_origin(module, declaration), placed)
                continue
            if key[0] == "output" and key in chosen:  # xsl:output merges, the higher one wins
                for name, value in chosen[key][1].attrib.items():
                    if placed.get(name) is None:
                        placed.set(name, value)
            chosen.pop(key, None)  # the higher module's version replaces it, in its own place
            chosen[key] = (_origin(module, declaration), placed)
    for origin, placed in chosen.values():
        out.append(etree.Comment(f" {origin} "))
        out.append(placed)
    return etree.tostring(out, encoding="unicode")


def _ordered_modules(path: Path, importing: tuple[Path, ...]) -> list[_Module]:
    """Modules in ascending import precedence (a module once, at its highest place)."""
    if path in importing:
        raise TransformError(f"{path.name} imports itself (via {[p.name for p in importing]})")
    try:
        root = etree.parse(str(path), safe_parser()).getroot()
    except (OSError, etree.XMLSyntaxError) as error:
        raise TransformError(f"cannot read stylesheet {path}: {error}") from error
    if root.tag != f"{{{XSL}}}stylesheet" and root.tag != f"{{{XSL}}}transform":
        raise TransformError(f"{path.name} is not an xsl:stylesheet")
    if root.get("version") != "3.0":
        raise TransformError(f"{path.name}: version must be 3.0")
    for unsupported in ("use-when", "input-type-annotations", "default-mode"):
        if root.get(unsupported) is not None:
            raise TransformError(f"{path.name}: @{unsupported} on the stylesheet is not supported")
    ordered: list[_Module] = []
    for child in root.iterchildren(f"{{{XSL}}}import"):
        href = child.get("href", "")
        if not _MODULE_NAME.fullmatch(href):
            raise TransformError(f"{path.name}: import {href!r} must name a module beside it")
        ordered += _ordered_modules(path.parent / href, (*importing, path))
    ordered.append(_Module(path, root))
    highest: dict[Path, _Module] = {}
    for module in reversed(ordered):  # highest first: a module imported twice keeps its top place
        highest.setdefault(module.path, module)
    return list(reversed(highest.values()))


def _declarations(module: _Module) -> Iterator[etree._Element]:
    if any(True for _ in module.root.iter(f"{{{XSL}}}apply-imports")):
        raise TransformError(
            f"{module.path.name}: xsl:apply-imports is not supported; use next-match"
        )
    for child in module.root:
        if not isinstance(child.tag, str) or etree.QName(child).namespace != XSL:
            continue  # comments, and user-defined data elements the processor ignores anyway
        name = etree.QName(child).localname
        if name == "import":
            continue
        if name not in _ADDITIVE | _OVERRIDABLE:
            raise TransformError(f"{module.path.name}:{child.sourceline}: xsl:{name} not supported")
        yield child


def _override_key(declaration: etree._Element, module: _Module) -> tuple[object, ...] | None:
    """What a higher module's declaration replaces; None for rules and additive declarations."""
    kind = etree.QName(declaration).localname
    if kind in _ADDITIVE:
        return None
    if kind == "template":
        if declaration.get("match") is not None:
            if declaration.get("name") is not None:
                raise TransformError(
                    f"{module.path.name}:{declaration.sourceline}: a template with both a name "
                    "and a match cannot be overridden safely; split it"
                )
            return None
        return ("template", _clark(declaration, declaration.get("name", "")))
    if kind == "function":
        arity = len(declaration.findall(f"{{{XSL}}}param"))
        return ("function", _clark(declaration, declaration.get("name", "")), arity)
    if kind in ("variable", "param"):
        return ("variable", _clark(declaration, declaration.get("name", "")))
    if kind == "mode":
        return ("mode", _clark(declaration, declaration.get("name", "#unnamed")))
    return ("output", _clark(declaration, declaration.get("name", "#unnamed")))


def _clark(element: etree._Element, name: str) -> str:
    if name.startswith("#") or name.startswith("Q{"):
        return name
    prefix, _, local = name.rpartition(":")
    if not prefix:
        return local
    uri = element.nsmap.get(prefix)
    if uri is None:
        raise TransformError(f"line {element.sourceline}: undeclared prefix in {name!r}")
    return f"{{{uri}}}{local}"


def _placed(declaration: etree._Element, module: _Module, rank: int) -> etree._Element:
    """A copy carrying its module's standard attributes, template rules moved to the rank's band."""
    placed = copy.deepcopy(declaration)
    for name in _STANDARD_ATTRIBUTES:
        value = module.root.get(name)
        if value is not None and placed.get(name) is None:
            placed.set(name, value)
    match = placed.get("match")
    if etree.QName(placed).localname == "template" and match is not None:
        priority = _priority(placed.get("priority"), match, f"{_origin(module, declaration)}")
        placed.set("priority", _format_priority(rank * _BAND + priority))
    return placed


def _priority(explicit: str | None, match: str, where: str) -> float:
    if explicit is not None:
        try:
            value = float(explicit)
        except ValueError as error:
            raise TransformError(f"{where}: priority {explicit!r} is not a number") from error
        if abs(value) >= _BAND / 2:
            raise TransformError(f"{where}: priorities must lie between -5 and 5")
        return value
    default = default_priority(match)
    if default is None:
        raise TransformError(f'{where}: write priority="…" on match={match!r}')
    return default


def _format_priority(value: float) -> str:
    return f"{value:.4f}".rstrip("0").rstrip(".")


_NCNAME: Final = r"[^\W\d][\w.\-]*"
_QNAME: Final = rf"(?:{_NCNAME}:)?{_NCNAME}"
_AXIS: Final = r"(?:child::|attribute::|@)?"
_PRIORITY_FORMS: Final = (
    (re.compile(rf"{_AXIS}{_QNAME}"), 0.0),
    (re.compile(rf"{_AXIS}(?:element|attribute)\(\s*{_QNAME}\s*\)"), 0.0),
    (re.compile(rf"{_AXIS}(?:{_NCNAME}:\*|\*:{_NCNAME})"), -0.25),
    (
        re.compile(
            rf"/|{_AXIS}(?:\*|node\(\)|text\(\)|comment\(\)|processing-instruction\(\)"
            r"|document-node\(\)|(?:element|attribute)\(\s*\*?\s*\))"
        ),
        -0.5,
    ),
)


def default_priority(pattern: str) -> float | None:
    """XSLT 3.0's default priority of a pattern, for the forms this project writes.

    None means: not worked out here (a union, a predicate pattern "." …): write @priority.
    """
    pattern = pattern.strip()
    flat = _blank_nested(pattern)
    if pattern.startswith((".", "(")) or re.search(
        r"\||(?<![\w:.\-])(?:union|intersect|except)(?![\w:.\-])", flat
    ):
        return None
    for form, value in _PRIORITY_FORMS:
        if form.fullmatch(pattern):
            return value
    if "/" in flat or "[" in pattern:
        return 0.5
    return None


def _blank_nested(text: str) -> str:
    """The pattern with everything inside brackets and string literals blanked out."""
    out: list[str] = []
    depth = 0
    quote: str | None = None
    for char in text:
        if quote:
            quote = None if char == quote else quote
            out.append(" ")
        elif char in "'\"":
            quote = char
            out.append(" ")
        elif char in "([":
            depth += 1
            out.append(char if depth == 1 else " ")
        elif char in ")]":
            depth -= 1
            out.append(char if depth == 0 else " ")
        else:
            out.append(char if depth == 0 else " ")
    return "".join(out)


def _origin(module: _Module, declaration: etree._Element) -> str:
    return f"{module.path.name}:{declaration.sourceline}"
