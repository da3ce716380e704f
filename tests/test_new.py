"""`edition new`: the skeleton's name, id and header; unknown keys; the -b suffix; --link's minimal edits
of both neighbours; and the check's verdict on what it writes. Every test works on a copy of the mini
edition (tests/fixtures/mini-edition) in tmp_path."""

from __future__ import annotations

import difflib
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from lxml import etree

from edition.check.report import Problem, Severity
from edition.check.runner import check_edition
from edition.cli import main
from edition.config import load_config
from edition.editing.errors import EditingError
from edition.editing.neighbours import set_context_ref
from tests.conftest import REPO, Edition

TEI = {"tei": "http://www.tei-c.org/ns/1.0"}
EXEMPLAR = REPO / "tei" / "khrushchev-castro-1962-10-28.xml"
TODAY = "2026-11-23"

# Warnings a skeleton may draw: its placeholders, and (without --source) its unidentified source.
EXPECTED_WARNINGS = {"placeholder", "source-registered-draft", "register-entry-unused"}


def run(edition: Edition, *args: str) -> Result:
    return CliRunner().invoke(main, ["--root", str(edition.root), "new", *args, "--today", TODAY])


def snapshot(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def parse(path: Path) -> etree._Element:
    return etree.parse(str(path)).getroot()


def text(root: etree._Element, path: str) -> str:
    return " ".join(str(root.xpath(f"string({path})", namespaces=TEI)).split())


def check(edition: Edition, *paths: Path) -> list[Problem]:
    only = list(paths) if paths else None
    return check_edition(load_config(edition.root), only).report.problems


def errors(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity is Severity.ERROR]


def test_the_skeleton_is_named_and_headed_by_the_conventions(mini: Edition) -> None:
    result = run(
        mini, "--type", "telegram", "--from", "alpha", "--to", "beta", "--date", "1962-10-30",
        "--place", "capital", "--source", "archive",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    path = mini.path("tei/alpha-beta-1962-10-30.xml")
    assert result.output.startswith("created ") and "alpha-beta-1962-10-30.xml" in result.output
    root = parse(path)
    assert root.get("{http://www.w3.org/XML/1998/namespace}id") == "alpha-beta-1962-10-30"
    assert text(root, "//tei:titleStmt/tei:title") == (
        "Telegram from Alpha Aleph to Beta Beth, 30 October 1962"
    )
    assert text(root, "//tei:publicationStmt/tei:idno[@type='URI']") == (
        "https://cmc-edition.example.org/documents/alpha-beta-1962-10-30.html"
    )
    sent = "//tei:correspAction[@type='sent']"
    assert root.xpath(f"{sent}/tei:persName/@ref", namespaces=TEI) == ["person:alpha"]
    assert root.xpath(f"{sent}/tei:placeName/@ref", namespaces=TEI) == ["place:capital"]
    assert root.xpath(f"{sent}/tei:date/@when", namespaces=TEI) == ["1962-10-30"]
    received = "//tei:correspAction[@type='received']"
    assert root.xpath(f"{received}/tei:persName/@ref", namespaces=TEI) == ["person:beta"]
    assert root.xpath(f"{received}/tei:placeName", namespaces=TEI) == []
    assert root.xpath("//tei:text/@type", namespaces=TEI) == ["telegram"]
    assert root.xpath("//tei:revisionDesc/@status", namespaces=TEI) == ["draft"]
    assert root.xpath("//tei:revisionDesc/tei:change/@when", namespaces=TEI) == [TODAY]
    assert root.xpath("//tei:sourceDesc//tei:bibl/@corresp", namespaces=TEI) == ["source:archive"]
    assert text(root, "//tei:sourceDesc//tei:bibl").startswith("TODO:")
    assert text(root, "//tei:abstract").startswith("TODO:")
    assert root.xpath("//tei:dateline/tei:date/@when", namespaces=TEI) == ["1962-10-30"]
    # Without --link nothing else changes, and no correspContext is written.
    assert root.xpath("//tei:correspContext", namespaces=TEI) == []


def test_the_skeleton_is_written_exactly_in_the_edition_encoding(mini: Edition) -> None:
    assert run(mini, "--from", "alpha", "--to", "beta", "--date", "1962-10-30").exit_code == 0
    written = mini.path("tei/alpha-beta-1962-10-30.xml").read_text(encoding="utf-8")
    exemplar = EXEMPLAR.read_text(encoding="utf-8")
    # The XML declaration and both xml-model processing instructions, byte for byte.
    assert written.splitlines()[:3] == exemplar.splitlines()[:3]
    prefixes = exemplar[
        exemplar.index("      <listPrefixDef>") : exemplar.index("</listPrefixDef>")
    ]
    assert prefixes in written
    assert written.splitlines()[3] == (
        '<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="alpha-beta-1962-10-30" xml:lang="en">'
    )
    assert "\t" not in written and "&#39;" not in written and written.endswith("</TEI>\n")
    assert all(line == line.rstrip() for line in written.splitlines())


def test_a_skeleton_with_its_source_passes_the_check_with_warnings_only(mini: Edition) -> None:
    assert run(
        mini, "--from", "beta", "--to", "alpha", "--date", "1962-10-31", "--place", "harbour",
        "--source", "archive",
    ).exit_code == 0  # fmt: skip
    path = mini.path("tei/beta-alpha-1962-10-31.xml")
    found = check(mini, path)
    assert errors(found) == [], [p.format() for p in found]
    assert {p.rule for p in found} <= EXPECTED_WARNINGS
    # Every line holding a placeholder is pointed out (a TODO may sit inside a tag opened above).
    lines = {p.line for p in found if p.rule == "placeholder"}
    text = path.read_text().splitlines()
    todo = {n for n, line in enumerate(text, 1) if "TODO" in line}
    assert lines and all(any(t - 2 <= line <= t for line in lines) for t in todo), (todo, lines)


def test_a_skeleton_without_source_passes_with_a_warning_about_it(mini: Edition) -> None:
    result = run(mini, "--from", "alpha", "--to", "beta", "--date", "1962-10-30")
    assert result.exit_code == 0
    assert 'corresp="source:KEY"' in result.output  # the editor is told what is missing
    path = mini.path("tei/alpha-beta-1962-10-30.xml")
    found = check(mini, path)
    assert errors(found) == [], [p.format() for p in found]
    assert "source-registered-draft" in {p.rule for p in found}
    assert {p.rule for p in found if p.severity is Severity.WARNING} <= EXPECTED_WARNINGS


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--from", "alpah", "--to", "beta"], "--from 'alpah' is not a key"),
        (["--from", "alpha", "--to", "Beth"], "did you mean beta (Beta Beth)?"),
        (["--from", "alpha", "--to", "beta", "--place", "capitol"], "capital (Capital)"),
        (["--from", "alpha", "--to", "beta", "--source", "archiv"], "archive"),
        (["--from", "alpha", "--to", "beta", "--date", "30 October 1962"], "YYYY-MM-DD"),
        (["--from", "alpha", "--to", "beta", "--date", "1962-02-30"], "YYYY-MM-DD"),
        (["--from", "alpha", "--to", "beta", "--date", "1964-01-01"], "outside the edition's span"),
        (["--from", "alpha", "--to", "alpha"], "the same correspondent"),
    ],
)
def test_a_wrong_key_or_date_is_explained_and_nothing_is_written(
    mini: Edition, args: list[str], expected: str
) -> None:
    before = snapshot(mini.root)
    if "--date" not in args:
        args = [*args, "--date", "1962-10-30"]
    result = run(mini, *args)
    assert result.exit_code == 2
    assert expected in result.output
    assert "nothing was written" in result.output
    assert snapshot(mini.root) == before


