"""The check stage as one call: load the corpus, run the grammar on every file, then the rules across
documents, and report everything at once (never stop at the first problem)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from edition.check import grammar
from edition.check.report import Problem, Report
from edition.check.rules import check_rules
from edition.config import Config
from edition.corpus import Corpus, load_corpus


@dataclass
class CheckResult:
    corpus: Corpus
    report: Report
    files: int  # how many files the report covers


def check_edition(config: Config, only: Sequence[Path] | None = None) -> CheckResult:
    """Check the whole edition; with ``only``, report just the problems in those files.

    Rules across documents need the whole corpus even when one file is asked about, so the corpus is
    always loaded whole and the report filtered afterwards.
    """
    corpus, problems = load_corpus(config)
    for source in corpus.files:
        problems.extend(grammar.validate(source.tree, source.path, source.lines, config.schema_dir))
    problems.extend(check_rules(corpus))
    files = len(corpus.files) + sum(1 for p in problems if p.rule in _UNREADABLE)
    if only is not None:
        wanted = {p.resolve() for p in only}
        problems = [p for p in problems if p.path.resolve() in wanted]
        files = len(wanted)
    return CheckResult(corpus, Report.of(problems), files)


_UNREADABLE = {"well-formed", "no-doctype", "tei-namespace"}


def unreadable(problem: Problem) -> bool:
    return problem.rule in _UNREADABLE
