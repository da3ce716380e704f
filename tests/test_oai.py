"""The OAI-PMH 2.0 endpoint: the protocol as pure functions, and `edition serve` harvested for real.

Every response is validated against OAI-PMH.xsd (the shared copy at <repo>/../shared/standards). The
protocol tests call ``edition.oai.protocol.respond`` directly; the harvesting tests start uvicorn on a free
loopback port and harvest with oaipmh-scythe, a real OAI-PMH client, with a page size of 2 so that every
list is resumed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import http.client
import math
import shutil
import stat
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from oaipmh_scythe import Scythe

from edition.cli import main
from edition.config import Config, load_config
from edition.corpus import Corpus
from edition.harvest import layout
from edition.oai import records, tokens
from edition.oai.protocol import Context, respond
from edition.server import ServerError, create_app, load_secret, secret_file
from tests.conftest import Edition
from tests.fixtures.harvest.support import (
    REPO,
    LiveServer,
    build_harvest,
    oai_schema,
    parse,
    schema_errors,
)

OAI = "http://www.openarchives.org/OAI/2.0/"
NS = {"o": OAI, "dc": "http://purl.org/dc/elements/1.1/", "tei": "http://www.tei-c.org/ns/1.0"}
SECRET = b"test-secret-for-resumption-tokens"
BASE = "http://oai.test/oai"
NOW = dt.datetime(2026, 11, 23, 12, 0, 0, tzinfo=dt.UTC)
PROTOCOL_ERRORS = {
    "badVerb",
    "badArgument",
    "cannotDisseminateFormat",
    "idDoesNotExist",
    "noRecordsMatch",
    "noMetadataFormats",
    "badResumptionToken",
    "noSetHierarchy",
}


@dataclasses.dataclass
class Built:
    config: Config
    corpus: Corpus
    site: Path

    @property
    def repository(self) -> records.Repository:
        return records.load(self.site / layout.OAI_RECORDS)

    def identifier(self, doc_id: str) -> str:
        return f"oai:cmc-edition.example.org:{doc_id}"


@pytest.fixture(scope="module")
def schema() -> etree.XMLSchema:
    return oai_schema()


@pytest.fixture(scope="module")
def real(tmp_path_factory: pytest.TempPathFactory) -> Built:
    config = load_config(REPO)
    corpus, site = build_harvest(config, tmp_path_factory.mktemp("real-build"))
    return Built(config, corpus, site)


def _context(repository: records.Repository, page_size: int = 2, secret: bytes = SECRET) -> Context:
    return Context(repository, secret, page_size, BASE, NOW)


def ask(
    schema: etree.XMLSchema,
    query: str,
    repository: records.Repository,
    page_size: int = 2,
    secret: bytes = SECRET,
) -> etree._Element:
    """The response to ``query``, checked against OAI-PMH.xsd."""
    root = parse(respond(query, _context(repository, page_size, secret)))
    errors = schema_errors(schema, root)
    assert not errors, f"{query!r}: response not valid against OAI-PMH.xsd:\n{errors}"
    return root


def error_codes(root: etree._Element) -> list[str]:
    return [e.get("code", "") for e in root.findall("o:error", NS)]


def request_attributes(root: etree._Element) -> dict[str, str]:
    request = root.find("o:request", NS)
    assert request is not None
    return {str(name): str(value) for name, value in request.attrib.items()}


def _collect(
    schema: etree.XMLSchema, query: str, repository: records.Repository, item: str
) -> tuple[list[etree._Element], int]:
    """Follow resumption tokens through the pure protocol; the items and how many requests it took."""
    items: list[etree._Element] = []
    requests = 0
    verb = urllib.parse.parse_qs(query)["verb"][0]
    while True:
        root = ask(schema, query, repository)
        requests += 1
        assert not error_codes(root), etree.tostring(root)
        body = root.find(f"o:{verb}", NS)
        assert body is not None
        items += body.findall(item, NS)
        token = body.find("o:resumptionToken", NS)
        if token is None or not token.text:
            return items, requests
        query = urllib.parse.urlencode({"verb": verb, "resumptionToken": token.text})


# --- Identify, ListMetadataFormats, ListSets, GetRecord ---------------------------------------------


def test_identify_tells_the_truth(real: Built, schema: etree.XMLSchema) -> None:
    root = ask(schema, "verb=Identify", real.repository)
    identify = root.find("o:Identify", NS)
    assert identify is not None
    assert identify.findtext("o:repositoryName", namespaces=NS) == real.config.oai.repository_name
    assert identify.findtext("o:baseURL", namespaces=NS) == BASE
    assert identify.findtext("o:protocolVersion", namespaces=NS) == "2.0"
    assert identify.findtext("o:adminEmail", namespaces=NS) == real.config.oai.admin_email
    earliest = min(d.modified for d in real.corpus.documents if d.modified)
    assert identify.findtext("o:earliestDatestamp", namespaces=NS) == earliest.isoformat()
    assert identify.findtext("o:deletedRecord", namespaces=NS) == "no"
    assert identify.findtext("o:granularity", namespaces=NS) == "YYYY-MM-DD"
    assert request_attributes(root) == {"verb": "Identify"}
    assert root.findtext("o:responseDate", namespaces=NS) == "2026-11-23T12:00:00Z"


def test_list_metadata_formats_offers_oai_dc_and_tei(real: Built, schema: etree.XMLSchema) -> None:
    for query in (
        "verb=ListMetadataFormats",
        "verb=ListMetadataFormats&identifier="
        + real.identifier(real.corpus.documents[0].id).replace(":", "%3A"),
    ):
        root = ask(schema, query, real.repository)
        prefixes = [e.text for e in root.iterfind(".//o:metadataPrefix", NS)]
        assert prefixes == ["oai_dc", "tei"]
        namespaces = [e.text for e in root.iterfind(".//o:metadataNamespace", NS)]
        assert namespaces == [
            "http://www.openarchives.org/OAI/2.0/oai_dc/",
            "http://www.tei-c.org/ns/1.0",
        ]


def test_list_sets_covers_types_and_correspondents(real: Built, schema: etree.XMLSchema) -> None:
    sets, requests = _collect(schema, "verb=ListSets", real.repository, "o:set")
    specs = [s.findtext("o:setSpec", default="", namespaces=NS) for s in sets]
    types = {d.type for d in real.corpus.documents}
    people = {
        (c.key or "").partition(":")[2]
        for d in real.corpus.documents
        for c in d.senders + d.recipients
    }
    expected = {"type", "correspondent"} | {f"type:{t}" for t in types}
    expected |= {f"correspondent:{p}" for p in people}
    assert sorted(specs) == sorted(expected)  # every set once
    assert requests == math.ceil(len(expected) / 2)
    names = {
        s.findtext("o:setSpec", namespaces=NS): s.findtext("o:setName", namespaces=NS) for s in sets
    }
    assert names["correspondent:khrushchev"] == "Correspondence of Nikita Khrushchev"
    assert names["type:letter"] == "Letters"


def test_get_record_gives_the_documents_own_tei(real: Built, schema: etree.XMLSchema) -> None:
    document = real.corpus.document("khrushchev-castro-1962-10-28")
    assert document is not None
    identifier = real.identifier(document.id)
    root = ask(
        schema, f"verb=GetRecord&identifier={identifier}&metadataPrefix=tei", real.repository
    )
    tei = root.find(".//o:metadata/tei:TEI", NS)
    assert tei is not None
    source = etree.parse(str(document.file.path), etree.XMLParser(resolve_entities=False))
    assert etree.tostring(tei, method="c14n", exclusive=True) == etree.tostring(
        source.getroot(), method="c14n", exclusive=True
    )
    header = root.find(".//o:header", NS)
    assert header is not None
    assert header.findtext("o:identifier", namespaces=NS) == identifier
    assert header.findtext("o:datestamp", namespaces=NS) == "2026-11-23"
    assert [s.text for s in header.findall("o:setSpec", NS)] == [
        "type:letter",
        "correspondent:khrushchev",
        "correspondent:castro",
    ]


def test_get_record_in_dublin_core(real: Built, schema: etree.XMLSchema) -> None:
    document = real.corpus.document("dobrynin-soviet-foreign-ministry-1962-10-27")
    assert document is not None
    query = f"verb=GetRecord&identifier={real.identifier(document.id)}&metadataPrefix=oai_dc"
    root = ask(schema, query, real.repository)

    def values(tag: str) -> list[str]:
        return [e.text or "" for e in root.iterfind(f".//dc:{tag}", NS)]

    assert values("title") == [document.title]
    assert values("creator") == ["Anatoly Dobrynin"]
    assert values("contributor") == ["Ministry of Foreign Affairs of the USSR"]
    assert values("date") == ["1962-10-27"]
    assert values("type") == ["Text", "cable"]
    assert real.config.document_url(document.id) in values("identifier")
    assert values("description") == [document.abstract]


# --- Errors -----------------------------------------------------------------------------------------

KNOWN = "oai:cmc-edition.example.org:khrushchev-castro-1962-10-28"
ERROR_CASES = [
    ("", "badVerb"),
    ("verb=", "badVerb"),
    ("verb=Nonsense", "badVerb"),
    ("verb=identify", "badVerb"),
    ("verb=Identify&verb=Identify", "badVerb"),
    ("metadataPrefix=oai_dc", "badVerb"),
    ("verb=Identify&foo=bar", "badArgument"),
    ("verb=Identify&metadataPrefix=oai_dc", "badArgument"),
    ("verb=ListRecords", "badArgument"),
    ("verb=ListIdentifiers&set=type", "badArgument"),
    ("verb=GetRecord&identifier=" + KNOWN, "badArgument"),
    ("verb=GetRecord&metadataPrefix=oai_dc", "badArgument"),
    ("verb=ListRecords&metadataPrefix=oai_dc&metadataPrefix=tei", "badArgument"),
    ("verb=ListRecords&metadataPrefix=oai_dc&from=2026-13-01", "badArgument"),
    ("verb=ListRecords&metadataPrefix=oai_dc&from=2026-02-30", "badArgument"),
    ("verb=ListRecords&metadataPrefix=oai_dc&until=26-01-01", "badArgument"),
    ("verb=ListRecords&metadataPrefix=oai_dc&from=2026-11-23T00:00:00Z", "badArgument"),
    ("verb=ListRecords&metadataPrefix=oai_dc&from=2026-12-01&until=2026-01-01", "badArgument"),
    ("verb=ListRecords&metadataPrefix=oai_dc&resumptionToken=abc", "badArgument"),
    ("verb=ListIdentifiers&metadataPrefix=oai_dc&set=not a set", "badArgument"),
    ("verb=ListIdentifiers&metadataPrefix=oai%20dc", "badArgument"),
    ("verb=GetRecord&identifier=has%20space&metadataPrefix=oai_dc", "badArgument"),
    ("verb=ListSets&set=type", "badArgument"),
    ("verb=ListRecords&metadataPrefix=oai_dc&from=%00", "badArgument"),
    ("verb=ListRecords&metadataPrefix=marc21", "cannotDisseminateFormat"),
    ("verb=ListIdentifiers&metadataPrefix=marc21&set=type", "cannotDisseminateFormat"),
    (f"verb=GetRecord&identifier={KNOWN}&metadataPrefix=marc21", "cannotDisseminateFormat"),
    ("verb=GetRecord&identifier=oai:nowhere:1&metadataPrefix=oai_dc", "idDoesNotExist"),
    ("verb=ListMetadataFormats&identifier=oai:nowhere:1", "idDoesNotExist"),
    ("verb=ListRecords&metadataPrefix=oai_dc&from=2100-01-01", "noRecordsMatch"),
    ("verb=ListRecords&metadataPrefix=tei&until=1999-12-31", "noRecordsMatch"),
    ("verb=ListIdentifiers&metadataPrefix=oai_dc&set=correspondent:nobody", "noRecordsMatch"),
    ("verb=ListRecords&resumptionToken=garbage", "badResumptionToken"),
    ("verb=ListIdentifiers&resumptionToken=", "badResumptionToken"),
    ("verb=ListSets&resumptionToken=a.b", "badResumptionToken"),
]


@pytest.mark.parametrize(("query", "code"), ERROR_CASES)
def test_each_error_condition(real: Built, schema: etree.XMLSchema, query: str, code: str) -> None:
    root = ask(schema, query, real.repository)
    assert error_codes(root) and set(error_codes(root)) == {code}, etree.tostring(root)
    attributes = request_attributes(root)
    if code in {"badVerb", "badArgument"}:
        assert attributes == {}  # the protocol: the base URL only, no attributes
    else:
        given = dict(urllib.parse.parse_qsl(query, keep_blank_values=True))
        assert attributes == given


def test_no_set_hierarchy_where_a_repository_has_no_sets(
    real: Built, schema: etree.XMLSchema
) -> None:
    without_sets = dataclasses.replace(real.repository, sets=())
    for query in ("verb=ListSets", "verb=ListRecords&metadataPrefix=oai_dc&set=type"):
        assert error_codes(ask(schema, query, without_sets)) == ["noSetHierarchy"]
    # ... while the same repository without the set argument still lists its records
    assert not error_codes(ask(schema, "verb=ListIdentifiers&metadataPrefix=tei", without_sets))


# --- Resumption tokens --------------------------------------------------------------------------------


def _first_token(schema: etree.XMLSchema, repository: records.Repository, verb: str) -> str:
    root = ask(schema, f"verb={verb}&metadataPrefix=oai_dc", repository)
    token = root.findtext(f".//o:{verb}/o:resumptionToken", namespaces=NS)
    assert token
    return token


def _flip(text: str, index: int) -> str:
    replacement = "A" if text[index] != "A" else "B"
    return text[:index] + replacement + text[index + 1 :]


def test_tampered_tokens_are_refused(real: Built, schema: etree.XMLSchema) -> None:
    repository = real.repository
    token = _first_token(schema, repository, "ListRecords")
    assert error_codes(ask(schema, f"verb=ListRecords&resumptionToken={token}", repository)) == []
    payload, signature = token.split(".")
    position = tokens.decode(token, SECRET)
    assert position is not None and position.offset == 2
    forged_offset = tokens.encode(dataclasses.replace(position, offset=0), b"another secret!!")
    unsigned = tokens.encode(dataclasses.replace(position, offset=4), SECRET).split(".")[0]
    tampered = [
        _flip(payload, 5) + "." + signature,  # a changed payload
        payload + "." + _flip(signature, 3),  # a changed signature
        payload,  # no signature
        unsigned + "." + signature,  # another payload under this signature
        forged_offset,  # signed with another key
        token + "x",
        "." + signature,
    ]
    for bad in tampered:
        query = urllib.parse.urlencode({"verb": "ListRecords", "resumptionToken": bad})
        root = ask(schema, query, repository)
        assert error_codes(root) == ["badResumptionToken"], bad
        assert request_attributes(root) == {"verb": "ListRecords", "resumptionToken": bad}


def test_a_token_only_resumes_its_own_verb_and_record_set(
    real: Built, schema: etree.XMLSchema
) -> None:
    repository = real.repository
    token = _first_token(schema, repository, "ListIdentifiers")
    assert error_codes(ask(schema, f"verb=ListRecords&resumptionToken={token}", repository)) == [
        "badResumptionToken"
    ]
    rebuilt = dataclasses.replace(repository, fingerprint="a-different-record-set")
    assert error_codes(ask(schema, f"verb=ListIdentifiers&resumptionToken={token}", rebuilt)) == [
        "badResumptionToken"
    ]
    other_secret = b"the server's key was changed!"
    assert error_codes(
        ask(
            schema, f"verb=ListIdentifiers&resumptionToken={token}", repository, secret=other_secret
        )
    ) == ["badResumptionToken"]


def test_paging_shows_each_record_once_with_cursor_and_size(
    real: Built, schema: etree.XMLSchema
) -> None:
    total = len(real.corpus.documents)
    query = "verb=ListIdentifiers&metadataPrefix=oai_dc"
    cursors = []
    seen: list[str] = []
    while True:
        root = ask(schema, query, real.repository)
        seen += [h.text or "" for h in root.iterfind(".//o:header/o:identifier", NS)]
        token = root.find(".//o:resumptionToken", NS)
        assert token is not None
        assert token.get("completeListSize") == str(total)
        cursors.append(int(token.get("cursor", "-1")))
        if not token.text:
            break
        query = urllib.parse.urlencode({"verb": "ListIdentifiers", "resumptionToken": token.text})
    assert cursors == list(range(0, total, 2))
    assert seen == [real.identifier(d.id) for d in real.corpus.documents]


def test_a_list_that_fits_one_page_has_no_token(real: Built, schema: etree.XMLSchema) -> None:
    root = ask(schema, "verb=ListIdentifiers&metadataPrefix=tei", real.repository, page_size=100)
    assert root.find(".//o:resumptionToken", NS) is None
    assert len(root.findall(".//o:header", NS)) == len(real.corpus.documents)


# --- Selective harvesting -----------------------------------------------------------------------------


@pytest.fixture
def dated(mini: Edition, tmp_path: Path) -> Built:
    """The mini edition with three different datestamps: 2025-12-01, 2026-01-01 and 2026-02-01."""
    mini.edit(
        "tei/alpha-beta-1962-10-22.xml", '<change when="2026-01-01">', '<change when="2025-12-01">'
    )
    mini.edit(
        "tei/beta-alpha-1962-10-23.xml", '<change when="2026-01-01">', '<change when="2026-02-01">'
    )
    config = load_config(mini.root)
    corpus, site = build_harvest(config, tmp_path / "build")
    return Built(config, corpus, site)


def _identifiers(schema: etree.XMLSchema, query: str, built: Built) -> list[str]:
    root = ask(schema, query, built.repository, page_size=10)
    if error_codes(root) == ["noRecordsMatch"]:
        return []
    return [
        e.text.rsplit(":", 1)[1] for e in root.iterfind(".//o:header/o:identifier", NS) if e.text
    ]


def test_from_and_until_select_on_datestamps(dated: Built, schema: etree.XMLSchema) -> None:
    base = "verb=ListIdentifiers&metadataPrefix=oai_dc"
    assert _identifiers(schema, base + "&from=2026-01-02", dated) == ["beta-alpha-1962-10-23"]
    assert _identifiers(schema, base + "&until=2025-12-01", dated) == ["alpha-beta-1962-10-22"]
    assert _identifiers(schema, base + "&from=2026-01-01&until=2026-01-01", dated) == [
        "alpha-beta-1962-10-24"
    ]
    assert _identifiers(schema, base + "&from=2025-12-01&until=2026-02-01", dated) == [
        d.id for d in dated.corpus.documents
    ]
    assert _identifiers(schema, base + "&from=2026-02-02", dated) == []
    identify = ask(schema, "verb=Identify", dated.repository)
    assert identify.findtext(".//o:earliestDatestamp", namespaces=NS) == "2025-12-01"


def test_sets_select_by_type_and_correspondent(dated: Built, schema: etree.XMLSchema) -> None:
    base = "verb=ListIdentifiers&metadataPrefix=tei&set="
    assert _identifiers(schema, base + "type:telegram", dated) == ["beta-alpha-1962-10-23"]
    assert _identifiers(schema, base + "type:letter", dated) == [
        "alpha-beta-1962-10-22",
        "alpha-beta-1962-10-24",
    ]
    assert len(_identifiers(schema, base + "type", dated)) == 3  # a parent set holds its children
    assert len(_identifiers(schema, base + "correspondent:alpha", dated)) == 3
    assert _identifiers(schema, base + "type:cable", dated) == []
    both = base + "type:letter&from=2026-01-01"
    assert _identifiers(schema, both, dated) == ["alpha-beta-1962-10-24"]


# --- The server ---------------------------------------------------------------------------------------


class ResponseLog:
    """Counts the client's requests and validates every response it receives."""

    def __init__(self, schema: etree.XMLSchema) -> None:
        self.schema = schema
        self.count = 0

    def __call__(self, response: Any) -> None:
        response.read()
        self.count += 1
        assert response.status_code == 200
        root = parse(response.content)
        errors = schema_errors(self.schema, root)
        assert not errors, errors


