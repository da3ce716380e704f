"""Incremental builds: after every kind of change, what `edition build` leaves in build/ is byte for byte
what a full build of the same sources writes — and only the outputs whose inputs changed were written.

Each test works on a copy of the mini edition with its own copies of the stylesheets and the schema (so
they can be edited), and compares the incremental build/ with a full build into another folder: every
file, the manifest included.
"""

from __future__ import annotations

import dataclasses
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

import edition.harvest
from edition.build import BuildError, BuildResult, Incremental, Output, build
from edition.check.runner import check_edition
from edition.config import Config, load_config
from edition.incremental import MANIFEST, Inputs, Manifest, book_keys, site_keys
from tests.conftest import REPO, Edition

LETTER = "tei/alpha-beta-1962-10-22.xml"  # transcribed: paragraphs, a note, an emendation
REPLY = "tei/beta-alpha-1962-10-23.xml"
LAST = "tei/alpha-beta-1962-10-24.xml"  # summarised; the last of the alpha–beta correspondence
ADDED = "tei/alpha-beta-1962-10-25.xml"


@pytest.fixture
def edition_copy(mini: Edition) -> Edition:
    """The mini edition with stylesheets and schema of its own."""
    for folder in ("xslt", "schema"):
        shutil.copytree(REPO / folder, mini.root / folder)
    toml = mini.path("edition.toml")
    text = toml.read_text()
    text = text.replace(f'"{REPO / "schema"}"', '"schema"').replace(f'"{REPO / "xslt"}"', '"xslt"')
    toml.write_text(text)
    assert load_config(mini.root).xslt_dir == mini.root / "xslt"
    return mini


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def folders(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_dir()}


def into(config: Config, build_dir: Path) -> Config:
    return dataclasses.replace(
        config, paths=dataclasses.replace(config.paths, build=str(build_dir))
    )


class Builds:
    """Builds the edition incrementally in its own build/, and in full elsewhere to compare."""

    def __init__(self, edition: Edition, scratch: Path) -> None:
        self.edition = edition
        self.scratch = scratch
        self.count = 0

    @property
    def config(self) -> Config:
        return load_config(self.edition.root)

    def incremental(self) -> BuildResult:
        return build(self.config, ("site",))

    def assert_same_as_full(self) -> None:
        self.count += 1
        full = into(self.config, self.scratch / f"full-{self.count}")
        build(full, ("site",), incremental=False)
        mine, reference = tree(self.config.build_dir), tree(full.build_dir)
        assert sorted(mine) == sorted(reference)
        differing = [name for name in mine if mine[name] != reference[name]]
        assert differing == []
        assert folders(self.config.build_dir) == folders(full.build_dir)


def rebuilt(result: BuildResult) -> set[str]:
    return set(result.rebuilt["site"])


@pytest.fixture
def builds(edition_copy: Edition, tmp_path: Path) -> Builds:
    made = Builds(edition_copy, tmp_path / "reference")
    first = made.incremental()
    assert "pages" in rebuilt(first) and "pagefind" in rebuilt(first)  # no manifest yet: in full
    made.assert_same_as_full()
    return made


def add_letter(edition: Edition) -> None:
    """A new summarised letter after the last one of the correspondence, linked both ways."""
    text = edition.path(LAST).read_text()
    text = text.replace("alpha-beta-1962-10-24", "alpha-beta-1962-10-25")
    text = text.replace("1962-10-24", "1962-10-25").replace("24 October", "25 October")
    text = text.replace(
        '<ref type="replyTo" target="doc:beta-alpha-1962-10-23">reply</ref>\n', ""
    ).replace("doc:beta-alpha-1962-10-23", "doc:alpha-beta-1962-10-24")
    edition.path(ADDED).write_text(text)
    edition.edit(
        LAST,
        '<ref type="prev" target="doc:beta-alpha-1962-10-23">previous</ref>',
        '<ref type="prev" target="doc:beta-alpha-1962-10-23">previous</ref>\n'
        '          <ref type="next" target="doc:alpha-beta-1962-10-25">next</ref>',
    )


def remove_letter(edition: Edition) -> None:
    edition.path(ADDED).unlink()
    edition.edit(
        LAST, '\n          <ref type="next" target="doc:alpha-beta-1962-10-25">next</ref>', ""
    )


def test_nothing_changed_nothing_is_written(builds: Builds) -> None:
    builds.edition.path(LETTER).touch()  # a new time stamp, the same bytes
    result = builds.incremental()
    assert rebuilt(result) == set()
    builds.assert_same_as_full()
    manifest = Manifest.read(builds.config.build_dir)
    assert manifest is not None and "tei/alpha-beta-1962-10-22.xml" in manifest.inputs
    assert (builds.config.build_dir / MANIFEST).is_file()
    assert not (builds.config.build_dir / "site" / MANIFEST).exists()  # never served


