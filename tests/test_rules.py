"""Each rule across documents is broken by one edit to the mini edition, and must name the rule, the file,
the line and the column of what is wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from edition.check.report import Problem, Severity
from edition.check.rules import RULES, check_rules
from edition.config import load_config
from edition.corpus import load_corpus
from tests.conftest import Edition

D1 = "tei/alpha-beta-1962-10-22.xml"  # transcribed
D2 = "tei/beta-alpha-1962-10-23.xml"  # summarised, replies to D1
D3 = "tei/alpha-beta-1962-10-24.xml"  # summarised, replies to D2


def problems(edition: Edition) -> list[Problem]:
    corpus, load_problems = load_corpus(load_config(edition.root))
    return load_problems + check_rules(corpus)


def only(found: list[Problem], rule: str) -> Problem:
    matching = [p for p in found if p.rule == rule]
    assert len(matching) == 1, f"expected one {rule}, got {[p.format() for p in found]}"
    return matching[0]


def assert_at(problem: Problem, edition: Edition, relative: str, needle: str) -> None:
    assert problem.path == edition.path(relative)
    assert (problem.line, problem.column) == (
        edition.line_of(relative, needle),
        edition.column_of(relative, needle),
    ), problem.format()


def test_the_mini_edition_breaks_no_rule(mini: Edition) -> None:
    assert problems(mini) == []


def test_duplicate_xml_id_across_files(mini: Edition) -> None:
    mini.edit(D1, '<p n="1">', '<p n="1" xml:id="shared">')
    mini.edit(D2, "<p>The text", '<p xml:id="shared">The text')
    problem = only(problems(mini), "unique-id")
    assert_at(problem, mini, D2, 'xml:id="shared"')
    assert "alpha-beta-1962-10-22.xml" in problem.message


def test_file_name_must_equal_xml_id(mini: Edition) -> None:
    mini.edit(D3, 'xml:id="alpha-beta-1962-10-24"', 'xml:id="alpha-beta-1962-10-25"')
    problem = only(problems(mini), "file-name-id")
    assert_at(problem, mini, D3, 'xml:id="alpha-beta-1962-10-25"')


def test_unknown_register_key_suggests_close_matches(mini: Edition) -> None:
    mini.edit(D1, 'Dear <persName ref="person:beta">', 'Dear <persName ref="person:betta">')
    problem = only(problems(mini), "pointer-resolves")
    assert_at(problem, mini, D1, 'ref="person:betta"')
    assert "persons register" in problem.message and "beta" in problem.message


def test_reference_to_a_missing_document(mini: Edition) -> None:
    mini.edit(D1, 'target="doc:beta-alpha-1962-10-23"', 'target="doc:beta-alpha-1962-10-29"')
    problem = only(problems(mini), "pointer-resolves")
    # The ref's start tag spans two lines; the attribute is on the second.
    assert_at(problem, mini, D1, 'target="doc:beta-alpha-1962-10-29"')
    assert "does not exist" in problem.message


def test_pointer_to_a_missing_local_id(mini: Edition) -> None:
    mini.edit(D1, '<note type="editorial">', '<note type="editorial" target="#nowhere">')
    assert_at(only(problems(mini), "pointer-resolves"), mini, D1, 'target="#nowhere"')


def test_javascript_pointer_is_refused(mini: Edition) -> None:
    mini.edit(D1, 'target="doc:beta-alpha-1962-10-23"', 'target="javascript:alert(1)"')
    problem = only(problems(mini), "pointer-scheme")
    assert_at(problem, mini, D1, 'target="javascript:alert(1)"')


def test_prev_next_must_be_reciprocal(mini: Edition) -> None:
    mini.edit(D3, '<ref type="prev" target="doc:beta-alpha-1962-10-23">previous</ref>', "")
    problem = only(problems(mini), "prev-next-reciprocal")
    assert_at(problem, mini, D2, 'target="doc:alpha-beta-1962-10-24">next')


def test_prev_next_follow_dates(mini: Edition) -> None:
    mini.edit(D2, 'when="1962-10-23"', 'when="1962-10-25"')
    found = problems(mini)
    order = [p for p in found if p.rule == "prev-next-order"]
    assert {p.path for p in order} == {mini.path(D2), mini.path(D3)}


def test_reply_cannot_be_older_than_its_letter(mini: Edition) -> None:
    mini.edit(D2, 'when="1962-10-23"', 'when="1962-10-21"')
    problem = only(problems(mini), "reply-after-original")
    assert_at(problem, mini, D2, 'target="doc:alpha-beta-1962-10-22">reply')


def test_correspondent_must_point_to_the_register(mini: Edition) -> None:
    mini.edit(
        D1,
        '<correspAction type="received">\n          <persName ref="person:beta">',
        '<correspAction type="received">\n          <persName>',
    )
    problem = only(problems(mini), "correspondent-registered")
    assert problem.path == mini.path(D1)
    assert problem.line == mini.line_of(D1, '<correspAction type="received">') + 1


def test_date_must_lie_in_the_span(mini: Edition) -> None:
    mini.edit(D3, '<date when="1962-10-24">', '<date when="1963-05-01">')
    assert_at(only(problems(mini), "date-in-span"), mini, D3, 'when="1963-05-01"')


def test_unused_register_entry_is_a_warning(mini: Edition) -> None:
    mini.edit(
        "tei/register/persons.xml",
        "      </listPerson>",
        '        <person xml:id="gamma">\n          <persName>Gamma</persName>\n'
        "        </person>\n      </listPerson>",
    )
    problem = only(problems(mini), "register-entry-unused")
    assert problem.severity is Severity.WARNING
    assert_at(problem, mini, "tei/register/persons.xml", 'xml:id="gamma"')


@pytest.mark.parametrize("rule", [r.id for r in RULES])
def test_every_rule_has_a_breaking_test(rule: str) -> None:
    """A rule without a test here that breaks it is a rule nobody has seen fire."""
    source = Path(__file__).read_text(encoding="utf-8")
    assert f'"{rule}"' in source.replace(f'Rule("{rule}"', "")
