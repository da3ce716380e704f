"""The search index in shards (edition.site.search): which shard a document falls in, that an edit
re-indexes only its shard, and the file:// index's entries in incremental builds. That a search over
merged shards finds what a single index finds is tested in a real browser in tests/test_browser.py,
with the helpers at the end of this module.

The real edition is small enough for one shard, so the sharded builds ask for about two pages a shard
(SHARD_PAGES); they are built into pytest's temporary folders, never into build/.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import json
import re
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

import edition.site.search as search
from edition.build import build
from edition.site.search import (
    MAX_SHARDS,
    SHARD_PAGES,
    shard_count,
    shard_of,
    shards,
    shards_file,
)
from tests.built_site import config_building_into
from tests.conftest import Edition
from tests.test_incremental import LETTER, Builds, add_letter, edition_copy, rebuilt, remove_letter

__all__ = ["edition_copy"]  # a fixture the builds below use

SHARDED_PAGES = 2  # pages a shard, for a sharded build of the real edition


# --- shards -------------------------------------------------------------------------------------------


def test_the_number_of_shards_is_a_power_of_two_that_grows_with_the_corpus() -> None:
    assert shard_count(0) == shard_count(1) == shard_count(SHARD_PAGES) == 1
    assert shard_count(SHARD_PAGES + 1) == 2
    assert shard_count(1000) == 32  # about SHARD_PAGES each
    assert shard_count(10**6) == MAX_SHARDS
    counts = [shard_count(n) for n in range(1, 5000, 7)]
    assert counts == sorted(counts)
    assert all(c & (c - 1) == 0 for c in counts)
    sizes = range(1, 5000, 7)
    assert all(n <= c * SHARD_PAGES or c == MAX_SHARDS for n, c in zip(sizes, counts, strict=True))


def test_a_documents_shard_depends_on_its_id_alone() -> None:
    ids = [f"writer{n:03d}-writer{n + 1:03d}-1962-10-{n % 28 + 1:02d}" for n in range(200)]
    before = shards(ids)
    assert sum(len(members) for members in before.values()) == len(ids)
    assert len(before) == shard_count(len(ids)) == 8  # every shard used: none is empty here
    # More documents, the same number of shards: no document moves.
    after = shards([*ids, "writer900-writer901-1962-11-01", "writer902-writer903-1962-11-02"])
    assert all(shard_of(i, 8) == k for k, members in after.items() for i in members)
    assert all(set(members) <= set(after[k]) for k, members in before.items())
    # The hash is not Python's (which changes from run to run): a fixed value.
    assert shard_of("khrushchev-castro-1962-10-28", 8) == shard_of(
        "khrushchev-castro-1962-10-28", 8
    )
    assert [shard_of("khrushchev-castro-1962-10-28", n) for n in (1, 2, 4)] == [
        0,
        shard_of("khrushchev-castro-1962-10-28", 8) % 2,
        shard_of("khrushchev-castro-1962-10-28", 8) % 4,
    ]


def test_the_list_of_shards_names_their_folders_primary_first() -> None:
    assert json.loads(shards_file([0, 3, 5])) == {"shards": ["0/", "3/", "5/"]}


# --- incremental builds with several shards ----------------------------------------------------------


def _by_day(doc_id: str, count: int) -> int:
    """A shard for each of the mini edition's letters (its three ids share one shard by hash)."""
    return int(doc_id[-2:]) % count


