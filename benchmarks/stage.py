"""One measured stage, run in a process of its own by ``benchmarks/run`` (see benchmarks/scale.py).

    python -m benchmarks.stage check     --root EDITION --build BUILD
    python -m benchmarks.stage transform --root EDITION --build BUILD
    python -m benchmarks.stage site      --root EDITION --build BUILD   # full build of the site part
    python -m benchmarks.stage rebuild   --root EDITION --build BUILD   # build again (incremental)
    python -m benchmarks.stage pdf       --root EDITION --build BUILD

Prints one JSON object on its last line: seconds (of the work itself, not of starting Python), how many
documents or pages it handled, the stage's own timings where the build reports them, and peak resident
memory in MiB of this process and of its largest child process (workers, Pagefind), both read from
``resource.getrusage`` when the work is done.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import resource
import shutil
import sys
import time
from pathlib import Path
from typing import Any

from edition.config import Config, load_config


def config_for(root: Path, build: Path) -> Config:
    """The edition in ``root``, building into ``build`` (never the edition's own build/)."""
    config = load_config(root)
    return dataclasses.replace(config, paths=dataclasses.replace(config.paths, build=str(build)))


def _peak_mib(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # KiB on Linux


def check(config: Config) -> dict[str, Any]:
    from edition.check.runner import check_edition

    started = time.perf_counter()
    result = check_edition(config)
    seconds = time.perf_counter() - started
    errors = len(result.report.errors)
    if errors:
        raise SystemExit(f"the corpus has {errors} error(s): {result.report.errors[0]}")
    return {"seconds": seconds, "count": result.files, "unit": "files"}


def transform(config: Config) -> dict[str, Any]:
    """The web XSLT over every document, as the site stage runs it (workers when it would use them)."""
    from edition.corpus import load_corpus

    corpus, problems = load_corpus(config)
    if problems:
        raise SystemExit(f"the corpus does not load: {problems[0]}")
    started = time.perf_counter()
    try:
        from edition.site.pages import transform_all
    except (
        ImportError
    ):  # before edition/parallel.py existed: one Transformer, document after document
        from edition.links import link_table
        from edition.transform import Transformer

        transformer = Transformer(config.xslt_dir, "web")
        links = link_table(corpus, prefix="../")
        fragments = [transformer.render(d.file.tree, links) for d in corpus.documents]
    else:
        fragments = list(transform_all(corpus, config).values())
    seconds = time.perf_counter() - started
    assert len(fragments) == len(corpus.documents)
    return {"seconds": seconds, "count": len(corpus.documents), "unit": "documents"}


def site(config: Config, fresh: bool) -> dict[str, Any]:
    from edition.build import build

    if fresh:
        shutil.rmtree(config.build_dir, ignore_errors=True)
    started = time.perf_counter()
    result = build(config, ("site",))
    seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "count": len(result.corpus.documents),
        "unit": "documents",
        "timings": result.timings,
    }


def pdf(config: Config) -> dict[str, Any]:
    from pypdf import PdfReader

    from edition.build import Output
    from edition.corpus import load_corpus
    from edition.pdf import publish_pdf

    corpus, problems = load_corpus(config)
    if problems:
        raise SystemExit(f"the corpus does not load: {problems[0]}")
    output = Output(config.build_dir / "pdf-benchmark")
    output.pdf.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    publish_pdf(corpus, config, output)
    seconds = time.perf_counter() - started
    pages = len(PdfReader(output.pdf / config.pdf.file_name).pages)
    return {"seconds": seconds, "count": pages, "unit": "pages", "documents": len(corpus.documents)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("stage", choices=("check", "transform", "site", "rebuild", "pdf"))
    parser.add_argument("--root", type=Path, required=True)
    parser.add_argument("--build", type=Path, required=True)
    arguments = parser.parse_args(argv)
    config = config_for(arguments.root.resolve(), arguments.build.resolve())
    if arguments.stage == "check":
        figures = check(config)
    elif arguments.stage == "transform":
        figures = transform(config)
    elif arguments.stage in ("site", "rebuild"):
        figures = site(config, fresh=arguments.stage == "site")
    else:
        figures = pdf(config)
    figures["rss_mib"] = _peak_mib(resource.RUSAGE_SELF)
    figures["child_rss_mib"] = _peak_mib(resource.RUSAGE_CHILDREN)
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
