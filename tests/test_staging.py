"""The staging folder of incremental builds: it starts from the spare (the build before the last, kept
beside build/) brought up to date with build/ by hard links, and build/ becomes the next spare.

Whatever the spare holds — stray files, files replaced by other content, missing folders — the build
that starts from it writes what a full build writes, and a failed build leaves build/ as it was.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import edition.harvest
from edition.build import _link_tree, spare_folder
from tests.conftest import Edition
from tests.test_incremental import LETTER, Builds, edition_copy, tree

__all__ = ["edition_copy"]  # a fixture the builds below use


@pytest.fixture
def builds(edition_copy: Edition, tmp_path: Path) -> Builds:
    made = Builds(edition_copy, tmp_path / "reference")
    made.incremental()
    return made


def _inodes(root: Path) -> dict[str, int]:
    return {p.relative_to(root).as_posix(): p.stat().st_ino for p in root.rglob("*") if p.is_file()}


def test_the_replaced_build_becomes_the_spare_and_the_next_staging_folder(builds: Builds) -> None:
    final = builds.config.build_dir
    spare = spare_folder(final)
    assert not spare.exists()  # one build: nothing replaced yet
    builds.edition.edit(LETTER, "Second paragraph with", "Second, edited paragraph with")
    before = _inodes(final)
    builds.incremental()
    assert _inodes(spare) == before  # the previous build/, as it was
    after = _inodes(final)
    page = "site/documents/alpha-beta-1962-10-22.html"
    assert after[page] != before[page]  # replaced, never written into
    unchanged = "site/documents/beta-alpha-1962-10-23.html"
    assert after[unchanged] == before[unchanged]  # the same file, linked
    builds.assert_same_as_full()
    builds.incremental()  # starts from the spare: brought up to date, then swapped in
    assert _inodes(final / "site") == _inodes(spare / "site")  # nothing changed: all links
    builds.assert_same_as_full()
    assert [p.name for p in final.parent.iterdir() if p.name.startswith(".")] == [spare.name]


def test_whatever_the_spare_holds_the_build_is_what_a_full_build_writes(builds: Builds) -> None:
    final = builds.config.build_dir
    builds.incremental()  # a spare now exists
    spare = spare_folder(final)
    site = spare / "site"
    (site / "stray.html").write_text("not built")
    (site / "stray-folder" / "deep").mkdir(parents=True)
    (site / "stray-folder" / "deep" / "x.txt").write_text("x")
    page = site / "documents" / "alpha-beta-1962-10-22.html"
    page.unlink()  # a file of the spare replaced by other bytes (another inode)
    page.write_text("<html>not this</html>")
    (site / "documents" / "beta-alpha-1962-10-23.html").unlink()
    (spare / ".manifest.json").unlink()
    (spare / "junk").write_text("junk")
    builds.edition.edit(LETTER, "First paragraph about", "First paragraph, edited, about")
    builds.incremental()
    builds.assert_same_as_full()
    assert not (final / "site" / "stray.html").exists()
    assert not (final / "junk").exists()


def test_a_failed_build_leaves_build_intact_and_its_folder_as_the_spare(
    builds: Builds, monkeypatch: pytest.MonkeyPatch
) -> None:
    final = builds.config.build_dir
    builds.incremental()
    before = tree(final)
    inodes = _inodes(final)

    def failing(*_arguments: object) -> None:
        raise RuntimeError("harvest failed")

    builds.edition.edit(LETTER, "Second paragraph with", "Second, edited paragraph with")
    monkeypatch.setattr(edition.harvest, "publish_harvest", failing)
    with pytest.raises(RuntimeError, match="harvest failed"):
        builds.incremental()
    assert tree(final) == before and _inodes(final) == inodes
    assert spare_folder(final).is_dir()
    assert not [p for p in final.parent.iterdir() if "staging" in p.name]
    monkeypatch.undo()
    builds.incremental()
    builds.assert_same_as_full()


def test_linking_a_tree_reuses_links_and_never_changes_the_source(tmp_path: Path) -> None:
    source, target = tmp_path / "source", tmp_path / "target"
    (source / "a" / "b").mkdir(parents=True)
    (source / "a" / "b" / "one.txt").write_text("one")
    (source / "two.txt").write_text("two")
    (source / "file-then-folder").write_text("f")
    target.mkdir()
    (target / "two.txt").write_text("other")  # same name, other file
    (target / "a").write_text("a file where the source has a folder")
    (target / "file-then-folder").mkdir()
    (target / "gone").mkdir()
    (target / "gone" / "x").write_text("x")
    before = {p: p.read_bytes() for p in source.rglob("*") if p.is_file()}
    _link_tree(source, target)
    assert {p: p.read_bytes() for p in source.rglob("*") if p.is_file()} == before
    assert _inodes(target) == _inodes(source)
    assert {p.relative_to(target) for p in target.rglob("*")} == {
        p.relative_to(source) for p in source.rglob("*")
    }
    kept = os.stat(target / "two.txt").st_ino
    _link_tree(source, target)
    assert os.stat(target / "two.txt").st_ino == kept
