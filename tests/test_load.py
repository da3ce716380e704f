"""The load stage on broken and hostile files: a located error, nothing read from outside, no crash."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from edition.check.report import Problem
from edition.config import load_config
from edition.corpus import load_corpus
from tests.conftest import REPO, Edition

HOSTILE = REPO / "tests" / "fixtures" / "hostile"


def load_with(mini: Edition, fixture: str, tmp_path: Path) -> tuple[list[Problem], Path]:
    """Drop a hostile fixture into the mini edition's tei/ and load the corpus."""
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT")
    target = mini.path(f"tei/{fixture}")
    text = (HOSTILE / fixture).read_text().replace("@SECRET@", str(secret))
    target.write_text(text)
    corpus, problems = load_corpus(load_config(mini.root))
    # The other documents still load: one bad file does not hide the rest.
    assert len(corpus.documents) == 3
    return [p for p in problems if p.path == target], target


def test_unclosed_element_is_located(mini: Edition, tmp_path: Path) -> None:
    [problem], _ = load_with(mini, "unclosed.xml", tmp_path)
    assert problem.rule == "well-formed"
    assert problem.line == 5
    assert "hi" in problem.message and "not well-formed" in problem.message


def test_wrong_namespace(mini: Edition, tmp_path: Path) -> None:
    [problem], _ = load_with(mini, "wrong-namespace.xml", tmp_path)
    assert (problem.rule, problem.line, problem.column) == ("tei-namespace", 2, 1)
    assert "http://www.tei-c.org/ns/1.0" in problem.message


@pytest.mark.parametrize("fixture", ["xxe-file.xml", "billion-laughs.xml", "external-dtd.xml"])
def test_doctype_is_refused_and_nothing_is_read(
    mini: Edition, tmp_path: Path, fixture: str
) -> None:
    [problem], _ = load_with(mini, fixture, tmp_path)
    assert problem.rule == "no-doctype"
    assert problem.line == 2
    assert "TOP-SECRET-CONTENT" not in problem.format()
    assert "lol" not in problem.message


def test_external_entity_is_never_expanded_by_the_parser(tmp_path: Path) -> None:
    """Below the DOCTYPE refusal, the parser itself must not expand an external entity."""
    from edition.xmlsafe import safe_parser

    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT")
    data = (HOSTILE / "xxe-file.xml").read_text().replace("@SECRET@", str(secret)).encode()
    from lxml import etree

    root = etree.fromstring(data, safe_parser())
    assert b"TOP-SECRET-CONTENT" not in etree.tostring(root)


def test_the_real_corpus_loads_without_problems() -> None:
    corpus, problems = load_corpus(load_config(REPO))
    assert problems == []
    assert [d.number for d in corpus.documents] == list(range(1, len(corpus.documents) + 1))
    dates = [d.date for d in corpus.documents]
    assert all(dates) and dates == sorted(dates)  # type: ignore[type-var]


def test_load_never_writes_to_the_edition(mini: Edition) -> None:
    before = {p: p.read_bytes() for p in mini.root.rglob("*") if p.is_file()}
    load_corpus(load_config(mini.root))
    after = {p: p.read_bytes() for p in mini.root.rglob("*") if p.is_file()}
    assert before == after


def test_mini_edition_model(mini: Edition) -> None:
    corpus, _ = load_corpus(load_config(mini.root))
    first = corpus.documents[0]
    assert first.id == "alpha-beta-1962-10-22" and first.transcribed
    assert first.next == "beta-alpha-1962-10-23" and first.prev is None
    assert first.references == {"beta-alpha-1962-10-23"}
    assert "org:ministry" in first.mentions  # mentioned inside a note
    assert [d.id for d in corpus.mentioned_in("org:ministry")] == [first.id]
    assert corpus.entries["person:alpha"].authorities == {"Wikidata": "Q1"}
    assert corpus.entries["person:alpha"].short == "Alpha"


def test_copy_of_fixture_is_independent(mini: Edition) -> None:
    shutil.rmtree(mini.path("tei/register"))
    corpus, _ = load_corpus(load_config(mini.root))
    assert corpus.entries == {}


def test_documents_of_one_day_follow_their_links() -> None:
    """Numbering must put a reply after its letter even on the same day (sorting by id did not)."""
    corpus, _ = load_corpus(load_config(REPO))
    for document in corpus.documents:
        for earlier_id in [document.prev, *document.replies_to]:
            earlier = corpus.document(earlier_id) if earlier_id else None
            if earlier is not None:
                assert earlier.number < document.number, (earlier.id, document.id)
    number = {d.id: d.number for d in corpus.documents}
    assert number["khrushchev-kennedy-1962-10-27"] < number["kennedy-khrushchev-1962-10-27"]
