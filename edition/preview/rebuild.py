"""The rebuilding thread of `edition serve --watch`: one incremental build at a time, never in the
server's event loop; changes that arrive while a build runs are gathered into the next one.

Each build reads edition.toml again and calls the orchestrator (edition.build.build), which rewrites
only the outputs whose inputs changed and swaps the new build in only when it succeeded. The terminal
gets what `edition build` prints: the located errors of a failed check (FILE:LINE:COL: error: …), and
after a good build which outputs were written and how long it took.
"""

from __future__ import annotations

import threading
import time
import traceback
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from edition.build import BuildError, BuildResult, build
from edition.config import CONFIG_FILE, ConfigError, load_config
from edition.preview.status import PreviewState, problem_json

Say = Callable[[str], None]


def terminal(line: str) -> None:
    print(line, flush=True)


def _shown(path: Path, cwd: Path) -> str:
    try:
        return path.resolve().relative_to(cwd.resolve()).as_posix()
    except ValueError:
        return str(path)


def describe_rebuilt(rebuilt: Sequence[str]) -> str:
    """The groups a build wrote, in a line: "2 document pages, 1 register page, search-index"."""
    documents = [g for g in rebuilt if g.startswith("doc:")]
    entries = [g for g in rebuilt if g.startswith("entry:")]
    downloads = [g for g in rebuilt if g.startswith("download:")]
    shards = [g for g in rebuilt if g.startswith("pagefind:")]
    others = [g for g in rebuilt if not g.startswith(("doc:", "entry:", "download:", "pagefind:"))]
    words: list[str] = []
    if len(documents) == 1:
        words.append(f"the page of {documents[0].removeprefix('doc:')}")
    elif documents:
        words.append(f"{len(documents)} document pages")
    if entries:
        words.append(f"{len(entries)} register page{'' if len(entries) == 1 else 's'}")
    if downloads:
        words.append(f"{len(downloads)} TEI download{'' if len(downloads) == 1 else 's'}")
    if shards:
        words.append(f"{len(shards)} search shard{'' if len(shards) == 1 else 's'}")
    words.extend(others)
    return ", ".join(words)


class Rebuilder:
    """Builds the edition in its own thread whenever asked, and records the outcome in ``state``."""

    def __init__(
        self,
        root: Path,
        parts: Sequence[str],
        state: PreviewState,
        say: Say = terminal,
        cwd: Path | None = None,
    ) -> None:
        self.root = root
        self.parts = tuple(parts)
        self.state = state
        self.say = say
        self.cwd = cwd or Path.cwd()
        self._lock = threading.Lock()
        self._changed: set[Path] = set()
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._idle = threading.Event()
        self._idle.set()
        self._thread = threading.Thread(target=self._run, name="edition-rebuild", daemon=True)

    def start(self) -> None:
        """Start the thread with a first build (quick when build/ is current)."""
        self.request(())
        self._thread.start()

    def request(self, changed: Iterable[Path]) -> None:
        """Ask for a build; while one runs, requests are gathered into the next."""
        with self._lock:
            self._changed.update(changed)
            self._idle.clear()
            self._wake.set()

    def stop(self, timeout: float | None = None) -> None:
        """Stop after the build that is running, if any (a build is never cut off half-way)."""
        self._stopping.set()
        self._wake.set()
        if self._thread.is_alive():
            self._thread.join(timeout)

    def wait_idle(self, timeout: float | None = None) -> bool:
        """Wait until no build runs or is asked for (for tests and tools)."""
        return self._idle.wait(timeout)

    def _run(self) -> None:
        while True:
            self._wake.wait()
            if self._stopping.is_set():
                return
            with self._lock:
                changed, self._changed = self._changed, set()
                self._wake.clear()
            self.rebuild(changed)
            with self._lock:
                if not self._wake.is_set():
                    self._idle.set()

    def rebuild(self, changed: set[Path]) -> BuildResult | None:
        """One build now, in the calling thread; the outcome goes to the terminal and ``state``."""
        # Editors' and tools' temporary files come and go within a save: name only what is there,
        # and deleted files that had a suffix.
        shown = [p for p in changed if p.exists() or p.suffix]
        if shown:
            names = sorted(_shown(p, self.cwd) for p in shown)
            listed = ", ".join(names[:5]) + (
                f" and {len(names) - 5} more" if len(names) > 5 else ""
            )
            self.say(f"changed: {listed}")
        self.state.building()
        started = time.perf_counter()
        try:
            config = load_config(self.root)
        except ConfigError as error:
            self.say(f"error: {error}")
            self._failed(str(error), [self._config_problem(str(error))])
            return None
        try:
            result = build(config, self.parts)
        except BuildError as error:
            errors = error.report.errors if error.report is not None else []
            for problem in errors:
                self.say(problem.format(self.cwd))
            self._failed(str(error), [problem_json(p, config.root) for p in errors])
            return None
        except Exception as error:  # a failing stage must not end the preview
            self.say("".join(traceback.format_exception(error)).rstrip())
            self._failed(f"the build stopped: {type(error).__name__}: {error}", [])
            return None
        seconds = time.perf_counter() - started
        wanted = {p.resolve() for p in changed}
        for problem in result.report.warnings:
            if problem.path.resolve() in wanted:
                self.say(problem.format(self.cwd))
        rebuilt = [g for part in self.parts for g in result.rebuilt.get(part, [f"{part} (all)"])]
        timings = ", ".join(f"{name} {s:.1f} s" for name, s in result.timings.items())
        if rebuilt:
            self.say(f"rebuilt {describe_rebuilt(rebuilt)} in {seconds:.1f} s ({timings})")
        else:
            self.say(f"up to date: nothing to rewrite ({seconds:.1f} s)")
        self.state.succeeded(rebuilt, seconds, changed_output=bool(rebuilt))
        return result

    def _failed(self, message: str, problems: list[dict[str, Any]]) -> None:
        self.say(f"build failed: {message}; still serving the last good build")
        self.state.failed(message, problems)

    def _config_problem(self, message: str) -> dict[str, Any]:
        return {
            "file": CONFIG_FILE,
            "line": 0,
            "column": 0,
            "severity": "error",
            "message": message,
            "rule": "config",
            "text": message,
        }
