"""The index of persons and places: who and what is named on which pages, as merged ranges.

The book records every mention of a register entry as an anchor (its HTML id); pagination gives each
anchor its page; this module turns those pages into index entries ("Kennedy, John F. (1917–1963)
1, 3–5, 12"). Headings invert personal names on the register's short form, so the index sorts by
surname.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from edition.corpus import Corpus, RegisterEntry

INDEXED_KINDS = ("person", "place")
KIND_TITLES = {"person": "Persons", "place": "Places"}


WORD_JOINER = "\u2060"


def merge_ranges(pages: Iterable[int]) -> list[tuple[int, int]]:
    """Consecutive pages folded into ranges: {12, 13, 14, 31} → [(12, 14), (31, 31)]."""
    ranges: list[tuple[int, int]] = []
    for page in sorted(set(pages)):
        if ranges and page == ranges[-1][1] + 1:
            ranges[-1] = (ranges[-1][0], page)
        else:
            ranges.append((page, page))
    return ranges


def range_labels(pages: Iterable[int]) -> list[str]:
    """["12–14", "31"]: an en dash between the ends of a range."""
    return [str(a) if a == b else f"{a}–{b}" for a, b in merge_ranges(pages)]


def format_ranges(pages: Iterable[int]) -> str:
    """'12–14, 31'."""
    return ", ".join(range_labels(pages))


def inverted_name(full: str, short: str) -> str:
    """'Kennedy, John F.' from 'John F. Kennedy' and the short form 'Kennedy'.

    The surname is the last word of the short form; what stands before it in the full name follows
    after a comma, and what stands after it (e.g. 'Jr.') after another. A full name that does not
    contain the surname is left as it is.
    """
    words = full.split()
    surname = short.split()[-1] if short.split() else ""
    if not surname or surname not in words or words[0] == surname:
        return full
    at = len(words) - 1 - words[::-1].index(surname)
    before, after = " ".join(words[:at]), " ".join(words[at + 1 :])
    return ", ".join(part for part in (surname, before, after) if part)


def sort_key(heading: str) -> str:
    """Alphabetical order ignoring case and accents."""
    decomposed = unicodedata.normalize("NFKD", heading.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@dataclass(frozen=True)
class IndexEntry:
    key: str  # pointer form, "person:kennedy"
    heading: str  # "Kennedy, John F."
    dates: str  # "1917–1963" or ""
    pages: tuple[int, ...]

    @property
    def locators(self) -> str:
        return format_ranges(self.pages)

    @property
    def ranges(self) -> list[str]:
        return range_labels(self.pages)

    @property
    def printed_locators(self) -> str:
        """The locators as the book prints them: a range never breaks at its dash. Word joiners
        (U+2060) hold the dash to its numbers: the same as a no-wrap element per range, which in a
        long entry made WeasyPrint lay out thousands of inline boxes (an index of 500 letters took
        24 s instead of 1.3 s). They are invisible and not in the PDF's text."""
        return ", ".join(
            label.replace("–", WORD_JOINER + "–" + WORD_JOINER) for label in self.ranges
        )


@dataclass(frozen=True)
class IndexSection:
    kind: str
    title: str
    entries: list[IndexEntry]


def _heading(entry: RegisterEntry) -> str:
    if entry.kind == "person":
        return inverted_name(entry.label, entry.short)
    return entry.label


def _dates(entry: RegisterEntry) -> str:
    if entry.kind != "person" or not (entry.birth or entry.death):
        return ""
    return f"{(entry.birth or '?')[:4]}–{(entry.death or '')[:4]}"


def build_index(corpus: Corpus, pages: Mapping[str, Iterable[int]]) -> list[IndexSection]:
    """The index sections (persons, places) for the entries that have pages.

    ``pages`` maps a register key to the (arabic) pages it is named on; entries named nowhere in the
    book are left out.
    """
    sections = []
    for kind in INDEXED_KINDS:
        entries = []
        for key, entry in corpus.entries.items():
            if entry.kind != kind:
                continue
            named_on = tuple(sorted(set(pages.get(key, ()))))
            if named_on:
                entries.append(IndexEntry(key, _heading(entry), _dates(entry), named_on))
        entries.sort(key=lambda e: (sort_key(e.heading), e.key))
        sections.append(IndexSection(kind, KIND_TITLES[kind], entries))
    return sections
