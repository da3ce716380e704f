"""The grammar of one file: RELAX NG (schema/edition.rng) and Schematron (schema/edition.sch).

libxml2 reports RELAX NG errors tersely ("Element text failed to validate attributes"), often several
times over for one mistake, and without a column. Here each error is tied back to its element, located
exactly (edition.locate), cascades are dropped, and the message is rewritten in the schema's own words:
the allowed values of a closed list, the content an element may have, the attribute it lacks.
Schematron failures already speak to the editor (edition.sch words them); they are located through the
XPath the report gives and carry the assert's id as their rule id.

Documents and registers are validated against their own start pattern of edition.rng: against the
combined start libxml2 cannot tell which kind of TEI file it has and says nothing useful.
"""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from lxml import etree
from lxml.isoschematron import Schematron  # lxml-stubs does not cover isoschematron

from edition.check.report import Problem, Severity
from edition.guide import GRAMMAR_RULES, RNG_FILE, RNG_NS, SCHEMATRON_FILE, Schema, read_schema
from edition.locate import element_position

if TYPE_CHECKING:
    from edition.corpus import SourceFile

XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
SVRL_NS = "http://purl.oclc.org/dsdl/svrl"
REGISTER_PREFIX = "register-"


class SchematronRules:
    """edition.sch as the XSLT that lxml's ISO Schematron compiles it to, made to do less.

    The skeleton's stylesheet walks the whole document twice per pattern: once in its default mode, for
    nothing (every node there meets a template that writes nothing), and once in the pattern's mode,
    trying every element and attribute against the pattern's rules. Here the first walk is taken out
    and the second becomes a selection of just the nodes the rules' contexts match, in document order
    (``//tei:profileDesc/tei:abstract`` for the context ``tei:profileDesc/tei:abstract``), each handed
    to the same templates: the report (SVRL) is exactly the same, four to five times sooner
    (tests/test_check_facts.py compares the two on every fixture). A pattern whose contexts cannot be
    turned into a selection that safely (one that could match an attribute, a text node, a key) keeps
    its walk; a stylesheet not shaped as expected is used as compiled.
    """

    def __init__(self, schematron: etree._ElementTree) -> None:
        self.compiled: etree._ElementTree = Schematron(schematron, store_xslt=True).validator_xslt
        leaner = _leaner(self.compiled)
        self.transform = etree.XSLT(leaner if leaner is not None else self.compiled)
        self.lean = leaner is not None

    def report(self, tree: etree._ElementTree) -> etree._XSLTResultTree:
        """The SVRL report on ``tree``."""
        return self.transform(tree)

    @functools.cached_property
    def full(self) -> etree.XSLT:
        """The stylesheet as lxml compiled it (to compare with)."""
        return etree.XSLT(self.compiled)


_XSL = "http://www.w3.org/1999/XSL/Transform"
_PATTERN_MODE = re.compile(r"M\d+")
# The templates the skeleton adds to every pattern's mode: they write nothing.
_WALKING = ("text()", "@*|node()")


def _leaner(stylesheet: etree._ElementTree) -> etree._ElementTree | None:
    """A copy of the compiled Schematron that visits only what its rules report on; None if the
    stylesheet is not shaped as expected."""
    copy = etree.ElementTree(etree.fromstring(etree.tostring(stylesheet)))
    root = copy.getroot()
    contexts: dict[str, list[str]] = {}  # a pattern's mode → the contexts of its rules
    for template in root.findall(f"{{{_XSL}}}template"):
        mode, match = template.get("mode"), template.get("match") or ""
        if mode is None and match not in ("/", "text()"):
            return None  # a default-mode template that might write something
        if mode is not None and _PATTERN_MODE.fullmatch(mode) and match not in _WALKING:
            contexts.setdefault(mode, []).append(match)
    for pattern in root.iter(f"{{{SVRL_NS}}}active-pattern"):
        for walk in pattern.findall(f"{{{_XSL}}}apply-templates"):
            if not walk.attrib and len(walk) == 0:
                pattern.remove(walk)
    walks = root.findall(f".//{{{_XSL}}}apply-templates[@mode]")
    for mode, matches in contexts.items():
        selection = _selection(matches)
        starts = [w for w in walks if w.get("mode") == mode and w.get("select") == "/"]
        if selection is None or len(starts) != 1:
            continue
        starts[0].set("select", selection)
        for walk in walks:
            if walk.get("mode") == mode and walk.get("select") == "@*|*":
                parent = walk.getparent()
                if parent is not None:
                    parent.remove(walk)
    return copy