def test_editing_a_letters_text_rewrites_its_page_and_what_holds_its_text(builds: Builds) -> None:
    builds.edition.edit(LETTER, "Second paragraph with", "Second, edited paragraph with")
    result = builds.incremental()
    assert rebuilt(result) == {
        "doc:alpha-beta-1962-10-22",
        "search-index",
        "pagefind:0",  # the one shard of the search index (the mini edition is small)
        "harvest",
        "download:tei/alpha-beta-1962-10-22.xml",
    }
    builds.assert_same_as_full()
    page = builds.config.build_dir / "site" / "documents" / "alpha-beta-1962-10-22.html"
    assert "Second, edited paragraph" in page.read_text()


def test_editing_a_summary_rewrites_the_neighbours_and_the_indexes(builds: Builds) -> None:
    builds.edition.edit(REPLY, "<abstract>", "<abstract>\n        <p>An edited summary.</p>")
    result = builds.incremental()
    written = rebuilt(result)
    # The facts of beta-alpha-1962-10-23 changed: every page that shows them is written again.
    assert {
        "doc:beta-alpha-1962-10-23",
        "doc:alpha-beta-1962-10-22",
        "doc:alpha-beta-1962-10-24",
        "pages",
        "entry:person:alpha",
    } <= written
    builds.assert_same_as_full()


def test_a_sequence_of_edits_additions_and_deletions(builds: Builds) -> None:
    edition = builds.edition
    steps: list[tuple[str, Callable[[], None]]] = [
        ("add a letter", lambda: add_letter(edition)),
        (
            "edit a register entry",
            lambda: edition.edit(
                "tei/register/places.xml", "An island.", "An island in the test sea."
            ),
        ),
        (
            "add a register entry",
            lambda: edition.edit(
                "tei/register/places.xml",
                "      </listPlace>",
                '        <place xml:id="lighthouse">\n          <placeName>Lighthouse</placeName>\n'
                '          <note type="description">A lighthouse.</note>\n        </place>\n'
                "      </listPlace>",
            ),
        ),
        (
            "mention the new entry",
            lambda: edition.edit(
                ADDED,
                "about <placeName",
                'about <placeName ref="place:lighthouse">the lighthouse</placeName> and <placeName',
            ),
        ),
        ("delete the letter", lambda: remove_letter(edition)),
        (
            "delete the register entry",
            lambda: edition.edit(
                "tei/register/places.xml",
                '        <place xml:id="lighthouse">\n          <placeName>Lighthouse</placeName>\n'
                '          <note type="description">A lighthouse.</note>\n        </place>\n',
                "",
            ),
        ),
        ("edit two letters at once", lambda: _edit_two(edition)),
    ]
    site = builds.config.build_dir / "site"
    for step, change in steps:
        change()
        builds.incremental()
        try:
            builds.assert_same_as_full()
        except AssertionError as error:
            raise AssertionError(f"after '{step}': {error}") from error
        if step == "add a letter":
            assert (site / "documents" / "alpha-beta-1962-10-25.html").is_file()
            assert (site / "tei" / "alpha-beta-1962-10-25.xml").is_file()
        if step == "add a register entry":
            assert (site / "places" / "lighthouse.html").is_file()
    # The deleted letter and entry left nothing behind.
    assert not list(site.rglob("alpha-beta-1962-10-25*"))
    assert not list(site.rglob("lighthouse*"))


def _edit_two(edition: Edition) -> None:
    edition.edit(LETTER, "First paragraph about", "First paragraph, edited, about")
    edition.edit(LAST, "not transcribed in this edition", "not transcribed in this edition yet")


def test_a_stylesheet_change_rewrites_every_reading_page(builds: Builds) -> None:
    web = builds.edition.path("xslt/web.xsl")
    text = web.read_text()
    assert 'aria-label="Notes"' in text
    web.write_text(text.replace('aria-label="Notes"', 'aria-label="Editorial notes"'))
    result = builds.incremental()
    assert {f"doc:{d.id}" for d in result.corpus.documents} <= rebuilt(result)
    builds.assert_same_as_full()
    page = builds.config.build_dir / "site" / "documents" / "alpha-beta-1962-10-22.html"
    assert 'aria-label="Editorial notes"' in page.read_text()


def test_a_configuration_change_rewrites_everything(builds: Builds) -> None:
    builds.edition.edit("edition.toml", 'title = "Mini Edition"', 'title = "Mini Edition, revised"')
    result = builds.incremental()
    assert "pages" in rebuilt(result) and "harvest" in rebuilt(result)
    assert {f"doc:{d.id}" for d in result.corpus.documents} <= rebuilt(result)
    builds.assert_same_as_full()