def _scythe(url: str, log: ResponseLog) -> Any:
    scythe = Scythe(url + "/oai")
    scythe.client.event_hooks["response"].append(log)
    return scythe


def test_harvest_everything_with_a_real_client(
    real: Built, schema: etree.XMLSchema, capsys: pytest.CaptureFixture[str]
) -> None:
    expected = [real.identifier(d.id) for d in real.corpus.documents]
    app = create_app(real.site, SECRET, page_size=2)
    log = ResponseLog(schema)
    started = time.perf_counter()
    with LiveServer(app) as server, _scythe(server.url, log) as scythe:
        identify = scythe.identify()
        assert identify.baseURL == server.url + "/oai"
        formats = [f.metadataPrefix for f in scythe.list_metadata_formats()]
        assert formats == ["oai_dc", "tei"]
        harvested = {}
        for prefix in formats:
            found = [r.header.identifier for r in scythe.list_records(metadata_prefix=prefix)]
            assert sorted(found) == sorted(expected), prefix  # nothing missing
            assert len(found) == len(set(found)), prefix  # nothing twice
            harvested[prefix] = found
        headers = [h.identifier for h in scythe.list_identifiers(metadata_prefix="oai_dc")]
        assert headers == expected
        sets = [s.setSpec for s in scythe.list_sets()]
        assert len(sets) == len(set(sets)) == len(real.repository.sets)
        tei = next(iter(scythe.list_records(metadata_prefix="tei")))
        assert tei.xml.find(".//tei:TEI", NS) is not None
    seconds = time.perf_counter() - started
    pages = math.ceil(len(expected) / 2)
    sets_pages = math.ceil(len(sets) / 2)
    # Identify + ListMetadataFormats + 2 x ListRecords + ListIdentifiers + ListSets + one more page
    assert log.count == 2 + 3 * pages + sets_pages + 1
    with capsys.disabled():
        print(
            f"\nfull harvest of {len(expected)} records in oai_dc and tei (page size 2): "
            f"{log.count} requests, {seconds:.2f} s"
        )