def _selection(matches: Iterable[str]) -> str | None:
    """An XPath selecting, in document order, the elements the match patterns match; None if one of
    them could match something else (or is not a plain path)."""
    paths: list[str] = []
    for match in matches:
        for part in _alternatives(match):
            if _may_match_attributes(part) or not _matches_elements_only(part):
                return None
            paths.append(part if part.startswith("/") else "//" + part)
    return " | ".join(paths) if paths else None


def _alternatives(pattern: str) -> list[str]:
    """The path patterns of a union pattern (``a | b``), split outside predicates and strings."""
    parts, depth, quote, current = [], 0, "", ""
    for character in pattern:
        if quote:
            quote = "" if character == quote else quote
        elif character in "'\"":
            quote = character
        elif character in "[(":
            depth += 1
        elif character in "])":
            depth -= 1
        elif character == "|" and depth == 0:
            parts.append(current.strip())
            current = ""
            continue
        current += character
    parts.append(current.strip())
    return parts


def _bare(pattern: str) -> str:
    """The pattern without its string literals and predicates."""
    bare = re.sub(r"'[^']*'|\"[^\"]*\"", "", pattern)
    while True:
        stripped = re.sub(r"\[[^\[\]]*\]", "", bare)
        if stripped == bare:
            return bare
        bare = stripped


def _may_match_attributes(pattern: str) -> bool:
    """Whether an XSLT match pattern could match an attribute node (predicates aside). Each pattern's
    mode has a catch-all, ``@*|node()``, that writes nothing and only walks on: that one may."""
    if pattern == "@*|node()":
        return False
    bare = _bare(pattern)
    return "@" in bare or "attribute::" in bare or "node()" in bare


def _matches_elements_only(path: str) -> bool:
    """Whether a path pattern's last step can match only elements (or is the root, ``/``)."""
    bare = _bare(path).strip()
    if bare == "/":
        return True
    last = bare.rsplit("/", 1)[-1].strip()
    return bool(re.fullmatch(r"(child::)?(\*|[\w.-]+(:[\w.-]+|:\*)?)", last)) and not re.match(
        r"\s*(id|key)\s*\(", bare
    )


@dataclass(frozen=True)
class Grammars:
    """The compiled grammars of one schema directory."""

    document: etree.RelaxNG
    register: etree.RelaxNG
    rules: SchematronRules
    directory: Path
    # lxml keeps the last error log on the validator object itself, so one file at a time may use the
    # validators (the development server checks files from a watcher thread).
    lock: threading.Lock

    @functools.cached_property
    def schema(self) -> Schema:
        """The schema's documentation, to explain errors with: read when a file has one (reading it
        costs more than compiling the grammars)."""
        return read_schema.__wrapped__(self.directory)  # fresh: the schema may have been edited


def _start(rng: Path, start: str) -> etree.RelaxNG:
    """edition.rng with its start replaced by one kind of file (RELAX NG's include-and-override)."""
    wrapper = (
        f'<grammar xmlns="{RNG_NS}"><include href="{rng.as_uri()}">'
        f'<start><ref name="{start}"/></start></include></grammar>'
    )
    return etree.RelaxNG(etree.fromstring(wrapper))


def grammars(schema_dir: Path) -> Grammars:
    """The compiled schema of ``schema_dir``, compiled again only when its files change.

    Compiling takes about 20 ms and is reused for every file of a run; keying the cache on the files'
    modification times and sizes means a long-running process (``edition serve --watch``) picks up an
    edited schema at its next build instead of checking against the old one.
    """
    schema_dir = schema_dir.resolve()
    stamp = tuple(
        (s.st_mtime_ns, s.st_size)
        for s in ((schema_dir / name).stat() for name in (RNG_FILE, SCHEMATRON_FILE))
    )
    return _compiled(schema_dir, stamp)


@functools.lru_cache(maxsize=4)
def _compiled(schema_dir: Path, stamp: tuple[tuple[int, int], ...]) -> Grammars:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    schematron = etree.parse(str(schema_dir / SCHEMATRON_FILE), parser)
    return Grammars(
        document=_start(schema_dir / RNG_FILE, "document"),
        register=_start(schema_dir / RNG_FILE, "register"),
        rules=SchematronRules(schematron),
        directory=schema_dir,
        lock=threading.Lock(),
    )


