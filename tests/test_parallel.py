"""Per-document work in worker processes gives exactly what the same work gives in one process: the same
problems from the check, the same bytes in every file of the site."""

from __future__ import annotations

import concurrent.futures
import dataclasses
import datetime as dt
import os
import shutil
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from edition import parallel
from edition.build import build
from edition.check import grammar
from edition.check.facts import FileRecord, examine
from edition.check.report import Problem, Severity
from edition.check.runner import check_edition
from edition.config import load_config
from edition.corpus import SourceFile, read_file
from edition.site.pictures import busiest_week
from tests.built_site import config_building_into
from tests.conftest import MINI, REPO, Edition

SCHEMA = REPO / "schema"


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def every_fixture() -> list[Path]:
    return sorted(
        [
            *(REPO / "tests" / "fixtures" / "schema").glob("*.xml"),
            *(MINI / "tei").rglob("*.xml"),
            *(REPO / "tei").rglob("*.xml"),
        ]
    )


@pytest.fixture
def always_workers(monkeypatch: pytest.MonkeyPatch) -> None:
    """Use worker processes however small the corpus (and even if another test left a thread)."""
    monkeypatch.setattr(parallel, "MIN_FILES_FOR_WORKERS", 0)
    monkeypatch.setattr(parallel, "MIN_DOCUMENTS_FOR_WORKERS", 0)
    monkeypatch.setattr(parallel, "can_fork", lambda: True)


def test_the_quick_grammar_check_says_what_the_full_one_says() -> None:
    """Files without problems skip the preparation of explanations; the others get them in full."""
    with_problems = 0
    for path in every_fixture():
        source = read_file(path)
        assert isinstance(source, SourceFile), path
        expected = grammar.validate(source.tree, source.path, source.lines, SCHEMA)
        assert grammar.problems(source, SCHEMA) == expected, path.name
        with_problems += bool(expected)
    assert with_problems >= 30  # the schema fixtures: one broken rule each


def _examine(path: Path) -> FileRecord:
    return examine(path, path.read_bytes(), path.parent.name != "register", SCHEMA)


def _assert_examined(found: dict[Path, FileRecord], paths: list[Path]) -> None:
    """Each record is what examining the file here gives, its grammar what the full check gives."""
    assert list(found) == paths
    for path in paths:
        assert found[path] == _examine(path), path.name
        source = read_file(path)
        assert isinstance(source, SourceFile)
        expected = grammar.validate(source.tree, path, source.lines, SCHEMA)
        assert list(found[path].problems) == expected, path.name
        assert found[path].facts is not None


def test_files_examined_by_workers_are_the_same(always_workers: None) -> None:
    paths = every_fixture()
    run = parallel.FileRun.start(paths, _examine, jobs=3)
    assert run.executor is not None
    concurrent.futures.wait([future for _part, future in run.chunks])  # nothing left to take over

    def never(path: Path) -> FileRecord:
        raise AssertionError(f"{path} was not examined by a worker")

    _assert_examined(run.results(paths, never), paths)


def test_the_caller_examines_what_no_worker_has_begun(always_workers: None) -> None:
    paths = every_fixture()
    run = parallel.FileRun.start(paths, _examine, jobs=2)
    assert len(run.chunks) > 2
    concurrent.futures.wait([run.chunks[0][1]])  # the worker has begun
    taken: list[Path] = []

    def here(path: Path) -> FileRecord:
        taken.append(path)
        return _examine(path)

    found = run.results(paths, here)
    assert len(taken) < len(paths)  # the worker did its share
    _assert_examined(found, paths)


def _break(mini: Edition) -> None:
    mini.edit("tei/alpha-beta-1962-10-22.xml", '<p n="2">', '<p n="5">')
    mini.edit("tei/alpha-beta-1962-10-24.xml", 'status="summarised"', 'status="sumarised"')
    mini.edit("tei/beta-alpha-1962-10-23.xml", 'type="prev"', 'type="previous"')
    mini.edit("tei/register/places.xml", "<placeName>Island</placeName>", "")
    (mini.root / "tei" / "unclosed.xml").write_text("<TEI><teiHeader>")


def test_the_check_reports_the_same_with_and_without_workers(
    mini: Edition, always_workers: None
) -> None:
    _break(mini)
    config = load_config(mini.root)
    serial = check_edition(config, jobs=1)
    with_workers = check_edition(config, jobs=2)
    assert serial.report.problems == with_workers.report.problems
    assert serial.records == with_workers.records
    assert serial.files == with_workers.files
    rules = {p.rule for p in serial.report.problems}
    assert {"paragraphs-numbered", "schema-value", "well-formed"} <= rules


