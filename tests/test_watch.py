"""`edition serve --watch`: rebuild on save, reload the open page, show a failed check's errors.

The end-to-end tests run the real command (`python -m edition serve --watch --port 0`) over a copy of
the mini edition with its own stylesheets and schema and a build folder in tmp_path, and talk to it over
HTTP: the event stream a page listens to, /_edition/status, and the pages. Waits are bounded (30 s) but
not timed: a rebuild of the mini edition takes well under a second. The browser test drives Debian's
Chromium through Playwright, as tests/test_browser.py does.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner

from edition.build import build
from edition.cli import main
from edition.config import load_config
from edition.preview.rebuild import Rebuilder, describe_rebuilt
from edition.preview.status import PreviewState
from edition.preview.web import SCRIPT_URL, inject
from edition.server import create_app
from tests.conftest import REPO, Edition
from tests.fixtures.harvest.support import LiveServer

LETTER = "tei/alpha-beta-1962-10-22.xml"
LETTER_PAGE = "documents/alpha-beta-1962-10-22.html"
UNRELATED_PAGES = ("documents/beta-alpha-1962-10-23.html", "documents/alpha-beta-1962-10-24.html")
SECRET = "a-test-secret-of-some-length"  # noqa: S105 (signs test tokens only)
BOUND = 30.0  # seconds: a bound on waiting, not a timing assertion
HOSTILE_KEY = "person:&lt;img src=x onerror=alert(1)&gt;"  # the attribute's value: person:<img …>
HOSTILE_SHOWN = "person:<img src=x onerror=alert(1)>"


def wait_for(what: str, condition: Callable[[], Any], bound: float = BOUND) -> Any:
    deadline = time.monotonic() + bound
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {bound:.0f} s: {what}")
        time.sleep(0.1)


@pytest.fixture
def edition(mini: Edition, tmp_path: Path) -> Edition:
    """The mini edition with stylesheets and schema of its own, building into tmp_path/build."""
    for folder in ("xslt", "schema"):
        shutil.copytree(REPO / folder, mini.root / folder)
    toml = mini.path("edition.toml")
    text = toml.read_text()
    text = text.replace(f'"{REPO / "schema"}"', '"schema"').replace(f'"{REPO / "xslt"}"', '"xslt"')
    toml.write_text(text.replace("[paths]\n", f'[paths]\nbuild = "{tmp_path / "build"}"\n'))
    assert load_config(mini.root).build_dir == tmp_path / "build"
    return mini


class Events:
    """The event stream an open page listens to, read in a thread: (event, data) pairs."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.received: list[tuple[str, str]] = []
        self.ended = threading.Event()
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()
        wait_for("the event stream says hello", lambda: self.named("hello"))

    def _read(self) -> None:
        name = "message"
        try:
            with httpx.stream("GET", self.url, timeout=httpx.Timeout(5, read=None)) as response:
                for line in response.iter_lines():
                    if line.startswith("event: "):
                        name = line.removeprefix("event: ")
                    elif line.startswith("data: "):
                        self.received.append((name, line.removeprefix("data: ")))
        except httpx.HTTPError:
            pass
        finally:
            self.ended.set()

    def named(self, name: str) -> list[str]:
        return [data for event, data in list(self.received) if event == name]


