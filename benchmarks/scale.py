"""Benchmarks at scale: what `benchmarks/run` prints.

For each size N (100, 1,000 and 5,000 letters by default) a valid synthetic edition is generated into a
temporary folder (benchmarks/corpus_generator.py), then the real edition is copied there too, and for each
corpus one line per stage is printed:

    check            edition check: load, RELAX NG + Schematron per file, rules across documents
    HTML transform   the web XSLT over every document (as the site stage runs it)
    site pages       every page of the site: reading pages (transform included), registers, indexes,
                     pictures, About, citation files
    search index     Pagefind over the reading pages, and the file:// fallback index
    harvest          TEI copies, ZIP, teiCorpus, CMIF, OAI-PMH records, sitemap
    full site build  `edition build --only site` from an empty build folder, end to end
    PDF              the book (skipped above --pdf-max letters: it takes minutes)
    rebuild, touched `edition build --only site` again after touching one letter (its time stamp only)
    rebuild, edited  the same after changing one word in one letter's text

with seconds, documents (or pages) per second, and peak resident memory of the stage's process and of
its largest child process (worker processes, Pagefind). Each stage runs in a fresh process
(benchmarks/stage.py), so the figures of one do not leak into the next. At the end, the issue's targets
are compared with what was measured. Nothing is written into the repository.

    benchmarks/run                       # N = 100, 1000, 5000 and the real edition
    benchmarks/run --sizes 100,1000      # other sizes
    benchmarks/run --quick               # N = 50, 200 and the real edition, PDF only up to 50
    benchmarks/run --pdf-max 5000        # also lay out the PDF of 5,000 letters
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
DEFAULT_SIZES = (100, 1000, 5000)
QUICK_SIZES = (50, 200)


@dataclass
class Figure:
    stage: str
    seconds: float | None
    count: int = 0
    unit: str = "documents"
    rss_mib: float = 0.0
    child_rss_mib: float = 0.0
    note: str = ""

    def line(self, name: str) -> str:
        if self.seconds is None:
            return f"{name:<14} {self.stage:<18} {'—':>9}   {self.note}"
        rate = f"{self.count / self.seconds:,.0f} {self.unit}/s" if self.seconds > 0 else "—"
        memory = f"peak {self.rss_mib:,.0f} MiB" if self.rss_mib else "(part of the full build)"
        if self.child_rss_mib:
            memory += f" (+ largest child {self.child_rss_mib:,.0f} MiB)"
        note = f"   {self.note}" if self.note else ""
        return f"{name:<14} {self.stage:<18} {self.seconds:>7.2f} s  {rate:>20}   {memory}{note}"


@dataclass
class Corpus:
    name: str
    root: Path
    documents: int
    figures: dict[str, Figure] = field(default_factory=dict)


def run_stage(stage: str, root: Path, build: Path) -> dict[str, Any]:
    """One stage in a fresh Python process; its JSON figures. What earlier stages wrote is flushed to
    disk first, so its write-back is not counted here."""
    os.sync()
    command = [
        sys.executable,
        "-m",
        "benchmarks.stage",
        stage,
        "--root",
        str(root),
        "--build",
        str(build),
    ]
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{stage} failed for {root}:\n{done.stderr.strip() or done.stdout}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _figure(stage: str, data: dict[str, Any], seconds: float | None = None) -> Figure:
    return Figure(
        stage,
        data["seconds"] if seconds is None else seconds,
        int(data["count"]),
        str(data["unit"]),
        float(data["rss_mib"]),
        float(data["child_rss_mib"]),
    )


def copy_real_edition(target: Path) -> Path:
    """The real edition's inputs (tei/, schema/, xslt/, edition.toml), so edits never touch the repo."""
    target.mkdir(parents=True)
    for folder in ("tei", "schema", "xslt"):
        shutil.copytree(REPO / folder, target / folder)
    shutil.copyfile(REPO / "edition.toml", target / "edition.toml")
    return target


def _letter_to_edit(root: Path) -> Path:
    """A transcribed letter in the middle of the corpus (the first with a numbered paragraph)."""
    letters = sorted((root / "tei").glob("*.xml"))
    middle = len(letters) // 2
    for path in letters[middle:] + letters[:middle]:
        if '<p n="1">' in path.read_text(encoding="utf-8"):
            return path
    return letters[middle]


def edit_one_letter(root: Path) -> Path:
    """Change one word of one letter's text (or, failing that, of its summary)."""
    path = _letter_to_edit(root)
    text = path.read_text(encoding="utf-8")
    if '<p n="1">' in text:
        text = text.replace('<p n="1">', '<p n="1">Edited ', 1)
    else:
        text = text.replace("<abstract>", "<abstract>\n<p>Edited.</p>", 1)
    path.write_text(text, encoding="utf-8")
    return path


