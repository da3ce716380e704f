"""`edition import frus` on the invented FRUS-shaped volume tests/fixtures/frus/volume.xml, into a copy
of the mini edition: what the converted files say, that they pass the check, and that every failure
(not a FRUS volume, an unknown document, a malformed file, a missing register entry, a document the
edition holds already) is explained and writes nothing."""

from __future__ import annotations

import shutil
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
from tests.conftest import REPO, Edition

FIXTURES = REPO / "tests" / "fixtures" / "frus"
VOLUME = FIXTURES / "volume.xml"
TEI = {"tei": "http://www.tei-c.org/ns/1.0"}
TODAY = "2026-11-23"
HD = "https://history.state.gov/historicaldocuments/"
RESP = "org:office-of-the-historian"


@pytest.fixture
def edition(mini: Edition) -> Edition:
    """The mini edition with what an import needs: the volume in the sources register, the Office of
    the Historian, the transmitting ambassador, and a document that is FRUS d3."""
    mini.edit(
        "tei/register/sources.xml",
        "      </listBibl>",
        '        <bibl xml:id="frus-test"><title>Foreign Relations of the Test Series, Volume XCIX'
        '</title>: <ref type="source" target="https://history.state.gov/historicaldocuments/'
        'frus1961-63v99">history.state.gov</ref>.</bibl>\n      </listBibl>',
    )
    mini.edit(
        "tei/register/organisations.xml",
        "      </listOrg>",
        '        <org xml:id="office-of-the-historian">\n'
        '          <orgName type="full">Office of the Historian</orgName>\n'
        '          <note type="description">Publishes the test volume.</note>\n'
        "        </org>\n      </listOrg>",
    )
    mini.edit(
        "tei/register/persons.xml",
        "      </listPerson>",
        '        <person xml:id="daleth">\n'
        '          <persName type="full">Delta Quoph Daleth</persName>\n'
        '          <persName type="short">Daleth</persName>\n'
        '          <note type="description">A test ambassador.</note>\n'
        "        </person>\n      </listPerson>",
    )
    mini.edit(
        "tei/alpha-beta-1962-10-24.xml",
        "https://archive.example.org/alpha-beta-1962-10-24",
        f"{HD}frus1961-63v99/d3",
    )
    return mini


def run(edition: Edition, volume: Path, *args: str) -> Result:
    command = ["--root", str(edition.root), "import", "frus", str(volume), *args, "--today", TODAY]
    return CliRunner().invoke(main, command)


