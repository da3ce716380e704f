"""Matching what a FRUS volume names — persons, places, organisations, the volume itself — to the
edition's registers, and the register line to add where nothing matches.

Persons match by a verified authority identifier when the volume gives one, else by name: the same
surname and compatible given names, initials allowed ("Nikita S." matches "Nikita Sergeyevich"), against
every form of the name in the register (full, short, variant). A name that fits two entries matches
neither: a wrong link is worse than none.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from lxml import etree

from edition.corpus import NS, Corpus, RegisterEntry, text_of
from edition.editing.frus_volume import FrusPerson, Volume
from edition.editing.render import xml_attribute, xml_text

_DROPPED = {"jr", "sr", "ii", "iii", "iv", "lord", "prince", "generalissimo", "mr", "mrs", "dr"}
_NAME_PATHS = {"person": "tei:persName", "place": "tei:placeName", "org": "tei:orgName"}
HISTORIAN_KEY = "org:office-of-the-historian"


def normalise(name: str) -> str:
    """Lower case, accents and punctuation dropped, one space between words."""
    decomposed = unicodedata.normalize("NFKD", name)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    plain = re.sub(r"[^\w\s-]", " ", plain.replace("’", "'").replace("'", ""))
    words = plain.split()
    while words and words[0] == "the":
        words = words[1:]
    return " ".join(words)


def names_of(entry: RegisterEntry) -> list[str]:
    found = entry.element.xpath(_NAME_PATHS.get(entry.kind, "tei:title"), namespaces=NS)
    names = (
        [text_of(e) for e in found if isinstance(e, etree._Element)]
        if isinstance(found, list)
        else []
    )
    return [n for n in [entry.label, entry.short, *names] if n]


def _parts(name: str) -> tuple[str, list[str]]:
    words = [w for w in normalise(name).replace("-", " ").split() if w not in _DROPPED]
    return (words[-1], words[:-1]) if words else ("", [])


def _compatible(first: list[str], second: list[str]) -> bool:
    if not first or not second:
        return False
    for one, other in zip(first, second, strict=False):
        if one == other:
            continue
        if len(one) == 1 and other.startswith(one):
            continue
        if len(other) == 1 and one.startswith(other):
            continue
        return False
    return True


def _entries(corpus: Corpus, kind: str) -> Iterable[RegisterEntry]:
    return (e for e in corpus.entries.values() if e.kind == kind)


def match_person(corpus: Corpus, person: FrusPerson) -> list[RegisterEntry]:
    """The register entries ``person`` may be: one is a match, several are ambiguous, none is new."""
    by_authority = [
        e
        for e in _entries(corpus, "person")
        if any(e.authorities.get(kind) == value for kind, value in person.authorities.items())
    ]
    if by_authority:
        return by_authority
    surname, given = _parts(person.name)
    found = []
    for entry in _entries(corpus, "person"):
        for name in names_of(entry):
            other_surname, other_given = _parts(name)
            if other_surname == surname and _compatible(given, other_given):
                found.append(entry)
                break
    return found


def match_name(corpus: Corpus, kind: str, name: str) -> list[RegisterEntry]:
    """Entries of ``kind`` one of whose names is ``name`` (compared without case and punctuation)."""
    wanted = normalise(name)
    if not wanted:
        return []
    return [e for e in _entries(corpus, kind) if wanted in {normalise(n) for n in names_of(e)}]


def volume_source(corpus: Corpus, volume: Volume) -> RegisterEntry | None:
    """The sources register's entry for the volume: the one whose address is the volume's."""
    wanted = volume.url().rstrip("/")
    for entry in _entries(corpus, "source"):
        targets = entry.element.xpath(".//tei:ref/@target", namespaces=NS)
        for target in targets if isinstance(targets, list) else []:
            if str(target).rstrip("/") == wanted:
                return entry
    return None


def historian(corpus: Corpus) -> RegisterEntry | None:
    entry = corpus.entries.get(HISTORIAN_KEY)
    if entry is not None:
        return entry
    found = match_name(corpus, "org", "Office of the Historian")
    return found[0] if len(found) == 1 else None


# --- what to add where nothing matches -------------------------------------------------------------


def suggest_key(corpus: Corpus, words: str) -> str:
    key = re.sub(r"[^a-z0-9]+", "-", normalise(words).replace("'", "")).strip("-") or "entry"
    taken = {e.id for e in corpus.entries.values()}
    candidate, number = key, 2
    while candidate in taken:
        candidate, number = f"{key}-{number}", number + 1
    return candidate


def person_line(corpus: Corpus, person: FrusPerson) -> str:
    surname, _ = _parts(person.name)
    key = suggest_key(corpus, person.surname if surname else person.name)
    described = f" (FRUS lists: {person.description})" if person.description else ""
    return (
        f'<person xml:id="{xml_attribute(key)}"><persName type="full">{xml_text(person.name)}'
        f'</persName><persName type="short">{xml_text(person.surname)}</persName>'
        f'<note type="description">TODO: one line in your own words{xml_text(described)}</note>'
        "</person>"
    )


def org_line(corpus: Corpus, name: str) -> str:
    return (
        f'<org xml:id="{xml_attribute(suggest_key(corpus, name))}"><orgName type="full">'
        f'{xml_text(name)}</orgName><note type="description">TODO: one line in your own words'
        "</note></org>"
    )


def source_line(corpus: Corpus, volume: Volume) -> str:
    return (
        f'<bibl xml:id="{xml_attribute(suggest_key(corpus, volume.id))}"><title>'
        f"{xml_text(volume.title)}</title>, <publisher>Office of the Historian, U.S. Department of "
        f'State</publisher>: <ref target="{xml_attribute(volume.url())}">history.state.gov</ref>. '
        '<note type="description">TODO: one line in your own words</note></bibl>'
    )


HISTORIAN_LINE = (
    '<org xml:id="office-of-the-historian"><orgName type="full">Office of the Historian, United '
    'States Department of State</orgName><orgName type="short">Office of the Historian</orgName>'
    '<note type="description">TODO: one line in your own words</note></org>'
)