def test_tokens_survive_a_restart_but_not_a_new_secret(
    real: Built, schema: etree.XMLSchema
) -> None:
    with LiveServer(create_app(real.site, SECRET, page_size=2)) as first:
        page = parse(httpx.get(first.url + "/oai?verb=ListRecords&metadataPrefix=tei").content)
    token = page.findtext(".//o:resumptionToken", namespaces=NS)
    assert token
    resume = {"verb": "ListRecords", "resumptionToken": token}
    with LiveServer(create_app(real.site, SECRET, page_size=2)) as second:
        root = parse(httpx.get(second.url + "/oai", params=resume).content)
        assert not schema_errors(schema, root)
        assert error_codes(root) == []
        assert len(root.findall(".//o:record", NS)) == 2
    with LiveServer(create_app(real.site, b"a new secret after a restart", 2)) as third:
        root = parse(httpx.get(third.url + "/oai", params=resume).content)
        assert error_codes(root) == ["badResumptionToken"]


def test_post_is_answered_like_get(real: Built, schema: etree.XMLSchema) -> None:
    with LiveServer(create_app(real.site, SECRET, page_size=2)) as server:
        posted = httpx.post(
            server.url + "/oai",
            data={"verb": "GetRecord", "identifier": KNOWN, "metadataPrefix": "tei"},
        )
        fetched = httpx.get(
            server.url + "/oai",
            params={"verb": "GetRecord", "identifier": KNOWN, "metadataPrefix": "tei"},
        )
        other = httpx.post(
            server.url + "/oai", content=b"verb=Identify", headers={"content-type": "text/plain"}
        )
        assert posted.headers["content-type"] == "text/xml; charset=utf-8"
        for response in (posted, fetched, other):
            assert response.status_code == 200
            assert not schema_errors(schema, parse(response.content))
        posted_record = parse(posted.content).find(".//o:record", NS)
        fetched_record = parse(fetched.content).find(".//o:record", NS)
        assert posted_record is not None and fetched_record is not None
        assert etree.tostring(posted_record) == etree.tostring(fetched_record)
        assert error_codes(parse(other.content)) == ["badVerb"]  # not a form: no arguments at all


