"""The harvesting files in incremental builds: spliced from per-document pieces, of which a rebuild makes
only those of changed documents and copies the rest from the previous build, with the same bytes a
full build writes.

The pieces (edition.splice) and the ZIP writer (edition.harvest.archive) are tested on their own;
then in real builds of a copy of the mini edition, compared file by file with a full build.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from lxml import etree

import edition.harvest.cmif
import edition.harvest.oai_records
from edition.harvest import layout
from edition.harvest.archive import member, write_archive
from edition.harvest.skeleton import Maker, slot, write_pieces
from edition.harvest.xmlout import serialise
from edition.splice import Earlier, Splice
from tests.conftest import Edition
from tests.test_incremental import LETTER, Builds, edition_copy, rebuilt

__all__ = ["edition_copy"]  # a fixture the builds below use

STAMP = dt.date(2026, 11, 23)


# --- the ZIP writer ----------------------------------------------------------------------------------


def _zipfile_archive(members: list[tuple[str, bytes]]) -> bytes:
    """The archive Python's zipfile writes for these members, as the harvest stage used to."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=(STAMP.year, STAMP.month, STAMP.day, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o100644 << 16
            info.create_system = 3
            archive.writestr(info, data, compresslevel=9)
    return buffer.getvalue()


def test_the_zip_writer_writes_what_zipfile_writes() -> None:
    members = [
        ("tei/a.xml", b"<TEI>" + b"text " * 500 + b"</TEI>"),
        ("tei/empty.xml", b""),
        ("tei/register/caf\u00e9.xml", "<TEI>caf\u00e9</TEI>".encode()),  # a UTF-8 name
    ]
    mine = _archive([(name, "k", functools.partial(bytes, data)) for name, data in members])
    assert mine == _zipfile_archive(members)
    with zipfile.ZipFile(io.BytesIO(mine)) as archive:
        assert archive.testzip() is None
        assert [archive.read(name) for name, _ in members] == [data for _, data in members]


def test_a_rebuilt_zip_copies_the_members_that_did_not_change(tmp_path: Path) -> None:
    first = Splice()
    write_archive(first, [("a", "1", lambda: b"alpha" * 99), ("b", "1", lambda: b"beta")], STAMP)
    earlier = _earlier(tmp_path, first.result(), first)

    def never() -> bytes:
        raise AssertionError("an unchanged member was compressed again")

    second = Splice(earlier)
    write_archive(second, [("a", "1", never), ("b", "2", lambda: b"gamma")], STAMP)
    new = second.result()
    assert second.made == 1
    with zipfile.ZipFile(io.BytesIO(new)) as archive:
        assert archive.testzip() is None
        assert archive.read("a") == b"alpha" * 99 and archive.read("b") == b"gamma"
    assert new == _archive([("a", "1", lambda: b"alpha" * 99), ("b", "2", lambda: b"gamma")])
    assert member("b", b"gamma", STAMP) in new


def _archive(members: list[tuple[str, str, Callable[[], bytes]]]) -> bytes:
    splice = Splice()
    write_archive(splice, members, STAMP)
    return splice.result()


def _earlier(folder: Path, data: bytes, splice: Splice) -> Earlier:
    """``data``, written by ``splice``, as the previous build's file."""
    path = folder / "previous"
    path.write_bytes(data)
    earlier = Earlier.of(path, splice.memo(data))
    assert earlier is not None
    return earlier


# --- pieces --------------------------------------------------------------------------------------------


def test_a_piece_is_copied_only_when_its_key_is_unchanged(tmp_path: Path) -> None:
    first = Splice()
    first.fixed(b"<list>")
    for item in ("a", "b", "c"):
        first.piece(item, f"{item}1", f"<{item}/>".encode)
    first.fixed(b"</list>")
    old = first.result()
    made: list[str] = []

    def make(item: str) -> bytes:
        made.append(item)
        return f"<{item} new='1'/>".encode()

    second = Splice(_earlier(tmp_path, old, first))
    second.fixed(b"<list>")
    for item, key in (("a", "a1"), ("b", "b2"), ("d", "d1"), ("c", "c1")):
        second.piece(item, key, functools.partial(make, item))
    second.fixed(b"</list>")
    assert made == ["b", "d"]  # changed key, and new: made; "a" and "c" copied (c moved)
    assert second.result() == b"<list><a/><b new='1'/><d new='1'/><c/></list>"


def test_a_previous_file_changed_since_its_memo_is_not_used(tmp_path: Path) -> None:
    splice = Splice()
    splice.piece("a", "1", lambda: b"<a>one</a>")
    data = splice.result()
    memo = splice.memo(data)
    path = tmp_path / "file.xml"
    path.write_bytes(data.replace(b"one", b"won"))  # same length, other bytes
    assert Earlier.of(path, memo) is None
    path.write_bytes(data)
    assert Earlier.of(path, memo) is not None
    assert Earlier.of(path, {**memo, "pieces": "not a memo\n"}) is None
    assert Earlier.of(tmp_path / "missing.xml", memo) is None


