"""What the check keeps of one file: its grammar problems and the facts the Corpus and the rules across
documents are made from, read once from one version of its bytes.

A file is examined (parsed, its grammar checked, its facts read) in a worker process, or not at all
when the previous build examined the same bytes: the build manifest keeps each file's record, keyed by
the SHA-256 of its bytes. Either way the process that applies the rules across documents receives only
these compact records, and parses a file again only to locate a problem found in it. A record is the
same whoever made it and whenever (tests/test_parallel.py, tests/test_incremental.py).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from edition.check import grammar
from edition.check.report import Problem, Severity
from edition.check.rules import (
    checked_pointers,
    crosses_files,
    ids_in,
    own_dates,
    problems_within,
)
from edition.corpus import (
    XML_ID,
    SourceFile,
    document_record,
    read_document,
    read_source,
)


@dataclass(frozen=True)
class FileFacts:
    """What one file tells the corpus and the rules, without its tree."""

    root_id: str | None  # the root's xml:id as written
    ids: tuple[str, ...]  # every xml:id, in document order
    pointers: tuple[str, ...]  # the pointers to other files (doc:, person: …), each once, sorted
    dates: tuple[str, ...]  # the values of the document's own date attributes (date-in-span)
    problems: tuple[Problem, ...]  # what the rules find in this file alone
    document: dict[str, Any] | None  # the Document's record (edition.corpus); None for a register


def read_facts(source: SourceFile, document: bool) -> FileFacts:
    """The facts of a parsed file; ``document``: a document (else a register)."""
    root = source.root
    pointers = {token for _e, _a, token in checked_pointers(source) if crosses_files(token)}
    return FileFacts(
        root_id=root.get(XML_ID),
        ids=tuple(ids_in(root)),
        pointers=tuple(sorted(pointers)),
        dates=tuple(dict.fromkeys(own_dates(root))) if document else (),
        problems=tuple(problems_within(source, document)),
        document=document_record(read_document(source)) if document else None,
    )


@dataclass(frozen=True)
class FileRecord:
    """One version of one file, examined: its SHA-256, its grammar problems, its facts.

    A file that cannot be read as TEI has no facts, and its one problem says why.
    """

    digest: str
    problems: tuple[Problem, ...]
    facts: FileFacts | None

    def to_json(self) -> list[Any]:
        """``[digest, the rest as one compact JSON text]``, without the file's path (the manifest keys
        records by file). One string per file keeps the manifest, written indented, quick to write
        and to read."""
        facts = self.facts
        rest = {
            "problems": _rows(self.problems),
            "facts": None
            if facts is None
            else {
                "root_id": facts.root_id,
                "ids": list(facts.ids),
                "pointers": list(facts.pointers),
                "dates": list(facts.dates),
                "problems": _rows(facts.problems),
                "document": facts.document,
            },
        }
        return [self.digest, json.dumps(rest, ensure_ascii=False, separators=(",", ":"))]

    @classmethod
    def from_json(cls, path: Path, raw: list[Any]) -> FileRecord:
        """The record :meth:`to_json` wrote for the file at ``path``; ValueError if it is not one."""
        try:
            digest, text = raw
            rest = json.loads(text)
            facts = rest["facts"]
            return cls(
                str(digest),
                _problems(path, rest["problems"]),
                None
                if facts is None
                else FileFacts(
                    root_id=facts["root_id"],
                    ids=tuple(facts["ids"]),
                    pointers=tuple(facts["pointers"]),
                    dates=tuple(facts["dates"]),
                    problems=_problems(path, facts["problems"]),
                    document=facts["document"],
                ),
            )
        except (KeyError, TypeError) as error:
            raise ValueError(f"not a check record: {error}") from error


def _rows(problems: tuple[Problem, ...]) -> list[list[Any]]:
    return [[p.line, p.column, p.severity.value, p.message, p.rule] for p in problems]


def _problems(path: Path, rows: list[list[Any]]) -> tuple[Problem, ...]:
    return tuple(
        Problem(path, int(line), int(column), Severity(severity), str(message), str(rule))
        for line, column, severity, message, rule in rows
    )


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def examine(
    path: Path,
    data: bytes,
    document: bool,
    schema_dir: Path,
    compiled: grammar.Grammars | None = None,
) -> FileRecord:
    """Parse ``data`` (the bytes of ``path``), check its grammar and read its facts; ``compiled``, if
    given, is ``grammar.grammars(schema_dir)``."""
    source = read_source(path, data)
    if isinstance(source, Problem):
        return FileRecord(digest(data), (source,), None)
    return FileRecord(
        digest(data),
        tuple(grammar.problems(source, schema_dir, compiled)),
        read_facts(source, document),
    )