def test_a_schema_change_checks_every_file_again(builds: Builds) -> None:
    """The grammar results of unchanged files are reused only while the schema is the same."""
    schematron = builds.edition.path("schema/edition.sch")
    text = schematron.read_text()
    # A new rule every document breaks: if the cached "no problems" were reused, the build would pass.
    rule = (
        '<pattern id="incremental-pattern"><rule context="tei:TEI">'
        '<assert test="false()" id="incremental-test">always fails</assert>'
        "</rule></pattern>"
    )
    assert "</pattern>" in text
    schematron.write_text(text.replace("</pattern>", "</pattern>" + rule, 1))
    # No cache clearing here: the compiled grammar must notice the edited file by itself, as a
    # long-running `edition serve --watch` needs.
    before = tree(builds.config.build_dir)
    with pytest.raises(BuildError) as error:
        builds.incremental()
    assert error.value.report is not None
    assert {p.rule for p in error.value.report.errors} == {"incremental-test"}
    assert tree(builds.config.build_dir) == before


def test_a_failed_incremental_build_leaves_the_previous_build_intact(
    builds: Builds, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The staging folder shares files with build/ (hard links): a failure after pages were written
    again must not have changed a byte of the previous build."""
    before = tree(builds.config.build_dir)
    builds.edition.edit(LETTER, "Second paragraph with", "Second, edited paragraph with")

    def failing(*_arguments: object) -> None:
        raise RuntimeError("harvest failed")

    monkeypatch.setattr(edition.harvest, "publish_harvest", failing)
    with pytest.raises(RuntimeError, match="harvest failed"):
        builds.incremental()
    assert tree(builds.config.build_dir) == before
    assert not [p for p in builds.edition.root.iterdir() if "staging" in p.name]
    monkeypatch.undo()
    builds.incremental()
    builds.assert_same_as_full()


def test_a_damaged_previous_build_is_repaired(builds: Builds) -> None:
    """A page deleted or a file added by hand in build/ does not survive the next build."""
    site = builds.config.build_dir / "site"
    (site / "documents" / "beta-alpha-1962-10-23.html").unlink()
    (site / "stray.html").write_text("not built")
    builds.incremental()
    builds.assert_same_as_full()


def test_an_unreadable_manifest_means_a_full_build(builds: Builds) -> None:
    (builds.config.build_dir / MANIFEST).write_text("{not json")
    result = builds.incremental()
    assert "pages" in rebuilt(result) and "doc:alpha-beta-1962-10-22" in rebuilt(result)
    builds.assert_same_as_full()


def test_the_pdf_is_laid_out_again_only_when_an_input_changed(
    edition_copy: Edition, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The book depends on everything: any change lays it out again; no change keeps it (copied)."""
    import edition.build as orchestrator

    config = load_config(edition_copy.root)
    runs: list[int] = []

    def book(corpus: object, config: Config, output: Output) -> None:
        runs.append(1)
        output.pdf.mkdir(parents=True, exist_ok=True)
        (output.pdf / config.pdf.file_name).write_text(f"%PDF book {len(runs)}")

    monkeypatch.setattr(orchestrator, "_stages", lambda parts: [("pdf", Incremental(book, "book"))])
    build(config, ("pdf",))
    build(config, ("pdf",))
    assert len(runs) == 1
    pdf = config.build_dir / "pdf" / config.pdf.file_name
    assert pdf.read_text() == "%PDF book 1"
    edition_copy.edit(LETTER, "Second paragraph with", "Second, edited paragraph with")
    build(config, ("pdf",))
    assert len(runs) == 2 and pdf.read_text() == "%PDF book 2"
    edition_copy.path("xslt/print.xsl").write_text(
        edition_copy.path("xslt/print.xsl").read_text() + "\n"
    )
    build(config, ("pdf",))
    assert len(runs) == 3


def test_which_inputs_the_site_and_the_book_depend_on(edition_copy: Edition) -> None:
    """A change to the PDF's code leaves the site's keys alone; a change to the site's code (or any
    other input the site uses) changes them all; the book's key changes with every input."""
    config = load_config(edition_copy.root)
    corpus = check_edition(config).corpus
    inputs = Inputs.of(config)
    assert "tool/site/pages.py" in inputs.files and "tool/pdf/__init__.py" in inputs.files

    def changed(label: str) -> Inputs:
        return Inputs({**inputs.files, label: "0" * 64}, inputs.labels)

    site, book = site_keys(corpus, inputs), book_keys(inputs)
    for label in ("tool/pdf/__init__.py", "tool/templates/book/book.html", "tool/editing/new.py"):
        assert site_keys(corpus, changed(label)) == site, label
        assert book_keys(changed(label)) != book, label
    for label in ("tool/site/pages.py", "xslt/web.xsl", "config/edition.toml", "version/lxml"):
        other = site_keys(corpus, changed(label))
        assert all(other[group] != key for group, key in site.items()), label
        assert book_keys(changed(label)) != book, label
