"""A build starts the book's pagination from the previous build's page map (edition/pdf/__init__.py,
paginate.py): after an edit that moves no page, one layout instead of two, and the same bytes."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from edition.build import build
from edition.config import load_config
from edition.corpus import load_corpus
from edition.pdf import PAGE_MAP, typeset
from edition.pdf.paginate import PageMap, page_map_json, read_page_map_json
from tests.conftest import Edition

pytestmark = pytest.mark.slow

LETTER = "tei/alpha-beta-1962-10-22.xml"


def test_a_right_seed_needs_one_layout_and_gives_the_same_book(mini: Edition) -> None:
    config = load_config(mini.root)
    corpus, _ = load_corpus(config)
    fresh = typeset(corpus, config)
    assert fresh.pagination.passes == 2
    seeded = typeset(corpus, config, seed=fresh.pagination.pages)
    assert seeded.pagination.passes == 1
    assert seeded.pagination.html == fresh.pagination.html
    assert seeded.pagination.pages == fresh.pagination.pages


def test_a_wrong_or_incomplete_seed_is_laid_out_again(mini: Edition) -> None:
    config = load_config(mini.root)
    corpus, _ = load_corpus(config)
    fresh = typeset(corpus, config).pagination
    pages = fresh.pages
    shifted = PageMap(
        {a: i + 1 for a, i in pages.anchors.items()}, pages.body_start, pages.page_count
    )
    wrong = typeset(corpus, config, seed=shifted).pagination
    assert wrong.passes == 2 and wrong.html == fresh.html
    lacking = {a: i for a, i in pages.anchors.items() if a != corpus.documents[-1].id}
    incomplete = typeset(
        corpus, config, seed=PageMap(lacking, pages.body_start, pages.page_count)
    ).pagination
    assert incomplete.passes == 2 and incomplete.html == fresh.html


def test_an_edited_build_writes_the_bytes_of_a_full_build(mini: Edition, tmp_path: Path) -> None:
    config = load_config(mini.root)
    build(config, ("pdf",))
    kept = config.build_dir / "pdf" / PAGE_MAP
    assert read_page_map_json(kept.read_text(encoding="utf-8")) is not None
    mini.edit(LETTER, '<p n="1">', '<p n="1">Indeed, ')
    build(config, ("pdf",))  # seeded from the first build's page map
    fresh = dataclasses.replace(
        config, paths=dataclasses.replace(config.paths, build=str(tmp_path / "fresh"))
    )
    build(fresh, ("pdf",))
    book = config.pdf.file_name
    assert (config.build_dir / "pdf" / book).read_bytes() == (
        fresh.build_dir / "pdf" / book
    ).read_bytes()
    assert kept.read_bytes() == (fresh.build_dir / "pdf" / PAGE_MAP).read_bytes()


def test_a_page_map_survives_json_and_anything_else_is_ignored() -> None:
    pages = PageMap({"body": 4, "doc-a": 5}, 4, 9)
    assert read_page_map_json(page_map_json(pages)) == pages
    for text in ("", "[]", "{}", '{"anchors": {"a": "1"}, "body_start": 0, "pages": 1}', "\x00"):
        assert read_page_map_json(text) is None
