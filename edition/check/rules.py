"""Rules across documents: what no single file's grammar can see.

Sphinx-style resolution: after the whole corpus is read, every pointer must resolve and every link between
letters must agree with its counterpart; anything unresolved is an error with its exact location. Each
rule has a stable id (printed in brackets by ``edition check``) and a message that says what to do.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from lxml import etree

from edition.check.report import Problem, Severity
from edition.corpus import (
    XML_ID,
    Corpus,
    Document,
    SourceFile,
    parse_iso_date,
    pointer_tokens,
    split_pointer,
    xpath_all,
    xpath_first,
)
from edition.locate import attribute_position

DATE_ATTRIBUTES = ("when", "notBefore", "notAfter", "from", "to")
_PREFIX_KIND = {"person": "person", "place": "place", "org": "org", "source": "source"}


@dataclass(frozen=True)
class Rule:
    id: str
    summary: str
    run: Callable[[Corpus], Iterator[Problem]]


def _problem(
    source: SourceFile,
    element: etree._Element,
    message: str,
    rule: str,
    attribute: str | None = None,
    severity: Severity = Severity.ERROR,
) -> Problem:
    if attribute:
        line, column = attribute_position(element, attribute, source.lines)
    else:
        line, column = source.position(element)
    return Problem(source.path, line, column, severity, message, rule)


def _elements(source: SourceFile) -> Iterator[etree._Element]:
    return (e for e in source.root.iter() if isinstance(e.tag, str))


# --- identity ----------------------------------------------------------------------------------------


def unique_ids(corpus: Corpus) -> Iterator[Problem]:
    first_seen: dict[str, tuple[SourceFile, etree._Element]] = {}
    # Registers first: they change rarely, so a clash is blamed on the document being edited.
    registers = set(corpus.register_files.values())
    for source in sorted(corpus.files, key=lambda f: f not in registers):
        for element in _elements(source):
            value = element.get(XML_ID)
            if value is None:
                continue
            if value in first_seen:
                other, other_element = first_seen[value]
                line, _ = other.position(other_element)
                yield _problem(
                    source,
                    element,
                    f"xml:id '{value}' is already used in {other.path.name} line {line}; "
                    "every xml:id must be unique across the edition — choose another",
                    "unique-id",
                    XML_ID,
                )
            else:
                first_seen[value] = (source, element)


def file_name_matches_id(corpus: Corpus) -> Iterator[Problem]:
    for document in corpus.documents:
        source = document.file
        stem = source.path.stem
        value = source.root.get(XML_ID)
        # A missing xml:id is reported once, by the Schematron rule root-id-present.
        if value is not None and value != stem:
            yield _problem(
                source,
                source.root,
                f"the document's xml:id '{value}' differs from its file name '{stem}.xml'; "
                "rename the file or change the xml:id so they agree",
                "file-name-id",
                XML_ID,
            )


# --- pointers ----------------------------------------------------------------------------------------


def _ids_in(source: SourceFile) -> set[str]:
    return {v for e in _elements(source) if (v := e.get(XML_ID)) is not None}


def _pointer_problem(corpus: Corpus, token: str, local_ids: set[str]) -> tuple[str, str] | None:
    """(message, rule) if ``token`` does not resolve, else None."""
    if token.startswith("#"):
        if token[1:] in local_ids:
            return None
        return f"'{token}' points to no xml:id in this file", "pointer-resolves"
    if token.startswith(("https://", "http://")):
        return None
    parsed = split_pointer(token)
    if parsed is None:
        scheme = token.split(":", 1)[0] if ":" in token else ""
        if scheme and scheme not in {"doc", *_PREFIX_KIND}:
            return (
                f"'{token}' uses the scheme '{scheme}:', which the edition does not allow; "
                "use person:, place:, org:, source:, doc:, #id or an https:// address",
                "pointer-scheme",
            )
        return (
            f"'{token}' is not a pointer the edition understands; "
            "write person:KEY, place:KEY, org:KEY, source:KEY, doc:DOCUMENT-ID, #id or an https:// address",
            "pointer-resolves",
        )
    prefix, key = parsed
    if prefix != "doc" and corpus.unreadable_registers:
        return None  # a register could not be read (reported): its pointers cannot be judged
    if prefix == "doc":
        if corpus.document(key) is None:
            return (
                f"'{token}' points to a document that does not exist (no tei/{key}.xml); "
                "check the spelling of the document id",
                "pointer-resolves",
            )
        return None
    if token not in corpus.entries:
        registers = {
            "person": "persons",
            "place": "places",
            "org": "organisations",
            "source": "sources",
        }
        known = sorted(e.id for e in corpus.entries.values() if e.kind == prefix)
        close = _close_matches(key, known)
        hint = f" — did you mean {', '.join(close)}?" if close else ""
        return (
            f"'{token}' is not in the {registers[prefix]} register (tei/register/{registers[prefix]}.xml){hint}",
            "pointer-resolves",
        )
    return None


def _close_matches(key: str, known: list[str]) -> list[str]:
    return difflib.get_close_matches(key, known, n=3, cutoff=0.6)


def pointers_resolve(corpus: Corpus) -> Iterator[Problem]:
    for source in corpus.files:
        local_ids = _ids_in(source)
        for element in _elements(source):
            if etree.QName(element).localname == "prefixDef":
                continue
            for attribute, token in pointer_tokens(element):
                found = _pointer_problem(corpus, token, local_ids)
                if found:
                    message, rule = found
                    yield _problem(source, element, message, rule, attribute)


# --- correspondence ----------------------------------------------------------------------------------


def _context_ref(document: Document, kind: str) -> etree._Element | None:
    return xpath_first(document.file.root, f".//tei:correspContext/tei:ref[@type='{kind}']")


def prev_next_reciprocal(corpus: Corpus) -> Iterator[Problem]:
    for document in corpus.documents:
        for kind, counterpart in (("prev", "next"), ("next", "prev")):
            target_id = getattr(document, kind)
            target = corpus.document(target_id) if target_id else None
            if target is None:
                continue  # unresolved pointers are reported by pointer-resolves
            if getattr(target, counterpart) != document.id:
                ref = _context_ref(document, kind)
                assert ref is not None
                yield _problem(
                    document.file,
                    ref,
                    f"this document names {target.id} as its {kind} letter, but {target.id} does "
                    f"not name this one as its {counterpart}; add "
                    f'<ref type="{counterpart}" target="doc:{document.id}"/> to its correspContext',
                    "prev-next-reciprocal",
                    "target",
                )


def prev_next_order(corpus: Corpus) -> Iterator[Problem]:
    for document in corpus.documents:
        prev, nxt = corpus.neighbours(document)
        for kind, other in (("prev", prev), ("next", nxt)):
            if other is None or other.date is None or document.date is None:
                continue
            wrong = other.date > document.date if kind == "prev" else other.date < document.date
            if wrong:
                ref = _context_ref(document, kind)
                assert ref is not None
                yield _problem(
                    document.file,
                    ref,
                    f"the {kind} letter {other.id} is dated {other.date.isoformat()}, "
                    f"{'after' if kind == 'prev' else 'before'} this one ({document.date.isoformat()}); "
                    "prev/next follow the order of dates",
                    "prev-next-order",
                    "target",
                )


def reply_after_original(corpus: Corpus) -> Iterator[Problem]:
    for document in corpus.documents:
        for ref in xpath_all(document.file.root, ".//tei:correspContext/tei:ref[@type='replyTo']"):
            parsed = split_pointer(ref.get("target", ""))
            original = corpus.document(parsed[1]) if parsed and parsed[0] == "doc" else None
            if original is None or original.date is None or document.date is None:
                continue
            if original.date > document.date:
                yield _problem(
                    document.file,
                    ref,
                    f"this document ({document.date.isoformat()}) is marked as a reply to "
                    f"{original.id}, which is dated later ({original.date.isoformat()}); "
                    "a reply cannot be older than the letter it answers — check both dates",
                    "reply-after-original",
                    "target",
                )


def correspondents_registered(corpus: Corpus) -> Iterator[Problem]:
    for document in corpus.documents:
        for name in xpath_all(
            document.file.root,
            ".//tei:correspDesc/tei:correspAction/tei:persName"
            " | .//tei:correspDesc/tei:correspAction/tei:orgName",
        ):
            expected = "person" if etree.QName(name).localname == "persName" else "org"
            parsed = split_pointer(name.get("ref", ""))
            if parsed is None or parsed[0] != expected:
                yield _problem(
                    document.file,
                    name,
                    f"the correspondent '{' '.join((name.text or '').split())}' must point to the "
                    f'register: add ref="{expected}:KEY" with the key of their register entry',
                    "correspondent-registered",
                    "ref" if name.get("ref") else None,
                )


# --- dates -------------------------------------------------------------------------------------------


def dates_in_span(corpus: Corpus) -> Iterator[Problem]:
    """A document's own dates (when sent, its dateline) lie within the edition's span.

    Whether a value is an ISO date at all is the grammar's to say (schema-value); dates a note or a
    summary mentions may lie outside the span.
    """
    start, end = corpus.config.edition.span_start, corpus.config.edition.span_end
    for document in corpus.documents:
        for element in xpath_all(
            document.file.root, ".//tei:correspAction/tei:date | .//tei:dateline//tei:date"
        ):
            for attribute in DATE_ATTRIBUTES:
                parsed = parse_iso_date(element.get(attribute))
                if parsed is not None and not start <= parsed <= end:
                    yield _problem(
                        document.file,
                        element,
                        f"{parsed.isoformat()} lies outside the edition's span "
                        f"({start.isoformat()} to {end.isoformat()}, set in edition.toml); "
                        "check the date, or widen the span there",
                        "date-in-span",
                        attribute,
                    )


# --- registers ---------------------------------------------------------------------------------------


def register_entries_used(corpus: Corpus) -> Iterator[Problem]:
    used = {key for document in corpus.documents for key in document.mentions}
    for key, entry in corpus.entries.items():
        if key not in used:
            yield _problem(
                entry.file,
                entry.element,
                f"no document points to the register entry '{key}'; link it from a document "
                "or remove it",
                "register-entry-unused",
                XML_ID,
                Severity.WARNING,
            )


RULES: tuple[Rule, ...] = (
    Rule("unique-id", "xml:ids are unique across the whole edition", unique_ids),
    Rule("file-name-id", "a document's file name is its xml:id", file_name_matches_id),
    Rule(
        "pointer-resolves",
        "every pointer resolves (within the file, to a document, or to a register entry)",
        pointers_resolve,
    ),
    Rule(
        "pointer-scheme",
        "pointers use only the edition's schemes (person:, place:, org:, source:, doc:, #, https:)",
        pointers_resolve,
    ),
    Rule(
        "prev-next-reciprocal",
        "previous/next links in correspContext are reciprocal",
        prev_next_reciprocal,
    ),
    Rule("prev-next-order", "previous/next links follow the order of dates", prev_next_order),
    Rule(
        "reply-after-original",
        "a reply is not dated before the letter it answers",
        reply_after_original,
    ),
    Rule(
        "correspondent-registered",
        "senders and recipients point to the persons or organisations register",
        correspondents_registered,
    ),
    Rule("date-in-span", "a document's dates lie within the edition's span", dates_in_span),
    Rule(
        "register-entry-unused",
        "register entries nobody points to (warning)",
        register_entries_used,
    ),
)


def check_rules(corpus: Corpus) -> list[Problem]:
    problems: list[Problem] = []
    seen: set[Callable[[Corpus], Iterator[Problem]]] = set()
    for rule in RULES:
        if rule.run in seen:  # one function may report under two rule ids
            continue
        seen.add(rule.run)
        problems.extend(rule.run(corpus))
    return problems