def measure(corpus: Corpus, scratch: Path, pdf_max: int, report: Any) -> None:
    build = scratch / f"{corpus.name}-build"
    say = report

    def record(key: str, figure: Figure) -> None:
        corpus.figures[key] = figure
        say(figure.line(corpus.name))

    record("check", _figure("check", run_stage("check", corpus.root, build)))
    record("transform", _figure("HTML transform", run_stage("transform", corpus.root, build)))
    full = run_stage("site", corpus.root, build)
    timings: dict[str, float] = full.get("timings", {})
    base = _figure("full site build", full)
    if "site pages" in timings:
        record("pages", Figure("site pages", timings["site pages"], base.count))
        record(
            "search",
            Figure(
                "search index",
                timings["search index"],
                base.count,
                note="Pagefind, from its start; it runs beside the other pages and the harvest",
            ),
        )
    else:  # a build that reports the site stage as one figure (before the stage reported its parts)
        record("pages", Figure("site pages+search", timings["site"], base.count))
    record("harvest", Figure("harvest", timings.get("harvest", 0.0), base.count))
    shown = {
        "check": "check",
        "site pages": "pages",
        "search index": "search",
        "harvest": "harvest",
    }
    if "site pages" not in timings:
        shown["site"] = "site"
    base.note = " · ".join(
        f"{label} {timings[name]:.2f} s" for name, label in shown.items() if name in timings
    )
    record("build", base)
    if corpus.documents <= pdf_max:
        record("pdf", _figure("PDF", run_stage("pdf", corpus.root, build)))
    else:
        record(
            "pdf",
            Figure(
                "PDF",
                None,
                note=f"skipped: {corpus.documents} letters is above --pdf-max {pdf_max} "
                "(WeasyPrint lays the book out twice; at this size that takes many minutes)",
            ),
        )
    touched = _letter_to_edit(corpus.root)
    os.utime(touched)
    record("touch", _figure("rebuild, touched", run_stage("rebuild", corpus.root, build)))
    edited = edit_one_letter(corpus.root)
    figure = _figure("rebuild, edited", run_stage("rebuild", corpus.root, build))
    figure.note = f"({edited.name})"
    record("edit", figure)


@dataclass(frozen=True)
class Target:
    label: str
    met: bool | None
    measured: str


def targets(corpora: list[Corpus]) -> list[Target]:
    by_size = {c.documents: c for c in corpora if c.name.startswith("N=")}
    found: list[Target] = []
    thousand = by_size.get(1000)

    def seconds(corpus: Corpus | None, key: str) -> float | None:
        figure = corpus.figures.get(key) if corpus else None
        return figure.seconds if figure else None

    def under(label: str, value: float | None, limit: float) -> None:
        shown = f"{value:.2f} s" if value is not None else "not measured (N=1000 not run)"
        found.append(Target(label, None if value is None else value < limit, shown))

    under("check of 1,000 letters < 3 s", seconds(thousand, "check"), 3.0)
    under("full site of 1,000 letters < 15 s", seconds(thousand, "build"), 15.0)
    under("rebuild after editing one letter (1,000) < 1 s", seconds(thousand, "edit"), 1.0)
    pdf = thousand.figures.get("pdf") if thousand else None
    if pdf is not None and pdf.seconds:
        rate = pdf.count / pdf.seconds
        found.append(Target("PDF of 1,000 letters ≥ 10 pages/s", rate >= 10, f"{rate:.1f} pages/s"))
    else:
        found.append(Target("PDF of 1,000 letters ≥ 10 pages/s", None, "not measured"))
    hundred = by_size.get(100)
    if hundred and thousand:
        for key in ("check", "transform", "pages", "search", "build", "pdf"):
            low, high = seconds(hundred, key), seconds(thousand, key)
            if low and high:
                name = thousand.figures[key].stage
                ratio = high / low
                found.append(
                    Target(f"{name}: 100 → 1,000 grows ≤ 11-fold", ratio <= 11, f"{ratio:.1f}×")
                )
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="benchmarks/run",
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--sizes",
        help="comma-separated corpus sizes (default 100,1000,5000)",
        type=lambda text: tuple(int(n) for n in text.split(",") if n.strip()),
    )
    parser.add_argument("--quick", action="store_true", help="small sizes (50,200): a smoke run")
    parser.add_argument("--pdf-max", type=int, default=1000, help="no PDF above this many letters")
    parser.add_argument("--no-real", action="store_true", help="leave out the real edition")
    parser.add_argument("--seed", type=int, default=1962)
    parser.add_argument("--keep", type=Path, help="generate into this folder and keep it")
    arguments = parser.parse_args(argv)
    sizes = arguments.sizes or (QUICK_SIZES if arguments.quick else DEFAULT_SIZES)
    pdf_max = min(arguments.pdf_max, 50) if arguments.quick else arguments.pdf_max

    from benchmarks.corpus_generator import generate

    def say(line: str) -> None:
        print(line, flush=True)

    say(f"benchmarks/run: {os.cpu_count()} CPU(s); sizes {', '.join(map(str, sizes))}")
    corpora: list[Corpus] = []
    with tempfile.TemporaryDirectory(prefix="edition-scale-") as folder:
        scratch = arguments.keep or Path(folder)
        scratch.mkdir(parents=True, exist_ok=True)
        for size in sizes:
            started = time.perf_counter()
            root = generate(scratch / f"letters-{size}", size, arguments.seed)
            os.sync()  # the new files on disk before anything is timed, not written back meanwhile
            say(f"\nN={size}: generated in {time.perf_counter() - started:.1f} s ({root})")
            corpus = Corpus(f"N={size}", root, size)
            measure(corpus, scratch, pdf_max, say)
            corpora.append(corpus)
        if not arguments.no_real:
            real = copy_real_edition(scratch / "real-edition")
            os.sync()
            documents = len(list((real / "tei").glob("*.xml")))
            say(f"\nreal edition: {documents} documents (a copy of tei/, schema/, xslt/)")
            corpus = Corpus("real", real, documents)
            measure(corpus, scratch, max(pdf_max, documents), say)
            corpora.append(corpus)
    say("\nTargets (issue 7, on this machine):")
    for target in targets(corpora):
        verdict = {True: "met", False: "MISSED", None: "—"}[target.met]
        say(f"  {verdict:<7} {target.label:<52} {target.measured}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
