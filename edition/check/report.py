"""Problems found by the check stage, and how they are printed.

Every problem names a file, a line and a column, a severity, a message in an editor's words and the id of
the rule that found it, so that `edition check` output reads like a compiler's:
``tei/file.xml:12:5: error: message [rule-id]``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one place in one file."""

    path: Path
    line: int
    column: int
    severity: Severity
    message: str
    rule: str

    def format(self, root: Path | None = None) -> str:
        shown = self.path
        if root is not None:
            try:
                shown = self.path.resolve().relative_to(root.resolve())
            except ValueError:
                shown = self.path
        return f"{shown}:{self.line}:{self.column}: {self.severity.value}: {self.message} [{self.rule}]"


@dataclass
class Report:
    """All the problems of one check run, in file and line order."""

    problems: list[Problem]

    @classmethod
    def of(cls, problems: Iterable[Problem]) -> Report:
        return cls(sorted(set(problems)))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.WARNING]

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self, files: int) -> str:
        def plural(n: int, word: str) -> str:
            return f"{n} {word}{'' if n == 1 else 's'}"

        return (
            f"{plural(files, 'file')} checked: {plural(len(self.errors), 'error')}, "
            f"{plural(len(self.warnings), 'warning')}"
        )
