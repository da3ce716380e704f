"""edition.toml: the real one loads; every kind of mistake is a clear error naming the key."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from edition.config import ConfigError, load_config, parse_config
from tests.conftest import REPO

GOOD = (REPO / "edition.toml").read_text()


def test_the_edition_config_loads() -> None:
    config = load_config(REPO)
    assert config.edition.release_date == dt.date(2026, 11, 23)
    assert config.edition.base_url.endswith("/")
    assert config.tei_dir == REPO / "tei"
    assert config.document_url("x") == f"{config.edition.base_url}documents/x.html"


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            'title = "The',
            'titel = "The',
            "unknown key 'titel' in [edition] (did you mean 'title'?)",
        ),
        ("[paths]", "[path]", "unknown section [path] (did you mean [paths]?)"),
        ("release_date = 2026-11-23", 'release_date = "soon"', "release_date must be a date"),
        ("page_size = 10", "page_size = 0", "page_size must be a whole number"),
        (
            'editors = ["Editorial team of the Cuban Missile Crisis Correspondence"]',
            'editors = "The team"',
            "editors must be a list of names",
        ),
        ("https://cmc-edition.example.org/", "ftp://x.org/", "base_url must be an http(s) URL"),
        ("span_end = 1963-01-31", "span_end = 1961-01-31", "span_end is before span_start"),
        ('version = "0.1.0"\n', "", "missing the required key 'version'"),
        ("[edition]", "[edition", "not valid TOML"),
        ("page_size = 10", 'page_size = 10\nstatic_gateway = "gateway"', "static_gateway must be"),
    ],
)
def test_mistakes_are_named(old: str, new: str, expected: str) -> None:
    assert old in GOOD
    with pytest.raises(ConfigError) as error:
        parse_config(GOOD.replace(old, new, 1), REPO)
    assert expected in str(error.value)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot be read"):
        load_config(tmp_path)


def test_static_repository_names_its_gateway() -> None:
    from edition.harvest.static_repository import static_base_url

    plain = parse_config(GOOD, REPO)
    assert static_base_url(plain) == f"{plain.edition.base_url}oai-static-repository.xml"
    gated = parse_config(
        GOOD.replace(
            "page_size = 10", 'page_size = 10\nstatic_gateway = "http://gw.example.org/oai/"'
        ),
        REPO,
    )
    assert static_base_url(gated) == (
        "http://gw.example.org/oai/cmc-edition.example.org/oai-static-repository.xml"
    )
