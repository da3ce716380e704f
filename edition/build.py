"""Orchestration of one build: load → check → transform → render → publish, forward only.

The output is assembled in a staging folder beside ``build/`` and swapped in only when every stage has
succeeded, so a failed or interrupted build leaves the previous ``build/`` exactly as it was. Inputs are
only ever read.

Builds are incremental (see edition.incremental): the staging folder starts as a hard-link copy of the
previous build (made from the build before it, kept as the *spare*: see below); only the groups of
outputs whose inputs changed are discarded and written again (every writer replaces a file rather than
writing into it, so the previous build's files are never touched), and files no group claims any more
are removed. The result is byte for byte what a full build writes.
``build/.manifest.json`` records what each build was made from; without it a part is built in full.
"""

from __future__ import annotations

import contextlib
import gc
import os
import shutil
import sys
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from edition.check.facts import FileRecord
from edition.check.report import Report
from edition.check.runner import check_edition
from edition.config import Config
from edition.corpus import Corpus
from edition.incremental import (
    Group,
    Inputs,
    Manifest,
    Plan,
    book_keys,
    grammar_key,
    grammar_record,
    known_grammar,
    site_keys,
)


class BuildError(Exception):
    """The build stopped; ``build/`` is unchanged. The message says why."""

    def __init__(self, message: str, report: Report | None = None) -> None:
        super().__init__(message)
        self.report = report


@dataclass(frozen=True)
class Output:
    """Where the stages write: the staging folder's site/ and pdf/.

    ``plan`` says which outputs of the site are current (None: write everything); stages may note the
    time their parts took in ``timings``. Given ``background`` (a build does), a stage may leave work
    running there (e.g. the search indexer) while later stages run: the build finishes it before the
    staging folder is swapped in, and stops it if anything fails.
    """

    root: Path
    plan: Plan | None = None
    timings: dict[str, float] = field(default_factory=dict, compare=False)
    background: list[Background] | None = field(default=None, compare=False)
    jobs: int | None = None  # worker processes for per-document work (None: one per core)

    @property
    def site(self) -> Path:
        return self.root / "site"

    @property
    def pdf(self) -> Path:
        return self.root / "pdf"


# A stage publishes part of the edition from the checked corpus into the staging folder.
Stage = Callable[[Corpus, Config, Output], None]


class Background(Protocol):
    """Work a stage started and the build finishes (or stops, when the build fails)."""

    def finish(self) -> None: ...

    def stop(self) -> None: ...


@dataclass(frozen=True)
class Incremental:
    """A stage that takes part in incremental builds.

    With ``group`` None the stage consults ``output.plan`` and records what it writes itself (the site);
    otherwise its whole output is one group, written again only when that group's key changed.
    """

    run: Stage
    group: str | None = None

    def __call__(self, corpus: Corpus, config: Config, output: Output) -> None:
        self.run(corpus, config, output)


@dataclass
class BuildResult:
    corpus: Corpus
    report: Report
    timings: dict[str, float] = field(default_factory=dict)
    # part → the groups of outputs written by this build (the others were kept from the previous one)
    rebuilt: dict[str, list[str]] = field(default_factory=dict)


# The parts of a build, by the folder they fill: "site" is build/site/ (the HTML pages and the harvesting
# files, which link to each other and so are always built together), "pdf" is build/pdf/.
PARTS = ("site", "pdf")
_PART_OF_STAGE = {"harvest": "site"}


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

        stages += [
            ("site", Incremental(publish_site)),
            ("harvest", Incremental(publish_harvest)),
        ]
    if "pdf" in parts:
        from edition.pdf import publish_pdf

        stages.append(("pdf", Incremental(publish_pdf, "book")))
    return stages


