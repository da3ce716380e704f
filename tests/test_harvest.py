"""The harvest stage: TEI downloads, ZIP and teiCorpus, CMIF, the OAI-PMH Static Repository, the records
file for `edition serve`, sitemap.xml and robots.txt.

Outputs are built into pytest's tmp_path from the real edition (read only) or from a copy of the mini
edition; never into build/. Standards come from <repo>/../shared/standards (skipped, saying why, if absent).
"""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from edition.build import build
from edition.config import Config, load_config
from edition.corpus import Corpus
from edition.harvest import layout
from edition.harvest.cmif import bibl_id
from edition.harvest.sitemap import FIXED_PAGES
from edition.harvest.tei_files import corpus_files
from edition.links import document_path, entry_path
from edition.oai import records
from tests.conftest import Edition
from tests.fixtures.harvest.support import (
    OAI_NS,
    REPO,
    build_harvest,
    oai_schema,
    parse,
    run_schematron,
    schema_errors,
    standard,
)

TEI = "http://www.tei-c.org/ns/1.0"
NS = {"t": TEI, "o": OAI_NS, "s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
STATIC = "http://www.openarchives.org/OAI/2.0/static-repository"


def _c14n(element: etree._Element) -> bytes:
    return etree.tostring(element, method="c14n", exclusive=True)


def _digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


class Real:
    def __init__(self, config: Config, corpus: Corpus, site: Path) -> None:
        self.config, self.corpus, self.site = config, corpus, site


@pytest.fixture(scope="module")
def real(tmp_path_factory: pytest.TempPathFactory) -> Real:
    config = load_config(REPO)
    before = _digest(config.tei_dir)
    corpus, site = build_harvest(config, tmp_path_factory.mktemp("harvest"))
    assert _digest(config.tei_dir) == before  # the stage never touches its inputs
    return Real(config, corpus, site)


def _source_files(config: Config) -> dict[str, Path]:
    """Published name below tei/ → source file, for every document and register of the edition."""
    files = {p.name: p for p in config.tei_dir.glob("*.xml")}
    files |= {f"register/{p.name}": p for p in config.register_dir.glob("*.xml")}
    return files


# --- TEI downloads ---------------------------------------------------------------------------------


def test_every_document_and_register_is_published_byte_for_byte(real: Real) -> None:
    sources = _source_files(real.config)
    assert len(sources) == len(real.corpus.documents) + 4
    folder = real.site / layout.TEI_FOLDER
    for name, source in sources.items():
        assert (folder / name).read_bytes() == source.read_bytes(), name
    published = {p.relative_to(folder).as_posix() for p in folder.rglob("*.xml")}
    assert published == set(sources) | {"corpus.xml"}
    # The files' xml-model instructions (../schema/edition.rng) resolve on the site.
    for name in ("edition.rng", "edition.sch"):
        schema = real.site / layout.SCHEMA_FOLDER / name
        assert schema.read_bytes() == (real.config.schema_dir / name).read_bytes()


def test_the_zip_holds_exactly_the_corpus(real: Real) -> None:
    sources = _source_files(real.config)
    with zipfile.ZipFile(real.site / layout.TEI_ZIP) as archive:
        assert archive.testzip() is None
        names = archive.namelist()
        assert names == sorted(names)
        assert names == sorted(f"tei/{name}" for name in sources)
        for name, source in sources.items():
            assert archive.read(f"tei/{name}") == source.read_bytes(), name
        release = real.config.edition.release_date
        for info in archive.infolist():
            assert info.date_time == (release.year, release.month, release.day, 0, 0, 0)
            assert info.external_attr >> 16 == 0o100644


def test_the_zip_is_the_same_from_build_to_build(mini: Edition, tmp_path: Path) -> None:
    config = load_config(mini.root)
    _corpus, first = build_harvest(config, tmp_path / "one")
    _corpus, second = build_harvest(config, tmp_path / "two")
    assert (first / layout.TEI_ZIP).read_bytes() == (second / layout.TEI_ZIP).read_bytes()
    assert _digest(first) == _digest(second)  # every harvest output is reproducible


def test_the_tei_corpus_gathers_every_file_in_order(real: Real, tei_all: etree.RelaxNG) -> None:
    root = parse((real.site / layout.TEI_CORPUS).read_bytes())
    assert root.tag == f"{{{TEI}}}teiCorpus"
    members = root.findall("t:TEI", NS)
    documents = [d.file.root for d in real.corpus.documents]
    registers = [parse(p.read_bytes()) for p in sorted(real.config.register_dir.glob("*.xml"))]
    assert len(members) == len(documents) + len(registers)
    for member, source in zip(members, documents + registers, strict=True):
        assert _c14n(member) == _c14n(source)
    assert root.findtext("t:teiHeader//t:idno", namespaces=NS) == (
        f"{real.config.edition.base_url}{layout.TEI_CORPUS}"
    )
    assert tei_all.validate(root), "\n".join(str(e) for e in tei_all.error_log)


def test_published_names_follow_the_edition_layout(real: Real) -> None:
    names = [f.name for f in corpus_files(real.corpus, real.config)]
    assert "register/persons.xml" in names
    assert "khrushchev-castro-1962-10-28.xml" in names
    assert names == sorted(names)


# --- CMIF ------------------------------------------------------------------------------------------


def test_cmif_is_valid_against_the_cmi_schema(real: Real) -> None:
    schema = etree.RelaxNG(etree.parse(str(standard("cmif/cmi-customization.rng"))))
    root = parse((real.site / layout.CMIF).read_bytes())
    assert not schema_errors(schema, root)


def test_cmif_satisfies_the_cmif_schematron(real: Real) -> None:
    failures = run_schematron(standard("cmif/cmif.sch"), (real.site / layout.CMIF).read_bytes())
    assert failures == []


def test_the_schematron_check_can_fail(real: Real) -> None:
    text = (real.site / layout.CMIF).read_text(encoding="utf-8")
    broken = text.replace('<correspAction type="received">', '<correspAction type="sent">', 1)
    broken = broken.replace(f'source="#{bibl_id(real.config)}"', 'source="#elsewhere"', 1)
    failures = run_schematron(standard("cmif/cmif.sch"), broken.encode("utf-8"))
    codes = sorted(message.split("]")[0] + "]" for _role, message in failures)
    assert codes == ["[E0002]", "[E0003]"]


def test_cmif_describes_every_letter_with_its_canonical_url(real: Real) -> None:
    root = parse((real.site / layout.CMIF).read_bytes())
    descs = root.findall(".//t:profileDesc/t:correspDesc", NS)
    assert [d.get("ref") for d in descs] == [
        real.config.document_url(d.id) for d in real.corpus.documents
    ]
    assert {d.get("source") for d in descs} == {f"#{bibl_id(real.config)}"}
    bibl = root.find(".//t:sourceDesc/t:bibl", NS)
    assert bibl is not None and bibl.get("type") == "online"
    assert root.findtext(".//t:publicationStmt/t:idno", namespaces=NS) == (
        f"{real.config.edition.base_url}cmif.xml"
    )
    for desc, document in zip(descs, real.corpus.documents, strict=True):
        sent = desc.find("t:correspAction[@type='sent']", NS)
        assert sent is not None
        assert sent.find("t:date", NS) is not None
        assert sent.find("t:date", NS).get("when") == document.date.isoformat()  # type: ignore[union-attr]
        assert desc.find("t:correspAction[@type='transmitted']", NS) is None


def _desc(root: etree._Element, config: Config, doc_id: str) -> etree._Element:
    found = root.find(f".//t:correspDesc[@ref='{config.document_url(doc_id)}']", NS)
    assert found is not None
    return found


def test_cmif_uses_the_registers_accepted_authority_uris(real: Real) -> None:
    root = parse((real.site / layout.CMIF).read_bytes())
    desc = _desc(root, real.config, "kennedy-khrushchev-1962-10-22")
    sender = desc.find("t:correspAction[@type='sent']/t:persName", NS)
    assert sender is not None and sender.text == "John F. Kennedy"
    assert sender.get("ref") is None  # the register has only Wikidata, which CMIF does not list
    place = desc.find("t:correspAction[@type='sent']/t:placeName", NS)
    assert place is not None and place.get("ref") == "https://www.geonames.org/4140963"
    received = desc.find("t:correspAction[@type='received']/t:placeName", NS)
    assert received is not None and received.get("ref") == "https://www.geonames.org/524901"
    cable = _desc(root, real.config, "dobrynin-soviet-foreign-ministry-1962-10-27")
    office = cable.find("t:correspAction[@type='received']/t:orgName", NS)
    assert office is not None and office.text == "Ministry of Foreign Affairs of the USSR"
    assert cable.find("t:correspAction[@type='received']/t:persName", NS) is None


def test_cmif_takes_viaf_from_a_register(mini: Edition, tmp_path: Path) -> None:
    mini.edit(
        "tei/register/persons.xml",
        '<idno type="Wikidata">Q1</idno>',
        '<idno type="Wikidata">Q1</idno>\n          <idno type="VIAF">123456</idno>',
    )
    config = load_config(mini.root)
    _corpus, site = build_harvest(config, tmp_path / "build")
    root = parse((site / layout.CMIF).read_bytes())
    senders = root.findall(".//t:correspAction[@type='sent']/t:persName", NS)
    refs = {s.text: s.get("ref") for s in senders}
    assert refs == {"Alpha Aleph": "http://viaf.org/viaf/123456", "Beta Beth": None}


# --- OAI-PMH Static Repository -----------------------------------------------------------------------


def _wrap(verb: str, children: list[etree._Element], attributes: dict[str, str]) -> etree._Element:
    """A static repository part as the OAI-PMH response a gateway would give, for OAI-PMH.xsd."""
    root = etree.Element(f"{{{OAI_NS}}}OAI-PMH")
    etree.SubElement(root, f"{{{OAI_NS}}}responseDate").text = "2026-11-23T00:00:00Z"
    request = etree.SubElement(root, f"{{{OAI_NS}}}request", {"verb": verb, **attributes})
    request.text = "http://gw/oai"
    body = etree.SubElement(root, f"{{{OAI_NS}}}{verb}")
    body.extend(children)
    return parse(etree.tostring(root))


def test_static_repository_follows_the_format(real: Real) -> None:
    schema = oai_schema()
    root = parse((real.site / layout.STATIC_REPOSITORY).read_bytes())
    assert root.tag == f"{{{STATIC}}}Repository"
    parts = [etree.QName(c).localname for c in root]
    assert parts == ["Identify", "ListMetadataFormats", "ListRecords", "ListRecords"]
    identify = root.find(f"{{{STATIC}}}Identify")
    assert identify is not None
    assert identify.findtext("o:granularity", namespaces=NS) == "YYYY-MM-DD"
    assert identify.findtext("o:deletedRecord", namespaces=NS) == "no"
    assert identify.find("o:compression", NS) is None
    assert identify.findtext("o:baseURL", namespaces=NS) == (
        f"{real.config.edition.base_url}{layout.STATIC_REPOSITORY}"
    )
    copied = [etree.fromstring(etree.tostring(c)) for c in identify]
    assert not schema_errors(schema, _wrap("Identify", copied, {}))
    formats = root.find(f"{{{STATIC}}}ListMetadataFormats")
    assert formats is not None
    copied = [etree.fromstring(etree.tostring(c)) for c in formats]
    assert not schema_errors(schema, _wrap("ListMetadataFormats", copied, {}))
    expected = [f"oai:cmc-edition.example.org:{d.id}" for d in real.corpus.documents]
    for block in root.iterfind(f"{{{STATIC}}}ListRecords"):
        prefix = block.get("metadataPrefix", "")
        assert prefix in {"oai_dc", "tei"}
        found = [r.findtext("o:header/o:identifier", namespaces=NS) for r in block]
        assert found == expected
        assert block.find(".//o:setSpec", NS) is None  # static repositories have no sets
        assert block.find(".//o:resumptionToken", NS) is None
        assert all(r.find("o:metadata", NS) is not None for r in block)
        copied = [etree.fromstring(etree.tostring(c)) for c in block]
        wrapped = _wrap("ListRecords", copied, {"metadataPrefix": prefix})
        assert not schema_errors(schema, wrapped)


def test_static_repository_records_carry_the_tei_unchanged(real: Real) -> None:
    root = parse((real.site / layout.STATIC_REPOSITORY).read_bytes())
    block = root.find(f"{{{STATIC}}}ListRecords[@metadataPrefix='tei']")
    assert block is not None
    members = block.findall("o:record/o:metadata/t:TEI", NS)
    assert [_c14n(m) for m in members] == [_c14n(d.file.root) for d in real.corpus.documents]


# --- The records file for `edition serve` ------------------------------------------------------------


def test_the_records_file_holds_every_document_in_both_formats(real: Real) -> None:
    repository = records.load(real.site / layout.OAI_RECORDS)
    assert [r.identifier.rsplit(":", 1)[1] for r in repository.records] == [
        d.id for d in real.corpus.documents
    ]
    for record, document in zip(repository.records, real.corpus.documents, strict=True):
        assert set(record.metadata) == {"oai_dc", "tei"}
        assert _c14n(record.metadata["tei"]) == _c14n(document.file.root)
        assert record.datestamp == document.modified
    assert repository.earliest_datestamp == min(
        d.modified for d in real.corpus.documents if d.modified
    )
    assert repository.name == real.config.oai.repository_name
    assert len(repository.fingerprint) == 32


def test_a_broken_records_file_is_reported_not_served(tmp_path: Path) -> None:
    path = tmp_path / "oai-records.xml"
    path.write_text("<records/>")
    with pytest.raises(records.RecordsError, match="root element"):
        records.load(path)
    with pytest.raises(records.RecordsError, match="edition build"):
        records.load(tmp_path / "missing.xml")


# --- sitemap.xml and robots.txt ------------------------------------------------------------------------


def test_the_sitemap_lists_every_page_under_base_url(real: Real) -> None:
    base = real.config.edition.base_url
    root = parse((real.site / layout.SITEMAP).read_bytes())
    urls = [u.findtext("s:loc", namespaces=NS) or "" for u in root.findall("s:url", NS)]
    assert len(urls) == len(set(urls))
    assert all(url.startswith(base) for url in urls)
    expected = {base + document_path(d.id) for d in real.corpus.documents}
    expected |= {
        base + entry_path(key)
        for key, entry in real.corpus.entries.items()
        if entry.kind in {"person", "place", "org"}
    }
    expected |= {base if page == "index.html" else base + page for page in FIXED_PAGES}
    assert set(urls) == expected
    lastmod = {
        u.findtext("s:loc", namespaces=NS): u.findtext("s:lastmod", namespaces=NS)
        for u in root.findall("s:url", NS)
    }
    assert lastmod[base + "documents/khrushchev-castro-1962-10-28.html"] == "2026-11-23"


def test_the_sitemap_includes_other_built_pages(mini: Edition, tmp_path: Path) -> None:
    config = load_config(mini.root)
    site = tmp_path / "build" / "site"
    (site / "about").mkdir(parents=True)
    (site / "about" / "editorial-principles.html").write_text("<html></html>")
    (site / "404.html").write_text("<html></html>")
    _corpus, site = build_harvest(config, tmp_path / "build")
    text = (site / layout.SITEMAP).read_text()
    assert "https://cmc-edition.example.org/about/editorial-principles.html" in text
    assert "404.html" not in text


def test_robots_txt_points_to_the_sitemap(real: Real) -> None:
    text = (real.site / layout.ROBOTS).read_text()
    assert "User-agent: *" in text
    assert f"Sitemap: {real.config.edition.base_url}sitemap.xml" in text.splitlines()


# --- In the build --------------------------------------------------------------------------------------


def test_edition_build_runs_the_harvest_stage_after_the_site(mini: Edition) -> None:
    """In a real build, the sitemap lists exactly the HTML pages the site stage wrote."""
    config = load_config(mini.root)
    before = _digest(mini.root / "tei")
    result = build(config, targets=("site", "harvest"))
    assert "harvest" in result.timings
    site = config.build_dir / "site"
    for path in (layout.CMIF, layout.TEI_ZIP, layout.OAI_RECORDS, layout.STATIC_REPOSITORY):
        assert (site / path).is_file(), path
    assert _digest(mini.root / "tei") == before
    base = config.edition.base_url
    root = parse((site / layout.SITEMAP).read_bytes())
    listed = {
        (u.text or "").removeprefix(base) or "index.html" for u in root.iterfind(".//s:loc", NS)
    }
    built = {
        p.relative_to(site).as_posix()
        for p in site.rglob("*.html")
        if not p.relative_to(site).as_posix().startswith("pagefind/")
    }
    assert listed == built