def rule_ids(schema_dir: Path) -> list[str]:
    """Every rule id the grammar check can print: the RELAX NG ones, then each Schematron assert's."""
    schematron = [rule.id for rule in read_schema(schema_dir.resolve()).rules]
    return list(GRAMMAR_RULES) + list(dict.fromkeys(schematron))


def is_register(root: etree._Element, path: Path) -> bool:
    return (root.get(XML_ID) or "").startswith(REGISTER_PREFIX) or path.parent.name == "register"


def problems(
    source: SourceFile, schema_dir: Path, compiled: Grammars | None = None
) -> list[Problem]:
    """The grammar problems of one file, exactly as :func:`validate` gives them; ``compiled``, if
    given, is ``grammars(schema_dir)`` (looked up once for many files).

    Most files have none; for those, only the validators run. :func:`validate` also prepares, for
    every file, the words it would explain an error with (a walk over the schema's documentation that
    costs more than validating); it is called only when there is something to explain.
    """
    compiled = compiled or grammars(schema_dir)
    relaxng = compiled.register if is_register(source.root, source.path) else compiled.document
    with compiled.lock:
        clean = bool(relaxng.validate(source.tree)) and _no_failures(
            compiled.rules.report(source.tree)
        )
    if clean:
        return []
    return validate(source.tree, source.path, source.lines, schema_dir)


_SVRL_FAILURES = (f"{{{SVRL_NS}}}failed-assert", f"{{{SVRL_NS}}}successful-report")


def _no_failures(report: etree._XSLTResultTree) -> bool:
    return not any(True for _ in report.getroot().iter(*_SVRL_FAILURES))


def validate(
    tree: etree._ElementTree,
    path: Path,
    lines: Sequence[str] | None,
    schema_dir: Path,
) -> list[Problem]:
    """All grammar problems of one parsed file; ``lines`` is its text (read from ``path`` if None)."""
    if lines is None:
        lines = path.read_bytes().decode("utf-8", errors="replace").splitlines()
    compiled = grammars(schema_dir.resolve())
    register = is_register(tree.getroot(), path)
    located = _Locator(tree, path, lines)
    explainer = _Explainer(compiled.schema, "register" if register else "document")
    relaxng = compiled.register if register else compiled.document
    problems: list[Problem] = []
    with compiled.lock:
        if not relaxng.validate(tree):
            problems += _relaxng_problems(relaxng.error_log, tree, located, explainer)
        report = compiled.rules.report(tree)
    problems += _schematron_problems(report, tree, located)
    # libxml2 may report one mistake once per branch of a choice it tried: say it once.
    return list(dict.fromkeys(problems))


# --- locating ------------------------------------------------------------------------------------------


class _Locator:
    """Turns an element into a Problem at the exact place of its start tag."""

    def __init__(self, tree: etree._ElementTree, path: Path, lines: Sequence[str]) -> None:
        self.tree, self.path, self.lines = tree, path, lines

    def problem(
        self, element: etree._Element, message: str, rule: str, warning: bool = False
    ) -> Problem:
        line, column = element_position(element, self.lines)
        severity = Severity.WARNING if warning else Severity.ERROR
        return Problem(self.path, line, column, severity, message, rule)

    @functools.cached_property
    def prefixes(self) -> dict[str, str]:
        return _prefixes(self.tree.getroot())

    def at_path(self, xpath: str | None) -> etree._Element | None:
        """The element an XPath from libxml2 or SVRL names (attributes and text mean their element)."""
        if not xpath:
            return None
        try:
            found = self.tree.xpath(xpath, namespaces=self.prefixes)
        except etree.XPathError:
            return None
        for node in found if isinstance(found, list) else []:
            if isinstance(node, etree._Element):
                return node
            parent = getattr(node, "getparent", lambda: None)()
            if isinstance(parent, etree._Element):
                return parent
        return None


def _prefixes(root: etree._Element) -> dict[str, str]:
    """Prefixes libxml2 may write into paths (only prefixed namespaces; XPath has no default)."""
    found: dict[str, str] = {}
    for element in root.iter():
        for prefix, uri in (element.nsmap or {}).items():
            if prefix:
                found.setdefault(prefix, uri)
    return found


def _local(element: etree._Element) -> str:
    return etree.QName(element).localname


# --- RELAX NG ------------------------------------------------------------------------------------------

