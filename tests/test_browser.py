"""The HTML edition in a real browser (headless Chromium through Playwright), from the file system and
from a local web server: reading, notes, previous/next, the reading switch, registers, search, citing,
the documents table, accessibility (axe-core) and screenshots at desktop and phone width.

Every test fails if the page tried to load anything from outside the site, or if the browser reported an
error (a script error, or a Content Security Policy violation).
"""

from __future__ import annotations

import functools
import http.server
import json
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from edition.site.search import shard_of
from tests.built_site import BuiltSite, built_site
from tests.conftest import REPO
from tests.test_search import (
    a_word_of_each,
    build_sharded_site,
    rare_words,
    serving,
    sharded_count,
)

playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = REPO / "test-artifacts"
LETTER = "khrushchev-castro-1962-10-28"
CALENDAR = "khrushchev-kennedy-1962-10-24"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

if not CHROMIUM.exists():  # pragma: no cover - the project's set-up installs it
    pytest.skip(
        "Debian's chromium is not installed (make test installs it)", allow_module_level=True
    )


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    return built_site(tmp_path_factory)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="session")
def server(site: BuiltSite) -> Iterator[str]:
    """The built site on a local web server, as a reader's web host would serve it."""
    handler = functools.partial(_QuietHandler, directory=str(site.root))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    with playwright_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@dataclass
class Reader:
    """A browser tab that records every request and error, and refuses requests outside the site."""

    page: object
    site_url: str
    server_url: str
    outside: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def open(self, relative: str, over_http: bool = False) -> None:
        base = self.server_url if over_http else self.site_url
        self.page.goto(base + relative)  # type: ignore[attr-defined]

    def check(self) -> None:
        assert not self.outside, f"requests that left the site: {self.outside}"
        assert not self.errors, f"errors in the browser: {self.errors}"


def _reader(
    browser: object, site: BuiltSite, server: str, width: int, bypass_csp: bool = False
) -> Reader:
    context = browser.new_context(  # type: ignore[attr-defined]
        viewport={"width": width, "height": 900}, bypass_csp=bypass_csp
    )
    page = context.new_page()
    reader = Reader(page, site.root.as_uri() + "/", server)

    def guard(route: object) -> None:
        url = route.request.url  # type: ignore[attr-defined]
        if url.startswith(("file://", server, "data:")):
            route.continue_()  # type: ignore[attr-defined]
        else:
            route.abort()  # type: ignore[attr-defined]  # recorded by the request listener below

    context.route("**/*", guard)
    page.on(
        "request",
        lambda r: (
            None if r.url.startswith(("file://", server, "data:")) else reader.outside.append(r.url)
        ),
    )
    page.on("pageerror", lambda e: reader.errors.append(str(e)))
    page.on("console", lambda m: reader.errors.append(m.text) if m.type == "error" else None)
    return reader


@pytest.fixture
def reader(browser: object, site: BuiltSite, server: str) -> Iterator[Reader]:
    reader = _reader(browser, site, server, 1280)
    yield reader
    reader.check()
    reader.page.context.close()  # type: ignore[attr-defined]


@pytest.fixture
def phone(browser: object, site: BuiltSite, server: str) -> Iterator[Reader]:
    reader = _reader(browser, site, server, 375)
    yield reader
    reader.check()
    reader.page.context.close()  # type: ignore[attr-defined]


def _path(page: object) -> str:
    url: str = page.url  # type: ignore[attr-defined]
    return re.sub(r"^.*?/(documents|persons|places|organisations|about)/", r"\1/", url)


# --- Reading ---------------------------------------------------------------------------------------


def test_a_note_and_its_back_link(reader: Reader) -> None:
    page = reader.page
    reader.open(f"documents/{LETTER}.html")
    page.click("a#nc2")  # type: ignore[attr-defined]
    assert page.url.endswith("#n2")  # type: ignore[attr-defined]
    note = page.locator("li#n2")  # type: ignore[attr-defined]
    assert "Kennedy's" in note.inner_text()
    assert note.is_visible() and _in_viewport(page, "li#n2")
    note.locator("a[role=doc-backlink]").click()
    assert page.url.endswith("#nc2")  # type: ignore[attr-defined]
    assert _in_viewport(page, "a#nc2")


