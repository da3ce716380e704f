"""What the check keeps of each file (edition.check.facts) says exactly what the file says: the Corpus and
the rules across documents made from these records are those made from the parsed files, the records
survive the build manifest unchanged, and the leaner Schematron reports what lxml's compiled one does."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from lxml import etree

from edition.check import grammar
from edition.check.facts import FileRecord, examine, read_facts
from edition.check.rules import check_rules
from edition.config import load_config
from edition.corpus import Document, SourceFile, document_from_record, document_record, load_corpus
from edition.xmlsafe import ParseFailure, parse_bytes
from tests.conftest import MINI, REPO, Edition

SCHEMA = REPO / "schema"


def every_fixture() -> list[Path]:
    return sorted(
        [
            *(REPO / "tests" / "fixtures" / "schema").glob("*.xml"),
            *(MINI / "tei").rglob("*.xml"),
            *(REPO / "tei").rglob("*.xml"),
        ]
    )


def _fields(document: Document) -> dict[str, object]:
    return {
        f.name: getattr(document, f.name)
        for f in dataclasses.fields(Document)
        if f.name not in ("file", "number")
    }


def test_a_document_from_its_record_is_the_document_read_from_its_tree() -> None:
    corpus, problems = load_corpus(load_config(REPO))
    assert problems == [] and len(corpus.documents) > 10
    for document in corpus.documents:
        record = json.loads(json.dumps(document_record(document)))  # as the manifest keeps it
        again = document_from_record(record, document.file)
        assert _fields(again) == _fields(document), document.id
        assert again.file is document.file


def test_records_survive_the_manifest_unchanged() -> None:
    unreadable = 0
    for path in every_fixture():
        document = path.parent.name != "register"
        record = examine(path, path.read_bytes(), document, SCHEMA)
        kept = json.loads(json.dumps(record.to_json(), ensure_ascii=False))
        assert FileRecord.from_json(path, kept) == record, path.name
        unreadable += record.facts is None
    assert unreadable == 0  # every fixture parses; unreadable files are tested below


def test_an_unreadable_file_has_a_record_saying_why(tmp_path: Path) -> None:
    path = tmp_path / "broken.xml"
    path.write_bytes(b'<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader>')
    record = examine(path, path.read_bytes(), True, SCHEMA)
    assert record.facts is None
    assert [p.rule for p in record.problems] == ["well-formed"]
    assert FileRecord.from_json(path, record.to_json()) == record


@pytest.mark.parametrize(
    "raw", [[], ["digest"], ["digest", "{not json"], ["digest", "{}"], ["digest", 3]]
)
def test_a_damaged_record_is_refused(raw: list[object]) -> None:
    with pytest.raises(ValueError):
        FileRecord.from_json(Path("x.xml"), raw)


def test_facts_of_a_document(mini: Edition) -> None:
    path = mini.path("tei/alpha-beta-1962-10-22.xml")
    source = SourceFile(path, path.read_bytes())
    facts = read_facts(source, True)
    assert facts.root_id == "alpha-beta-1962-10-22"
    assert facts.ids[0] == "alpha-beta-1962-10-22"
    assert "doc:beta-alpha-1962-10-23" in facts.pointers and "person:beta" in facts.pointers
    assert all(not p.startswith(("#", "https:")) for p in facts.pointers)
    assert list(facts.pointers) == sorted(set(facts.pointers))
    assert "1962-10-22" in facts.dates
    assert facts.problems == ()
    assert facts.document is not None and facts.document["id"] == "alpha-beta-1962-10-22"
    register = mini.path("tei/register/persons.xml")
    facts = read_facts(SourceFile(register, register.read_bytes()), False)
    assert facts.document is None and facts.dates == () and "alpha" in facts.ids


def test_rules_from_records_are_rules_from_trees(mini: Edition) -> None:
    """The rules read facts; given the facts a file's tree gives, they find what they always found."""
    mini.edit("tei/alpha-beta-1962-10-22.xml", '<p n="1">', '<p n="1" xml:id="shared">')
    mini.edit("tei/beta-alpha-1962-10-23.xml", "<p>The text", '<p xml:id="shared">The text')
    mini.edit("tei/alpha-beta-1962-10-22.xml", 'ref="person:beta"', 'ref="person:betta"')
    mini.edit("tei/alpha-beta-1962-10-24.xml", 'type="prev" target="doc:', 'type="prev" target="#')
    mini.edit(
        "tei/alpha-beta-1962-10-24.xml", '<date when="1962-10-24">', '<date when="1963-05-01">'
    )
    corpus, _ = load_corpus(load_config(mini.root))
    documents = {id(d.file) for d in corpus.documents}
    facts = {f.path: read_facts(f, id(f) in documents) for f in corpus.files}
    found = sorted(check_rules(corpus, facts))
    assert sorted(check_rules(corpus)) == found
    assert {"unique-id", "pointer-resolves", "date-in-span", "prev-next-reciprocal"} <= {
        p.rule for p in found
    }


