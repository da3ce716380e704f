"""Benchmark of the PDF stage: the real edition and a generated corpus of 1,000 letters.

For each corpus, in a fresh process (so peak memory is that corpus's own):

* the book built as `edition pdf` builds it — XSLT, two-pass pagination, PDF/A writing: pages,
  seconds, pages per second, peak resident memory, number of layouts;
* the same final HTML laid out once by WeasyPrint alone, so the cost of proving the page numbers
  shows as a ratio (two-pass layout time / one layout).

Run from the repository root:

    .venv/bin/python -m benchmarks.pdf                 # real edition + 1,000 generated letters
    .venv/bin/python -m benchmarks.pdf --letters 200   # a smaller generated corpus
    .venv/bin/python -m benchmarks.pdf --json out.json

The generated corpus comes from ``benchmarks/corpus_generator.py``
(``generate_corpus(target_dir, n, seed=0)``), which writes N synthetic valid letters.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent


def _config_for(root: Path, build: Path) -> Any:
    """The edition's config for a corpus folder, building into ``build`` (never the repo's build/)."""
    from edition.config import load_config

    if (root / "edition.toml").is_file():
        config = load_config(root)
    else:  # a bare corpus (tei/ and tei/register/): the real edition's settings, its TEI
        config = load_config(REPO)
        config = dataclasses.replace(config, root=root.resolve())
        config = dataclasses.replace(
            config,
            paths=dataclasses.replace(
                config.paths, xslt=str(REPO / config.paths.xslt), schema=str(REPO / "schema")
            ),
        )
    return dataclasses.replace(config, paths=dataclasses.replace(config.paths, build=str(build)))


def _peak_mib() -> float:
    # ru_maxrss is in KiB on Linux
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(root: Path) -> dict[str, Any]:
    """Build one corpus's book and measure it (runs in the current process)."""
    from edition.corpus import load_corpus
    from edition.pdf import typeset
    from edition.pdf.attach import write_book
    from edition.pdf.layout import Layouter

    with tempfile.TemporaryDirectory() as tmp:
        config = _config_for(root, Path(tmp) / "build")
        corpus, problems = load_corpus(config)
        if problems:
            raise SystemExit(f"{root}: {len(problems)} file(s) could not be read: {problems[0]}")
        started = time.perf_counter()
        result = typeset(corpus, config)
        typeset_seconds = time.perf_counter() - started
        target = config.build_dir / "pdf" / config.pdf.file_name
        started = time.perf_counter()
        write_book(result.pagination.document, target, result.pagination.pages, corpus, config)
        write_seconds = time.perf_counter() - started
        peak = _peak_mib()
        size = target.stat().st_size
        pages = result.pagination.pages.page_count
        passes, per_pass = result.pagination.passes, result.pagination.seconds
        html, stylesheet = result.pagination.html, result.book.stylesheet()
        del result  # the laid-out book is large; the single layout below starts from scratch

        # The same final HTML, laid out once by WeasyPrint alone (fresh fonts and stylesheet).
        layouter = Layouter(stylesheet)
        started = time.perf_counter()
        once = layouter(html)
        once_seconds = time.perf_counter() - started
        assert len(once.pages) == pages

    total = typeset_seconds + write_seconds
    layouts = sum(per_pass)
    return {
        "corpus": str(root),
        "documents": len(corpus.documents),
        "pages": pages,
        "passes": passes,
        "seconds": round(total, 2),
        "pages_per_second": round(pages / total, 1),
        "layout_seconds_per_pass": [round(s, 2) for s in per_pass],
        "html_and_xslt_seconds": round(typeset_seconds - layouts, 2),
        "write_seconds": round(write_seconds, 2),
        "peak_rss_mib": round(peak, 1),
        "pdf_bytes": size,
        "weasyprint_once_seconds": round(once_seconds, 2),
        "weasyprint_once_pages_per_second": round(pages / once_seconds, 1),
        "two_pass_layout_ratio": round(layouts / once_seconds, 2),
        "whole_build_ratio": round(total / once_seconds, 2),
    }


def _in_subprocess(root: Path) -> dict[str, Any]:
    run = subprocess.run(
        [sys.executable, "-m", "benchmarks.pdf", "--one", str(root)],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    if run.returncode != 0:
        raise SystemExit(f"benchmark of {root} failed:\n{run.stderr}")
    result: dict[str, Any] = json.loads(run.stdout.strip().splitlines()[-1])
    return result


def _generated(target: Path, letters: int, seed: int) -> Path:
    try:
        from benchmarks.corpus_generator import generate_corpus
    except ImportError as error:
        raise SystemExit(
            "benchmarks/corpus_generator.py (generate_corpus(target_dir, n, seed=0)) is not "
            f"available: {error}"
        ) from error
    return Path(generate_corpus(target, letters, seed=seed))


def _table(rows: list[dict[str, Any]]) -> str:
    header = (
        f"{'corpus':<28} {'docs':>5} {'pages':>6} {'passes':>6} {'seconds':>8} {'pages/s':>8} "
        f"{'peak MiB':>9} {'WP once s':>10} {'WP pages/s':>10} {'layouts/once':>12}"
    )
    lines = [header, "-" * len(header)]
    for row in rows:
        lines.append(
            f"{row['name']:<28} {row['documents']:>5} {row['pages']:>6} {row['passes']:>6} "
            f"{row['seconds']:>8} {row['pages_per_second']:>8} {row['peak_rss_mib']:>9} "
            f"{row['weasyprint_once_seconds']:>10} {row['weasyprint_once_pages_per_second']:>10} "
            f"{row['two_pass_layout_ratio']:>12}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--letters", type=int, default=1000, help="size of the generated corpus")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--skip-generated", action="store_true")
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--one", type=Path, help=argparse.SUPPRESS)  # child process: one corpus
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(measure(args.one)))
        return
    rows = [{"name": "real edition", **_in_subprocess(REPO)}]
    if not args.skip_generated:
        with tempfile.TemporaryDirectory() as tmp:
            root = _generated(Path(tmp) / "generated", args.letters, args.seed)
            rows.append({"name": f"generated ({args.letters} letters)", **_in_subprocess(root)})
    print(_table(rows))
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