# libxml2's error types, by what they tell about the element they are reported on.
_PRIMARY = {
    "RELAXNG_ERR_INVALIDATTR",
    "RELAXNG_ERR_ATTRVALID",
    "RELAXNG_ERR_ELEMWRONG",
    "RELAXNG_ERR_ELEMNAME",
    "RELAXNG_ERR_ELEMNONS",
    "RELAXNG_ERR_ELEMWRONGNS",
    "RELAXNG_ERR_ELEMEXTRANS",
    "RELAXNG_ERR_CONTENTVALID",
    "RELAXNG_ERR_NOTELEM",
    "RELAXNG_ERR_ELEMNOTEMPTY",
}
_SECONDARY = {"RELAXNG_ERR_NOELEM", "RELAXNG_ERR_EXTRACONTENT"}
# Datatype errors come with an ATTRVALID or CONTENTVALID on the same element, which says more.
_DATATYPE = {
    "RELAXNG_ERR_TYPEVAL",
    "RELAXNG_ERR_DATATYPE",
    "RELAXNG_ERR_VALUE",
    "RELAXNG_ERR_TYPECMP",
    "RELAXNG_ERR_LIST",
    "RELAXNG_ERR_DATAELEM",
}


@dataclass(frozen=True)
class _Error:
    kind: str
    message: str
    element: etree._Element


def _relaxng_problems(
    log: etree._ListErrorLog,
    tree: etree._ElementTree,
    located: _Locator,
    explainer: _Explainer,
) -> list[Problem]:
    errors = [_Error(e.type_name, e.message, _element_of(e, tree, located)) for e in log]
    kept: list[tuple[_Error, Problem]] = []
    for error in sorted(errors, key=_priority):
        if _is_cascade(error, [k for k, _ in kept]):
            continue
        explained = explainer.explain(error)
        if explained is not None:
            kept.append((error, located.problem(explained[0], explained[1], explained[2])))
    if not kept and errors:
        # Never let a failed validation pass silently because every error looked like an echo.
        first = errors[0]
        kept.append((first, located.problem(first.element, _libxml_words(first.message), "schema")))
    return [problem for _, problem in kept]


def _priority(error: _Error) -> int:
    """Errors that pin the mistake down first; echoes after them, so they can be recognised."""
    if error.kind in _PRIMARY:
        return 0
    if error.kind in _SECONDARY:
        return 1
    return 2


def _element_of(
    error: etree._LogEntry, tree: etree._ElementTree, located: _Locator
) -> etree._Element:
    found = located.at_path(error.path)
    if found is not None:
        return found
    # libxml2 gives no path for the root's attributes; fall back on the element the message names.
    named = re.search(r"[Ee]lement (\S+?)[ ,:]", error.message + " ")
    root = tree.getroot()
    if named:
        for element in root.iter():
            same_name = isinstance(element.tag, str) and _local(element) == named.group(1)
            if same_name and (error.line <= 0 or element.sourceline == error.line):
                return element
    return root


def _is_cascade(error: _Error, kept: Iterable[_Error]) -> bool:
    """libxml2 repeats one mistake on the element's parent ("extra content") and on the element
    itself ("expecting an element, got nothing"); an error already explained covers those."""
    kept = list(kept)
    if error.kind in _DATATYPE:
        return any(k.element is error.element for k in kept)
    if error.kind == "RELAXNG_ERR_NOELEM":
        return any(k.element is error.element for k in kept)
    if error.kind == "RELAXNG_ERR_EXTRACONTENT":
        parent = error.element.getparent()
        holder = parent if parent is not None else error.element
        return any(_contains(holder, k.element) for k in kept)
    return False


def _contains(ancestor: etree._Element, element: etree._Element) -> bool:
    return any(node is ancestor for node in element.iterancestors()) or ancestor is element


def _libxml_words(message: str) -> str:
    return f"the file does not follow the edition's grammar: {message.strip()}"