def _in_viewport(page: object, selector: str) -> bool:
    return bool(
        page.evaluate(  # type: ignore[attr-defined]
            """(s) => { const r = document.querySelector(s).getBoundingClientRect();
                        return r.top >= 0 && r.bottom <= window.innerHeight; }""",
            selector,
        )
    )


def test_next_and_previous_in_the_correspondence(reader: Reader, site: BuiltSite) -> None:
    document = site.corpus.document(LETTER)
    assert document is not None and document.next and document.prev
    page = reader.page
    reader.open(f"documents/{LETTER}.html")
    page.click("nav.correspondence-nav a.next")  # type: ignore[attr-defined]
    assert _path(page) == f"documents/{document.next}.html"
    page.click("nav.correspondence-nav a.prev")  # type: ignore[attr-defined]
    assert _path(page) == f"documents/{LETTER}.html"
    page.click("nav.correspondence-nav a.prev")  # type: ignore[attr-defined]
    assert _path(page) == f"documents/{document.prev}.html"


def test_switching_between_corrected_and_diplomatic_reading(reader: Reader) -> None:
    page = reader.page
    reader.open(f"documents/{LETTER}.html")
    corrected = page.locator(".choice > .corr").first  # type: ignore[attr-defined]
    source = page.locator(".choice > .sic").first  # type: ignore[attr-defined]
    assert corrected.is_visible() and not source.is_visible()
    assert corrected.get_attribute("title") == "source reads: U.S.A"
    page.get_by_label("as in the source").check()  # type: ignore[attr-defined]
    assert source.is_visible() and not corrected.is_visible()
    assert source.inner_text() == "U.S.A"
    page.reload()  # type: ignore[attr-defined]
    assert page.locator(".choice > .sic").first.is_visible()  # type: ignore[attr-defined]
    page.get_by_label("corrected").check()  # type: ignore[attr-defined]
    assert corrected.is_visible() and not source.is_visible()


def test_from_a_person_to_a_document_that_mentions_them(reader: Reader, site: BuiltSite) -> None:
    page = reader.page
    reader.open("persons/index.html")
    page.get_by_role("link", name="Rudolf Anderson Jr.").click()  # type: ignore[attr-defined]
    assert _path(page) == "persons/anderson.html"
    mentioned = site.corpus.mentioned_in("person:anderson")
    links = page.locator("ol.mention-list a")  # type: ignore[attr-defined]
    assert links.count() == len(mentioned) >= 1
    links.first.click()
    assert _path(page) == f"documents/{mentioned[0].id}.html"
    assert page.locator("a[href='../persons/anderson.html']").count() >= 1  # type: ignore[attr-defined]


def test_cite_this_document_follows_the_chosen_paragraph(reader: Reader, site: BuiltSite) -> None:
    page = reader.page
    url = site.config.document_url(LETTER)
    reader.open(f"documents/{LETTER}.html#p3")
    citation = page.locator("[data-citation]")  # type: ignore[attr-defined]
    assert citation.inner_text().endswith(f"para. 3, {url}#p3.")
    page.select_option("#cite-paragraph", "5")  # type: ignore[attr-defined]
    assert citation.inner_text().endswith(f"para. 5, {url}#p5.")
    page.click("a.para-n[href='#p2']")  # type: ignore[attr-defined]
    assert citation.inner_text().endswith(f"para. 2, {url}#p2.")
    page.select_option("#cite-paragraph", "")  # type: ignore[attr-defined]
    assert citation.inner_text().endswith(f", {url}.")
    assert "The Cuban Missile Crisis Correspondence" in citation.locator("cite").inner_text()


