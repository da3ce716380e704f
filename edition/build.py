"""Orchestration of one build: load → check → transform → render → publish, forward only.

The output is assembled in a staging folder beside ``build/`` and swapped in only when every stage has
succeeded, so a failed or interrupted build leaves the previous ``build/`` exactly as it was. Inputs are
only ever read.
"""

from __future__ import annotations

import os
import shutil
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from edition.check.report import Report
from edition.check.runner import check_edition
from edition.config import Config
from edition.corpus import Corpus


class BuildError(Exception):
    """The build stopped; ``build/`` is unchanged. The message says why."""

    def __init__(self, message: str, report: Report | None = None) -> None:
        super().__init__(message)
        self.report = report


@dataclass(frozen=True)
class Output:
    """Where the stages write: the staging folder's site/ and pdf/."""

    root: Path

    @property
    def site(self) -> Path:
        return self.root / "site"

    @property
    def pdf(self) -> Path:
        return self.root / "pdf"


# A stage publishes part of the edition from the checked corpus into the staging folder.
Stage = Callable[[Corpus, Config, Output], None]


@dataclass
class BuildResult:
    corpus: Corpus
    report: Report
    timings: dict[str, float] = field(default_factory=dict)


def _stages(targets: Sequence[str]) -> list[tuple[str, Stage]]:
    # Imported here so `edition check` does not pay for the renderers' imports.
    stages: list[tuple[str, Stage]] = []
    if "site" in targets:
        from edition.site import publish_site

        stages.append(("site", publish_site))
    if "harvest" in targets:
        from edition.harvest import publish_harvest

        stages.append(("harvest", publish_harvest))
    if "pdf" in targets:
        from edition.pdf import publish_pdf

        stages.append(("pdf", publish_pdf))
    return stages


def build(
    config: Config,
    targets: Sequence[str] = ("site", "harvest", "pdf"),
    progress: Callable[[str], None] | None = None,
) -> BuildResult:
    say = progress or (lambda _message: None)
    say("checking the edition")
    checked = check_edition(config)
    if not checked.report.ok:
        raise BuildError(
            f"the edition has {len(checked.report.errors)} error(s); nothing was built",
            checked.report,
        )
    result = BuildResult(checked.corpus, checked.report)
    final = config.build_dir
    staging = final.parent / f".{final.name}.staging-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    output = Output(staging)
    _keep_previous(final, output, targets)
    try:
        for name, stage in _stages(targets):
            say(f"building: {name}")
            started = time.perf_counter()
            stage(checked.corpus, config, output)
            result.timings[name] = time.perf_counter() - started
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _swap(staging, final)
    return result


def _keep_previous(final: Path, output: Output, targets: Sequence[str]) -> None:
    """A partial build (e.g. `edition pdf`) keeps the other parts of the previous build."""
    if "pdf" not in targets and (final / "pdf").is_dir():
        shutil.copytree(final / "pdf", output.pdf)
    if "site" not in targets and (final / "site").is_dir():
        shutil.copytree(final / "site", output.site)


def _swap(staging: Path, final: Path) -> None:
    """Replace ``final`` by ``staging`` with two renames, so no reader sees a half-written build."""
    retired = final.parent / f".{final.name}.old-{os.getpid()}"
    if final.exists():
        final.rename(retired)
    staging.rename(final)
    shutil.rmtree(retired, ignore_errors=True)


def terminal_progress(message: str) -> None:
    if sys.stderr.isatty():
        print(f"… {message}", file=sys.stderr)
