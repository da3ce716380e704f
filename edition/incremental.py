"""The build manifest: what the previous build was made from, so that the next one redoes only what changed.

``build/.manifest.json`` (beside ``build/site/``, so never served) records

* **inputs**: the SHA-256 of every input — each TEI document and register, every stylesheet, the schema
  and encoding guide, ``edition.toml``, every file of the ``edition`` package (code, templates, static
  files) — and the versions of the tool and of the libraries that shape the output;
* **grammar**: what the check learnt from each TEI file (edition.check.facts: its RELAX NG + Schematron
  problems, and the facts the Corpus and the rules across documents are made from) with the hash of the
  bytes it was learnt from, so an unchanged file is neither validated nor parsed again by the check
  (valid while the schema and the tool are the same);
* **parts**: for each part of the build (site/, pdf/), its *groups* of outputs — the files each group
  wrote and the key it was built with.

A group's key is a hash of everything its output is made from, gathered from the checked Corpus:

    doc:<id>        the reading page, BibTeX and CSL-JSON of one document: its TEI file; its facts; the
                    facts of its neighbours (prev/next), of the documents it answers or mentions and
                    that answer or mention it; the register entries it points to; the sources register
    entry:<key>     a person's, place's or organisation's page: the entry and the facts of every
                    document that points to it
    pages           the corpus-wide pages (documents table, register indexes, bibliography, timeline,
                    network, home, About, search page) and the static files: all facts, all entries
    search-index    the file:// search index: all facts and every reading page
    pagefind:<n>    one shard of the Pagefind index (edition.site.search): its reading pages
    pagefind        the list of the Pagefind index's shards: which shards there are
    harvest         ZIP, teiCorpus, CMIF, OAI-PMH, sitemap: every TEI file and all facts (these
                    files are spliced from per-document pieces: see edition.splice)
    download:<label>  the published copy of one TEI file: that file
    record:<id>     (no files: the key of a document's pieces in the harvesting files) its TEI file,
                    its facts, the register entries it names
    book            the PDF: every input (it depends on everything)

and every key also covers the tool, its libraries, the configuration, the stylesheets and the schema,
so changing any of those rebuilds everything (the site leaves out the package's files it never uses:
the PDF's code and templates, the editors' tools, the server and the command line). "Facts" are what the Corpus knows about a document (number,
title, date, correspondents, links, summary …) or a register entry (its whole element). A build starts
its staging folder as a hard-link copy of the previous build, discards the files of every group whose key
changed or that no longer exists, and writes only those groups again; files no group claims are removed.
When in doubt — no manifest, another format, a part missing — the part is built in full.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import os
import sys
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from edition import __version__
from edition.check.facts import FileRecord
from edition.config import CONFIG_FILE, Config
from edition.corpus import Corpus, Correspondent, Document, RegisterEntry, document_paths
from edition.corpus import register_paths as register_files
from edition.links import REGISTER_FOLDERS, short_title

MANIFEST = ".manifest.json"
FORMAT = 1
PACKAGE = Path(__file__).resolve().parent

# Libraries whose version can change what a build writes.
LIBRARIES = (
    "lxml",
    "saxonche",
    "jinja2",
    "markupsafe",
    "markdown-it-py",
    "pagefind-bin",
    "fontpkg-eb-garamond",
    "weasyprint",
    "pypdf",
    "pyphen",
)

# Files of the package that no stage of the site (nor the check) uses: the PDF's code and templates,
# the editors' tools, the server and the command line. A change to them leaves the site as it is (the
# PDF depends on every input, these included).
NOT_FOR_THE_SITE = (
    "tool/pdf/",
    "tool/templates/book/",
    "tool/editing/",
    "tool/preview/",
    "tool/server.py",
    "tool/cli.py",
    "tool/__main__.py",
)
# Inputs every output of the site depends on (labels by prefix).
SITE_WIDE = ("tool/", "version/", "config/", "xslt/", "schema/")
# Inputs the grammar check depends on.
GRAMMAR_WIDE = ("tool/", "version/", "schema/")


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _hash(*parts: str) -> str:
    """The SHA-256 of the parts, each followed by a NUL (joined first: one update is much quicker)."""
    if not parts:
        return hashlib.sha256().hexdigest()
    return hashlib.sha256(("\0".join(parts) + "\0").encode("utf-8")).hexdigest()


def _files_below(folder: Path) -> Iterator[Path]:
    if folder.is_dir():
        for path in sorted(folder.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
                yield path


# --- inputs ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Inputs:
    """Every input of a build by label ("tei/<file>", "register/<file>", "xslt/…", "schema/…",
    "config/edition.toml", "tool/<file of the package>", "version/<library>") → SHA-256."""

    files: dict[str, str]
    labels: dict[Path, str]  # a TEI file's path (as the corpus loads it) → its label

    @classmethod
    def of(cls, config: Config) -> Inputs:
        files: dict[str, str] = {}
        labels: dict[Path, str] = {}
        for prefix, paths in (
            ("tei/", document_paths(config)),
            ("register/", register_files(config)),
        ):
            for path in paths:
                label = prefix + path.name
                labels[path] = label
                files[label] = digest(path.read_bytes())
        for prefix, folder in (("xslt/", config.xslt_dir), ("schema/", config.schema_dir)):
            for path in _files_below(folder):
                files[prefix + path.relative_to(folder).as_posix()] = digest(path.read_bytes())
        files["config/" + CONFIG_FILE] = digest((config.root / CONFIG_FILE).read_bytes())
        for path in _files_below(PACKAGE):
            files["tool/" + path.relative_to(PACKAGE).as_posix()] = digest(path.read_bytes())
        files["version/edition"] = _hash(__version__)
        files["version/python"] = _hash(sys.version)
        for library in LIBRARIES:
            try:
                version = importlib.metadata.version(library)
            except importlib.metadata.PackageNotFoundError:
                version = "absent"
            files[f"version/{library}"] = _hash(version)
        return cls(files, labels)

    def digest(self, *prefixes: str, leaving_out: tuple[str, ...] = ()) -> str:
        """One hash over the inputs whose labels start with one of ``prefixes`` (all when none),
        except those starting with one of ``leaving_out``."""
        chosen = [
            f"{label}={value}"
            for label, value in sorted(self.files.items())
            if (not prefixes or label.startswith(prefixes)) and not label.startswith(leaving_out)
        ]
        return _hash(*chosen)

    def of_file(self, path: Path) -> str:
        label = self.labels.get(path)
        return self.files.get(label, "") if label else ""


# --- facts: what the pages show of documents and register entries -----------------------------------


def _people(people: Iterable[Correspondent]) -> list[list[str | None]]:
    return [[p.name, p.key, p.place_name, p.place_key] for p in people]


def document_facts(corpus: Corpus, document: Document) -> str:
    """Everything the Corpus knows about a document, as one canonical text."""
    return json.dumps(
        {
            "id": document.id,
            "number": document.number,
            "short_title": short_title(corpus, document),
            "type": document.type,
            "status": document.status,
            "title": document.title,
            "date": document.date.isoformat() if document.date else None,
            "senders": _people(document.senders),
            "recipients": _people(document.recipients),
            "transmitters": _people(document.transmitters),
            "prev": document.prev,
            "next": document.next,
            "replies_to": document.replies_to,
            "abstract": document.abstract,
            "keywords": document.keywords,
            "language": document.language,
            "modified": document.modified.isoformat() if document.modified else None,
            "mentions": sorted(document.mentions),
            "references": sorted(document.references),
            "file": document.file.path.name,
        },
        ensure_ascii=False,
        sort_keys=True,
    )


def entry_facts(entry: RegisterEntry) -> str:
    """A register entry: its key and its whole element as written."""
    from lxml import etree

    return entry.key + "\n" + etree.tostring(entry.element, encoding="unicode", with_tail=False)


def related(corpus: Corpus) -> dict[str, set[str]]:
    """For each document, the documents its page shows: neighbours, answers and mentions both ways."""
    found: dict[str, set[str]] = defaultdict(set)
    for document in corpus.documents:
        mine = found[document.id]
        mine.update(i for i in (document.prev, document.next) if i)
        mine.update(document.replies_to)
        mine.update(document.references)
        for other in (document.prev, document.next, *document.replies_to, *document.references):
            if other:
                found[other].add(document.id)
    return found


def site_keys(corpus: Corpus, inputs: Inputs) -> dict[str, str]:
    """The key of every group of outputs of the site part."""
    wide = inputs.digest(*SITE_WIDE, leaving_out=NOT_FOR_THE_SITE)
    facts = {d.id: document_facts(corpus, d) for d in corpus.documents}
    entries = {key: entry_facts(entry) for key, entry in sorted(corpus.entries.items())}
    sources = _hash(*(text for key, text in entries.items() if key.startswith("source:")))
    everything = _hash(*facts.values(), *entries.values())
    keys: dict[str, str] = {}
    links = related(corpus)
    for document in corpus.documents:
        keys[f"doc:{document.id}"] = _hash(
            wide,
            "doc",
            inputs.of_file(document.file.path),
            facts[document.id],
            *(facts[i] for i in sorted(links[document.id]) if i in facts),
            "entries",
            *(entries[k] for k in sorted(document.mentions) if k in entries),
            sources,
        )
    for key, entry in corpus.entries.items():
        if entry.kind in REGISTER_FOLDERS:
            keys[f"entry:{key}"] = _hash(
                wide,
                "entry",
                entries[key],
                *(facts[d.id] for d in corpus.mentioned_in(key)),
            )
    pages = [keys[f"doc:{d.id}"] for d in corpus.documents]
    keys["pages"] = _hash(wide, "pages", everything)
    keys["search-index"] = _hash(wide, "search-index", everything, *pages)
    keys.update(_search_keys(corpus, wide, keys))
    keys["harvest"] = _hash(wide, "harvest", inputs.digest("tei/", "register/"), everything)
    # Not a group: what every piece of the spliced harvesting files depends on (edition.harvest).
    keys["harvest-basis"] = _hash(wide, "harvest-basis")
    for source in corpus.files:
        label = inputs.labels.get(source.path)
        if label is not None:
            keys[f"download:{label}"] = _hash(wide, "download", inputs.files[label])
    for document in corpus.documents:
        keys[f"record:{document.id}"] = _hash(
            wide,
            "record",
            inputs.of_file(document.file.path),
            facts[document.id],
            *(entries[k] for k in sorted(record_references(document)) if k in entries),
        )
    return keys


def _search_keys(corpus: Corpus, wide: str, keys: Mapping[str, str]) -> dict[str, str]:
    """The Pagefind index's groups: each shard (its reading pages; which shard is the primary one) and
    the list of shards (edition.site.search)."""
    from edition.site.search import PAGEFIND, shards

    found = shards([d.id for d in corpus.documents])
    primary = next(iter(found), None)
    found_keys = {
        f"{PAGEFIND}:{shard}": _hash(
            wide,
            PAGEFIND,
            str(shard),
            "primary" if shard == primary else "merged",
            *(keys[f"doc:{doc_id}"] for doc_id in ids),
        )
        for shard, ids in found.items()
    }
    found_keys[PAGEFIND] = _hash(wide, "pagefind-shards", *(str(shard) for shard in found))
    return found_keys


def record_references(document: Document) -> set[str]:
    """The register entries a document's harvesting records name: every entry it points to, its
    correspondents and their places."""
    found = set(document.mentions)
    for person in (*document.senders, *document.recipients, *document.transmitters):
        found.update(k for k in (person.key, person.place_key) if k)
    return found


def book_keys(inputs: Inputs) -> dict[str, str]:
    """The PDF depends on everything."""
    return {"book": inputs.digest()}


# --- groups of outputs and the plan of one part --------------------------------------------------------


@dataclass
class Group:
    key: str
    files: list[str]  # relative to the part's folder, posix
    # What the stage noted for the next build about these files (e.g. where the pieces of a spliced
    # harvesting file lie, edition.splice); JSON, or None.
    memo: Any = None


@dataclass
class Plan:
    """Which groups of one part's outputs are current, and what this build writes.

    ``root`` is the part's folder in the staging area; ``previous`` the groups recorded by the previous
    build, whose files ``root`` starts with (as hard links); ``keys`` the keys of this build's groups.
    Without ``keys`` there is no bookkeeping: everything is stale and nothing is recorded (a part built
    outside `edition build`, e.g. by a test calling a stage directly).
    """

    root: Path
    keys: Mapping[str, str] | None = None
    previous: Mapping[str, Group] | None = None
    previous_root: Path | None = None
    groups: dict[str, Group] = field(default_factory=dict)
    written: set[str] = field(default_factory=set)  # groups recorded by this build
    busy: set[str] = field(default_factory=set)  # folders work in the background is writing into

    @property
    def incremental(self) -> bool:
        return self.keys is not None and self.previous is not None

    def stale(self, group: str) -> bool:
        if self.keys is None:
            return True
        return group not in self.groups

    def prepare(self) -> list[str]:
        """Keep the groups whose key is unchanged (and whose files are all there); discard the files of
        the others. Returns the groups discarded."""
        discarded = []
        there = self.listing() if self.previous else set()  # one walk, not a look-up per file
        for name, previous in (self.previous or {}).items():
            current = self.keys.get(name) if self.keys is not None else None
            present = all(f in there for f in previous.files)
            if current == previous.key and present:
                self.groups[name] = Group(previous.key, list(previous.files), previous.memo)
                continue
            discarded.append(name)
            for relative in previous.files:
                (self.root / relative).unlink(missing_ok=True)
        return discarded

    def record(self, group: str, files: Iterable[str], memo: Any = None) -> None:
        """The files ``group`` wrote in this build (and what to remember about them: JSON)."""
        if self.keys is None:
            return
        self.written.add(group)
        self.groups[group] = Group(self.keys.get(group, ""), sorted(set(files)), memo)

    def previous_memo(self, group: str) -> Any:
        """What the previous build noted about the files of ``group`` (intact in ``previous_root``
        while this build runs, whether or not the group is current), if this build started from it."""
        if not self.incremental or self.previous_root is None or self.previous is None:
            return None
        earlier = self.previous.get(group)
        return earlier.memo if earlier is not None else None

    def listing(self, below: str = "") -> set[str]:
        """Every file below the part's folder (or one of its folders), relative to it."""
        folder = self.root / below if below else self.root
        found: set[str] = set()
        for top, dirs, files in os.walk(folder):
            relative = Path(top).relative_to(self.root).as_posix()
            prefix = "" if relative == "." else relative + "/"
            if not below:  # not the folders still being written
                dirs[:] = [d for d in dirs if prefix + d not in self.busy]
            found.update(prefix + name for name in files)
        return found

    def sweep(self) -> list[str]:
        """Remove every file no group claims (outputs of deleted inputs), then empty folders."""
        claimed = {f for group in self.groups.values() for f in group.files}
        removed: list[str] = []
        emptied: set[str] = set()  # folders left with nothing in them
        for top, folders, files in os.walk(self.root, topdown=False):
            relative = Path(top).relative_to(self.root).as_posix()
            prefix = "" if relative == "." else relative + "/"
            left = len(files) + len(folders)
            for name in files:
                if prefix + name not in claimed:
                    os.unlink(os.path.join(top, name))
                    removed.append(prefix + name)
                    left -= 1
            left -= sum(1 for name in folders if prefix + name in emptied)
            if left == 0 and relative != ".":
                os.rmdir(top)
                emptied.add(relative)
        return sorted(removed)

    def previous_file(self, relative: str) -> Path | None:
        """A file of the previous build (intact while this one runs), if this build started from it."""
        if not self.incremental or self.previous_root is None:
            return None
        path = self.previous_root / relative
        return path if path.is_file() else None