def test_behind_a_reverse_proxy_identify_names_the_public_url(real: Built) -> None:
    """nginx/Apache pass Host and X-Forwarded-Proto; uvicorn trusts them from 127.0.0.1 by default."""
    with LiveServer(create_app(real.site, SECRET, page_size=2)) as server:
        response = httpx.get(
            server.url + "/oai?verb=Identify",
            headers={"Host": "cmc-edition.example.org", "X-Forwarded-Proto": "https"},
        )
    root = parse(response.content)
    assert root.findtext(".//o:baseURL", namespaces=NS) == "https://cmc-edition.example.org/oai"
    assert root.findtext("o:request", namespaces=NS) == "https://cmc-edition.example.org/oai"


def test_the_site_is_served_beside_the_endpoint(real: Built) -> None:
    with LiveServer(create_app(real.site, SECRET, page_size=2)) as server:
        zipped = httpx.get(server.url + "/" + layout.TEI_ZIP)
        assert zipped.status_code == 200
        assert zipped.content == (real.site / layout.TEI_ZIP).read_bytes()
        assert httpx.get(server.url + "/cmif.xml").status_code == 200
        assert httpx.get(server.url + "/no-such-page.html").status_code == 404


def test_the_server_reads_only_what_the_build_wrote_and_follows_a_rebuild(
    mini: Edition, tmp_path: Path, schema: etree.XMLSchema
) -> None:
    config = load_config(mini.root)
    _corpus, site = build_harvest(config, tmp_path / "build")
    with LiveServer(create_app(site, SECRET, page_size=2)) as server:
        url = server.url + "/oai"
        first = parse(
            httpx.get(url, params={"verb": "ListIdentifiers", "metadataPrefix": "tei"}).content
        )
        token = first.findtext(".//o:resumptionToken", namespaces=NS)
        assert token
        shutil.rmtree(mini.root / "tei")  # the server never reads the TEI itself
        after = parse(
            httpx.get(url, params={"verb": "ListRecords", "metadataPrefix": "tei"}).content
        )
        assert len(after.findall(".//o:record", NS)) == 2
        # A rebuild with a changed record set: the new records are served, old tokens refused.
        shutil.copytree(REPO / "tests" / "fixtures" / "mini-edition" / "tei", mini.root / "tei")
        mini.edit(
            "tei/alpha-beta-1962-10-22.xml",
            '<change when="2026-01-01">',
            '<change when="2026-05-05">',
        )
        build_harvest(load_config(mini.root), tmp_path / "build")
        record = parse(
            httpx.get(
                url,
                params={
                    "verb": "GetRecord",
                    "identifier": "oai:cmc-edition.example.org:alpha-beta-1962-10-22",
                    "metadataPrefix": "oai_dc",
                },
            ).content
        )
        assert record.findtext(".//o:datestamp", namespaces=NS) == "2026-05-05"
        stale = parse(
            httpx.get(url, params={"verb": "ListIdentifiers", "resumptionToken": token}).content
        )
        assert error_codes(stale) == ["badResumptionToken"]
        assert not schema_errors(schema, stale)