class _Explainer:
    """Rewrites one libxml2 error in the words of the schema's documentation."""

    def __init__(self, schema: Schema, start: str) -> None:
        self.schema = schema
        self.within = schema.reachable(start)

    def explain(self, error: _Error) -> tuple[etree._Element, str, str] | None:
        element = error.element
        if error.kind in ("RELAXNG_ERR_INVALIDATTR", "RELAXNG_ERR_ATTRVALID"):
            return element, *self.attributes(element, _attribute_named(error.message))
        if error.kind == "RELAXNG_ERR_EXTRACONTENT":
            # Reported with the path of the unexpected child itself.
            return element, self.misplaced(element), "schema-element"
        if error.kind in (
            "RELAXNG_ERR_ELEMWRONG",
            "RELAXNG_ERR_ELEMNAME",
            "RELAXNG_ERR_ELEMEXTRANS",
        ):
            return element, self.misplaced(element), "schema-element"
        if error.kind == "RELAXNG_ERR_NOELEM":
            missing = self.missing(element)
            return (element, missing, "schema-missing") if missing else None
        if error.kind in ("RELAXNG_ERR_CONTENTVALID", *_DATATYPE):
            # An attribute that selects the content's type (idno/@type) may be the real culprit.
            wrong = self.wrong_attribute(element)
            return element, *(wrong or (self.content_value(element), "schema-value"))
        return element, _libxml_words(error.message), "schema"

    def tag(self, element: etree._Element) -> str:
        return f"<{_local(element)}>"

    def misplaced(self, element: etree._Element) -> str:
        name = _local(element)
        if etree.QName(element).namespace != "http://www.tei-c.org/ns/1.0":
            return (
                f"{self.tag(element)} is not in the TEI namespace; every element of the edition is"
            )
        if not self.schema.element_defines(name, self.within):
            return (
                f"{self.tag(element)} is not an element this edition uses; see the encoding guide "
                "(schema/encoding-guide.md) for the elements available and what to use instead"
            )
        parent = element.getparent()
        if parent is None:
            return f"{self.tag(element)} cannot be the root of the file"
        return (
            f"{self.tag(element)} is not allowed here, inside {self.tag(parent)}; "
            f"{self.tag(parent)} may contain: {self.content_of(parent)}"
        )

    def content_of(self, element: etree._Element) -> str:
        """The content model in the guide's notation, content groups (macro.*) spelt out."""
        models = {d.content for d in self.schema.element_defines(_local(element), self.within)}
        spelt = {re.sub(r"macro\.[\w.]+", self.macro, model) for model in models}
        return " or ".join(sorted(spelt)) or "nothing"

    def macro(self, match: re.Match[str]) -> str:
        define = self.schema.define(match.group(0))
        return define.content if define is not None and define.content else match.group(0)

    def missing(self, element: etree._Element) -> str | None:
        present = {_local(c) for c in element if isinstance(c.tag, str)}
        gaps = [
            [group for group in define.required if not present.intersection(group)]
            for define in self.schema.element_defines(_local(element), self.within)
        ]
        if not gaps or any(not gap for gap in gaps):
            return None  # everything required is there: libxml2 was echoing another error
        gap = min(gaps, key=len)
        wanted = ", ".join(" or ".join(f"<{n}>" for n in group) for group in gap)
        return (
            f"{self.tag(element)} lacks {wanted}, which it requires; "
            f"{self.tag(element)} must contain: {self.content_of(element)}"
        )

    def attributes(self, element: etree._Element, named: str | None) -> tuple[str, str]:
        wrong = self.wrong_attribute(element, named)
        if wrong is not None:
            return wrong
        allowed = self.schema.attributes_of(_local(element), self.within)
        present = _attributes(element)
        typed = [n for n in present if n in allowed and allowed[n].datatype]
        chosen = named if named in typed else (typed[0] if typed else None)
        if chosen is not None:
            return self.datatype_value(element, chosen, present[chosen]), "schema-value"
        return (
            f"the attributes of {self.tag(element)} do not fit together as the edition requires; "
            f"see {_local(element)} in the encoding guide",
            "schema-attribute",
        )

    def wrong_attribute(
        self, element: etree._Element, named: str | None = None
    ) -> tuple[str, str] | None:
        """An attribute the element may not have, a value outside a closed list, or one missing."""
        allowed = self.schema.attributes_of(_local(element), self.within)
        present = _attributes(element)
        for name in present:
            if name not in allowed and (named is None or named == name):
                return self.unknown_attribute(element, name, allowed), "schema-attribute"
        for name, value in present.items():
            spec = allowed.get(name)
            if spec and spec.values and value not in {v.value for v in spec.values}:
                return self.closed_value(element, name, value), "schema-value"
        for name, spec in allowed.items():
            if spec.required and name not in present and self.always_required(element, name):
                return self.required_attribute(element, name), "schema-attribute"
        return None

    def always_required(self, element: etree._Element, name: str) -> bool:
        defines = self.schema.element_defines(_local(element), self.within)
        return all(any(a.name == name and a.required for a in d.attributes) for d in defines)

    def unknown_attribute(
        self, element: etree._Element, name: str, allowed: Mapping[str, object]
    ) -> str:
        others = ", ".join(sorted(allowed)) or "none"
        return (
            f"{self.tag(element)} may not have the attribute {name}; remove it "
            f"(the attributes {self.tag(element)} may have: {others})"
        )

    def closed_value(self, element: etree._Element, name: str, value: str) -> str:
        spec = self.schema.attributes_of(_local(element), self.within)[name]
        choices = ", ".join(f'"{v.value}"' for v in spec.values)
        choices = f"one of {choices}" if len(spec.values) > 1 else choices
        return (
            f'{_local(element)}/@{name}="{value}" is not one of the values the edition uses; '
            f"write {choices} (see {_local(element)} in the encoding guide)"
        )

    def required_attribute(self, element: etree._Element, name: str) -> str:
        spec = self.schema.attributes_of(_local(element), self.within)[name]
        choices = ", ".join(f'"{v.value}"' for v in spec.values)
        what = f"one of {choices}" if len(spec.values) > 1 else choices
        what = what or self.datatype_words(spec.datatype)
        return f"{self.tag(element)} needs the attribute {name}: {what}"

    def datatype_value(self, element: etree._Element, name: str, value: str) -> str:
        spec = self.schema.attributes_of(_local(element), self.within)[name]
        return (
            f'{_local(element)}/@{name}="{value}" is not allowed: it must be '
            f"{self.datatype_words(spec.datatype) or spec.documentation}"
        )

    def datatype_words(self, datatype: str) -> str:
        define = self.schema.define(datatype)
        if define is not None:
            return _first_sentence(define.documentation)
        return _XSD_WORDS.get(datatype, datatype)

    def content_value(self, element: etree._Element) -> str:
        text = _text(element)
        kind = element.get("type")
        shown = f'<{_local(element)} type="{kind}">' if kind else self.tag(element)
        return f'the text of {shown} ("{text}") is not allowed: it must be {self.expected_text(element)}'

    def expected_text(self, element: etree._Element) -> str:
        """A typed element (idno) says what its content must be in the documentation of its type."""
        spec = self.schema.attributes_of(_local(element), self.within).get("type")
        kind = element.get("type")
        for value in spec.values if spec is not None else ():
            if value.value == kind and value.documentation:
                return _first_sentence(value.documentation)
        return self.content_of(element)


