"""Where a book laid out in parts spends its time: each part's layout in each pass, per worker.

    .venv/bin/python -m benchmarks.pdf_parts --letters 500          # a generated corpus
    .venv/bin/python -m benchmarks.pdf_parts --root path/to/edition  # an edition on disk

Prints the total, each pass (and the part of it spent writing the parts' HTML), how busy the workers
were, and one line per part and pass: worker, start and end (seconds from the start), pages. The
book is written into a temporary folder.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.pdf import _config_for

# The log and the original job, set before the workers fork; the workers inherit them.
_log: Path | None = None
_lay_out: Any = None


def _timed(name: str, html: str, target: Path | None, carries_tei: bool) -> Any:
    """The workers' job, timed: one line per part appended to the log."""
    assert _log is not None and _lay_out is not None
    started = time.time()
    result = _lay_out(name, html, target, carries_tei)
    with _log.open("a", encoding="utf-8") as out:
        out.write(json.dumps([os.getpid(), name, target is not None, started, time.time()]) + "\n")
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", type=Path, help="an edition (default: a generated corpus)")
    parser.add_argument("--letters", type=int, default=500, help="size of the generated corpus")
    parser.add_argument("--jobs", type=int, default=None, help="workers (default: one per core)")
    arguments = parser.parse_args(argv)

    import edition.pdf.part_layout as part_layout
    from edition.corpus import load_corpus
    from edition.pdf import publish_in_parts

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        root = arguments.root
        if root is None:
            from benchmarks.corpus_generator import generate_corpus

            root = generate_corpus(folder / "corpus", arguments.letters)
        global _log, _lay_out
        log = _log = folder / "parts.jsonl"
        _lay_out = part_layout._lay_out
        # Looked up by name when a job is sent, so the workers run the timed job.
        part_layout._lay_out = _timed
        config = _config_for(root, folder / "build")
        corpus, problems = load_corpus(config)
        if problems:
            raise SystemExit(f"{root}: {problems[0]}")
        began = time.time()
        result = publish_in_parts(corpus, config, folder / "book.pdf", jobs=arguments.jobs)
        total = time.time() - began
        rows = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    pages = {part.name: part.page_count for part in result.laid_out}
    workers = sorted({row[0] for row in rows})
    busy = sum(end - start for _, _, _, start, end in rows)
    print(
        f"{len(corpus.documents)} documents, {result.pages.page_count} pages in {total:.1f} s "
        f"({result.pages.page_count / total:.1f} pages/s), {result.passes} passes"
    )
    for number, (seconds, html) in enumerate(
        zip(result.seconds, result.html_seconds, strict=True), start=1
    ):
        print(f"  pass {number}: {seconds:.1f} s, of which the parts' HTML {html:.1f} s")
    print(f"  workers busy {busy:.1f} s of {len(workers)} × {total:.1f} s")
    for pid, name, final, start, end in rows:
        what = "lay out + write" if final else "lay out"
        print(
            f"  worker {workers.index(pid) + 1}  {start - began:7.1f} → {end - began:7.1f} s  "
            f"{pages.get(name, 0):5d} pages  {what:<15}  {name}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
