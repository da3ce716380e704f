"""Live preview for editors: `edition serve --watch`.

    watch.py     watchfiles threads on the sources → a set of changed paths
    rebuild.py   one incremental build at a time in a thread of its own; the terminal report
    status.py    the latest build's outcome, announced to the open pages
    web.py       /_edition/reload.js, /_edition/events, /_edition/status; pages served with the script
    reload.js    in the browser: reload after a rebuild, the errors of a failed build over the page

A failed build leaves build/ as it was (the orchestrator swaps a build in only when it succeeded), so
the last good build stays served while the errors are shown.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from edition.config import Config
from edition.preview.rebuild import Rebuilder, Say, terminal
from edition.preview.status import PreviewState
from edition.preview.watch import Watcher


class Preview:
    """The watching and rebuilding threads of one `edition serve --watch`, and what they found."""

    def __init__(
        self, config: Config, parts: Sequence[str] = ("site",), say: Say = terminal
    ) -> None:
        self.config = config
        self.state = PreviewState()
        self.rebuilder = Rebuilder(config.root, parts, self.state, say)
        self.watcher = Watcher(config, self.rebuilder.request)
        self.say = say

    @property
    def site(self) -> Path:
        return self.config.build_dir / "site"

    def start(self) -> None:
        """Watch, and build once now (quick when build/ is current)."""
        self.watcher.start()
        self.rebuilder.start()
        shown = ", ".join(str(folder) for folder in self.watcher.folders)
        self.say(f"watching {shown} and {self.watcher.config_file}")

    def stop(self) -> None:
        """Stop watching; a build that is running is finished first."""
        self.state.close()
        self.watcher.stop()
        self.rebuilder.stop()


__all__ = ["Preview", "PreviewState"]