def snapshot(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def parse(path: Path) -> etree._Element:
    return etree.parse(str(path)).getroot()


def xpath(root: etree._Element, path: str) -> list[str]:
    found = root.xpath(path, namespaces=TEI)
    assert isinstance(found, list)
    return [
        str(x) if not isinstance(x, etree._Element) else " ".join("".join(x.itertext()).split())
        for x in found
    ]


def words(root: etree._Element, path: str) -> str:
    return " ".join(str(root.xpath(f"string({path})", namespaces=TEI)).split())


def check(edition: Edition, *paths: Path) -> list[Problem]:
    return check_edition(load_config(edition.root), list(paths) or None).report.problems


def unexpected_errors(problems: list[Problem]) -> list[str]:
    return [p.format() for p in problems if p.severity is Severity.ERROR]


def test_letter_and_telegram_are_converted_and_pass_the_check(edition: Edition) -> None:
    result = run(edition, VOLUME, "--doc", "d1", "--doc", "d2")
    assert result.exit_code == 0, result.output
    letter, telegram = (
        edition.path("tei/alpha-beta-1962-10-25.xml"),
        edition.path("tei/beta-alpha-1962-10-26.xml"),
    )
    assert (
        "d1 → " in result.output
        and "alpha-beta-1962-10-25.xml (new; 3 paragraphs, 3 notes)" in (result.output)
    )
    found = check(edition, letter, telegram)
    assert unexpected_errors(found) == []
    assert {p.rule for p in found if p.severity is Severity.WARNING} <= {"placeholder"}


def test_heading_dateline_and_source_note(edition: Edition) -> None:
    assert run(edition, VOLUME, "--doc", "d1").exit_code == 0
    root = parse(edition.path("tei/alpha-beta-1962-10-25.xml"))
    assert root.get("{http://www.w3.org/XML/1998/namespace}id") == "alpha-beta-1962-10-25"
    assert words(root, "//tei:titleStmt/tei:title") == (
        "Letter from Alpha Aleph to Beta Beth, 25 October 1962"
    )
    assert xpath(root, "//tei:text/@type") == ["letter"]
    assert xpath(root, "//tei:revisionDesc/@status") == ["transcribed"]
    assert xpath(root, "//tei:correspAction[@type='sent']/*/@ref") == [
        "person:alpha",
        "place:capital",
    ]
    assert xpath(root, "//tei:correspAction[@type='sent']/tei:date/@when") == ["1962-10-25"]
    assert xpath(root, "//tei:correspAction[@type='received']/*/@ref") == ["person:beta"]
    assert xpath(root, "//tei:correspAction[@type='transmitted']") == []
    assert xpath(root, "//tei:dateline/tei:placeName/@ref") == ["place:capital"]
    assert words(root, "//tei:dateline") == "Capital, October 25, 1962."
    bibl = "//tei:sourceDesc/tei:listBibl/tei:bibl"
    assert xpath(root, f"{bibl}/@type") == ["publication"]
    assert xpath(root, f"{bibl}/@corresp") == ["source:frus-test"]
    assert xpath(root, f"{bibl}/tei:ref[@type='source']/@target") == [f"{HD}frus1961-63v99/d1"]
    assert xpath(root, f"{bibl}/tei:orgName/@ref") == [RESP]
    text = words(root, bibl)
    assert "The volume's source note: Test Archive, Test Files, Box 1." in text
    assert xpath(root, f"{bibl}/tei:title") == [
        "Foreign Relations of the Test Series, Volume XCIX, Test Exchanges",
        "Test Bulletin",  # FRUS's italics in the source note: a title
    ]


def test_text_notes_references_and_persons(edition: Edition) -> None:
    result = run(edition, VOLUME, "--doc", "d1")
    assert result.exit_code == 0
    root = parse(edition.path("tei/alpha-beta-1962-10-25.xml"))
    letter = "//tei:div[@type='letter']"
    assert xpath(root, f"{letter}/tei:p/@n") == ["1", "2", "3"]
    assert words(root, f"{letter}/tei:p[2]").startswith(
        "Text of the second test paragraph, which names Gimel and the TO and goes on to the next "
        "page of the volume."
    )
    # Every footnote is kept, where FRUS puts it, attributed to the Office of the Historian.
    assert xpath(root, "//tei:note/@resp") == [RESP] * 3
    assert xpath(root, "//tei:note/@type") == ["editorial"] * 3
    # d3 is in the edition (alpha-beta-1962-10-24 cites it): a link; d9 and vol. 98 are cited.
    assert xpath(root, "//tei:note//tei:ref/@type") == ["document", "source", "source"]
    assert xpath(root, "//tei:note//tei:ref/@target") == [
        "doc:alpha-beta-1962-10-24",
        f"{HD}frus1961-63v99/d9",
        f"{HD}frus1961-63v98/d5",
    ]
    assert "page 2" in words(root, f"{letter}/tei:p[2]/tei:note")  # a page reference: words only
    # The note on the signature cannot stand in <signed>: it closes the last paragraph.
    assert words(root, f"{letter}/tei:p[3]/tei:note") == "Test footnote on the signature."
    assert xpath(root, f"{letter}/tei:closer/tei:salute") == ["Respectfully,"]
    assert xpath(root, f"{letter}/tei:closer/tei:signed/tei:persName/@ref") == ["person:alpha"]
    assert xpath(root, f"{letter}/tei:p[3]/tei:placeName/@ref") == ["place:island"]
    # Gimel is not in the persons register: the name stays, unlinked, and the editor is told.
    assert xpath(root, "//tei:body//tei:persName[not(@ref)]") == ["Gimel"]
    assert "Gamma Gimel is not in the persons register" in result.output
    assert '<person xml:id="gimel"><persName type="full">Gamma Gimel</persName>' in result.output
    assert "FRUS lists: test minister" in result.output


def test_a_telegram_carrying_a_letter_keeps_both_roles(edition: Edition) -> None:
    result = run(edition, VOLUME, "--doc", "d1", "--doc", "d2")
    assert result.exit_code == 0, result.output
    root = parse(edition.path("tei/beta-alpha-1962-10-26.xml"))
    assert words(root, "//tei:titleStmt/tei:title") == (
        "Letter from Beta Beth to Alpha Aleph, 26 October 1962"
    )
    assert xpath(root, "//tei:correspAction[@type='sent']/tei:persName/@ref") == ["person:beta"]
    assert xpath(root, "//tei:correspAction[@type='received']/tei:persName/@ref") == [
        "person:alpha"
    ]
    assert xpath(root, "//tei:correspAction[@type='transmitted']/*/@ref") == [
        "person:daleth",
        "org:ministry",
        "place:harbour",
    ]
    # The local time and offset as FRUS gives them, in the dateline and the date of sending.
    when = "1962-10-26T19:00:00+03:00"
    assert xpath(root, "//tei:dateline/tei:date/@when") == [when]
    assert xpath(root, "//tei:correspAction[@type='sent']/tei:date/@when") == [when]
    assert words(root, "//tei:correspAction[@type='sent']/tei:date") == (
        "26 October 1962, 19:00 (UTC+03:00)"
    )
    assert "FRUS prints it as: Telegram from the Ministry to the Embassy in Capital." in words(
        root, "//tei:sourceDesc"
    )
    # d1 is converted in the same run, so the reference to it is a link.
    assert xpath(root, "//tei:note//tei:ref/@target") == ["doc:alpha-beta-1962-10-25"]
    assert xpath(root, "//tei:closer/tei:signed/tei:persName/@ref") == ["person:daleth"]
    # Where the new documents fall: d1 after the 24 October letter, d2 after d1.
    assert "alpha-beta-1962-10-25: suggested prev alpha-beta-1962-10-24" in result.output
    assert "beta-alpha-1962-10-26: suggested prev alpha-beta-1962-10-25" in result.output


def test_letter_option_names_the_correspondents_the_text_does_not(
    edition: Edition, tmp_path: Path
) -> None:
    volume = tmp_path / "volume.xml"
    text = VOLUME.read_text(encoding="utf-8").replace(
        'to <persName corresp="#p_AA1">Alpha</persName> for', "to the Chairman for"
    )
    volume.write_text(text, encoding="utf-8")
    before = snapshot(edition.root)
    result = run(edition, volume, "--doc", "d2")
    assert result.exit_code == 2
    assert "the letter's addressee is not marked" in result.output
    assert "--letter d2=FROM,TO" in result.output
    assert snapshot(edition.root) == before
    result = run(edition, volume, "--doc", "d2", "--letter", "d2=beta,alpha")
    assert result.exit_code == 0, result.output
    root = parse(edition.path("tei/beta-alpha-1962-10-26.xml"))
    assert xpath(root, "//tei:correspAction[@type='received']/tei:persName/@ref") == [
        "person:alpha"
    ]


def test_a_telegram_between_offices_needs_both_offices_registered(edition: Edition) -> None:
    before = snapshot(edition.root)
    result = run(edition, VOLUME, "--doc", "d5")
    assert result.exit_code == 2
    assert "'Embassy in Capital' is not a name in the organisations register" in result.output
    assert '<orgName type="variant">Embassy in Capital</orgName>' in result.output
    assert '<org xml:id="embassy-in-capital">' in result.output
    assert snapshot(edition.root) == before
    edition.edit(
        "tei/register/organisations.xml",
        "      </listOrg>",
        '        <org xml:id="embassy">\n          <orgName type="full">Embassy in Capital</orgName>'
        "\n        </org>\n      </listOrg>",
    )
    result = run(edition, VOLUME, "--doc", "d5")
    assert result.exit_code == 0, result.output
    path = edition.path("tei/ministry-embassy-1962-10-27.xml")
    root = parse(path)
    assert xpath(root, "//tei:text/@type") == ["telegram"]
    assert xpath(root, "//tei:correspAction[@type='sent']/tei:orgName/@ref") == ["org:ministry"]
    assert xpath(root, "//tei:correspAction[@type='received']/tei:orgName/@ref") == ["org:embassy"]
    assert unexpected_errors(check(edition, path)) == []


def test_a_document_the_edition_holds_is_replaced_only_with_force(edition: Edition) -> None:
    existing = edition.path("tei/alpha-beta-1962-10-24.xml")
    before = snapshot(edition.root)
    result = run(edition, VOLUME, "--doc", "d3")
    assert result.exit_code == 2
    assert "d3 is already in the edition as tei/alpha-beta-1962-10-24.xml" in result.output
    assert "--force" in result.output
    assert snapshot(edition.root) == before
    result = run(edition, VOLUME, "--doc", "d3", "--force")
    assert result.exit_code == 0, result.output
    assert "(replaces; 1 paragraphs, 0 notes)" in result.output
    root = parse(existing)
    assert xpath(root, "//tei:revisionDesc/@status") == ["transcribed"]
    assert xpath(root, "//tei:text/@type") == ["message"]
    assert xpath(root, "//tei:div[@type='letter']/tei:p") == ["Text of the test message."]
    # The editors' own work is kept: the summary, the links, the history.
    assert words(root, "//tei:abstract") == "Sender writes to recipient about the island."
    assert xpath(root, "//tei:abstract//tei:persName/@ref") == ["person:alpha", "person:beta"]
    assert [
        (r.get("type"), r.get("target"))
        for r in root.xpath("//tei:correspContext/tei:ref", namespaces=TEI)
    ] == [("replyTo", "doc:beta-alpha-1962-10-23"), ("prev", "doc:beta-alpha-1962-10-23")]
    assert xpath(root, "//tei:revisionDesc/tei:change/@when") == ["2026-01-01", TODAY]
    assert unexpected_errors(check(edition)) == []


def test_an_existing_file_of_that_name_is_not_overwritten_without_force(edition: Edition) -> None:
    # A draft of the same letter, made with `edition new`, cites no FRUS document yet.
    new = ["new", "--from", "alpha", "--to", "beta", "--date", "1962-10-25", "--source", "archive"]
    assert CliRunner().invoke(main, ["--root", str(edition.root), *new]).exit_code == 0
    draft = edition.path("tei/alpha-beta-1962-10-25.xml")
    before = snapshot(edition.root)
    result = run(edition, VOLUME, "--doc", "d1")
    assert result.exit_code == 2
    assert "tei/alpha-beta-1962-10-25.xml exists already" in result.output
    assert snapshot(edition.root) == before
    assert run(edition, VOLUME, "--doc", "d1", "--force").exit_code == 0
    assert xpath(parse(draft), "//tei:revisionDesc/@status") == ["transcribed"]


@pytest.mark.parametrize(
    ("volume", "documents", "expected"),
    [
        (FIXTURES / "not-tei.xml", ["d1"], "is not a FRUS volume: its root element is {}volume"),
        (
            FIXTURES / "no-volume-id.xml",
            ["d1"],
            'but not a FRUS volume: it has no <idno type="frus">',
        ),
        (
            REPO / "tests" / "fixtures" / "mini-edition" / "tei" / "alpha-beta-1962-10-22.xml",
            ["d1"],
            "not a FRUS volume",
        ),
        (FIXTURES / "malformed.xml", ["d1"], "malformed.xml cannot be read as a FRUS volume: line"),
        (REPO / "tests" / "fixtures" / "hostile" / "xxe-file.xml", ["d1"], "DOCTYPE"),
        (VOLUME, ["d99"], "frus1961-63v99 has no document 'd99'"),
        (VOLUME, ["d1", "d99"], "has no document 'd99'"),  # d1 is fine, but is not written either
        (VOLUME, ["d4"], "d4 is not a letter, message, telegram or cable"),
        (VOLUME, ["d1", "d4"], "Editorial Note"),
    ],
)
def test_bad_input_is_explained_and_nothing_is_written(
    edition: Edition, volume: Path, documents: list[str], expected: str
) -> None:
    before = snapshot(edition.root)
    result = run(edition, volume, *[a for d in documents for a in ("--doc", d)])
    assert result.exit_code != 0
    assert expected in result.output
    assert "nothing was written" in result.output
    assert snapshot(edition.root) == before


def test_unknown_document_suggests_the_volume_s_ids(edition: Edition) -> None:
    result = run(edition, VOLUME, "--doc", "d11")
    assert result.exit_code == 2
    assert "did you mean d1" in result.output and "d1 to d5" in result.output


@pytest.mark.parametrize(
    ("register", "element", "expected"),
    [
        ("organisations", "org", '<org xml:id="office-of-the-historian">'),
        ("sources", "bibl", "the sources register has no entry for frus1961-63v99"),
    ],
)
def test_missing_register_entries_are_named_with_the_line_to_add(
    edition: Edition, register: str, element: str, expected: str
) -> None:
    path = edition.path(f"tei/register/{register}.xml")
    text = path.read_text()
    key = "office-of-the-historian" if element == "org" else "frus-test"
    start = text.index(f'<{element} xml:id="{key}">')
    path.write_text(text[:start] + text[text.index(f"</{element}>", start) + len(element) + 3 :])
    before = snapshot(edition.root)
    result = run(edition, VOLUME, "--doc", "d1")
    assert result.exit_code == 2
    assert expected in result.output
    assert snapshot(edition.root) == before


def test_missing_sources_entry_line_points_at_the_volume(edition: Edition) -> None:
    path = edition.path("tei/register/sources.xml")
    path.write_text(path.read_text().replace('frus1961-63v99"', 'frus1961-63v98"'))
    result = run(edition, VOLUME, "--doc", "d1")
    assert result.exit_code == 2
    assert f'<ref target="{HD}frus1961-63v99">history.state.gov</ref>' in result.output


def test_dry_run_converts_but_writes_nothing(edition: Edition) -> None:
    before = snapshot(edition.root)
    result = run(edition, VOLUME, "--doc", "d1", "--doc", "d2", "--dry-run")
    assert result.exit_code == 0, result.output
    assert "would write d1 → " in result.output and "would write d2 → " in result.output
    assert snapshot(edition.root) == before


def test_import_runs_as_a_real_command(edition: Edition, tmp_path: Path) -> None:
    volume = tmp_path / "frus1961-63v99.xml"
    shutil.copy(VOLUME, volume)
    completed = subprocess.run(
        [sys.executable, "-m", "edition", "--root", str(edition.root), "import", "frus",
         str(volume), "--doc", "d1"],
        capture_output=True, text=True, cwd=edition.root, timeout=120, check=False,
    )  # fmt: skip
    assert completed.returncode == 0, completed.stderr
    assert "wrote d1 → tei/alpha-beta-1962-10-25.xml" in completed.stdout
    assert "warning: d1: Gamma Gimel is not in the persons register" in completed.stderr
    assert edition.path("tei/alpha-beta-1962-10-25.xml").is_file()
