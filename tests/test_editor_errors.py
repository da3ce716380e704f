"""The ten encoding mistakes editors make most, each answered with the place and what to do.

Each case breaks the mini edition in one way an editor would, runs the whole check, and asserts that
exactly the expected rule fires at the expected line, in words that name the thing and the remedy.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from edition.check.runner import check_edition
from edition.config import load_config
from tests.conftest import Edition

D1 = "tei/alpha-beta-1962-10-22.xml"
D2 = "tei/beta-alpha-1962-10-23.xml"
D3 = "tei/alpha-beta-1962-10-24.xml"


@dataclass(frozen=True)
class Mistake:
    file: str
    old: str
    new: str
    rule: str
    at: str  # text on the line the problem must point to (after the edit)
    says: tuple[str, ...]  # what the message must contain: the thing, and the remedy
    in_file: str | None = None  # where the problem is reported, if not in the edited file


MISTAKES = {
    "no xml:id": Mistake(
        D3,
        ' xml:id="alpha-beta-1962-10-24"',
        "",
        "root-id-present",
        "<TEI xmlns",
        ("no xml:id", "Add xml:id"),
    ),
    "duplicate xml:id": Mistake(
        "tei/register/persons.xml",
        "      </listPerson>",
        '        <person xml:id="beta">\n          <persName>Beta again</persName>\n'
        "        </person>\n      </listPerson>",
        "unique-id",
        '<person xml:id="beta">\n          <persName>Beta again',
        ("'beta' is used twice in this file (first on line 33)", "choose another"),
    ),
    "unknown person key": Mistake(
        D1,
        'Dear <persName ref="person:beta">',
        'Dear <persName ref="person:bet">',
        "pointer-resolves",
        'ref="person:bet"',
        ("not in the persons register", "did you mean beta"),
    ),
    "date not in ISO form": Mistake(
        D3,
        '<date when="1962-10-24">',
        '<date when="24/10/1962">',
        "schema-value",
        'when="24/10/1962"',
        ("ISO 8601", "1962-10-28"),
    ),
    "unclosed element": Mistake(
        D1,
        "<salute>Greetings.</salute>",
        "<salute>Greetings.",
        "well-formed",
        "</closer>",
        ("<salute> opened on line", "is not closed", "add </salute>"),
    ),
    "wrong namespace": Mistake(
        D3,
        '<TEI xmlns="http://www.tei-c.org/ns/1.0"',
        "<TEI",
        "tei-namespace",
        "<TEI",
        ("TEI namespace", 'write <TEI xmlns="http://www.tei-c.org/ns/1.0">'),
    ),
    "previous link without its next": Mistake(
        D1,  # D1 loses its next; the problem is at D2's prev, the link left without its pair
        '<ref type="next" target="doc:beta-alpha-1962-10-23">next</ref>',
        "",
        "prev-next-reciprocal",
        'target="doc:alpha-beta-1962-10-22">previous',
        ("does not name this one as its next", 'add <ref type="next"'),
        in_file=D2,
    ),
    "ref to a document that does not exist": Mistake(
        D1,
        'target="doc:beta-alpha-1962-10-23">your',
        'target="doc:beta-alpha-1962-10-32">your',
        "pointer-resolves",
        "doc:beta-alpha-1962-10-32",
        ("does not exist", "no tei/beta-alpha-1962-10-32.xml", "check the spelling"),
    ),
    "paragraph number skipped": Mistake(
        D1,
        '<p n="2">',
        '<p n="3">',
        "paragraphs-numbered",
        '<p n="3">',
        ('numbered n="3"', 'write n="2"'),
    ),
    "empty summary": Mistake(
        D3,
        '<p><persName ref="person:alpha">Sender</persName> writes to <persName ref="person:beta">recipient</persName> about <placeName ref="place:island">the island</placeName>.</p>',
        "<p/>",
        "abstract-not-empty",
        "<abstract>",
        ("abstract is empty", "Write the document's summary"),
    ),
    "missing source": Mistake(
        D2,
        '<bibl type="publication" corresp="source:archive">',
        '<bibl type="publication">',
        "source-registered",
        '<bibl type="publication">',
        ("names no entry of the sources register", 'Add corresp="source:KEY"'),
    ),
}


@pytest.mark.parametrize("name", MISTAKES)
def test_mistake_is_located_and_explained(mini: Edition, name: str) -> None:
    mistake = MISTAKES[name]
    mini.edit(mistake.file, mistake.old, mistake.new)
    report = check_edition(load_config(mini.root)).report
    matching = [p for p in report.errors if p.rule == mistake.rule]
    assert matching, f"{name}: no [{mistake.rule}] in {[p.format() for p in report.problems]}"
    problem = matching[0]
    where = mistake.in_file or mistake.file
    assert problem.path == mini.path(where)
    assert problem.line == mini.line_of(where, mistake.at), problem.format()
    for words in mistake.says:
        assert words in problem.message, f"{name}: {words!r} not in {problem.message!r}"
    # One mistake, one message: the same slip is not reported twice under two rules at one place.
    assert len({(p.line, p.rule) for p in report.errors if p.line == problem.line}) == 1, [
        p.format() for p in report.errors
    ]