# --- Random malformed requests ------------------------------------------------------------------------

_NAMES = [
    "verb",
    "metadataPrefix",
    "identifier",
    "set",
    "from",
    "until",
    "resumptionToken",
    "Verb",
    "x",
    "",
]
_VALUES = [
    "Identify",
    "ListRecords",
    "ListIdentifiers",
    "ListSets",
    "GetRecord",
    "ListMetadataFormats",
    "oai_dc",
    "tei",
    KNOWN,
    "type:letter",
    "2026-11-23",
    "2026-11-23T00:00:00Z",
    "",
]
_SAFE = "".join(chr(c) for c in range(0x21, 0x7F) if chr(c) not in "#%&=+")


def _percent_bytes() -> st.SearchStrategy[str]:
    return st.binary(min_size=1, max_size=4).map(lambda b: "".join(f"%{x:02X}" for x in b))


_junk = st.lists(
    st.one_of(
        st.text(alphabet=_SAFE, max_size=12),
        _percent_bytes(),
        st.sampled_from(["%", "%G1", "+", "%zz"]),
    ),
    max_size=4,
).map("".join)
_name = st.one_of(st.sampled_from(_NAMES), _junk)
_value = st.one_of(st.sampled_from(_VALUES), _junk)
_pair = st.one_of(
    st.tuples(_name, _value).map(lambda p: f"{p[0]}={p[1]}"),
    _name,
    st.tuples(_name, _value, _value).map(lambda p: f"{p[0]}={p[1]}={p[2]}"),
)
_separator = st.sampled_from(["&", "&&", ";", "&=&"])
malformed_queries = st.lists(st.tuples(_pair, _separator), max_size=6).map(
    lambda parts: "".join(pair + separator for pair, separator in parts)
)