def test_documents_table_filters_and_sorts(reader: Reader, site: BuiltSite) -> None:
    page = reader.page
    reader.open("documents.html")
    rows = page.locator("table[data-sortable] tbody tr")  # type: ignore[attr-defined]
    assert rows.count() == len(site.corpus.documents)
    page.select_option("#filter-from", "person:castro")  # type: ignore[attr-defined]
    from_castro = [d for d in site.corpus.documents if d.sender and d.sender.key == "person:castro"]
    assert page.locator("table[data-sortable] tbody tr:visible").count() == len(from_castro)  # type: ignore[attr-defined]
    page.select_option("#filter-from", "")  # type: ignore[attr-defined]
    page.get_by_role("button", name="Date").click()  # type: ignore[attr-defined]
    page.get_by_role("button", name="Date").click()  # type: ignore[attr-defined]
    assert page.locator("th[aria-sort=descending]").inner_text().startswith("Date")  # type: ignore[attr-defined]
    last = site.corpus.documents[-1]
    assert rows.first.locator("a").get_attribute("href") == f"documents/{last.id}.html"


def test_a_network_arrow_opens_the_table_filtered_to_that_pair(reader: Reader) -> None:
    page = reader.page
    reader.open("network.html")
    page.locator("table.pairs a", has_text="1").last.click()  # type: ignore[attr-defined]
    assert "documents.html?from=" in page.url  # type: ignore[attr-defined]
    # The table is filtered by its script once the page has loaded: wait for it (a bare count()
    # raced the script in a fresh-clone run and saw all 14 rows).
    expect(page.locator("table[data-sortable] tbody tr:visible")).to_have_count(1)  # type: ignore[attr-defined]


# --- Search ------------------------------------------------------------------------------------------


def _word_in_one_letter(site: BuiltSite) -> str:
    """A word of the transcribed letter that no other reading page contains."""
    others = " ".join(
        (site.root / "documents" / f"{d.id}.html").read_text().lower()
        for d in site.corpus.documents
        if d.id != LETTER
    )
    for word in ("indignation", "militarists", "firmness", "provocations"):
        if word not in others:
            return word
    raise AssertionError("no word of the letter is unique to it")


@pytest.mark.parametrize("over_http", [True, False], ids=["pagefind-over-http", "file-system"])
def test_search_for_a_word_from_one_letter_lands_on_its_paragraph(
    reader: Reader, site: BuiltSite, over_http: bool
) -> None:
    word = _word_in_one_letter(site)
    page = reader.page
    reader.open("search.html", over_http=over_http)
    page.fill("#search-input", word)  # type: ignore[attr-defined]
    page.click("button[type=submit]")  # type: ignore[attr-defined]
    results = page.locator("[data-search-results] li")  # type: ignore[attr-defined]
    expect(page.locator("[data-search-status]")).to_contain_text("found")  # type: ignore[attr-defined]
    engine = page.get_attribute("body", "data-search-engine")  # type: ignore[attr-defined]
    assert engine == ("pagefind" if over_http else "file")
    assert results.count() == 1
    assert word in results.first.locator("mark").first.inner_text().lower()
    results.first.locator("a").click()
    assert re.search(rf"documents/{LETTER}\.html#p[0-9]+$", page.url)  # type: ignore[attr-defined]
    anchor = page.url.rsplit("#", 1)[1]  # type: ignore[attr-defined]
    assert word in page.locator(f"#{anchor}").inner_text().lower()  # type: ignore[attr-defined]


@pytest.mark.parametrize("over_http", [True, False], ids=["pagefind-over-http", "file-system"])
def test_search_filters_by_correspondent_and_type(
    reader: Reader, site: BuiltSite, over_http: bool
) -> None:
    page = reader.page
    reader.open("search.html?q=Cuba&correspondent=Castro", over_http=over_http)
    expect(page.locator("[data-search-status]")).to_contain_text("found")  # type: ignore[attr-defined]
    hrefs = page.eval_on_selector_all("[data-search-results] a", "as => as.map(a => a.href)")  # type: ignore[attr-defined]
    with_castro = {
        d.id
        for d in site.corpus.documents
        if any(c.key == "person:castro" for c in (*d.senders, *d.recipients))
    }
    found = {re.sub(r"^.*/documents/([^#]+)\.html.*$", r"\1", h) for h in hrefs}
    assert found and found <= with_castro
    page.select_option("#search-type", "Telegram")  # type: ignore[attr-defined]
    expect(page.locator("[data-search-results] li")).to_have_count(1)  # type: ignore[attr-defined]
    only = page.locator("[data-search-results] a").get_attribute("href")  # type: ignore[attr-defined]
    telegrams = [
        d.id for d in site.corpus.documents if d.type == "telegram" and d.id in with_castro
    ]
    assert only is not None and telegrams and telegrams[0] in only