def build(
    config: Config,
    targets: Sequence[str] = PARTS,
    progress: Callable[[str], None] | None = None,
    incremental: bool = True,
    jobs: int | None = None,
) -> BuildResult:
    """Build the given parts ("site", "pdf"); the others are kept from the previous build.

    With ``incremental`` (the default) only what changed since the previous build is written again;
    ``jobs`` is the number of worker processes for per-document work (default: one per core).
    """
    parts = _parts(targets)
    say = progress or (lambda _message: None)
    final = config.build_dir
    say("checking the edition")
    started = time.perf_counter()
    inputs = Inputs.of(config)
    previous = Manifest.read(final) if incremental else None
    checked = check_edition(config, known=known_grammar(previous, inputs), jobs=jobs)
    if not checked.report.ok:
        raise BuildError(
            f"the edition has {len(checked.report.errors)} error(s); nothing was built",
            checked.report,
        )
    result = BuildResult(checked.corpus, checked.report)
    result.timings["check"] = time.perf_counter() - started
    stages = _stages(parts)
    # From here on, the corpus, the manifest and the check's records live until the build ends: the
    # garbage collector need not walk them again and again while the outputs are written (in an
    # edited rebuild of 1,000 letters, those walks took longer than the harvest itself).
    with _frozen_heap():
        staging = final.parent / f".{final.name}.staging-{os.getpid()}"
        _take_spare(final, staging)
        background: list[Background] = []
        try:
            plans = _prepare(checked.corpus, inputs, previous, final, staging, parts, stages)
            output = Output(staging, plans.get("site"), background=background, jobs=jobs)
            for plan in plans.values():
                plan.prepare()
            for name, stage in stages:
                if name == "pdf":
                    # The site's background work (the search index) ends with the site, so each part's
                    # timing is its own: the book does not need the index.
                    while background:
                        background.pop(0).finish()
                owner = plans.get(_PART_OF_STAGE.get(name, name))
                if isinstance(stage, Incremental) and stage.group is not None and owner is not None:
                    if not owner.stale(stage.group):
                        continue
                    before = owner.listing()
                    say(f"building: {name}")
                    begun = time.perf_counter()
                    stage(checked.corpus, config, output)
                    result.timings[name] = time.perf_counter() - begun
                    owner.record(stage.group, owner.listing() - before)
                    continue
                say(f"building: {name}")
                begun = time.perf_counter()
                stage(checked.corpus, config, output)
                result.timings[name] = time.perf_counter() - begun
            while background:
                background.pop(0).finish()
            _publish_pdf_in_site(config, output, plans.get("site"))
            for part, plan in plans.items():
                if plan.incremental:
                    plan.sweep()
                result.rebuilt[part] = sorted(plan.written)
            result.timings.update(output.timings)
            _write_manifest(inputs, checked.records, previous, plans, staging, parts)
        except BaseException:
            for work in background:
                work.stop()
            _give_back(staging, final)
            raise
        _swap(staging, final)
        return result


@contextlib.contextmanager
def _frozen_heap() -> Iterator[None]:
    """Leave the objects alive now out of the garbage collector's walks until the block ends."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _prepare(
    corpus: Corpus,
    inputs: Inputs,
    previous: Manifest | None,
    final: Path,
    staging: Path,
    parts: Sequence[str],
    stages: list[tuple[str, Stage]],
) -> dict[str, Plan]:
    """Fill the staging folder: parts not built are kept; parts built incrementally start from the
    previous build (hard links); others start empty. Returns the plan of each incremental part."""
    plans: dict[str, Plan] = {}
    _clear_all_but(staging, PARTS)
    for part in PARTS:
        previous_folder = final / part
        if part not in parts:
            if previous_folder.is_dir():
                _link_tree(previous_folder, staging / part)
            else:
                _clear(staging / part)
            continue
        own = [stage for name, stage in stages if _PART_OF_STAGE.get(name, name) == part]
        keys: dict[str, str] | None = None
        if own and all(isinstance(stage, Incremental) for stage in own):
            keys = site_keys(corpus, inputs) if part == "site" else book_keys(inputs)
        earlier = previous.parts.get(part) if previous is not None else None
        if keys is not None and earlier is not None and previous_folder.is_dir():
            _link_tree(previous_folder, staging / part)
            plans[part] = Plan(staging / part, keys, earlier, previous_folder)
            continue
        _clear(staging / part)  # built in full: from an empty folder
        if keys is not None:
            plans[part] = Plan(staging / part, keys)
    return plans


def _write_manifest(
    inputs: Inputs,
    checked: Mapping[Path, FileRecord],
    previous: Manifest | None,
    plans: dict[str, Plan],
    staging: Path,
    parts: Sequence[str],
) -> None:
    """Record this build; parts kept from the previous build keep their record. No incremental part,
    no manifest."""
    records: dict[str, dict[str, Group]] = {}
    for part in PARTS:
        if part in plans:
            records[part] = plans[part].groups
        elif (
            part not in parts
            and previous is not None
            and part in previous.parts
            and (staging / part).is_dir()
        ):
            records[part] = previous.parts[part]
    if not records:
        return
    manifest = Manifest(
        inputs.files,
        grammar_key(inputs),
        grammar_record(inputs, checked),
        records,
    )
    manifest.write(staging)


# --- the staging folder -------------------------------------------------------------------------------
#
# A build is written into a staging folder that replaces build/ at the end (two renames). The build/
# it replaces is not deleted but kept beside it as the *spare* (.build.spare): the next build renames
# the spare to its staging folder and brings it up to date with build/, which costs little, since its
# files are mostly hard links to build/'s files already — only those that differ are linked again,
# and the others removed. Deleting a tree of thousands of files and linking a new one each time cost
# more than the rest of a small rebuild. The spare holds the previous versions of the files the last
# build replaced; delete it at will.


def spare_folder(final: Path) -> Path:
    """Where the build before the last is kept, to start the next build's staging folder from."""
    return final.parent / f".{final.name}.spare"