def test_unknown_key_lists_close_matches_by_key_and_by_name(mini: Edition) -> None:
    result = run(mini, "--from", "alfa", "--to", "beta", "--date", "1962-10-30")
    assert result.exit_code == 2
    assert "did you mean alpha (Alpha Aleph)?" in result.output
    assert "tei/register/persons.xml" in result.output


def test_a_taken_id_gets_the_next_letter(mini: Edition) -> None:
    # alpha-beta-1962-10-22 exists in the mini edition.
    assert run(mini, "--from", "alpha", "--to", "beta", "--date", "1962-10-22").exit_code == 0
    assert run(mini, "--from", "alpha", "--to", "beta", "--date", "1962-10-22").exit_code == 0
    for name in ("alpha-beta-1962-10-22-b", "alpha-beta-1962-10-22-c"):
        root = parse(mini.path(f"tei/{name}.xml"))
        assert root.get("{http://www.w3.org/XML/1998/namespace}id") == name
        assert text(root, "//tei:publicationStmt/tei:idno").endswith(f"/documents/{name}.html")
    assert "alpha-beta-1962-10-22-b" in mini.path("tei/alpha-beta-1962-10-22-b.xml").read_text()


def test_neighbours_are_suggested_without_link_and_nothing_else_changes(mini: Edition) -> None:
    before = snapshot(mini.root)
    result = run(mini, "--from", "alpha", "--to", "beta", "--date", "1962-10-23")
    assert result.exit_code == 0
    assert "prev: beta-alpha-1962-10-23 (Beta to Alpha, 23 October 1962)" in result.output
    assert "next: alpha-beta-1962-10-24 (Alpha to Beta, 24 October 1962)" in result.output
    after = snapshot(mini.root)
    assert set(after) - set(before) == {"tei/alpha-beta-1962-10-23.xml"}
    assert all(after[name] == content for name, content in before.items())