@pytest.fixture(scope="module")
def sharded_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_sharded_site(tmp_path_factory.mktemp("sharded") / "build")


def _found(reader: Reader, query: str, **filters: str) -> set[str]:
    """The documents a search lists, over HTTP (so with Pagefind), on the site the reader's server
    serves."""
    page = reader.page
    parameters = "&".join(f"{k}={v}" for k, v in {"q": query, **filters}.items() if v)
    reader.open(f"search.html?{parameters}", over_http=True)
    status = page.locator("[data-search-status]")  # type: ignore[attr-defined]
    expect(status).to_contain_text(re.compile("found|No document"))
    assert page.get_attribute("body", "data-search-engine") == "pagefind"  # type: ignore[attr-defined]
    hrefs = page.eval_on_selector_all(  # type: ignore[attr-defined]
        "[data-search-results] a", "as => as.map(a => a.href)"
    )
    return {re.sub(r"^.*/documents/([^#]+)\.html.*$", r"\1", h) for h in hrefs}


def test_a_search_over_merged_shards_finds_what_one_index_finds(
    reader: Reader, browser: object, site: BuiltSite, sharded_site: Path
) -> None:
    """The search index in shards (edition.site.search), merged by the search page, finds the same
    documents as one index: words in every shard, in some, in one, and with filters."""
    listed = json.loads((sharded_site / "pagefind" / "shards.json").read_text())["shards"]
    assert len(listed) >= 4
    assert json.loads((site.root / "pagefind" / "shards.json").read_text()) == {"shards": ["0/"]}
    queries: list[tuple[str, dict[str, str]]] = [
        ("Cuba", {}),
        ("missiles", {}),
        ("Cuba", {"correspondent": "Castro"}),
        ("Cuba", {"correspondent": "Castro", "type": "Telegram"}),
        ("Cuba", {"type": "Letter"}),
    ]
    words = a_word_of_each(sharded_site)
    count = sharded_count(len(site.corpus.documents))
    assert len({shard_of(doc_id, count) for doc_id in words}) == len(listed)  # every shard
    rare = rare_words(sharded_site)
    assert rare  # words that put the fallback to the test
    queries += [(word, {}) for word in (*words.values(), *rare.values())]
    with serving(sharded_site) as sharded_base:
        sharded = _reader(browser, site, sharded_base, 1280)
        try:
            for query, filters in queries:
                merged = _found(sharded, query, **filters)
                assert merged, (query, filters)
                assert merged == _found(reader, query, **filters), (query, filters)
            for doc_id, word in (*words.items(), *rare.items()):
                assert doc_id in _found(sharded, word), word
            sharded.check()
        finally:
            sharded.page.context.close()  # type: ignore[attr-defined]


# --- No request leaves the site, on any page type ----------------------------------------------------

PAGE_TYPES = {
    "home": "index.html",
    "document": f"documents/{LETTER}.html",
    "calendar-entry": f"documents/{CALENDAR}.html",
    "documents-table": "documents.html",
    "person": "persons/khrushchev.html",
    "persons": "persons/index.html",
    "place": "places/moscow.html",
    "organisation": "organisations/state-department.html",
    "sources": "bibliography.html",
    "timeline": "timeline.html",
    "network": "network.html",
    "search": "search.html?q=Cuba",
    "about": "about/index.html",
    "principles": "about/principles.html",
    "citing": "about/citing.html",
    "encoding": "about/encoding.html",
    "licence": "about/licence.html",
}