# --- the manifest file -------------------------------------------------------------------------------


@dataclass
class Manifest:
    inputs: dict[str, str]
    grammar_key: str
    grammar: dict[str, list[Any]]  # label → the file's check record (FileRecord.to_json)
    parts: dict[str, dict[str, Group]]

    @classmethod
    def read(cls, build_dir: Path) -> Manifest | None:
        """The previous build's manifest; None if there is none or it cannot be trusted."""
        try:
            raw = json.loads((build_dir / MANIFEST).read_text(encoding="utf-8"))
            if raw.get("format") != FORMAT:
                return None
            parts = {
                part: {
                    name: Group(g["key"], list(g["files"]), g.get("memo"))
                    for name, g in groups.items()
                }
                for part, groups in raw["parts"].items()
            }
            grammar = {label: list(record) for label, record in raw["grammar"]["files"].items()}
            return cls(dict(raw["inputs"]), raw["grammar"]["key"], grammar, parts)
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None

    def write(self, build_dir: Path) -> None:
        data = {
            "format": FORMAT,
            "tool": __version__,
            "inputs": dict(sorted(self.inputs.items())),
            "grammar": {"key": self.grammar_key, "files": dict(sorted(self.grammar.items()))},
            "parts": {
                part: {name: _group_data(g) for name, g in sorted(groups.items())}
                for part, groups in sorted(self.parts.items())
            },
        }
        # Compact: only then does json use its C encoder (with an indent it encodes in Python, a
        # tenth of an edited rebuild at 1,000 letters). `python -m json.tool` shows it indented.
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"
        (build_dir / MANIFEST).write_text(text, encoding="utf-8")


def _group_data(group: Group) -> dict[str, Any]:
    data: dict[str, Any] = {"key": group.key, "files": group.files}
    if group.memo is not None:
        data["memo"] = group.memo
    return data


def grammar_key(inputs: Inputs) -> str:
    return inputs.digest(*GRAMMAR_WIDE, leaving_out=NOT_FOR_THE_SITE)


def known_grammar(manifest: Manifest | None, inputs: Inputs) -> dict[Path, FileRecord]:
    """The check records of the previous build (the check uses those whose bytes are unchanged), while
    the schema and the tool are the same."""
    if manifest is None or manifest.grammar_key != grammar_key(inputs):
        return {}
    known: dict[Path, FileRecord] = {}
    for path, label in inputs.labels.items():
        cached = manifest.grammar.get(label)
        if cached is None:
            continue
        try:
            known[path] = FileRecord.from_json(path, cached)
        except ValueError:
            continue  # not a record this version writes: the file is examined again
    return known


def grammar_record(inputs: Inputs, records: Mapping[Path, FileRecord]) -> dict[str, list[Any]]:
    return {
        label: record.to_json()
        for path, record in records.items()
        if (label := inputs.labels.get(path)) is not None
    }
