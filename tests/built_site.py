"""The real edition's site, built once per test session into a temporary folder (never into build/).

Shared by test_site.py and test_browser.py: both call :func:`built_site` from a session fixture, and the
first call builds.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

import pytest

from edition.build import build
from edition.config import Config, load_config
from edition.corpus import Corpus
from tests.conftest import REPO

# The stages whose output the site's pages link to: the pages themselves, and the TEI files that
# the harvest stage publishes beside them (each page's "Download the TEI").
TARGETS = ("site", "harvest")


@dataclass(frozen=True)
class BuiltSite:
    config: Config
    corpus: Corpus
    root: Path  # build/site


def config_building_into(build_dir: Path, root: Path = REPO) -> Config:
    config = load_config(root)
    return dataclasses.replace(
        config, paths=dataclasses.replace(config.paths, build=str(build_dir))
    )


_built: dict[str, BuiltSite] = {}


def built_site(factory: pytest.TempPathFactory) -> BuiltSite:
    if "site" not in _built:
        config = config_building_into(factory.mktemp("edition") / "build")
        result = build(config, TARGETS)
        _built["site"] = BuiltSite(config, result.corpus, config.build_dir / "site")
    return _built["site"]