def changed_lines(before: bytes, after: bytes) -> list[str]:
    diff = difflib.ndiff(before.decode().splitlines(), after.decode().splitlines())
    return [line for line in diff if line[:1] in "+-"]


def test_link_replaces_one_line_in_each_neighbour_and_links_the_new_file(mini: Edition) -> None:
    before = snapshot(mini.root)
    result = run(mini, "--from", "alpha", "--to", "beta", "--date", "1962-10-23", "--link")
    assert result.exit_code == 0, result.output
    after = snapshot(mini.root)
    prev, nxt = "tei/beta-alpha-1962-10-23.xml", "tei/alpha-beta-1962-10-24.xml"
    assert set(after) - set(before) == {"tei/alpha-beta-1962-10-23.xml"}
    assert {name for name in before if after[name] != before[name]} == {prev, nxt}
    assert changed_lines(before[prev], after[prev]) == [
        '-           <ref type="next" target="doc:alpha-beta-1962-10-24">next</ref>',
        '+           <ref type="next" target="doc:alpha-beta-1962-10-23">Alpha to Beta, 23 October'
        " 1962</ref>",
    ]
    assert changed_lines(before[nxt], after[nxt]) == [
        '-           <ref type="prev" target="doc:beta-alpha-1962-10-23">previous</ref>',
        '+           <ref type="prev" target="doc:alpha-beta-1962-10-23">Alpha to Beta, 23 October'
        " 1962</ref>",
    ]
    new = parse(mini.path("tei/alpha-beta-1962-10-23.xml"))
    refs = new.xpath("//tei:correspContext/tei:ref", namespaces=TEI)
    assert [(r.get("type"), r.get("target"), r.text) for r in refs] == [
        ("prev", "doc:beta-alpha-1962-10-23", "Beta to Alpha, 23 October 1962"),
        ("next", "doc:alpha-beta-1962-10-24", "Alpha to Beta, 24 October 1962"),
    ]
    # The chain agrees in every file: no prev/next rule fires anywhere in the edition.
    found = check(mini)
    assert not [p for p in found if p.rule.startswith("prev-next")], [p.format() for p in found]


def test_link_inserts_a_line_where_the_neighbour_has_no_such_ref(mini: Edition) -> None:
    before = snapshot(mini.root)
    # After the last letter: alpha-beta-1962-10-24 has replyTo and prev but no next.
    result = run(mini, "--from", "beta", "--to", "alpha", "--date", "1962-10-30", "--link")
    assert result.exit_code == 0, result.output
    name = "tei/alpha-beta-1962-10-24.xml"
    assert changed_lines(before[name], mini.path(name).read_bytes()) == [
        '+           <ref type="next" target="doc:beta-alpha-1962-10-30">Beta to Alpha, 30 October'
        " 1962</ref>",
    ]
    lines = mini.path(name).read_text().splitlines()
    at = lines.index('          <ref type="prev" target="doc:beta-alpha-1962-10-23">previous</ref>')
    assert 'type="next"' in lines[at + 1]  # right after the prev ref
    # Before the first letter: alpha-beta-1962-10-22 has a next but no prev.
    result = run(mini, "--from", "alpha", "--to", "beta", "--date", "1962-10-21", "--link")
    assert result.exit_code == 0, result.output
    name = "tei/alpha-beta-1962-10-22.xml"
    assert changed_lines(before[name], mini.path(name).read_bytes()) == [
        '+           <ref type="prev" target="doc:alpha-beta-1962-10-21">Alpha to Beta, 21 October'
        " 1962</ref>",
    ]
    assert not [p for p in check(mini) if p.rule.startswith("prev-next")]