def _take_spare(final: Path, staging: Path) -> None:
    """Start ``staging`` from the spare if there is one (else empty)."""
    _clear(staging)  # left by an earlier process with the same id
    staging.parent.mkdir(parents=True, exist_ok=True)
    try:
        spare_folder(final).rename(staging)
    except OSError:  # none, or another build took it
        staging.mkdir()


def _give_back(staging: Path, final: Path) -> None:
    """A failed build's staging folder becomes the spare (the next build brings it up to date)."""
    try:
        staging.rename(spare_folder(final))
    except OSError:
        _clear(staging)


def _clear(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)


def _clear_all_but(folder: Path, names: Sequence[str]) -> None:
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.name not in names:
                _clear(Path(entry.path))


def _link_tree(source: Path, target: Path) -> None:
    """Make ``target`` hold exactly the files of ``source``, as hard links (plain copies where links
    are not possible). What ``target`` holds already is reused: a file that is a link to the same
    file of ``source`` (the same inode) is left; any other file or folder is removed or replaced.
    Nothing in ``source`` is ever changed."""
    if target.is_symlink() or (target.exists() and not target.is_dir()):
        target.unlink()
    target.mkdir(parents=True, exist_ok=True)
    if os.stat(source).st_dev != os.stat(target).st_dev:  # inodes of two devices tell nothing
        shutil.rmtree(target)
        target.mkdir()
    _mirror(str(source), str(target))


def _mirror(source: str, target: str) -> None:
    with os.scandir(source) as entries:
        wanted = {entry.name: entry for entry in entries}
    kept: set[str] = set()
    with os.scandir(target) as entries:
        for entry in entries:
            origin = wanted.get(entry.name)
            if entry.is_dir(follow_symlinks=False):
                if origin is not None and origin.is_dir(follow_symlinks=False):
                    kept.add(entry.name)
                    continue
                shutil.rmtree(entry.path)
            elif (
                origin is not None
                and not origin.is_dir(follow_symlinks=False)
                and origin.inode() == entry.inode()
            ):
                kept.add(entry.name)
            else:
                os.unlink(entry.path)
    for name, origin in wanted.items():
        path = os.path.join(target, name)
        if origin.is_dir(follow_symlinks=False):
            if name not in kept:
                os.mkdir(path)
            _mirror(origin.path, path)
        elif name not in kept:
            try:
                os.link(origin.path, path)
            except OSError:
                shutil.copy2(origin.path, path)


def _publish_pdf_in_site(config: Config, output: Output, plan: Plan | None) -> None:
    """The PDF is also published in the site (site/pdf/), where its permanent URL points."""
    book = output.pdf / config.pdf.file_name
    if book.is_file() and output.site.is_dir():
        target = output.site / "pdf" / config.pdf.file_name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.unlink(
            missing_ok=True
        )  # a hard link to the previous build's copy: replace, never write
        shutil.copyfile(book, target)
        if plan is not None:
            plan.record("pdf", [target.relative_to(output.site).as_posix()])


def _swap(staging: Path, final: Path) -> None:
    """Replace ``final`` by ``staging`` with two renames, so no reader sees a half-written build; the
    replaced build becomes the spare."""
    spare = spare_folder(final)
    if spare.exists():  # another build's, made while this one ran: not worth keeping two
        retired = final.parent / f".{final.name}.old-{os.getpid()}"
        spare.rename(retired)
        shutil.rmtree(retired, ignore_errors=True)
    if final.exists():
        final.rename(spare)
    staging.rename(final)


def terminal_progress(message: str) -> None:
    if sys.stderr.isatty():
        print(f"… {message}", file=sys.stderr)
