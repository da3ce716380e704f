"""The TEI itself, for download: every file as published, a ZIP of the corpus, and a teiCorpus.

The files are copied byte for byte (the corpus has passed the check stage, and a scholar who downloads a
file should get exactly what the editors wrote). Registers keep their place in a ``register/`` folder
beside the documents, so the documents' prefix definitions (``register/persons.xml#KEY``) still resolve,
and the schema the ``xml-model`` instructions name is published beside ``tei/``.
"""

from __future__ import annotations

import copy
import datetime as dt
import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from edition.config import Config
from edition.corpus import TEI_NS, Corpus
from edition.harvest import layout
from edition.harvest.xmlout import tei as _t
from edition.harvest.xmlout import tei_sub as _sub
from edition.harvest.xmlout import write_xml

SCHEMA_FILES = ("edition.rng", "edition.sch")


@dataclass(frozen=True)
class PublishedFile:
    source: Path
    name: str  # path below tei/: "<id>.xml" or "register/<name>.xml"


def corpus_files(corpus: Corpus, config: Config) -> list[PublishedFile]:
    """Every document and register of the corpus with its published name, sorted by that name."""
    register_dir = config.register_dir.resolve()
    published = []
    for source in corpus.files:
        in_register = source.path.parent.resolve() == register_dir
        name = f"register/{source.path.name}" if in_register else source.path.name
        published.append(PublishedFile(source.path, name))
    return sorted(published, key=lambda f: f.name)


def publish_tei(corpus: Corpus, config: Config, site: Path) -> None:
    files = corpus_files(corpus, config)
    folder = site / layout.TEI_FOLDER
    for published in files:
        target = folder / published.name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(published.source, target)
    _publish_schema(config, site)
    write_zip(files, site / layout.TEI_ZIP, config.edition.release_date)
    write_xml(site / layout.TEI_CORPUS, tei_corpus(corpus, config), indent=False)


def _publish_schema(config: Config, site: Path) -> None:
    """The schema the published files' xml-model instructions point to (../schema/edition.rng)."""
    for name in SCHEMA_FILES:
        source = config.schema_dir / name
        if source.is_file():
            target = site / layout.SCHEMA_FOLDER / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)


def write_zip(files: list[PublishedFile], path: Path, stamp: dt.date) -> None:
    """A reproducible ZIP: sorted entries, one fixed timestamp, fixed permissions and compression."""
    path.parent.mkdir(parents=True, exist_ok=True)
    when = (max(stamp.year, 1980), stamp.month, stamp.day, 0, 0, 0)
    with zipfile.ZipFile(path, "w") as archive:
        for published in sorted(files, key=lambda f: f.name):
            info = zipfile.ZipInfo(f"{layout.ZIP_FOLDER}/{published.name}", date_time=when)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o100644 << 16
            info.create_system = 3  # Unix, so the permissions above are read as such
            archive.writestr(info, published.source.read_bytes(), compresslevel=9)


def tei_corpus(corpus: Corpus, config: Config) -> etree._Element:
    """A teiCorpus: its own header, then every document in chronological order, then the registers."""
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
    document_files = {id(d.file) for d in corpus.documents}
    for document in corpus.documents:
        root.append(copy.deepcopy(document.file.root))
    for source in sorted(corpus.files, key=lambda f: f.path.name):
        if id(source) not in document_files:
            root.append(copy.deepcopy(source.root))
    return root