@pytest.fixture(scope="module")
def live(real: Built) -> Iterator[LiveServer]:
    with LiveServer(create_app(real.site, SECRET, page_size=2)) as server:
        yield server


def _raw_get(server: LiveServer, query: str) -> tuple[int, str, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        connection.putrequest("GET", "/oai?" + query, skip_accept_encoding=True)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, response.getheader("content-type", ""), response.read()
    finally:
        connection.close()


@settings(
    max_examples=100,
    database=None,  # nothing written outside tmp_path
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(query=malformed_queries)
def test_random_malformed_requests_get_protocol_answers(
    live: LiveServer, schema: etree.XMLSchema, query: str
) -> None:
    status, content_type, body = _raw_get(live, query)
    assert status == 200, (query, body[:300])
    assert content_type == "text/xml; charset=utf-8"
    root = parse(body)
    errors = schema_errors(schema, root)
    assert not errors, (query, errors)
    codes = error_codes(root)
    assert set(codes) <= PROTOCOL_ERRORS
    pairs = urllib.parse.parse_qsl(query, keep_blank_values=True, errors="replace")
    verbs = [value for name, value in pairs if name == "verb"]
    legal = {
        "Identify",
        "ListMetadataFormats",
        "ListSets",
        "GetRecord",
        "ListIdentifiers",
        "ListRecords",
    }
    if len(verbs) != 1 or verbs[0] not in legal:
        assert codes == ["badVerb"], (query, codes)
    if not codes:
        assert request_attributes(root)["verb"] == verbs[0]
    if codes and codes[0] in {"badVerb", "badArgument"}:
        assert request_attributes(root) == {}


# --- The secret and the command ------------------------------------------------------------------------


def test_the_token_secret_lives_outside_the_site(real: Built, tmp_path: Path) -> None:
    environment = {"XDG_STATE_HOME": str(tmp_path / "state")}
    key = load_secret(environment)
    path = secret_file(environment)
    assert path.is_file() and stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_secret(environment) == key  # the same key after a restart
    assert not path.resolve().is_relative_to(real.site.resolve())
    for published in real.site.rglob("*"):
        if published.is_file():
            assert key not in published.read_bytes()
    assert load_secret({"EDITION_OAI_SECRET": "x" * 40}) == b"x" * 40
    with pytest.raises(ServerError, match="at least"):
        load_secret({"EDITION_OAI_SECRET": "short"})


def test_serve_without_a_build_says_what_to_do(mini: Edition) -> None:
    result = CliRunner().invoke(main, ["--root", str(mini.root), "serve", "--port", "8999"])
    assert result.exit_code == 2
    assert "edition build" in result.output


def test_serve_options_default_to_loopback() -> None:
    result = CliRunner().invoke(main, ["serve", "--help"])
    assert result.exit_code == 0
    assert "127.0.0.1" in result.output and "8000" in result.output


def test_secret_file_follows_xdg_state_home() -> None:
    assert secret_file({"XDG_STATE_HOME": "/somewhere"}) == Path("/somewhere/edition/oai-secret")
    assert secret_file({}) == Path.home() / ".local/state/edition/oai-secret"
