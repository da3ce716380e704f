"""Writing pages: the Jinja2 environment, the site-wide context, and files written byte-stably.

Every page is written through :class:`SiteWriter`, which knows how deep a page sits (so all links are
relative and the site works from ``file://`` as well as from any web server), supplies the context
every template needs (edition settings, navigation), and writes UTF-8 with ``\\n`` line ends only, so
two builds of the same sources give byte-identical files. Autoescaping is on for every template:
corpus text reaches a page as text, never as markup. The only markup that is passed through is the
XSLT's HTML fragment, which the serializer has already escaped.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2

from edition.config import Config
from edition.corpus import Corpus

TEMPLATES = Path(__file__).resolve().parent.parent / "templates" / "site"

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

DOCUMENT_TYPES = {
    "letter": "Letter",
    "telegram": "Telegram",
    "cable": "Cable",
    "message": "Message",
}

STATUSES = {
    "transcribed": "Transcribed",
    "summarised": "Calendar entry (summary only)",
    "draft": "Draft",
}


def long_date(date: dt.date | None) -> str:
    """'28 October 1962' in every locale (strftime's %B follows the machine's locale)."""
    if date is None:
        return "undated"
    return f"{date.day} {MONTHS[date.month - 1]} {date.year}"


def iso_date(date: dt.date | None) -> str:
    return date.isoformat() if date else ""


def type_label(value: str) -> str:
    return DOCUMENT_TYPES.get(value, value.capitalize() or "Document")


def status_label(value: str) -> str:
    return STATUSES.get(value, value.capitalize() or "Unknown")


# The site's top navigation: (path from the site root, label).
NAVIGATION = (
    ("documents.html", "Documents"),
    ("timeline.html", "Timeline"),
    ("network.html", "Network"),
    ("persons/index.html", "Persons"),
    ("places/index.html", "Places"),
    ("organisations/index.html", "Organisations"),
    ("bibliography.html", "Sources"),
    ("search.html", "Search"),
    ("about/index.html", "About"),
)


def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=True,  # every template, whatever its name
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["long_date"] = long_date
    env.filters["iso_date"] = iso_date
    env.filters["type_label"] = type_label
    env.filters["status_label"] = status_label
    return env


def prefix_for(path: str) -> str:
    """The relative way back to the site root from a page at ``path`` ("persons/x.html" → "../")."""
    return "../" * path.count("/")


@dataclass
class SiteWriter:
    """Renders templates into the site folder; counts what it wrote for the progress report."""

    corpus: Corpus
    config: Config
    root: Path
    env: jinja2.Environment
    progress: Callable[[str], None]
    written: int = 0
    paths: list[str] = field(default_factory=list)  # every file written, relative to the site root

    def page(self, path: str, template: str, **context: Any) -> None:
        """Render ``template`` to the page at ``path`` (relative to the site root)."""
        prefix = prefix_for(path)
        text = self.env.get_template(template).render(
            root=prefix,
            path=path,
            edition=self.config.edition,
            navigation=NAVIGATION,
            **context,
        )
        self.text(path, text)

    def text(self, path: str, text: str) -> None:
        self.bytes(path, text.replace("\r\n", "\n").encode("utf-8"))

    def bytes(self, path: str, data: bytes) -> None:
        target = self.root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        # An incremental build starts from hard links to the previous build's files: replace the
        # file, never write into it (that would change the previous build too).
        target.unlink(missing_ok=True)
        target.write_bytes(data)
        self.written += 1
        self.paths.append(path)