def test_known_records_are_not_examined_again(mini: Edition) -> None:
    config = load_config(mini.root)
    first = check_edition(config, jobs=1)
    letter = mini.path("tei/alpha-beta-1962-10-22.xml")
    invented = Problem(letter, 1, 1, Severity.WARNING, "remembered", "test-rule")
    known = dict(first.records)
    known[letter] = dataclasses.replace(first.records[letter], problems=(invented,))
    again = check_edition(config, known=known, jobs=1)
    assert invented in again.report.problems  # taken as given, not validated again
    # A record of other bytes is not used: the file is examined again.
    known[letter] = dataclasses.replace(known[letter], digest="0" * 64)
    assert invented not in check_edition(config, known=known, jobs=1).report.problems


def test_the_site_is_byte_identical_with_and_without_workers(
    tmp_path: Path, always_workers: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    pools: list[int] = []
    make_pool = parallel.pool

    def counted(workers: int, *rest: Any) -> concurrent.futures.ProcessPoolExecutor:
        pools.append(workers)
        return make_pool(workers, *rest)

    monkeypatch.setattr(parallel, "pool", counted)
    serial = config_building_into(tmp_path / "serial")
    build(serial, ("site",), incremental=False, jobs=1)
    assert pools == []
    parallel_config = config_building_into(tmp_path / "parallel")
    build(parallel_config, ("site",), incremental=False, jobs=2)
    assert pools == [1, 2]  # the check (beside the loading process), then the reading pages
    one, two = tree(serial.build_dir), tree(parallel_config.build_dir)
    assert sorted(one) == sorted(two)
    assert [name for name in one if one[name] != two[name]] == []
    assert any(name.startswith("site/documents/") for name in one)


def _pid_job() -> Callable[[str], tuple[str, int]]:
    made_in = os.getpid()  # once per worker

    def job(doc_id: str) -> tuple[str, int]:
        assert os.getpid() == made_in
        return doc_id.upper(), os.getpid()

    return job


def test_no_workers_are_forked_beside_other_threads() -> None:
    """A fork copies only the calling thread: with another thread running, the work stays here."""
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert not parallel.can_fork()
        assert parallel.use_workers(1000, 10, jobs=2) == 0
    finally:
        stop.set()
        other.join()


def test_per_document_work_runs_in_workers_and_keeps_the_order(always_workers: None) -> None:
    ids = [f"doc-{i:03d}" for i in range(40)]
    seen: list[tuple[int, int]] = []
    results = parallel.per_document(
        ids, _pid_job, jobs=2, minimum=1, progress=lambda done, total: seen.append((done, total))
    )
    assert list(results) == ids
    assert [value for value, _pid in results.values()] == [i.upper() for i in ids]
    workers = {pid for _value, pid in results.values()}
    assert os.getpid() not in workers and 1 <= len(workers) <= 2
    assert seen[-1] == (40, 40)


def test_small_work_stays_in_the_calling_process(always_workers: None) -> None:
    results = parallel.per_document(["a", "b"], _pid_job, jobs=2, minimum=10)
    assert {pid for _value, pid in results.values()} == {os.getpid()}
    assert parallel.use_workers(1000, 10, jobs=1) == 0
    assert parallel.use_workers(5, 10, jobs=2) == 0
    assert parallel.use_workers(1000, 10, jobs=2) == 2


def test_edition_jobs_sets_the_number_of_workers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EDITION_JOBS", "3")
    assert parallel.worker_count() == 3
    monkeypatch.setenv("EDITION_JOBS", "1")
    assert parallel.use_workers(1000, 10) == 0
    assert parallel.worker_count(5) == 5


def test_a_failing_document_fails_the_build_from_a_worker(
    mini: Edition, tmp_path: Path, always_workers: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An error in a worker reaches the build, which then leaves build/ as it was."""
    config = load_config(mini.root)
    build(config, ("site",), jobs=2)
    before = tree(config.build_dir)
    mini.edit(
        "tei/alpha-beta-1962-10-22.xml", "Second paragraph with", "Second paragraph, now with"
    )
    from edition.site import pages

    def broken(*_arguments: object) -> None:
        raise RuntimeError("page failed")

    monkeypatch.setattr(pages, "_document_page", broken)
    with pytest.raises(RuntimeError, match="page failed"):
        build(config, ("site",), jobs=2)
    assert tree(config.build_dir) == before
    shutil.rmtree(config.build_dir)


@given(st.lists(st.dates(dt.date(1962, 10, 1), dt.date(1963, 1, 31)), max_size=60))
def test_the_busiest_week_is_the_first_window_with_the_most_documents(
    dates: list[dt.date],
) -> None:
    """The timeline's busiest week, found in O(n log n), is the one the definition gives."""
    days = sorted(dates)
    expected = None
    best = -1
    for start in days:
        count = sum(1 for d in days if start <= d < start + dt.timedelta(days=7))
        if count > best:
            best, expected = count, start
    assert busiest_week(dates) == expected