class WatchServer:
    """`edition serve --watch` in a subprocess, its terminal output collected line by line."""

    def __init__(self, edition: Edition, state_home: Path, *options: str) -> None:
        environment = dict(os.environ, EDITION_OAI_SECRET=SECRET, XDG_STATE_HOME=str(state_home))
        self.process = subprocess.Popen(
            [sys.executable, "-m", "edition", "serve", "--watch", "--port", "0", *options],
            cwd=edition.root,
            env=environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        try:
            found = wait_for("the server says where it listens", self._address)
        except AssertionError:
            self.stop()
            raise AssertionError("the server did not start:\n" + self.output()) from None
        self.url: str = found

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))

    def _address(self) -> str | None:
        if self.process.poll() is not None:
            raise AssertionError("the server stopped:\n" + self.output())
        for line in list(self.lines):
            match = re.match(r"Serving the edition at (http://127\.0\.0\.1:\d+/)", line)
            if match:
                return match.group(1)
        return None

    def output(self) -> str:
        return "\n".join(self.lines)

    def status(self) -> dict[str, Any]:
        result: dict[str, Any] = httpx.get(self.url + "_edition/status").json()
        return result

    def wait_state(self, state: str) -> dict[str, Any]:
        def reached() -> dict[str, Any] | None:
            status = self.status()
            return status if status["state"] == state else None

        result: dict[str, Any] = wait_for(f"status {state!r}", reached)
        return result

    def page(self, relative: str) -> httpx.Response:
        return httpx.get(self.url + relative)

    def stop(self) -> int:
        """Ctrl+C, as in a terminal; returns the exit status."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(15)
        self._reader.join(5)
        return self.process.returncode


@pytest.fixture
def server(edition: Edition, tmp_path: Path) -> Iterator[WatchServer]:
    running = WatchServer(edition, tmp_path / "state")
    try:
        running.wait_state("ok")  # the first build
        yield running
    finally:
        running.stop()


def identity(path: Path) -> tuple[int, int]:
    info = path.stat()
    return (info.st_ino, info.st_mtime_ns)


# --- end to end ------------------------------------------------------------------------------------


def test_a_saved_letter_is_rebuilt_alone_and_the_page_told_to_reload(
    edition: Edition, server: WatchServer
) -> None:
    site = load_config(edition.root).build_dir / "site"
    events = Events(server.url + "_edition/events")
    served_at = int(events.named("hello")[0])
    before = {page: identity(site / page) for page in (LETTER_PAGE, *UNRELATED_PAGES)}
    first = server.page(LETTER_PAGE)
    assert f'<script src="{SCRIPT_URL}" data-generation="{served_at}" defer>' in first.text
    assert "_edition" not in (site / LETTER_PAGE).read_text()  # only the response has the script

    edition.edit(LETTER, "Second paragraph with", "Second, edited paragraph with")

    wait_for("the page shows the edit", lambda: "Second, edited" in server.page(LETTER_PAGE).text)
    reloads = wait_for("a reload was announced", lambda: events.named("reload"))
    assert int(reloads[-1]) > served_at
    assert f'data-generation="{reloads[-1]}"' in server.page(LETTER_PAGE).text
    # Only that letter's page was written again; the other letters' files are the previous build's.
    assert identity(site / LETTER_PAGE) != before[LETTER_PAGE]
    for page in UNRELATED_PAGES:
        assert identity(site / page) == before[page], page
    output = wait_for(
        "the terminal names the rebuild", lambda: "rebuilt the page" in server.output()
    )
    assert output
    assert f"changed: {LETTER}" in server.output()
    assert re.search(
        r"rebuilt the page of alpha-beta-1962-10-22, .*search-index in \d+\.\d s", server.output()
    )
    status = server.status()
    assert status["state"] == "ok" and "doc:alpha-beta-1962-10-22" in status["rebuilt"]
    assert "doc:beta-alpha-1962-10-23" not in status["rebuilt"]

    # Ctrl+C ends the open event stream and the server, rather than waiting for the page to leave.
    assert server.stop() != -signal.SIGKILL  # it stopped by itself within the bound
    assert events.ended.wait(5)


def test_a_failed_check_keeps_the_last_good_build_and_says_where(
    edition: Edition, server: WatchServer
) -> None:
    site = load_config(edition.root).build_dir / "site"
    events = Events(server.url + "_edition/events")
    good = server.page(LETTER_PAGE)
    kept = identity(site / LETTER_PAGE)
    line = edition.line_of(LETTER, 'ref="person:alpha">Sender')

    edition.edit(LETTER, 'ref="person:alpha">Sender', f'ref="{HOSTILE_KEY}">Sender')

    status = server.wait_state("failed")
    located = [p for p in status["problems"] if p["file"] == LETTER and p["line"] == line]
    assert located, status
    assert any(HOSTILE_SHOWN in p["message"] for p in located)
    assert all(p["severity"] == "error" and p["rule"] for p in status["problems"])
    # The terminal prints them as `edition check` does: FILE:LINE:COL: error: message [rule].
    printed = wait_for(
        "the terminal shows the located error",
        lambda: [x for x in server.lines if x.startswith(f"{LETTER}:{line}:")],
    )
    assert re.match(rf"{re.escape(LETTER)}:{line}:\d+: error: .+ \[[a-z-]+\]$", printed[0])
    assert "still serving the last good build" in server.output()
    assert "failed" in events.named("status")
    # The last good build is still served, unchanged.
    again = server.page(LETTER_PAGE)
    assert again.status_code == 200 and again.content == good.content
    assert identity(site / LETTER_PAGE) == kept

    edition.edit(LETTER, f'ref="{HOSTILE_KEY}">Sender', 'ref="person:alpha">Sender')

    cleared = server.wait_state("ok")
    assert cleared["problems"] == []
    assert events.named("status")[-1] == "ok"


def test_a_changed_edition_toml_rebuilds_everything(edition: Edition, server: WatchServer) -> None:
    generation = server.status()["generation"]
    assert "Mini Edition Revised" not in server.page("index.html").text

    edition.edit("edition.toml", 'title = "Mini Edition"', 'title = "Mini Edition Revised"')

    wait_for(
        "the new title is served",
        lambda: "Mini Edition Revised" in server.page(UNRELATED_PAGES[0]).text,
    )
    status = server.wait_state("ok")
    assert status["generation"] > generation
    assert {"pages", "harvest", "doc:beta-alpha-1962-10-23"} <= set(status["rebuilt"])
    assert "changed: edition.toml" in server.output()


# --- the browser: reload and the error box ------------------------------------------------------------


CHROMIUM = Path("/usr/bin/chromium")


def in_own_thread(work: Callable[[], None]) -> None:
    """Run ``work`` in a thread of its own and re-raise what it raised: Playwright's sync API refuses to
    start in a thread where another session (tests/test_browser.py's, session-scoped) already runs."""
    failures: list[BaseException] = []

    def run() -> None:
        try:
            work()
        except BaseException as failure:  # handed to the test's thread
            failures.append(failure)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(5 * BOUND)
    assert not thread.is_alive(), "the browser test did not finish"
    if failures:
        raise failures[0]


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed")
def test_the_page_reloads_and_shows_a_hostile_error_as_text(
    edition: Edition, server: WatchServer
) -> None:
    playwright_api = pytest.importorskip("playwright.sync_api")
    errors: list[str] = []
    dialogs: list[str] = []

    def dialog(opened: Any) -> None:  # an alert() would mean the message ran as markup
        dialogs.append(opened.message)
        opened.dismiss()

    def in_the_browser() -> None:
        with playwright_api.sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"]
            )
            try:
                page = browser.new_page()
                page.on("pageerror", lambda e: errors.append(str(e)))
                page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
                page.on("dialog", dialog)
                page.goto(server.url + LETTER_PAGE)
                page.wait_for_function("document.readyState === 'complete'")
                box = page.locator("#edition-preview-problems")

                edition.edit(LETTER, 'ref="person:alpha">Sender', f'ref="{HOSTILE_KEY}">Sender')

                box.wait_for(state="visible", timeout=BOUND * 1000)
                assert HOSTILE_SHOWN in box.inner_text()
                assert f"{LETTER}:" in box.inner_text()
                assert box.locator("img").count() == 0  # the message stayed text
                assert page.locator("img[src=x]").count() == 0

                edition.edit(LETTER, f'ref="{HOSTILE_KEY}">Sender', 'ref="person:alpha">Sender')
                box.wait_for(state="detached", timeout=BOUND * 1000)

                edition.edit(LETTER, "Second paragraph with", "Second, edited paragraph with")
                page.get_by_text("Second, edited paragraph").wait_for(timeout=BOUND * 1000)
            finally:
                browser.close()

    in_own_thread(in_the_browser)
    assert dialogs == []
    assert errors == []  # no script error and no Content Security Policy violation