@pytest.mark.parametrize("over_http", [True, False], ids=["http", "file"])
def test_no_page_type_requests_anything_outside_the_site(reader: Reader, over_http: bool) -> None:
    requested: list[str] = []
    reader.page.on("request", lambda r: requested.append(r.url))  # type: ignore[attr-defined]
    for relative in PAGE_TYPES.values():
        reader.open(relative, over_http=over_http)
        reader.page.wait_for_load_state("networkidle")  # type: ignore[attr-defined]
    assert requested, "the guard saw no request at all"
    reader.check()


# --- Accessibility -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.is_file():
        pytest.fail("axe-core is missing: run `npm ci` (make test does)")
    return AXE.read_text(encoding="utf-8")


@pytest.mark.parametrize("width", [1280, 375])
@pytest.mark.parametrize("name", sorted(PAGE_TYPES))
def test_axe_finds_no_serious_or_critical_violation(
    browser: object, site: BuiltSite, server: str, axe_source: str, name: str, width: int
) -> None:
    # axe is injected as an inline script, which the pages' own policy rightly forbids: bypass it here.
    reader = _reader(browser, site, server, width, bypass_csp=True)
    try:
        reader.open(PAGE_TYPES[name], over_http=True)
        reader.page.wait_for_load_state("networkidle")  # type: ignore[attr-defined]
        if name == "search":
            expect(reader.page.locator("[data-search-results] li").first).to_be_visible()  # type: ignore[attr-defined]
        reader.page.add_script_tag(content=axe_source)  # type: ignore[attr-defined]
        violations = reader.page.evaluate(  # type: ignore[attr-defined]
            """async () => (await axe.run(document, {resultTypes: ['violations']})).violations
                 .filter(v => v.impact === 'serious' || v.impact === 'critical')
                 .map(v => v.id + ': ' + v.help + ' — ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '))"""
        )
        assert not violations, f"{name} at {width} px:\n" + "\n".join(violations)
        reader.check()
    finally:
        reader.page.context.close()  # type: ignore[attr-defined]


# --- Screenshots ---------------------------------------------------------------------------------------

SCREENSHOTS = {
    "document": f"documents/{LETTER}.html",
    "calendar-entry": f"documents/{CALENDAR}.html",
    "documents-table": "documents.html",
    "timeline": "timeline.html",
    "network": "network.html",
    "person": "persons/khrushchev.html",
    "search": "search.html?q=Cuba",
    "home": "index.html",
}


@pytest.mark.parametrize("width", [1280, 375])
def test_screenshots_at_desktop_and_phone_width(
    browser: object, site: BuiltSite, server: str, width: int
) -> None:
    """Saved under test-artifacts/ for a person to look at; the test checks nothing overflows."""
    reader = _reader(browser, site, server, width)
    ARTIFACTS.mkdir(exist_ok=True)
    try:
        for name, relative in SCREENSHOTS.items():
            reader.open(relative, over_http=True)
            reader.page.wait_for_load_state("networkidle")  # type: ignore[attr-defined]
            if name == "search":
                expect(reader.page.locator("[data-search-results] li").first).to_be_visible()  # type: ignore[attr-defined]
            reader.page.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"), full_page=True)  # type: ignore[attr-defined]
            overflow = reader.page.evaluate(  # type: ignore[attr-defined]
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 0, f"{name} is wider than the {width} px window by {overflow} px"
        reader.check()
    finally:
        reader.page.context.close()  # type: ignore[attr-defined]


def test_the_print_stylesheet_hides_the_controls(reader: Reader) -> None:
    page = reader.page
    reader.open(f"documents/{LETTER}.html")
    page.emulate_media(media="print")  # type: ignore[attr-defined]
    for selector in (".site-nav", ".reading-switch", ".cite-controls", ".correspondence-nav"):
        assert not page.locator(selector).is_visible(), selector  # type: ignore[attr-defined]
    assert page.locator("#p1").is_visible()  # type: ignore[attr-defined]
    ARTIFACTS.mkdir(exist_ok=True)
    page.pdf(path=str(ARTIFACTS / "document-print.pdf"))  # type: ignore[attr-defined]
