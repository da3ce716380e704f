"""`edition check` as an editor runs it: a real process, its output lines and its exit status."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO, Edition

LINE = re.compile(
    r"^(?P<file>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<sev>error|warning): .+ \[(?P<rule>[a-z-]+)\]$"
)


def run(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "edition", "--root", str(root), "check", *args],
        capture_output=True,
        text=True,
        cwd=root,
        timeout=120,
        check=False,
    )


def test_the_edition_has_no_errors() -> None:
    result = run(REPO)
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"^\d+ files checked: 0 errors, 0 warnings$", result.stdout, re.M)


def test_every_problem_is_one_located_line_and_the_status_is_1(mini: Edition) -> None:
    mini.edit("tei/alpha-beta-1962-10-22.xml", '<p n="2">', '<p n="3">')
    mini.edit("tei/alpha-beta-1962-10-24.xml", 'ref="person:beta"', 'ref="person:betta"')
    result = run(mini.root)
    assert result.returncode == 1
    lines = result.stdout.strip().splitlines()
    problems = [LINE.match(line) for line in lines[:-1]]
    assert all(problems), lines
    found = {(m["file"], int(m["line"]), m["rule"]) for m in problems if m}
    assert (
        "tei/alpha-beta-1962-10-22.xml",
        mini.line_of("tei/alpha-beta-1962-10-22.xml", '<p n="3">'),
        "paragraphs-numbered",
    ) in found
    assert (
        "tei/alpha-beta-1962-10-24.xml",
        mini.line_of("tei/alpha-beta-1962-10-24.xml", 'ref="person:betta"'),
        "pointer-resolves",
    ) in found
    assert lines[-1] == "7 files checked: 2 errors, 0 warnings"


def test_paths_limit_the_report_to_those_files(mini: Edition) -> None:
    mini.edit("tei/alpha-beta-1962-10-22.xml", '<p n="2">', '<p n="3">')
    result = run(mini.root, "tei/alpha-beta-1962-10-24.xml")
    assert result.returncode == 0, result.stdout
    assert "1 file checked: 0 errors" in result.stdout


def test_a_malformed_file_is_located_not_a_traceback(mini: Edition) -> None:
    mini.edit("tei/alpha-beta-1962-10-24.xml", "</abstract>", "</abstrakt>")
    result = run(mini.root)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    [line] = [ln for ln in result.stdout.splitlines() if "well-formed" in ln]
    match = LINE.match(line)
    assert match and match["file"] == "tei/alpha-beta-1962-10-24.xml"
    assert int(match["line"]) == mini.line_of("tei/alpha-beta-1962-10-24.xml", "</abstrakt>")


def test_a_broken_configuration_is_exit_2(mini: Edition) -> None:
    mini.edit("edition.toml", "title =", "titel =")
    result = run(mini.root)
    assert result.returncode == 2
    assert "unknown key 'titel' in [edition]" in result.stderr


def test_check_never_modifies_its_inputs(mini: Edition) -> None:
    before = {p: p.read_bytes() for p in mini.root.rglob("*") if p.is_file()}
    run(mini.root)
    assert before == {p: p.read_bytes() for p in mini.root.rglob("*") if p.is_file()}