def test_an_item_named_with_a_line_break_is_made_again_not_misread(tmp_path: Path) -> None:
    splice = Splice()
    splice.piece("odd\nname", "1", lambda: b"<odd/>")
    splice.piece("plain name", "1", lambda: b"<plain/>")
    data = splice.result()
    path = tmp_path / "file.xml"
    path.write_bytes(data)
    earlier = Earlier.of(path, splice.memo(data))
    assert earlier is not None
    assert set(earlier.pieces) == {"plain name"}


@pytest.mark.parametrize("indent", [True, False], ids=["indented", "unindented"])
def test_spliced_xml_is_the_tree_written_whole(indent: bool) -> None:
    """Pieces written in their slots give the bytes of the whole tree written at once, namespaces
    declared where they are in scope included."""
    ns = {None: "urn:outer", "o": "urn:other"}

    def skeleton() -> tuple[etree._Element, etree._Element, etree._Element]:
        root = etree.Element("{urn:outer}root", nsmap=ns)  # type: ignore[arg-type]
        etree.SubElement(root, "{urn:outer}head").text = "Head & <title>"
        first = etree.SubElement(etree.SubElement(root, "{urn:outer}body"), "{urn:outer}list")
        second = etree.SubElement(root, "{urn:other}list")
        return root, first, second

    def add(parent: etree._Element, number: int) -> None:
        item = etree.SubElement(parent, "{urn:other}item", n=str(number))
        etree.SubElement(item, "{urn:outer}name").text = f"Name {number}"
        inner = etree.SubElement(item, "{urn:third}x", nsmap={"t": "urn:third"})  # type: ignore[dict-item]
        inner.text = "third"

    whole, first, second = skeleton()
    for number in range(3):
        add(first, number)
        add(second, number + 10)
    expected = serialise(whole, indent)

    spliced, first, second = skeleton()
    slot(first, "first")
    slot(second, "second")
    items: dict[str, list[tuple[str, str, Maker]]] = {
        "first": [(f"f{n}", "k", functools.partial(add, number=n)) for n in range(3)],
        "second": [(f"s{n}", "k", functools.partial(add, number=n + 10)) for n in range(3)],
    }
    splice = Splice()
    write_pieces(splice, spliced, indent, items)
    assert splice.result() == expected


# --- in builds -------------------------------------------------------------------------------------------


@pytest.fixture
def builds(edition_copy: Edition, tmp_path: Path) -> Builds:
    made = Builds(edition_copy, tmp_path / "reference")
    made.incremental()
    return made


def _counting(monkeypatch: pytest.MonkeyPatch, module: object, name: str) -> list[str]:
    calls: list[str] = []
    original = getattr(module, name)

    def counted(*arguments: object) -> object:
        document = next(a for a in arguments if hasattr(a, "id") and hasattr(a, "file"))
        calls.append(document.id)  # type: ignore[attr-defined]
        return original(*arguments)

    monkeypatch.setattr(module, name, counted)
    return calls


def test_an_edited_letter_makes_only_its_own_pieces(
    builds: Builds, monkeypatch: pytest.MonkeyPatch
) -> None:
    letters = _counting(monkeypatch, edition.harvest.cmif, "corresp_desc")
    records = _counting(monkeypatch, edition.harvest.oai_records, "dublin_core")
    builds.edition.edit(LETTER, "Second paragraph with", "Second, edited paragraph with")
    result = builds.incremental()
    assert {"harvest", f"download:{LETTER}"} <= rebuilt(result)
    assert not any(g.startswith("download:") and g != f"download:{LETTER}" for g in rebuilt(result))
    doc_id = Path(LETTER).stem
    assert letters == [doc_id] and records == [doc_id]
    builds.assert_same_as_full()
    site = builds.config.build_dir / "site"
    assert b"Second, edited paragraph" in (site / layout.TEI_CORPUS).read_bytes()
    with zipfile.ZipFile(site / layout.TEI_ZIP) as archive:
        assert b"Second, edited paragraph" in archive.read(f"tei/{doc_id}.xml")


def test_nothing_changed_no_harvesting_file_is_made(
    builds: Builds, monkeypatch: pytest.MonkeyPatch
) -> None:
    letters = _counting(monkeypatch, edition.harvest.cmif, "corresp_desc")
    builds.edition.path(LETTER).touch()
    result = builds.incremental()
    assert not any(g == "harvest" or g.startswith("download:") for g in rebuilt(result))
    assert letters == []
    builds.assert_same_as_full()


def test_a_harvesting_file_changed_by_hand_is_not_spliced_from(builds: Builds) -> None:
    """The previous build's file is used only if it is still the one its memo describes."""
    site = builds.config.build_dir / "site"
    for relative in (layout.CMIF, layout.STATIC_REPOSITORY, layout.TEI_CORPUS):
        path = site / relative
        data = path.read_bytes()
        assert b"Beta" in data
        path.unlink()  # not a link to anything: this build's file only
        path.write_bytes(data.replace(b"Beta", b"Bxta"))  # the same length, other bytes
    builds.edition.edit(LETTER, "Second paragraph with", "Second, edited paragraph with")
    builds.incremental()
    builds.assert_same_as_full()
