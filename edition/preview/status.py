"""What the preview server knows about the latest build, and how it tells open pages.

The state is written by the rebuilding thread and read by the server's event loop: every change is
made under a lock and then announced to each open event stream (one asyncio queue per browser page,
fed thread-safely through the loop that owns it).
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from edition.check.report import Problem

# Where the latest build stands: "waiting" (none yet), "building", "ok", "failed".
WAITING = "waiting"
BUILDING = "building"
OK = "ok"
FAILED = "failed"


@dataclass(frozen=True)
class Status:
    """The latest build as /_edition/status shows it.

    ``generation`` counts the builds that changed what is served; a page served at one generation
    reloads when it learns of a later one. ``problems`` are the errors of the latest failed build (each
    a dict: file, line, column, severity, message, rule, text); ``message`` says what happened in words.
    """

    state: str = WAITING
    generation: int = 0
    message: str = "no build yet"
    problems: tuple[dict[str, Any], ...] = ()
    rebuilt: tuple[str, ...] = ()
    seconds: float | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "state": self.state,
            "generation": self.generation,
            "message": self.message,
            "problems": list(self.problems),
            "rebuilt": list(self.rebuilt),
            "seconds": self.seconds,
        }


def problem_json(problem: Problem, root: Path) -> dict[str, Any]:
    """A problem for the page: the same facts and the same one-line text `edition check` prints."""
    try:
        shown = problem.path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        shown = str(problem.path)
    return {
        "file": shown,
        "line": problem.line,
        "column": problem.column,
        "severity": problem.severity.value,
        "message": problem.message,
        "rule": problem.rule,
        "text": problem.format(root),
    }


# A message for the open pages: (event name, data), or None when the server is stopping.
Message = tuple[str, str] | None


@dataclass
class _Listener:
    loop: asyncio.AbstractEventLoop
    queue: asyncio.Queue[Message] = field(default_factory=asyncio.Queue)


class PreviewState:
    """The current Status, and the event streams that are told when it changes."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._status = Status()
        self._listeners: list[_Listener] = []
        self._closed = False

    @property
    def status(self) -> Status:
        with self._lock:
            return self._status

    @property
    def closed(self) -> bool:
        with self._lock:
            return self._closed

    # --- written by the rebuilding thread --------------------------------------------------------

    def building(self) -> None:
        self._change(lambda s: replace(s, state=BUILDING, message="rebuilding"), reload=False)

    def succeeded(self, rebuilt: list[str], seconds: float, changed_output: bool) -> None:
        """A good build: errors cleared; pages reload if it changed what is served."""
        message = "built" if changed_output else "built; nothing to rewrite"

        def update(status: Status) -> Status:
            return Status(
                OK,
                status.generation + (1 if changed_output else 0),
                message,
                (),
                tuple(rebuilt),
                round(seconds, 3),
            )

        self._change(update, reload=changed_output)

    def failed(self, message: str, problems: list[dict[str, Any]]) -> None:
        """A failed build: the last good build stays served; pages show the problems."""

        def update(status: Status) -> Status:
            return Status(FAILED, status.generation, message, tuple(problems))

        self._change(update, reload=False)

    def _change(self, update: Callable[[Status], Status], reload: bool) -> None:
        with self._lock:
            self._status = update(self._status)
            generation = self._status.generation
            listeners = list(self._listeners)
        self._tell(listeners, ("status", self._status.state))
        if reload:
            self._tell(listeners, ("reload", str(generation)))

    # --- used by the server's event loop ---------------------------------------------------------

    def subscribe(self) -> asyncio.Queue[Message]:
        """A queue that receives every later announcement (call from the event loop)."""
        listener = _Listener(asyncio.get_running_loop())
        with self._lock:
            if self._closed:
                listener.queue.put_nowait(None)
            else:
                self._listeners.append(listener)
        return listener.queue

    def unsubscribe(self, queue: asyncio.Queue[Message]) -> None:
        with self._lock:
            self._listeners = [x for x in self._listeners if x.queue is not queue]

    def close(self) -> None:
        """End every event stream (the server is stopping)."""
        with self._lock:
            self._closed = True
            listeners, self._listeners = self._listeners, []
        self._tell(listeners, None)

    @staticmethod
    def _tell(listeners: list[_Listener], message: Message) -> None:
        for listener in listeners:
            # A loop that has stopped has nobody listening any more.
            with contextlib.suppress(RuntimeError):
                listener.loop.call_soon_threadsafe(listener.queue.put_nowait, message)