def test_link_adds_a_corresp_context_where_there_is_none(mini: Edition) -> None:
    name = "tei/alpha-beta-1962-10-24.xml"
    mini.edit(
        name,
        "        <correspContext>\n"
        '          <ref type="replyTo" target="doc:beta-alpha-1962-10-23">reply</ref>\n'
        '          <ref type="prev" target="doc:beta-alpha-1962-10-23">previous</ref>\n'
        "        </correspContext>\n",
        "",
    )
    before = mini.path(name).read_bytes()
    result = run(mini, "--from", "beta", "--to", "alpha", "--date", "1962-10-30", "--link")
    assert result.exit_code == 0, result.output
    assert changed_lines(before, mini.path(name).read_bytes()) == [
        "+         <correspContext>",
        '+           <ref type="next" target="doc:beta-alpha-1962-10-30">Beta to Alpha, 30 October'
        " 1962</ref>",
        "+         </correspContext>",
    ]


def test_a_neighbour_that_cannot_be_edited_safely_stops_everything(mini: Edition) -> None:
    mini.edit(
        "tei/alpha-beta-1962-10-24.xml",
        '          <ref type="replyTo" target="doc:beta-alpha-1962-10-23">reply</ref>\n'
        '          <ref type="prev" target="doc:beta-alpha-1962-10-23">previous</ref>\n',
        "",
    )
    mini.edit(
        "tei/alpha-beta-1962-10-24.xml",
        "<correspContext>\n        </correspContext>",
        "<correspContext/>",
    )
    before = snapshot(mini.root)
    result = run(mini, "--from", "alpha", "--to", "beta", "--date", "1962-10-23", "--link")
    assert result.exit_code == 2
    assert "alpha-beta-1962-10-24.xml" in result.output and "nothing was written" in result.output
    assert snapshot(mini.root) == before  # not the new file, not the other neighbour


def test_set_context_ref_keeps_crlf_and_single_quotes() -> None:
    original = (
        "<correspDesc>\r\n  <correspContext>\r\n"
        "    <ref type='prev' target='doc:a'>A</ref>\r\n"
        "  </correspContext>\r\n</correspDesc>\r\n"
    )
    edited = set_context_ref(original, "next", "b", "B & C")
    assert edited == (
        "<correspDesc>\r\n  <correspContext>\r\n"
        "    <ref type='prev' target='doc:a'>A</ref>\r\n"
        '    <ref type="next" target="doc:b">B &amp; C</ref>\r\n'
        "  </correspContext>\r\n</correspDesc>\r\n"
    )
    assert set_context_ref(edited, "prev", "z", "Z").count("doc:a") == 0
    with pytest.raises(EditingError):
        set_context_ref("<TEI/>", "prev", "a", "A")


def test_new_runs_as_a_real_command(mini: Edition) -> None:
    completed = subprocess.run(
        [
            sys.executable, "-m", "edition", "--root", str(mini.root), "new", "--type", "message",
            "--from", "beta", "--to", "alpha", "--date", "1962-10-31", "--source", "archive",
        ],
        capture_output=True, text=True, cwd=mini.root, timeout=120, check=False,
    )  # fmt: skip
    assert completed.returncode == 0, completed.stderr
    assert "created tei/beta-alpha-1962-10-31.xml" in completed.stdout
    root = parse(mini.path("tei/beta-alpha-1962-10-31.xml"))
    assert root.xpath("//tei:text/@type", namespaces=TEI) == ["message"]
    assert root.xpath("//tei:revisionDesc/tei:change/@when", namespaces=TEI) != []


def test_an_organisation_may_be_a_correspondent(mini: Edition) -> None:
    result = run(
        mini,
        "--type",
        "cable",
        "--from",
        "ministry",
        "--to",
        "org:ministry",
        "--date",
        "1962-10-30",
    )
    assert result.exit_code == 2 and "the same correspondent" in result.output
    result = run(
        mini, "--type", "cable", "--from", "person:beta", "--to", "ministry",
        "--date", "1962-10-30", "--source", "archive",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    path = mini.path("tei/beta-ministry-1962-10-30.xml")
    root = parse(path)
    assert root.xpath("//tei:correspAction[@type='received']/tei:orgName/@ref", namespaces=TEI) == [
        "org:ministry"
    ]
    assert (
        text(root, "//tei:titleStmt/tei:title")
        == "Cable from Beta Beth to Ministry, 30 October 1962"
    )
    assert errors(check(mini, path)) == []
