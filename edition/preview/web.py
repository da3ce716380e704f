"""The preview's part of the server: the reload script, its event stream and status, and the site's
HTML pages with the script added.

Only the responses change: the built files never contain the script. Each HTML page gets, before
``</head>``, ``<script src="/_edition/reload.js" data-generation="N" defer>`` — a file from the same
origin, which the pages' Content Security Policy (script-src 'self', connect-src 'self') allows; no
inline script. N is the build generation the page was served from, so a page that missed a reload
(it connected after the announcement) reloads as soon as its event stream opens.

    /_edition/reload.js   the script (edition/preview/reload.js)
    /_edition/events      Server-Sent Events: "hello" (current generation) on connecting, "status" when
                          a build starts, fails or succeeds, "reload" (new generation) when a build
                          changed what is served
    /_edition/status      the latest build as JSON (edition.preview.status.Status)

Pages are sent with ``Cache-Control: no-store`` and other files with ``no-cache``, so a reload always
shows the latest build.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator
from pathlib import Path

import anyio
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response, StreamingResponse
from starlette.routing import Route
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

from edition.preview.status import PreviewState

SCRIPT_FILE = Path(__file__).with_name("reload.js")
PREFIX = "/_edition"
SCRIPT_URL = f"{PREFIX}/reload.js"
EVENTS_URL = f"{PREFIX}/events"
STATUS_URL = f"{PREFIX}/status"
KEEP_ALIVE_SECONDS = 15.0
NO_STORE = {"Cache-Control": "no-store"}

WAITING_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src 'self'; \
connect-src 'self'; object-src 'none'; base-uri 'none'">
<title>Waiting for a good build</title>
</head>
<body>
<h1>Waiting for a good build</h1>
<p>The edition has not been built yet. This page shows the errors of a failed build and reloads
when a build succeeds.</p>
</body>
</html>
"""


def script_tag(generation: int) -> bytes:
    return f'<script src="{SCRIPT_URL}" data-generation="{generation}" defer></script>\n'.encode()


def inject(page: bytes, generation: int) -> bytes:
    """The page with the reload script added before ``</head>`` (at the end if it has none)."""
    index = page.lower().find(b"</head>")
    if index < 0:
        return page + script_tag(generation)
    return page[:index] + script_tag(generation) + page[index:]


def _is_page(path: str | os.PathLike[str]) -> bool:
    return os.fspath(path).lower().endswith((".html", ".htm"))


class PreviewFiles(StaticFiles):
    """The built site as StaticFiles serves it, with the reload script in every HTML page.

    The site folder may not exist yet (no good build so far): pages are then a placeholder that shows
    the errors and reloads when the first build succeeds.
    """

    def __init__(self, site: Path, state: PreviewState) -> None:
        super().__init__(directory=site, html=True, check_dir=False)
        self.site = site
        self.state = state

    async def check_config(self) -> None:
        """Nothing to check: the folder appears with the first good build."""

    def file_response(
        self,
        full_path: str | os.PathLike[str],
        stat_result: os.stat_result,
        scope: Scope,
        status_code: int = 200,
    ) -> Response:
        if _is_page(full_path):  # never "not modified": the page gets the script afresh
            return FileResponse(full_path, status_code=status_code, stat_result=stat_result)
        response = super().file_response(full_path, stat_result, scope, status_code)
        response.headers["Cache-Control"] = "no-cache"
        return response

    async def get_response(self, path: str, scope: Scope) -> Response:
        generation = self.state.status.generation
        try:
            response = await super().get_response(path, scope)
        except HTTPException as error:
            if error.status_code == 404 and not self.site.is_dir():
                return Response(
                    inject(WAITING_PAGE.encode(), generation), 503, NO_STORE, "text/html"
                )
            raise
        if not isinstance(response, FileResponse) or not _is_page(response.path):
            return response
        try:
            page = await anyio.to_thread.run_sync(Path(response.path).read_bytes)
        except OSError:  # replaced by a build between looking it up and reading it
            raise HTTPException(status_code=404) from None
        return Response(inject(page, generation), response.status_code, NO_STORE, "text/html")


def _event(name: str, data: str) -> str:
    return f"event: {name}\ndata: {data}\n\n"


def routes(state: PreviewState) -> list[Route]:
    """The preview's own URLs under /_edition/."""
    script = SCRIPT_FILE.read_bytes()

    async def reload_script(_request: Request) -> Response:
        return Response(script, media_type="text/javascript", headers={"Cache-Control": "no-cache"})

    async def status(_request: Request) -> Response:
        return JSONResponse(state.status.as_json(), headers=NO_STORE)

    async def events(_request: Request) -> Response:
        queue = state.subscribe()  # before reading the generation: nothing announced is missed

        async def stream() -> AsyncIterator[str]:
            try:
                yield "retry: 1000\n" + _event("hello", str(state.status.generation))
                while True:
                    try:
                        message = await asyncio.wait_for(queue.get(), KEEP_ALIVE_SECONDS)
                    except TimeoutError:
                        yield ": still here\n\n"
                        continue
                    if message is None:
                        return
                    yield _event(*message)
            finally:
                state.unsubscribe(queue)

        return StreamingResponse(
            stream(),
            media_type="text/event-stream",
            headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
        )

    return [
        Route(SCRIPT_URL, reload_script, methods=["GET"]),
        Route(STATUS_URL, status, methods=["GET"]),
        Route(EVENTS_URL, events, methods=["GET"]),
    ]
