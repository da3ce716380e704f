"""edition.toml → typed, validated settings.

Modelled on MkDocs' typed config: every section and key is declared here once, with its type; an unknown
key (usually a typo) or a value of the wrong type is a ConfigError naming the key and what was expected,
never a silent default.
"""

from __future__ import annotations

import datetime as dt
import difflib
import tomllib
from dataclasses import MISSING, dataclass, fields
from pathlib import Path
from typing import Any, TypeVar, get_type_hints
from urllib.parse import urlsplit

CONFIG_FILE = "edition.toml"


class ConfigError(Exception):
    """The configuration file is missing, unreadable or wrong; the message says where and what."""


@dataclass(frozen=True)
class EditionSettings:
    title: str
    subtitle: str
    short_title: str
    editors: list[str]
    publisher: str
    version: str
    release_date: dt.date
    base_url: str
    licence: str
    licence_url: str
    language: str
    span_start: dt.date
    span_end: dt.date


@dataclass(frozen=True)
class PathSettings:
    tei: str = "tei"
    registers: str = "tei/register"
    schema: str = "schema"
    xslt: str = "xslt"
    build: str = "build"


@dataclass(frozen=True)
class PdfSettings:
    file_name: str = "edition.pdf"


@dataclass(frozen=True)
class OaiSettings:
    repository_name: str
    admin_email: str
    page_size: int = 10
    # The OAI-PMH Static Repository Gateway that intermediates for the edition, once registered with
    # one (e.g. "http://gateway.example.org/oai/"); empty until then.
    static_gateway: str = ""


@dataclass(frozen=True)
class Config:
    """The whole configuration, with paths resolved against the file's folder."""

    root: Path
    edition: EditionSettings
    paths: PathSettings
    pdf: PdfSettings
    oai: OaiSettings

    @property
    def tei_dir(self) -> Path:
        return self.root / self.paths.tei

    @property
    def register_dir(self) -> Path:
        return self.root / self.paths.registers

    @property
    def schema_dir(self) -> Path:
        return self.root / self.paths.schema

    @property
    def xslt_dir(self) -> Path:
        return self.root / self.paths.xslt

    @property
    def build_dir(self) -> Path:
        return self.root / self.paths.build

    def document_url(self, doc_id: str) -> str:
        """The permanent URL of a document's reading page."""
        return f"{self.edition.base_url}documents/{doc_id}.html"

    def tei_url(self, doc_id: str) -> str:
        return f"{self.edition.base_url}tei/{doc_id}.xml"


_Section = TypeVar("_Section")


def _check_value(section: str, key: str, value: Any, expected: Any) -> Any:
    where = f"{CONFIG_FILE}: [{section}] {key}"
    if expected is dt.date:
        if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
            raise ConfigError(
                f"{where} must be a date written YYYY-MM-DD without quotes, not {value!r}"
            )
        return value
    if expected == list[str]:
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise ConfigError(f'{where} must be a list of names, e.g. ["A. Editor"], not {value!r}')
        return list(value)
    if expected is int:
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ConfigError(f"{where} must be a whole number of at least 1, not {value!r}")
        return value
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{where} must be a non-empty text in quotes, not {value!r}")
    return value


def _section(raw: dict[str, Any], name: str, cls: type[_Section]) -> _Section:
    table = raw.get(name, {})
    if not isinstance(table, dict):
        raise ConfigError(f"{CONFIG_FILE}: [{name}] must be a table")
    hints = get_type_hints(cls)
    known = {f.name for f in fields(cls)}  # type: ignore[arg-type]
    for key in table:
        if key not in known:
            close = difflib.get_close_matches(key, sorted(known), n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            raise ConfigError(f"{CONFIG_FILE}: unknown key '{key}' in [{name}]{hint}")
    values: dict[str, Any] = {}
    for field in fields(cls):  # type: ignore[arg-type]
        if field.name in table:
            values[field.name] = _check_value(
                name, field.name, table[field.name], hints[field.name]
            )
        elif field.default is MISSING:  # no default: the key is required
            raise ConfigError(f"{CONFIG_FILE}: [{name}] is missing the required key '{field.name}'")
    return cls(**values)


def parse_config(text: str, root: Path) -> Config:
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{CONFIG_FILE}: not valid TOML: {error}") from None
    sections = {"edition", "paths", "pdf", "oai"}
    for name in raw:
        if name not in sections:
            close = difflib.get_close_matches(name, sorted(sections), n=1)
            hint = f" (did you mean [{close[0]}]?)" if close else ""
            raise ConfigError(f"{CONFIG_FILE}: unknown section [{name}]{hint}")
    if "edition" not in raw:
        raise ConfigError(f"{CONFIG_FILE}: the [edition] section is missing")
    edition = _section(raw, "edition", EditionSettings)
    _check_edition(edition)
    oai = _section(raw, "oai", OaiSettings)
    gateway = urlsplit(oai.static_gateway)
    if oai.static_gateway and (gateway.scheme not in {"https", "http"} or not gateway.netloc):
        raise ConfigError(
            f"{CONFIG_FILE}: [oai] static_gateway must be an http(s) URL, not {oai.static_gateway!r}"
        )
    return Config(
        root=root,
        edition=edition,
        paths=_section(raw, "paths", PathSettings),
        pdf=_section(raw, "pdf", PdfSettings),
        oai=oai,
    )


def _check_edition(edition: EditionSettings) -> None:
    url = urlsplit(edition.base_url)
    if url.scheme not in {"https", "http"} or not url.netloc or not edition.base_url.endswith("/"):
        raise ConfigError(
            f"{CONFIG_FILE}: [edition] base_url must be an http(s) URL ending in '/', "
            f"not {edition.base_url!r}"
        )
    if edition.span_end < edition.span_start:
        raise ConfigError(f"{CONFIG_FILE}: [edition] span_end is before span_start")


def load_config(root: Path) -> Config:
    """Read ``edition.toml`` in ``root`` (the edition's folder)."""
    path = root / CONFIG_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise ConfigError(f"{path}: cannot be read ({error.strerror})") from None
    return parse_config(text, root.resolve())
