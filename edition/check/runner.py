"""The check stage as one call: examine every file, build the Corpus, apply the rules across documents,
and report everything at once (never stop at the first problem).

Each file's bytes are read once. Examining a file — parsing it, checking its grammar (RELAX NG +
Schematron), reading its facts (edition.check.facts) — needs nothing but the file, so for a corpus of
some size it is shared between worker processes and this one (edition.parallel). A build also passes
the records of the previous build (``known``, from the build manifest): a file whose bytes have the
digest recorded there is not examined again. The Corpus is then made from the records — the trees are
parsed later, and only where a stage needs them — and the rules across documents read the records'
facts. The report is the same whichever way it was made.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from edition.check import grammar
from edition.check.facts import FileRecord, digest, examine
from edition.check.report import Problem, Report
from edition.check.rules import check_rules
from edition.config import Config
from edition.corpus import (
    Corpus,
    Document,
    SourceFile,
    assemble_corpus,
    document_from_record,
    document_paths,
    register_paths,
)
from edition.parallel import FileRun


@dataclass
class CheckResult:
    corpus: Corpus
    report: Report
    files: int  # how many files the report covers
    # The record of every file that was read, by path (a build keeps them for the next one).
    records: dict[Path, FileRecord] = field(default_factory=dict)

    @property
    def grammar(self) -> dict[Path, list[Problem]]:
        """The grammar problems of every file that could be read as TEI, by path."""
        return {
            path: list(record.problems)
            for path, record in self.records.items()
            if record.facts is not None
        }


def check_edition(
    config: Config,
    only: Sequence[Path] | None = None,
    known: Mapping[Path, FileRecord] | None = None,
    jobs: int | None = None,
) -> CheckResult:
    """Check the whole edition; with ``only``, report just the problems in those files.

    Rules across documents need the whole corpus even when one file is asked about, so the corpus is
    always loaded whole and the report filtered afterwards. ``known`` gives records of files examined
    before (used where the bytes are the same); ``jobs`` the number of worker processes (default: one
    per core).
    """
    known = known or {}
    registers = set(register_paths(config))
    paths = document_paths(config) + register_paths(config)
    data = {path: path.read_bytes() for path in paths}
    records: dict[Path, FileRecord] = {}
    for path in paths:
        record = known.get(path)
        if record is not None and record.digest == digest(data[path]):
            records[path] = record
    todo = [path for path in paths if path not in records]
    if todo:
        schema_dir = config.schema_dir.resolve()
        compiled = grammar.grammars(schema_dir)  # before the workers are forked: they inherit it

        def job(path: Path) -> FileRecord:
            return examine(path, data[path], path not in registers, schema_dir, compiled)

        records.update(FileRun.start(todo, job, jobs).results(todo))
    records = {path: records[path] for path in paths}

    problems: list[Problem] = []
    loaded: list[tuple[SourceFile, Document | None]] = []
    unreadable_registers: list[Path] = []
    for path, record in records.items():
        problems.extend(record.problems)
        facts = record.facts
        if facts is None:
            if path in registers:
                unreadable_registers.append(path)
            continue
        source = SourceFile(path, data[path])
        document = None if facts.document is None else document_from_record(facts.document, source)
        loaded.append((source, document))
    corpus = assemble_corpus(config, loaded, unreadable_registers)
    problems.extend(
        check_rules(corpus, {p: r.facts for p, r in records.items() if r.facts is not None})
    )
    files = len(corpus.files) + sum(1 for p in problems if p.rule in _UNREADABLE)
    if only is not None:
        wanted = {p.resolve() for p in only}
        problems = [p for p in problems if p.path.resolve() in wanted]
        files = len(wanted)
    return CheckResult(corpus, Report.of(problems), files, records)


_UNREADABLE = {"well-formed", "no-doctype", "tei-namespace"}


def unreadable(problem: Problem) -> bool:
    return problem.rule in _UNREADABLE