# --- without --watch ---------------------------------------------------------------------------------


def test_without_watch_nothing_is_added(edition: Edition) -> None:
    config = load_config(edition.root)
    build(config, ("site",))
    site = config.build_dir / "site"
    with LiveServer(create_app(site, SECRET.encode(), page_size=2)) as live:
        page = httpx.get(f"{live.url}/{LETTER_PAGE}")
        assert page.status_code == 200
        assert page.content == (site / LETTER_PAGE).read_bytes()
        for path in (SCRIPT_URL, "/_edition/status", "/_edition/events"):
            assert httpx.get(live.url + path).status_code == 404


def test_watching_before_the_first_build_shows_a_waiting_page(edition: Edition) -> None:
    state = PreviewState()
    site = load_config(edition.root).build_dir / "site"
    with LiveServer(create_app(site, SECRET.encode(), page_size=2, preview=state)) as live:
        waiting = httpx.get(f"{live.url}/{LETTER_PAGE}")
        assert waiting.status_code == 503
        assert f'<script src="{SCRIPT_URL}"' in waiting.text
        assert httpx.get(f"{live.url}/oai?verb=Identify").status_code == 503
        state.failed("the edition has 1 error(s)", [{"text": "tei/x.xml:1:1: error: … [rule]"}])
        assert (
            httpx.get(f"{live.url}/_edition/status")
            .json()["problems"][0]["text"]
            .startswith("tei/x.xml:1:1")
        )


