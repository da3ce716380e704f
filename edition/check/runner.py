"""The check stage as one call: load the corpus, run the grammar on every file, then the rules across
documents, and report everything at once (never stop at the first problem).

The grammar of each file (RELAX NG + Schematron) is the costly part and needs nothing but the file, so
for a corpus of some size it runs in worker processes (edition.parallel) while this process loads the
corpus and applies the rules across documents. A build also passes the grammar problems it already
knows for files that have not changed since the previous build (``known``, from the build manifest):
those files are not validated again. The report is the same whichever way it was made.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from edition.check.report import Problem, Report
from edition.check.rules import check_rules
from edition.config import Config
from edition.corpus import Corpus, document_paths, load_corpus, register_paths
from edition.parallel import GrammarRun, grammar_problems


@dataclass
class CheckResult:
    corpus: Corpus
    report: Report
    files: int  # how many files the report covers
    # The grammar problems of every file that was read, by path (a build keeps them for the next one).
    grammar: dict[Path, list[Problem]] = field(default_factory=dict)


def check_edition(
    config: Config,
    only: Sequence[Path] | None = None,
    known: Mapping[Path, list[Problem]] | None = None,
    jobs: int | None = None,
) -> CheckResult:
    """Check the whole edition; with ``only``, report just the problems in those files.

    Rules across documents need the whole corpus even when one file is asked about, so the corpus is
    always loaded whole and the report filtered afterwards. ``known`` gives the grammar problems of
    files known to be unchanged; ``jobs`` the number of worker processes (default: one per core).
    """
    known = known or {}
    paths = document_paths(config) + register_paths(config)
    run = GrammarRun.start([p for p in paths if p not in known], config.schema_dir, jobs)
    try:
        corpus, problems = load_corpus(config)
        rules = check_rules(corpus)
        loaded = {source.path: source for source in corpus.files}

        def here(path: Path) -> list[Problem] | None:
            source = loaded.get(path)
            return grammar_problems(source, config.schema_dir) if source is not None else None

        checked = run.results(here)
    finally:
        run.close()
    grammar: dict[Path, list[Problem]] = {}
    for source in corpus.files:
        found = known.get(source.path)
        if found is None:
            found = checked.get(source.path)
        if found is None:  # not checked by a worker (or it could not read the file): here
            found = grammar_problems(source, config.schema_dir)
        grammar[source.path] = found
        problems.extend(found)
    problems.extend(rules)
    files = len(corpus.files) + sum(1 for p in problems if p.rule in _UNREADABLE)
    if only is not None:
        wanted = {p.resolve() for p in only}
        problems = [p for p in problems if p.path.resolve() in wanted]
        files = len(wanted)
    return CheckResult(corpus, Report.of(problems), files, grammar)


_UNREADABLE = {"well-formed", "no-doctype", "tei-namespace"}


def unreadable(problem: Problem) -> bool:
    return problem.rule in _UNREADABLE
