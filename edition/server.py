"""`edition serve`: the built site as static files, and the OAI-PMH 2.0 endpoint at /oai.

An ASGI application (Starlette, run by uvicorn). The endpoint answers from the records file the harvest
stage wrote into the built site and reloads it when a new build replaces it; it never reads the TEI.
Resumption tokens are signed with a secret that is kept outside the site: the environment variable
``EDITION_OAI_SECRET`` if it is set, otherwise a random key created once in the user's state folder
(``$XDG_STATE_HOME/edition/oai-secret``, by default ``~/.local/state/edition/oai-secret``), so tokens
survive a restart.

With ``--watch`` (edition.preview) the server also rebuilds the edition when its sources change and
adds a reload script to the HTML pages it sends; the site folder may then not exist yet when it starts.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
import socket
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from edition.config import Config
from edition.harvest import layout
from edition.oai import records
from edition.oai.arguments import MAX_QUERY_LENGTH
from edition.oai.protocol import Context, respond

if TYPE_CHECKING:
    from edition.preview import Preview
    from edition.preview.status import PreviewState

SECRET_VARIABLE = "EDITION_OAI_SECRET"  # noqa: S105 (the name of a variable, not a secret)
MIN_SECRET_LENGTH = 16
OAI_MEDIA_TYPE = "text/xml; charset=utf-8"


class ServerError(Exception):
    """The server cannot start; the message says why and what to do."""


def secret_file(environ: Mapping[str, str] = os.environ) -> Path:
    state = environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(state) / "edition" / "oai-secret"


def load_secret(environ: Mapping[str, str] = os.environ) -> bytes:
    """The key resumption tokens are signed with: from the environment, else from (or into) a file."""
    given = environ.get(SECRET_VARIABLE)
    if given is not None:
        if len(given) < MIN_SECRET_LENGTH:
            raise ServerError(
                f"{SECRET_VARIABLE} must be at least {MIN_SECRET_LENGTH} characters long"
            )
        return given.encode("utf-8")
    path = secret_file(environ)
    try:
        key = path.read_bytes().strip()
        if len(key) >= MIN_SECRET_LENGTH:
            return key
    except FileNotFoundError:
        pass
    except OSError as error:
        raise ServerError(f"{path} cannot be read ({error.strerror})") from None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        key = secrets.token_hex(32).encode("ascii")
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(key + b"\n")
    except OSError as error:
        raise ServerError(
            f"cannot create the token secret {path} ({error.strerror}); "
            f"set {SECRET_VARIABLE} instead"
        ) from None
    return key


class RecordStore:
    """The records file, read again whenever a build has replaced it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._stamp = self._stat()
        self._repository = records.load(path)  # raises RecordsError if there is none

    def _stat(self) -> tuple[int, int, int] | None:
        try:
            info = self.path.stat()
        except OSError:
            return None
        return (info.st_ino, info.st_mtime_ns, info.st_size)

    def current(self) -> records.Repository:
        stamp = self._stat()
        if stamp is not None and stamp != self._stamp:
            with self._lock:
                if stamp != self._stamp:
                    try:
                        self._repository = records.load(self.path)
                        self._stamp = stamp
                    except records.RecordsError:
                        pass  # a build is writing it: keep answering from the last good one
        return self._repository


async def _arguments(request: Request) -> str:
    """The request's arguments as a query string: from the URL (GET) or the form body (POST)."""
    if request.method != "POST":
        return bytes(request.scope.get("query_string", b"")).decode("utf-8", errors="replace")
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type != "application/x-www-form-urlencoded":
        return ""
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_QUERY_LENGTH:
            break  # the protocol layer answers badArgument for an over-long request
    return bytes(body).decode("utf-8", errors="replace")


def create_app(
    site: Path, secret: bytes, page_size: int, preview: PreviewState | None = None
) -> Starlette:
    """The site and /oai; with ``preview``, also the live preview (reload script, events, status)."""
    records_file = site / layout.OAI_RECORDS
    store: RecordStore | None = None
    if preview is None:
        if not site.is_dir():
            raise ServerError(f"{site} does not exist; run `edition build` first")
        try:
            store = RecordStore(records_file)
        except records.RecordsError as error:
            raise ServerError(str(error)) from None

    def current_store() -> RecordStore | None:
        nonlocal store
        if store is None:  # watching: the first good build writes it
            try:
                store = RecordStore(records_file)
            except records.RecordsError:
                return None
        return store

    async def oai(request: Request) -> Response:
        found = current_store()
        if found is None:
            return Response("No build yet.", status_code=503, media_type="text/plain")
        context = Context(
            repository=found.current(),
            secret=secret,
            page_size=page_size,
            base_url=str(request.url.replace(query="", fragment="")),
            now=dt.datetime.now(dt.UTC),
        )
        body = respond(await _arguments(request), context)
        return Response(body, media_type=OAI_MEDIA_TYPE)

    routes: list[Route | Mount] = [Route("/oai", oai, methods=["GET", "POST"])]
    if preview is None:
        routes.append(Mount("/", StaticFiles(directory=site, html=True)))
    else:
        from edition.preview.web import PreviewFiles
        from edition.preview.web import routes as preview_routes

        routes += preview_routes(preview)
        routes.append(Mount("/", PreviewFiles(site, preview)))
    return Starlette(routes=routes)


class EditionServer(uvicorn.Server):
    """uvicorn's server, saying where it listens (the real port when given 0) and ending the
    preview's event streams before it waits for open connections to close."""

    preview: PreviewState | None = None
    announce: str = ""

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        if self.started and self.servers and self.servers[0].sockets:
            host, port = self.servers[0].sockets[0].getsockname()[:2]
            shown = f"[{host}]" if ":" in host else host
            print(f"Serving the edition at http://{shown}:{port}/ {self.announce}", flush=True)

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        if self.preview is not None:
            self.preview.close()
        await super().shutdown(sockets)


def serve_edition(
    config: Config, host: str, port: int, watch: bool = False, watch_pdf: bool = False
) -> None:
    """Run the server in the foreground until interrupted; with ``watch``, rebuild on changes."""
    secret = load_secret()
    preview: Preview | None = None
    if watch:
        from edition.preview import Preview

        preview = Preview(config, ("site", "pdf") if watch_pdf else ("site",))
    app = create_app(
        config.build_dir / "site",
        secret,
        config.oai.page_size,
        preview.state if preview is not None else None,
    )
    server = EditionServer(uvicorn.Config(app, host=host, port=port, log_level="info"))
    server.announce = "(OAI-PMH at /oai); Ctrl+C stops it"
    if preview is not None:
        server.preview = preview.state
        server.announce = "(OAI-PMH at /oai; pages reload after each rebuild); Ctrl+C stops it"
        preview.start()
    try:
        server.run()
    finally:
        if preview is not None:
            preview.stop()
