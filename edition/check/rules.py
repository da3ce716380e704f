"""Rules across documents: what no single file's grammar can see.

Sphinx-style resolution: after the whole corpus is read, every pointer must resolve and every link between
letters must agree with its counterpart; anything unresolved is an error with its exact location. Each
rule has a stable id (printed in brackets by ``edition check``) and a message that says what to do.

The rules read the corpus and each file's facts (edition.check.facts: its xml:ids, the pointers it holds
to other files, its dates), not the files' trees: a file is parsed again only to locate a problem found
in it. What a file shows on its own (a ``#id`` pointing nowhere in it, a pointer scheme the edition does
not allow, a correspondent without a register key) is found when its facts are read, once per version of
its bytes (:func:`problems_within`); the rest needs the whole corpus and is found here every time.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from lxml import etree

from edition.check.report import Problem, Severity
from edition.corpus import (
    XML_ID,
    Corpus,
    Document,
    SourceFile,
    parse_iso_date,
    split_pointer,
    xpath_all,
    xpath_first,
)
from edition.locate import attribute_position

if TYPE_CHECKING:
    from edition.check.facts import FileFacts

DATE_ATTRIBUTES = ("when", "notBefore", "notAfter", "from", "to")
# The dates of a document the edition's span applies to: when it was sent, and its dateline.
OWN_DATES = ".//tei:correspAction/tei:date | .//tei:dateline//tei:date"
_PREFIX_KIND = {"person": "person", "place": "place", "org": "org", "source": "source"}

Facts = Mapping[Path, "FileFacts"]


@dataclass(frozen=True)
class Rule:
    """A rule, and how it is checked: ``across`` the corpus, ``within`` one file (when its facts are
    read), or both."""

    id: str
    summary: str
    across: Callable[[Corpus, Facts], Iterator[Problem]] | None = None
    within: Callable[[SourceFile, bool], Iterator[Problem]] | None = None


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


def elements(source: SourceFile) -> Iterator[etree._Element]:
    return (e for e in source.root.iter() if isinstance(e.tag, str))


_IDS = etree.XPath("//@xml:id")


def ids_in(root: etree._Element) -> list[str]:
    """Every xml:id of ``root``'s file, in document order."""
    found = _IDS(root)
    return [str(value) for value in found] if isinstance(found, list) else []


def checked_pointers(source: SourceFile) -> Iterator[tuple[etree._Element, str, str]]:
    """(element, attribute, pointer) for the pointers that are checked: a prefixDef's patterns are
    not pointers."""
    for element, attribute, token in source.pointers:
        if not str(element.tag).endswith("}prefixDef") and element.tag != "prefixDef":
            yield element, attribute, token


# --- identity ----------------------------------------------------------------------------------------


def _with_id(source: SourceFile, value: str, occurrence: int) -> etree._Element:
    """The ``occurrence``-th element (from 0) of ``source`` whose xml:id is ``value``."""
    found = [e for e in elements(source) if e.get(XML_ID) == value]
    return found[occurrence]


def unique_ids(corpus: Corpus, facts: Facts) -> Iterator[Problem]:
    first_seen: dict[str, tuple[SourceFile, int]] = {}
    # Registers first: they change rarely, so a clash is blamed on the document being edited.
    registers = set(corpus.register_files.values())
    for source in sorted(corpus.files, key=lambda f: f not in registers):
        occurrences: dict[str, int] = {}
        for value in facts[source.path].ids:
            occurrence = occurrences[value] = occurrences.get(value, -1) + 1
            if value in first_seen:
                other, other_occurrence = first_seen[value]
                line, _ = other.position(_with_id(other, value, other_occurrence))
                yield _problem(
                    source,
                    _with_id(source, value, occurrence),
                    f"xml:id '{value}' is already used in {other.path.name} line {line}; "
                    "every xml:id must be unique across the edition — choose another",
                    "unique-id",
                    XML_ID,
                )
            else:
                first_seen[value] = (source, occurrence)


def file_name_matches_id(corpus: Corpus, facts: Facts) -> Iterator[Problem]:
    for document in corpus.documents:
        source = document.file
        stem = source.path.stem
        value = facts[source.path].root_id
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


def crosses_files(token: str) -> bool:
    """Whether a pointer names another file (a document or a register entry): only the whole corpus
    can say if it resolves."""
    return not token.startswith("#") and split_pointer(token) is not None


def _local_pointer_problem(token: str, local_ids: set[str]) -> tuple[str, str] | None:
    """(message, rule) if ``token``, not a pointer to another file, does not resolve, else None."""
    if token.startswith("#"):
        if token[1:] in local_ids:
            return None
        return f"'{token}' points to no xml:id in this file", "pointer-resolves"
    if token.startswith(("https://", "http://")):
        return None
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


def _pointer_problem(corpus: Corpus, token: str) -> tuple[str, str] | None:
    """(message, rule) if ``token``, a pointer to another file, does not resolve, else None."""
    parsed = split_pointer(token)
    assert parsed is not None
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


def pointers_within(source: SourceFile, _document: bool) -> Iterator[Problem]:
    """Pointers within the file (``#id``) resolve; no pointer uses a scheme the edition does not know."""
    local_ids = set(ids_in(source.root))
    for element, attribute, token in checked_pointers(source):
        if crosses_files(token):
            continue
        found = _local_pointer_problem(token, local_ids)
        if found:
            message, rule = found
            yield _problem(source, element, message, rule, attribute)


