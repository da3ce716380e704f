"""What `edition serve --watch` watches, and the threads that watch it (watchfiles).

The sources of a build: the TEI documents and registers, the stylesheets, the schema, the site's
templates and static files, and edition.toml. Folders are watched with their subfolders; edition.toml
through its folder (not followed into subfolders, so neither build/ nor a virtual environment there is
watched), because editors often save a file by writing a new one and renaming it over the old.

watchfiles gathers the changes of a burst of saves (it waits ``STEP_MS`` for more, at most
``DEBOUNCE_MS``) and hands them over together; editors' temporary and backup files are ignored.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from pathlib import Path

import watchfiles

from edition.config import CONFIG_FILE, Config

PACKAGE = Path(__file__).resolve().parent.parent
DEBOUNCE_MS = 1600
STEP_MS = 100

OnChange = Callable[[set[Path]], None]


def watched_folders(config: Config) -> list[Path]:
    """The existing source folders, none inside another."""
    candidates = [
        config.tei_dir,
        config.register_dir,
        config.xslt_dir,
        config.schema_dir,
        PACKAGE / "templates",
        PACKAGE / "static",
    ]
    found: list[Path] = []
    for folder in sorted({c.resolve() for c in candidates if c.is_dir()}):
        if not any(folder.is_relative_to(outer) for outer in found):
            found.append(folder)
    return found


class _ConfigFileOnly(watchfiles.BaseFilter):
    def __call__(self, change: watchfiles.Change, path: str) -> bool:
        return Path(path).name == CONFIG_FILE


class Watcher:
    """Calls ``on_change`` with the changed paths after every burst of changes, until stopped."""

    def __init__(self, config: Config, on_change: OnChange) -> None:
        self.folders = watched_folders(config)
        self.config_file = config.root / CONFIG_FILE
        self.on_change = on_change
        self._stop = threading.Event()
        self._threads = [
            threading.Thread(
                target=self._watch,
                args=(self.folders, True, watchfiles.DefaultFilter()),
                name="edition-watch-sources",
                daemon=True,
            ),
            threading.Thread(
                target=self._watch,
                args=([config.root], False, _ConfigFileOnly()),
                name="edition-watch-config",
                daemon=True,
            ),
        ]

    def start(self) -> None:
        for thread in self._threads:
            thread.start()

    def stop(self, timeout: float | None = 10) -> None:
        self._stop.set()
        for thread in self._threads:
            if thread.is_alive():
                thread.join(timeout)

    def _watch(
        self, paths: Iterable[Path], recursive: bool, only: Callable[[watchfiles.Change, str], bool]
    ) -> None:
        for changes in watchfiles.watch(
            *paths,
            watch_filter=only,
            debounce=DEBOUNCE_MS,
            step=STEP_MS,
            stop_event=self._stop,
            raise_interrupt=False,
            recursive=recursive,
            ignore_permission_denied=True,
        ):
            self.on_change({Path(path) for _change, path in changes})
