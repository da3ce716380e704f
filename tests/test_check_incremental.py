"""A check that reuses the records of the previous one (as a build does, from its manifest) examines only
the files whose bytes changed, and reports exactly what a check from scratch reports: the same
problems at the same places, rules across documents included."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from edition.build import build
from edition.check import grammar, runner
from edition.check.facts import FileRecord
from edition.check.runner import CheckResult, check_edition
from edition.config import load_config
from edition.incremental import Inputs, Manifest, known_grammar
from tests.conftest import Edition

D1 = "tei/alpha-beta-1962-10-22.xml"  # transcribed
D2 = "tei/beta-alpha-1962-10-23.xml"  # summarised, replies to D1
D3 = "tei/alpha-beta-1962-10-24.xml"  # summarised, replies to D2
PERSONS = "tei/register/persons.xml"
REGISTERS = [
    f"tei/register/{name}.xml" for name in ("organisations", "persons", "places", "sources")
]


@pytest.fixture
def examined(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The files the check examines (parses and validates) in this process."""
    seen: list[Path] = []
    real = runner.examine

    def counting(
        path: Path, data: bytes, document: bool, schema_dir: Path, *rest: grammar.Grammars | None
    ) -> FileRecord:
        seen.append(path)
        return real(path, data, document, schema_dir, *rest)

    monkeypatch.setattr(runner, "examine", counting)
    return seen


def _located(result: CheckResult) -> list[str]:
    return [p.format() for p in result.report.problems]


def test_reused_records_give_the_report_of_a_full_check(
    mini: Edition, examined: list[Path]
) -> None:
    config = load_config(mini.root)
    previous = check_edition(config, jobs=1)
    steps: list[tuple[str, Callable[[], None], set[str]]] = [
        (
            "unregistered key",
            lambda: mini.edit(D1, 'ref="person:beta"', 'ref="person:betta"'),
            {D1},
        ),
        (
            "one xml:id in two files",
            lambda: (
                mini.edit(D1, '<p n="1">', '<p n="1" xml:id="shared">'),
                mini.edit(D2, "<p>The text", '<p xml:id="shared">The text'),
            ),
            {D1, D2},
        ),
        (
            "a date out of the span",
            lambda: mini.edit(D3, 'when="1962-10-24"', 'when="1963-05-01"'),
            {D3},
        ),
        (
            "a prev link not returned",
            lambda: mini.edit(
                D3, '<ref type="prev" target="doc:beta-alpha-1962-10-23">previous</ref>', ""
            ),
            {D3},
        ),
        (
            "an entry removed from the register",
            lambda: mini.edit(PERSONS, 'xml:id="beta"', 'xml:id="beta-removed"'),
            {PERSONS},
        ),
        (
            "a letter that no longer parses",
            lambda: mini.edit(D2, "</teiHeader>", "</teiHeadr>"),
            {D2},
        ),
        ("put back", lambda: mini.edit(D2, "</teiHeadr>", "</teiHeader>"), {D2}),
    ]
    for step, change, edited in steps:
        change()
        examined.clear()
        again = check_edition(config, known=previous.records, jobs=1)
        assert {mini.path(e) for e in edited} == set(examined), step
        examined.clear()
        full = check_edition(config, jobs=1)
        assert len(examined) == len(full.records)
        assert _located(again) == _located(full), step
        assert again.records == full.records, step
        assert again.files == full.files, step
        previous = again
    rules = {p.rule for p in previous.report.problems}
    assert {"unique-id", "date-in-span", "prev-next-reciprocal", "pointer-resolves"} <= rules


def test_an_edited_rebuild_examines_only_the_edited_file(
    mini: Edition, examined: list[Path]
) -> None:
    config = load_config(mini.root)
    build(config, ("site",), jobs=1)
    assert len(examined) == 7  # the first build: every file
    mini.edit(D1, "Second paragraph with", "Second, edited paragraph with")
    examined.clear()
    build(config, ("site",), jobs=1)
    assert examined == [mini.path(D1)]
    # Nor does the check parse the others to build the corpus: a tree is parsed only where a stage
    # asks for it (or to locate a problem).
    mini.edit(D1, "Second, edited paragraph with", "Second paragraph with")
    known = known_grammar(Manifest.read(config.build_dir), Inputs.of(config))
    assert set(known) == {mini.path(p) for p in (D1, D2, D3, *REGISTERS)}
    checked = check_edition(config, known=known, jobs=1)
    assert [d.file.path for d in checked.corpus.documents if d.file.parsed] == []