def pointers_resolve(corpus: Corpus, facts: Facts) -> Iterator[Problem]:
    """Pointers to documents and register entries resolve."""
    every = {token for source in corpus.files for token in facts[source.path].pointers}
    wrong = {token for token in every if _pointer_problem(corpus, token)}
    for source in corpus.files:
        unresolved = wrong.intersection(facts[source.path].pointers) if wrong else None
        if not unresolved:
            continue
        for element, attribute, token in checked_pointers(source):
            found = _pointer_problem(corpus, token) if token in unresolved else None
            if found:
                message, rule = found
                yield _problem(source, element, message, rule, attribute)


# --- correspondence ----------------------------------------------------------------------------------


def _context_ref(document: Document, kind: str) -> etree._Element | None:
    return xpath_first(document.file.root, f".//tei:correspContext/tei:ref[@type='{kind}']")


def prev_next_reciprocal(corpus: Corpus, _facts: Facts) -> Iterator[Problem]:
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


def prev_next_order(corpus: Corpus, _facts: Facts) -> Iterator[Problem]:
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


def _answers_a_later_letter(corpus: Corpus, document: Document) -> bool:
    """Whether any letter this one replies to is dated after it (from the Corpus alone)."""
    if document.date is None:
        return False
    for original_id in document.replies_to:
        original = corpus.document(original_id)
        if original is not None and original.date is not None and original.date > document.date:
            return True
    return False


def reply_after_original(corpus: Corpus, _facts: Facts) -> Iterator[Problem]:
    for document in corpus.documents:
        if not _answers_a_later_letter(corpus, document):
            continue  # the replies' targets are Document.replies_to: no need to read the file
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


def correspondents_registered(source: SourceFile, document: bool) -> Iterator[Problem]:
    if not document:
        return
    for name in xpath_all(
        source.root,
        ".//tei:correspDesc/tei:correspAction/tei:persName"
        " | .//tei:correspDesc/tei:correspAction/tei:orgName",
    ):
        expected = "person" if etree.QName(name).localname == "persName" else "org"
        parsed = split_pointer(name.get("ref", ""))
        if parsed is None or parsed[0] != expected:
            yield _problem(
                source,
                name,
                f"the correspondent '{' '.join((name.text or '').split())}' must point to the "
                f'register: add ref="{expected}:KEY" with the key of their register entry',
                "correspondent-registered",
                "ref" if name.get("ref") else None,
            )


# --- dates -------------------------------------------------------------------------------------------


def own_dates(root: etree._Element) -> list[str]:
    """The values of the date attributes on a document's own dates (the facts date-in-span reads)."""
    return [
        value
        for element in xpath_all(root, OWN_DATES)
        for attribute in DATE_ATTRIBUTES
        if (value := element.get(attribute)) is not None
    ]


def dates_in_span(corpus: Corpus, facts: Facts) -> Iterator[Problem]:
    """A document's own dates (when sent, its dateline) lie within the edition's span.

    Whether a value is an ISO date at all is the grammar's to say (schema-value); dates a note or a
    summary mentions may lie outside the span.
    """
    start, end = corpus.config.edition.span_start, corpus.config.edition.span_end

    def outside(value: str) -> bool:
        parsed = parse_iso_date(value)
        return parsed is not None and not start <= parsed <= end

    for document in corpus.documents:
        if not any(outside(value) for value in facts[document.file.path].dates):
            continue
        for element in xpath_all(document.file.root, OWN_DATES):
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


def register_entries_used(corpus: Corpus, _facts: Facts) -> Iterator[Problem]:
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
    Rule("unique-id", "xml:ids are unique across the whole edition", across=unique_ids),
    Rule("file-name-id", "a document's file name is its xml:id", across=file_name_matches_id),
    Rule(
        "pointer-resolves",
        "every pointer resolves (within the file, to a document, or to a register entry)",
        across=pointers_resolve,
        within=pointers_within,
    ),
    Rule(
        "pointer-scheme",
        "pointers use only the edition's schemes (person:, place:, org:, source:, doc:, #, https:)",
        within=pointers_within,
    ),
    Rule(
        "prev-next-reciprocal",
        "previous/next links in correspContext are reciprocal",
        across=prev_next_reciprocal,
    ),
    Rule(
        "prev-next-order", "previous/next links follow the order of dates", across=prev_next_order
    ),
    Rule(
        "reply-after-original",
        "a reply is not dated before the letter it answers",
        across=reply_after_original,
    ),
    Rule(
        "correspondent-registered",
        "senders and recipients point to the persons or organisations register",
        within=correspondents_registered,
    ),
    Rule("date-in-span", "a document's dates lie within the edition's span", across=dates_in_span),
    Rule(
        "register-entry-unused",
        "register entries nobody points to (warning)",
        across=register_entries_used,
    ),
)


def _once(
    functions: Iterator[Callable[..., Iterator[Problem]] | None],
) -> list[Callable[..., Iterator[Problem]]]:
    """Each function once, in order: one function may report under two rule ids."""
    return list(dict.fromkeys(f for f in functions if f is not None))


def problems_within(source: SourceFile, document: bool) -> list[Problem]:
    """What the rules find in one file alone (``document``: a document, not a register)."""
    return [
        problem
        for within in _once(rule.within for rule in RULES)
        for problem in within(source, document)
    ]


def check_rules(corpus: Corpus, facts: Facts | None = None) -> list[Problem]:
    """Every problem the rules find in the corpus: within each file (from its facts) and across files.

    Without ``facts`` they are read here from every file of the corpus.
    """
    if facts is None:
        from edition.check.facts import read_facts

        documents = {id(d.file) for d in corpus.documents}
        facts = {f.path: read_facts(f, id(f) in documents) for f in corpus.files}
    problems = [p for source in corpus.files for p in facts[source.path].problems]
    for across in _once(rule.across for rule in RULES):
        problems.extend(across(corpus, facts))
    return problems