_XSD_WORDS = {
    "xsd:positiveInteger": "a whole number from 1 (1, 2, 3 …)",
    "xsd:date": "a day written YYYY-MM-DD",
    "xsd:language": "a language code such as en, ru or es",
    "xsd:NCName": "a name without spaces or colons",
}


def _first_sentence(text: str) -> str:
    """The documentation's first sentence, to be read after "it must be"."""
    match = re.match(r"(.+?)\.(\s+[A-Z(]|$)", text)
    sentence = (match.group(1) if match else text).replace("`", "")
    return sentence[:1].lower() + sentence[1:]


def _attribute_named(message: str) -> str | None:
    match = re.match(r"Invalid attribute (\S+) for element", message)
    return match.group(1) if match else None


def _attributes(element: etree._Element) -> dict[str, str]:
    """The element's attributes by the names the schema uses (``xml:id``, not ``{…}id``)."""
    return {_attribute_name(str(name)): str(value) for name, value in element.attrib.items()}


def _attribute_name(name: str) -> str:
    return "xml:" + name.split("}")[1] if name.startswith("{http://www.w3.org/XML/1998") else name


def _text(element: etree._Element) -> str:
    return " ".join("".join(str(t) for t in element.itertext()).split())


# --- Schematron ----------------------------------------------------------------------------------------


def _schematron_problems(
    report: etree._ElementTree | None, tree: etree._ElementTree, located: _Locator
) -> list[Problem]:
    if report is None:
        return []
    problems = []
    rule_id = "schematron"
    for node in report.getroot():
        name = etree.QName(node).localname if isinstance(node.tag, str) else ""
        if name == "fired-rule":
            rule_id = node.get("id") or "schematron"
        elif name in ("failed-assert", "successful-report"):
            found = located.at_path(node.get("location"))
            element = found if found is not None else tree.getroot()
            text = _text(node)
            warning = node.get("role") in ("warning", "warn", "info")
            problems.append(located.problem(element, text, node.get("id") or rule_id, warning))
    return problems
