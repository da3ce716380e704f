"""Tools for editors that write TEI files: `edition new` (a skeleton for a new document, linked into its
correspondence) and `edition import frus` (documents converted from a FRUS volume).

Both write only through ``files.write_all``: every file is prepared and verified first, then moved into
place, so a failure leaves the edition as it was.
"""

from __future__ import annotations

from pathlib import Path

from edition.config import Config
from edition.corpus import Corpus, load_corpus


def load_for_editing(config: Config) -> tuple[Corpus, list[str]]:
    """The corpus, and a line for each file that could not be read (it cannot be linked or matched)."""
    corpus, problems = load_corpus(config)
    return corpus, [problem.format(Path.cwd()) for problem in problems]
