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


# The parts of a build, by the folder they fill: "site" is build/site/ (the HTML pages and the harvesting
# files, which link to each other and so are always built together), "pdf" is build/pdf/.
PARTS = ("site", "pdf")


def _parts(targets: Sequence[str]) -> tuple[str, ...]:
    wanted = {"site" if t == "harvest" else t for t in targets}
    unknown = wanted - set(PARTS)
    if unknown:
        raise ValueError(f"unknown build part(s): {', '.join(sorted(unknown))}")
    return tuple(p for p in PARTS if p in wanted)


def _stages(parts: Sequence[str]) -> list[tuple[str, Stage]]:
    # Imported here so `edition check` does not pay for the renderers' imports.
    stages: list[tuple[str, Stage]] = []
    if "site" in parts:
        from edition.harvest import publish_harvest
        from edition.site import publish_site

        stages += [("site", publish_site), ("harvest", publish_harvest)]
    if "pdf" in parts:
        from edition.pdf import publish_pdf

        stages.append(("pdf", publish_pdf))
    return stages


def build(
    config: Config,
    targets: Sequence[str] = PARTS,
    progress: Callable[[str], None] | None = None,
) -> BuildResult:
    """Build the given parts ("site", "pdf"); the others are kept from the previous build."""
    parts = _parts(targets)
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
    _keep_previous(final, output, parts)
    try:
        for name, stage in _stages(parts):
            say(f"building: {name}")
            started = time.perf_counter()
            stage(checked.corpus, config, output)
            result.timings[name] = time.perf_counter() - started
        _publish_pdf_in_site(config, output)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _swap(staging, final)
    return result


def _keep_previous(final: Path, output: Output, parts: Sequence[str]) -> None:
    """A partial build (e.g. `edition pdf`) keeps the other parts of the previous build."""
    for part in PARTS:
        if part not in parts and (final / part).is_dir():
            shutil.copytree(final / part, output.root / part)


def _publish_pdf_in_site(config: Config, output: Output) -> None:
    """The PDF is also published in the site (site/pdf/), where its permanent URL points."""
    book = output.pdf / config.pdf.file_name
    if book.is_file() and output.site.is_dir():
        target = output.site / "pdf" / config.pdf.file_name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(book, target)


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