def test_serve_options_reach_the_server(monkeypatch: pytest.MonkeyPatch, mini: Edition) -> None:
    seen: list[tuple[int, bool, bool]] = []

    def fake(config: Any, host: str, port: int, watch: bool, watch_pdf: bool) -> None:
        seen.append((port, watch, watch_pdf))

    monkeypatch.setattr("edition.server.serve_edition", fake)
    runner = CliRunner()
    for options in (["--port", "0"], ["--watch"], ["--watch-pdf"]):
        result = runner.invoke(main, ["--root", str(mini.root), "serve", *options])
        assert result.exit_code == 0, result.output
    assert seen == [(0, False, False), (8000, True, False), (8000, True, True)]


# --- pieces ------------------------------------------------------------------------------------------


def test_the_script_goes_before_the_end_of_the_head() -> None:
    tag = f'<script src="{SCRIPT_URL}" data-generation="3" defer></script>\n'.encode()
    assert inject(b"<html><head><title>x</title></HEAD><body></body></html>", 3) == (
        b"<html><head><title>x</title>" + tag + b"</HEAD><body></body></html>"
    )
    assert inject(b"<p>no head</p>", 3) == b"<p>no head</p>" + tag


def test_the_terminal_names_what_was_rebuilt() -> None:
    assert describe_rebuilt(["doc:a", "harvest"]) == "the page of a, harvest"
    assert describe_rebuilt(["doc:a", "doc:b", "entry:person:x", "pages"]) == (
        "2 document pages, 1 register page, pages"
    )
    downloads = [f"download:tei/{n}.xml" for n in range(3)]
    assert describe_rebuilt(["doc:a", *downloads, "harvest", "pagefind:3", "search-index"]) == (
        "the page of a, 3 TEI downloads, 1 search shard, harvest, search-index"
    )


def test_one_build_at_a_time_and_changes_during_a_build_wait_for_the_next(
    edition: Edition, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Saves arriving while a build runs are gathered into one more build, never run beside it."""
    running = threading.Semaphore(0)
    release = threading.Event()
    calls: list[int] = []
    overlapping: list[int] = []
    active = threading.BoundedSemaphore(1)

    def slow_build(config: Any, parts: Any) -> Any:
        if not active.acquire(blocking=False):
            overlapping.append(1)
        try:
            calls.append(len(calls))
            running.release()
            release.wait(BOUND)
            return build(config, parts)
        finally:
            active.release()

    monkeypatch.setattr("edition.preview.rebuild.build", slow_build)
    said: list[str] = []
    state = PreviewState()
    rebuilder = Rebuilder(edition.root, ("site",), state, said.append, cwd=edition.root)
    rebuilder.start()  # the first build starts and waits
    try:
        assert running.acquire(timeout=BOUND)
        for name in ("a.xml", "b.xml", "c.xml"):
            rebuilder.request({edition.root / "tei" / name})
        release.set()
        assert rebuilder.wait_idle(BOUND)
    finally:
        rebuilder.stop(BOUND)
    assert overlapping == []
    assert len(calls) == 2  # the first, and one for the three saves
    changed = [line for line in said if line.startswith("changed:")]
    assert changed == ["changed: tei/a.xml, tei/b.xml, tei/c.xml"]
    assert state.status.state == "ok"
    assert json.dumps(state.status.as_json())  # the status endpoint can send it