@pytest.fixture
def sharded(edition_copy: Edition, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Builds:
    monkeypatch.setattr(search, "SHARD_PAGES", 1)  # three letters: four shards
    monkeypatch.setattr(search, "shard_of", _by_day)
    made = Builds(edition_copy, tmp_path / "reference")
    made.incremental()
    made.assert_same_as_full()
    return made


def _pagefind_groups(groups: set[str]) -> set[str]:
    return {g for g in groups if g.startswith("pagefind:")}


def test_an_edit_reindexes_only_the_shard_of_the_edited_letter(sharded: Builds) -> None:
    site = sharded.config.build_dir / "site"
    listed = json.loads((site / "pagefind" / "shards.json").read_text())["shards"]
    assert len(listed) >= 2
    assert (site / "pagefind" / listed[0] / "pagefind.js").is_file()
    assert not any((site / "pagefind" / folder / "pagefind.js").exists() for folder in listed[1:])
    doc_id = Path(LETTER).stem
    sharded.edition.edit(LETTER, "Second paragraph with", "Second, edited paragraph with")
    result = sharded.incremental()
    assert _pagefind_groups(rebuilt(result)) == {f"pagefind:{_by_day(doc_id, 4)}"}
    sharded.assert_same_as_full()


def test_adding_and_deleting_a_letter_reindexes_what_it_changes(sharded: Builds) -> None:
    add_letter(sharded.edition)  # four letters: still four shards
    result = sharded.incremental()
    # The new letter's shard, and the shard of the letter that now points to it.
    touched = {"alpha-beta-1962-10-25", "alpha-beta-1962-10-24", "beta-alpha-1962-10-23"}
    expected = {f"pagefind:{_by_day(d, 4)}" for d in touched}
    assert _pagefind_groups(rebuilt(result)) <= expected
    assert f"pagefind:{_by_day('alpha-beta-1962-10-25', 4)}" in rebuilt(result)
    sharded.assert_same_as_full()
    remove_letter(sharded.edition)
    sharded.incremental()
    sharded.assert_same_as_full()


# --- helpers for the browser test of merged shards (tests/test_browser.py) --------------------------


def build_sharded_site(build_dir: Path) -> Path:
    """The real edition's site with its search index in several shards (about SHARDED_PAGES pages
    each)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(search, "SHARD_PAGES", SHARDED_PAGES)
        config = config_building_into(build_dir)
        build(config, ("site",))
    return config.build_dir / "site"


def sharded_count(documents: int) -> int:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(search, "SHARD_PAGES", SHARDED_PAGES)
        return shard_count(documents)


@contextlib.contextmanager
def serving(root: Path) -> Iterator[str]:
    """``root`` on a local web server, as a reader's web host would serve it."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Quiet, directory=str(root))
    )
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()


def rare_words(site: Path) -> dict[str, str]:
    """For each document that has one, a word of its text whose first seven letters no other reading
    page has: the other shards do not have it, and Pagefind falls back there to shorter starts of it
    ("offic…" for "official"), which the search page must leave out."""
    texts = search.passages_in(site / search.FALLBACK_INDEX)
    pages = {
        p.stem: re.sub(r"<[^>]+>", " ", p.read_text(encoding="utf-8")).lower()
        for p in (site / "documents").glob("*.html")
    }
    chosen: dict[str, str] = {}
    for doc_id, passages in sorted(texts.items()):
        own = " ".join(text for _anchor, text in passages).lower()
        for word in sorted(set(re.findall(r"[a-z]{8,}", own)), key=lambda w: (-len(w), w)):
            if not any(word[:7] in other for key, other in pages.items() if key != doc_id):
                chosen[doc_id] = word
                break
    return chosen


def a_word_of_each(site: Path) -> dict[str, str]:
    """For each document, the longest word of its text (other documents may have it too)."""
    texts = search.passages_in(site / search.FALLBACK_INDEX)
    chosen: dict[str, str] = {}
    for doc_id, passages in sorted(texts.items()):
        own = " ".join(text for _anchor, text in passages).lower()
        words = sorted(set(re.findall(r"[a-z]{6,}", own)), key=lambda w: (-len(w), w))
        if words:
            chosen[doc_id] = words[0]
    return chosen


# --- the file:// index in incremental builds -----------------------------------------------------------


def test_an_edit_makes_only_its_own_entry_of_the_file_index(
    edition_copy: Edition, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    builds = Builds(edition_copy, tmp_path / "reference")
    builds.incremental()
    made: list[str] = []
    original = search.fallback_entry

    def counted(corpus: object, document: object, texts: object) -> bytes:
        made.append(document.id)  # type: ignore[attr-defined]
        return original(corpus, document, texts)  # type: ignore[arg-type]

    monkeypatch.setattr(search, "fallback_entry", counted)
    builds.edition.edit(LETTER, "Second paragraph with", "Second, edited paragraph with")
    assert "search-index" in rebuilt(builds.incremental())
    assert made == [Path(LETTER).stem]
    builds.assert_same_as_full()
    index = search.passages_in(builds.config.build_dir / "site" / search.FALLBACK_INDEX)
    assert any("Second, edited paragraph" in text for _a, text in index[Path(LETTER).stem])