def test_files_are_parsed_only_when_asked_for(mini: Edition) -> None:
    path = mini.path("tei/alpha-beta-1962-10-22.xml")
    source = SourceFile(path, path.read_bytes())
    assert not source.parsed
    assert source.root.get("{http://www.w3.org/XML/1998/namespace}id") == "alpha-beta-1962-10-22"
    assert source.parsed and source.tree is source.tree  # parsed once


# --- the leaner Schematron -------------------------------------------------------------------------


def test_the_leaner_schematron_reports_what_the_compiled_one_reports() -> None:
    rules = grammar.grammars(SCHEMA).rules
    assert rules.lean  # the project's schema can be made leaner
    failing = 0
    for path in every_fixture():
        tree = parse_bytes(path.read_bytes())
        assert not isinstance(tree, ParseFailure), path.name
        lean, full = rules.report(tree), rules.full(tree)
        assert etree.tostring(lean) == etree.tostring(full), path.name
        failing += b"failed-assert" in etree.tostring(full)
    assert failing >= 10  # the schema fixtures break the Schematron rules


@pytest.mark.parametrize(
    ("pattern", "may"),
    [
        ("tei:p", False),
        ("tei:div[@type = 'letter']/tei:p", False),
        ("/tei:TEI[@xml:id and not(starts-with(@xml:id, 'register-'))]/tei:teiHeader", False),
        ("tei:ref[@target = '@x']", False),
        ("@*|node()", False),  # each pattern's catch-all
        ("@when", True),
        ("tei:date/@when", True),
        ("tei:date/attribute::when", True),
        ("node()", True),
        ("tei:p | @n", True),
    ],
)
def test_which_rule_contexts_could_be_attributes(pattern: str, may: bool) -> None:
    assert grammar._may_match_attributes(pattern) is may


@pytest.mark.parametrize(
    ("context", "fires"),
    [
        ("tei:date/@when", True),  # an attribute: its pattern keeps the walk over attributes
        ("tei:date/text()", False),  # never reached by the skeleton's walk (nor, so, here)
        ("tei:correspAction/tei:date | tei:dateline//tei:date", True),
        ("/tei:TEI//tei:date", True),
    ],
)
def test_patterns_of_every_kind_report_as_compiled(
    tmp_path: Path, context: str, fires: bool
) -> None:
    """Whatever a rule's context, the leaner stylesheet reports what the compiled one does."""
    schema = tmp_path / "schema"
    schema.mkdir()
    for name in ("edition.rng", "edition.sch"):
        (schema / name).write_bytes((SCHEMA / name).read_bytes())
    sch = schema / "edition.sch"
    rule = (
        f'<pattern id="added"><rule context="{context}">'
        '<assert test="false()" id="added-test">fired</assert>'
        "</rule></pattern>"
    )
    sch.write_text(sch.read_text().replace("</pattern>", "</pattern>" + rule, 1))
    rules = grammar.grammars(schema).rules
    assert rules.lean
    for path in (MINI / "tei").glob("*.xml"):
        tree = parse_bytes(path.read_bytes())
        assert not isinstance(tree, ParseFailure)
        lean, full = etree.tostring(rules.report(tree)), etree.tostring(rules.full(tree))
        assert lean == full, path.name
        assert (b'id="added-test"' in full) is (fires and b"<date" in path.read_bytes())


# --- the DOCTYPE refusal -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "prolog",
    [
        b"<!DOCTYPE TEI>",
        b'<?xml version="1.0"?>\n<!DOCTYPE TEI [<!ENTITY a "b">]>',
        b'\xef\xbb\xbf<?xml version="1.0"?><!-- a comment ?> -->\n<?pi x?>  <!DOCTYPE TEI>',
    ],
)
def test_a_doctype_in_the_prolog_is_refused(prolog: bytes) -> None:
    parsed = parse_bytes(prolog + b'\n<TEI xmlns="http://www.tei-c.org/ns/1.0"/>')
    assert isinstance(parsed, ParseFailure) and parsed.rule == "no-doctype"
    assert parsed.line == (prolog.count(b"\n", 0, prolog.index(b"<!DOCTYPE")) + 1)


def test_a_file_without_doctype_is_parsed() -> None:
    data = b'<?xml version="1.0"?>\n<?xml-model href="x"?><!-- DOCTYPE -->\n<TEI/>'
    assert not isinstance(parse_bytes(data), ParseFailure)
