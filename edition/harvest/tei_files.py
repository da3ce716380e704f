"""The TEI itself, for download: every file as published, a ZIP of the corpus, and a teiCorpus.

The files are copied byte for byte (the corpus has passed the check stage, and a scholar who downloads a
file should get exactly what the editors wrote). Registers keep their place in a ``register/`` folder
beside the documents, so the documents' prefix definitions (``register/persons.xml#KEY``) still resolve,
and the schema the ``xml-model`` instructions name is published beside ``tei/``.

The ZIP and the teiCorpus hold one piece per file (edition.splice), keyed on that file's bytes.
"""

from __future__ import annotations

import copy
import datetime as dt
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from edition.config import Config
from edition.corpus import TEI_NS, Corpus, SourceFile
from edition.harvest import layout
from edition.harvest.archive import write_archive
from edition.harvest.skeleton import Maker, slot, write_pieces
from edition.harvest.xmlout import tei as _t
from edition.harvest.xmlout import tei_sub as _sub
from edition.splice import Splice

SCHEMA_FILES = ("edition.rng", "edition.sch")


@dataclass(frozen=True)
class PublishedFile:
    source: SourceFile
    name: str  # path below tei/: "<id>.xml" or "register/<name>.xml"

    @property
    def label(self) -> str:
        """The file's name among the build's inputs (edition.incremental): tei/… or register/…"""
        return self.name if self.name.startswith("register/") else f"tei/{self.name}"

    @property
    def path(self) -> str:
        """Where it is published, relative to the site."""
        return f"{layout.TEI_FOLDER}/{self.name}"


def corpus_files(corpus: Corpus, config: Config) -> list[PublishedFile]:
    """Every document and register of the corpus with its published name, sorted by that name."""
    register_dir = config.register_dir.resolve()
    in_register: dict[Path, bool] = {}  # by folder: resolving every file's path would be slow
    published = []
    for source in corpus.files:
        folder = source.path.parent
        if folder not in in_register:
            in_register[folder] = folder.resolve() == register_dir
        name = f"register/{source.path.name}" if in_register[folder] else source.path.name
        published.append(PublishedFile(source, name))
    return sorted(published, key=lambda f: f.name)


def publish_copy(published: PublishedFile, site: Path) -> str:
    """Publish one file byte for byte; returns its path in the site."""
    target = site / published.path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.unlink(
        missing_ok=True
    )  # may be a link to the previous build's copy: replace, never write
    shutil.copyfile(published.source.path, target)
    return published.path


def publish_schema(config: Config, site: Path) -> list[str]:
    """The schema the published files' xml-model instructions point to (../schema/edition.rng)."""
    written = []
    for name in SCHEMA_FILES:
        source = config.schema_dir / name
        if source.is_file():
            relative = f"{layout.SCHEMA_FOLDER}/{name}"
            target = site / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.unlink(missing_ok=True)
            shutil.copyfile(source, target)
            written.append(relative)
    return written


def write_zip(
    splice: Splice, files: list[PublishedFile], keys: Callable[[PublishedFile], str], stamp: dt.date
) -> None:
    """A reproducible ZIP: sorted entries under tei/, one fixed timestamp, fixed permissions."""
    members = [
        (f"{layout.ZIP_FOLDER}/{published.name}", keys(published), _reader(published))
        for published in sorted(files, key=lambda f: f.name)
    ]
    write_archive(splice, members, stamp)


def _reader(published: PublishedFile) -> Callable[[], bytes]:
    return published.source.path.read_bytes


def tei_corpus_skeleton(corpus: Corpus, config: Config) -> etree._Element:
    """The teiCorpus without its members: its own header, then a slot for every file."""
    edition = config.edition
    root = etree.Element(_t("teiCorpus"), nsmap={None: TEI_NS})  # type: ignore[dict-item]
    root.set("{http://www.w3.org/XML/1998/namespace}lang", edition.language)
    header = _sub(root, "teiHeader")
    file_desc = _sub(header, "fileDesc")
    title_stmt = _sub(file_desc, "titleStmt")
    _sub(title_stmt, "title", f"{edition.title}: the complete corpus")
    for editor in edition.editors:
        _sub(title_stmt, "editor", editor)
    publication = _sub(file_desc, "publicationStmt")
    _sub(publication, "publisher", edition.publisher)
    _sub(publication, "idno", f"{edition.base_url}{layout.TEI_CORPUS}", type="URI")
    _sub(
        publication, "date", edition.release_date.isoformat(), when=edition.release_date.isoformat()
    )
    availability = _sub(publication, "availability")
    _sub(availability, "licence", edition.licence, target=edition.licence_url)
    source_desc = _sub(file_desc, "sourceDesc")
    _sub(
        source_desc,
        "p",
        f"Gathers the {len(corpus.documents)} documents and the registers of version "
        f"{edition.version} of this edition, each as published at {edition.base_url}"
        f"{layout.TEI_FOLDER}/. The documents follow in chronological order, then the registers.",
    )
    slot(root, "files")
    return root


def tei_corpus_members(corpus: Corpus) -> list[SourceFile]:
    """The files of the teiCorpus in order: the documents chronologically, then the registers."""
    document_files = {id(d.file) for d in corpus.documents}
    registers = [f for f in corpus.files if id(f) not in document_files]
    return [d.file for d in corpus.documents] + sorted(registers, key=lambda f: f.path.name)


def write_tei_corpus(
    splice: Splice, corpus: Corpus, config: Config, keys: Callable[[SourceFile], tuple[str, str]]
) -> None:
    """The teiCorpus: every file's TEI element, as written in the corpus (``keys``: item and key)."""
    pieces = [(*keys(source), _member(source)) for source in tei_corpus_members(corpus)]
    write_pieces(splice, tei_corpus_skeleton(corpus, config), False, {"files": pieces})


def _member(source: SourceFile) -> Maker:
    return lambda holder: holder.append(copy.deepcopy(source.root))
