"""Benchmark of the HTML edition: the real edition and a generated corpus of 1,000 letters.

    .venv/bin/python -m benchmarks.site                  # real edition + 1,000 generated letters
    .venv/bin/python -m benchmarks.site --letters 200    # a smaller generated corpus

Prints, per corpus: milliseconds per document for the XSLT transform alone (compiled once, best of three
runs over all documents), for a whole reading page (transform + template + citation files, written to
disk; in one process), and the time of a full site build (`edition build --only site`: check, every page, pictures,
registers, Pagefind index) into a temporary folder. Nothing is written into the repository.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.corpus_generator import REPO, generate
from edition.build import build
from edition.config import Config, load_config
from edition.corpus import Corpus, load_corpus
from edition.links import link_table
from edition.site.pages import publish_documents
from edition.site.render import SiteWriter, environment
from edition.transform import Transformer


@dataclasses.dataclass
class Row:
    name: str
    documents: int
    transform_ms: float
    page_ms: float
    build_s: float
    site_stage_s: float


def _into(config: Config, build_dir: Path) -> Config:
    return dataclasses.replace(
        config, paths=dataclasses.replace(config.paths, build=str(build_dir))
    )


def _transform_ms(corpus: Corpus, transformer: Transformer) -> float:
    links = link_table(corpus, prefix="../")
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        for document in corpus.documents:
            transformer.render(document.file.tree, links)
        best = min(best, time.perf_counter() - started)
    return best * 1000 / max(len(corpus.documents), 1)


def _page_ms(corpus: Corpus, config: Config, folder: Path) -> float:
    site = SiteWriter(corpus, config, folder, environment(), lambda _message: None)
    started = time.perf_counter()
    publish_documents(site, jobs=1)  # one process: milliseconds per document of one core
    return (time.perf_counter() - started) * 1000 / max(len(corpus.documents), 1)


def measure(name: str, root: Path, scratch: Path) -> Row:
    config = load_config(root)
    corpus, problems = load_corpus(config)
    if problems:
        raise SystemExit(f"{name}: the corpus does not load: {problems[0]}")
    transformer = Transformer(config.xslt_dir, "web")
    transform_ms = _transform_ms(corpus, transformer)
    page_ms = _page_ms(corpus, config, scratch / f"{name}-pages")
    started = time.perf_counter()
    result = build(_into(config, scratch / f"{name}-build"), ("site",))
    build_s = time.perf_counter() - started
    return Row(name, len(corpus.documents), transform_ms, page_ms, build_s, result.timings["site"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--letters", type=int, default=1000, help="size of the generated corpus")
    parser.add_argument("--seed", type=int, default=1962)
    arguments = parser.parse_args(argv)
    rows = []
    with tempfile.TemporaryDirectory(prefix="site-benchmark-") as folder:
        scratch = Path(folder)
        rows.append(measure("real edition", REPO, scratch))
        generated = generate(scratch / "generated", arguments.letters, arguments.seed)
        rows.append(measure(f"generated ({arguments.letters})", generated, scratch))
    header = (
        f"{'corpus':<18} {'docs':>6} {'XSLT ms/doc':>12} {'page ms/doc':>12} "
        f"{'site stage s':>13} {'full build s':>13}"
    )
    print(header)
    print("-" * len(header))
    for row in rows:
        print(
            f"{row.name:<18} {row.documents:>6} {row.transform_ms:>12.2f} {row.page_ms:>12.2f} "
            f"{row.site_stage_s:>13.2f} {row.build_s:>13.2f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
