"""Per-document work on every core: the check of each file, the XSLT transform and the reading pages.

Each pool is a ``ProcessPoolExecutor`` whose workers are forked from the build's process, so they
inherit what it already holds (the files' bytes, the compiled grammars, the Corpus, the settings, the
compiled page templates) without copying it through a pipe; an initializer then makes, once per worker,
what must not be shared (the Saxon transformer). Only small things travel: document ids or file paths
out, each file's check record (edition.check.facts) or search passages back. Pages are written by the
workers straight into the staging folder.

A pool costs something to start (forking, compiling the stylesheet in every worker): for small corpora
that costs more than it saves, so below a threshold measured on the project's 2-core machine the work is
done in the calling process, by the same functions. Results never depend on which way was taken: the
check record of a file and the bytes of a page are the same from a worker and from the caller
(tests/test_parallel.py).

Where processes cannot be forked (not on Linux/macOS, or while other threads run), everything runs in
the calling process. ``EDITION_JOBS=1`` forces that too; ``EDITION_JOBS=N`` sets the number of workers.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar

# Below these many items the work is done in the calling process. Measured on the project's 2-core
# machine: the check of 20 files (and 4 registers) takes 0.024 s alone and as long with a worker
# beside the caller, 40 files 0.042 s both ways, 80 files 0.087 s alone and 0.062 s with a worker
# (best of 15, while other work ran: on an idle machine the worker pays off sooner); 40 reading
# pages take 0.20 s alone and 0.21 s with two workers (each compiles the stylesheet, about 0.1 s),
# 60 pages 0.30 s and 0.28 s, 100 pages 0.47 s and 0.38 s (best of three).
MIN_FILES_FOR_WORKERS = 20
MIN_DOCUMENTS_FOR_WORKERS = 50

T = TypeVar("T")


def worker_count(jobs: int | None = None) -> int:
    """How many workers to use: ``jobs``, else $EDITION_JOBS, else one per core."""
    if jobs is None:
        configured = os.environ.get("EDITION_JOBS", "").strip()
        jobs = int(configured) if configured.isdigit() else 0
    if jobs <= 0:
        jobs = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(1, jobs or 1)


def can_fork() -> bool:
    """Workers are forked, and only from a process running no other thread: a fork copies just the
    calling thread, and a lock another thread held at that moment would stay locked in the worker
    (`edition serve --watch` builds in one thread while the server answers in another; there the work,
    a few changed documents, is done in the building thread)."""
    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1


def use_workers(items: int, minimum: int, jobs: int | None = None) -> int:
    """The number of workers for ``items`` pieces of work: 0 means do it here."""
    workers = min(worker_count(jobs), items)
    if workers < 2 or items < minimum or not can_fork():
        return 0
    return workers


def chunks(items: Sequence[T], workers: int, largest: int = 50) -> list[list[T]]:
    """Contiguous slices, several per worker so a slow one does not hold the others up."""
    if not items:
        return []
    size = max(1, min(largest, len(items) // (workers * 6) or 1))
    return [list(items[i : i + size]) for i in range(0, len(items), size)]


def pool(
    workers: int, initializer: Callable[..., None], initargs: tuple[Any, ...]
) -> ProcessPoolExecutor:
    """Forked workers: ``initargs`` reach them by inheritance, never pickled."""
    return ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("fork"),
        initializer=initializer,
        initargs=initargs,
    )


# --- the check of each file -----------------------------------------------------------------------


_file_job: Callable[[Path], Any] | None = None


def _file_worker(job: Callable[[Path], Any]) -> None:
    global _file_job
    _file_job = job


def _files(paths: list[Path]) -> list[tuple[Path, Any]]:
    assert _file_job is not None
    return [(path, _file_job(path)) for path in paths]


@dataclass
class FileRun(Generic[T]):
    """``job(path)`` for many files, by workers from the start of the list while the caller works
    from its end: whatever no worker has begun when the caller gets there, the caller does itself, so
    neither side waits for the other. The job reaches the workers by inheritance (they are forked when
    the run starts), with everything it holds: the files' bytes, the compiled grammars."""

    job: Callable[[Path], T]
    executor: ProcessPoolExecutor | None = None
    chunks: list[tuple[list[Path], Future[list[tuple[Path, T]]]]] = field(default_factory=list)

    @classmethod
    def start(
        cls, paths: Sequence[Path], job: Callable[[Path], T], jobs: int | None = None
    ) -> FileRun[T]:
        # The caller does the same work meanwhile: it counts as one of the cores.
        workers = worker_count(jobs) - 1
        if workers < 1 or len(paths) < MIN_FILES_FOR_WORKERS or not can_fork():
            return cls(job)
        executor = pool(workers, _file_worker, (job,))
        return cls(
            job,
            executor,
            [(part, executor.submit(_files, part)) for part in chunks(paths, workers, largest=25)],
        )

    def results(
        self, paths: Sequence[Path], here: Callable[[Path], T] | None = None
    ) -> dict[Path, T]:
        """``job(path)`` for every path, in the order of ``paths``; the files of chunks no worker has
        begun are done here (with ``here``, by default the job), from the end of the queue."""
        here = here or self.job
        found: dict[Path, T] = {}
        try:
            for part, future in reversed(self.chunks):
                if future.cancel():
                    for path in part:
                        found[path] = here(path)
            for _part, future in self.chunks:
                if not future.cancelled():
                    found.update(future.result())
            for path in paths:
                if path not in found:  # no workers: everything here
                    found[path] = here(path)
            return {path: found[path] for path in paths}
        finally:
            self.close()

    def close(self) -> None:
        if self.executor is not None:
            self.executor.shutdown(wait=True, cancel_futures=True)
            self.executor = None


# --- the transform and the reading pages ----------------------------------------------------------


_job: Callable[[str], Any] | None = None


def _document_worker(make_job: Callable[[], Callable[[str], Any]]) -> None:
    global _job
    _job = make_job()


def _documents(ids: list[str]) -> list[tuple[str, Any]]:
    assert _job is not None
    return [(doc_id, _job(doc_id)) for doc_id in ids]


def per_document(
    ids: Sequence[str],
    make_job: Callable[[], Callable[[str], T]],
    jobs: int | None = None,
    minimum: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, T]:
    """``job(id)`` for every id, in workers when there are enough; results in the order of ``ids``.

    ``make_job`` is called once per worker (after the fork) — or once here when no workers are used —
    and returns the function that does one document: compile what it needs in ``make_job``.
    """
    total = len(ids)
    workers = use_workers(total, MIN_DOCUMENTS_FOR_WORKERS if minimum is None else minimum, jobs)
    results: dict[str, T] = {}
    if not workers:
        job = make_job()
        for done, doc_id in enumerate(ids, start=1):
            results[doc_id] = job(doc_id)
            if progress is not None:
                progress(done, total)
        return results
    with pool(workers, _document_worker, (make_job,)) as executor:
        futures = [executor.submit(_documents, part) for part in chunks(ids, workers)]
        for future in futures:
            for doc_id, result in future.result():
                results[doc_id] = result
            if progress is not None:
                progress(len(results), total)
    return {doc_id: results[doc_id] for doc_id in ids}
