"""The build orchestrator: nothing is lost when a build fails, and partial builds keep the rest."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

import edition.build as orchestrator
from edition.build import BuildError, Output, Stage, build, spare_folder
from edition.config import Config, load_config
from edition.corpus import Corpus
from tests.conftest import Edition


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def writing(part: str, name: str, text: str) -> Stage:
    def stage(corpus: Corpus, config: Config, output: Output) -> None:
        target = output.root / part / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)

    return stage


@pytest.fixture
def fake_stages(monkeypatch: pytest.MonkeyPatch) -> Callable[[dict[str, Stage]], None]:
    """Replace the real stages by small ones, so the orchestration is tested on its own."""

    def install(stages: dict[str, Stage]) -> None:
        def chosen(parts: tuple[str, ...]) -> list[tuple[str, Stage]]:
            return [(name, stage) for name, stage in stages.items() if name in parts]

        monkeypatch.setattr(orchestrator, "_stages", chosen)

    return install


def test_a_build_replaces_the_previous_one(mini: Edition, fake_stages: Callable[..., None]) -> None:
    config = load_config(mini.root)
    fake_stages({"site": writing("site", "index.html", "one")})
    build(config, ("site",))
    fake_stages({"site": writing("site", "other.html", "two")})
    build(config, ("site",))
    assert snapshot(config.build_dir) == {"site/other.html": b"two"}
    # No staging folder is left; the replaced build is kept as the spare the next build starts from.
    left = sorted(p.name for p in mini.root.iterdir() if p.name.startswith(".build"))
    assert left == [spare_folder(config.build_dir).name]


def test_a_failed_check_leaves_the_previous_build(
    mini: Edition, fake_stages: Callable[..., None]
) -> None:
    config = load_config(mini.root)
    fake_stages({"site": writing("site", "index.html", "good")})
    build(config, ("site",))
    before = snapshot(config.build_dir)
    mini.edit("tei/alpha-beta-1962-10-22.xml", '<p n="2">', '<p n="5">')
    with pytest.raises(BuildError) as error:
        build(config, ("site",))
    assert error.value.report is not None and error.value.report.errors
    assert snapshot(config.build_dir) == before


@pytest.mark.parametrize("failure", [RuntimeError("XSLT failed"), KeyboardInterrupt()])
def test_a_stage_that_fails_or_is_interrupted_leaves_the_previous_build(
    mini: Edition, fake_stages: Callable[..., None], failure: BaseException
) -> None:
    config = load_config(mini.root)
    fake_stages({"site": writing("site", "index.html", "good")})
    build(config, ("site",))
    before = snapshot(config.build_dir)

    def half_written(corpus: Corpus, config: Config, output: Output) -> None:
        writing("site", "index.html", "half")(corpus, config, output)
        raise failure

    fake_stages({"site": half_written})
    with pytest.raises(type(failure)):
        build(config, ("site",))
    assert snapshot(config.build_dir) == before
    assert [p.name for p in mini.root.iterdir() if "staging" in p.name] == []


def test_partial_builds_keep_the_other_part(
    mini: Edition, fake_stages: Callable[..., None]
) -> None:
    config = load_config(mini.root)
    fake_stages(
        {
            "site": writing("site", "index.html", "site 1"),
            "pdf": writing("pdf", "book.pdf", "pdf 1"),
        }
    )
    build(config, ("site", "pdf"))
    fake_stages({"pdf": writing("pdf", "book.pdf", "pdf 2")})
    build(config, ("pdf",))
    assert (config.build_dir / "site" / "index.html").read_text() == "site 1"
    assert (config.build_dir / "pdf" / "book.pdf").read_text() == "pdf 2"
    fake_stages({"site": writing("site", "index.html", "site 2")})
    build(config, ("site",))
    assert (config.build_dir / "site" / "index.html").read_text() == "site 2"
    assert (config.build_dir / "pdf" / "book.pdf").read_text() == "pdf 2"


def test_the_pdf_is_published_in_the_site(mini: Edition, fake_stages: Callable[..., None]) -> None:
    config = load_config(mini.root)
    name = config.pdf.file_name
    fake_stages({"site": writing("site", "index.html", "x"), "pdf": writing("pdf", name, "%PDF")})
    build(config, ("site", "pdf"))
    assert (config.build_dir / "site" / "pdf" / name).read_text() == "%PDF"
    # A later site-only build still publishes the kept PDF.
    build(config, ("site",))
    assert (config.build_dir / "site" / "pdf" / name).read_text() == "%PDF"


def test_harvest_is_built_with_the_site(mini: Edition, fake_stages: Callable[..., None]) -> None:
    assert orchestrator._parts(("harvest",)) == ("site",)
    assert orchestrator._parts(("pdf", "site")) == ("site", "pdf")
    with pytest.raises(ValueError, match="unknown build part"):
        orchestrator._parts(("epub",))


def test_a_real_build_never_modifies_its_inputs(mini: Edition) -> None:
    inputs = snapshot(mini.root)
    config = load_config(mini.root)
    build(config, ("site",))
    after = {k: v for k, v in snapshot(mini.root).items() if not k.startswith("build/")}
    assert after == inputs
    assert (config.build_dir / "site" / "documents" / "alpha-beta-1962-10-22.html").is_file()
    assert (config.build_dir / "site" / "tei" / "alpha-beta-1962-10-22.xml").is_file()
