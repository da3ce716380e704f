"""Register keys typed by an editor (``--from khrushchev``), resolved against the registers.

An unknown key is an EditingError that lists the close matches — by key and by name, so that
``--from Kruschev`` still finds ``khrushchev`` — and where the register is.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence

from edition.corpus import Corpus, RegisterEntry
from edition.editing.errors import EditingError

REGISTER_FILES = {
    "person": "persons.xml",
    "place": "places.xml",
    "org": "organisations.xml",
    "source": "sources.xml",
}
KIND_WORDS = {"person": "persons", "place": "places", "org": "organisations", "source": "sources"}


def resolve(corpus: Corpus, value: str, kinds: Sequence[str], option: str) -> RegisterEntry:
    """The register entry ``value`` names (``castro`` or ``person:castro``) among ``kinds``."""
    wanted = value.strip()
    prefix, _, bare = wanted.partition(":")
    if bare and prefix in kinds:
        kinds, wanted = (prefix,), bare
    for kind in kinds:
        entry = corpus.entries.get(f"{kind}:{wanted}")
        if entry is not None:
            return entry
    raise EditingError(_unknown(corpus, value, kinds, option))


def _unknown(corpus: Corpus, value: str, kinds: Sequence[str], option: str) -> str:
    entries = [e for e in corpus.entries.values() if e.kind in kinds]
    registers = " or ".join(
        f"the {KIND_WORDS[k]} register (tei/register/{REGISTER_FILES[k]})" for k in kinds
    )
    message = f"{option} '{value}' is not a key in {registers}"
    close = close_entries(value, entries)
    if close:
        listed = ", ".join(f"{e.id} ({e.label})" for e in close)
        return f"{message}; did you mean {listed}?"
    if entries:
        known = ", ".join(sorted(e.id for e in entries)[:12])
        return f"{message}. Known keys: {known}. Add an entry to the register if it is missing."
    return f"{message}, which has no entries yet. Add one first."


def close_entries(value: str, entries: Sequence[RegisterEntry], n: int = 4) -> list[RegisterEntry]:
    """Entries whose key or one of whose names is close to ``value`` (best first)."""
    needle = value.strip().casefold().split(":")[-1]
    candidates: dict[str, RegisterEntry] = {}
    for entry in entries:
        for name in (entry.id, entry.label, entry.short):
            if name:
                candidates.setdefault(name.casefold(), entry)
    found: list[RegisterEntry] = []
    for match in difflib.get_close_matches(needle, list(candidates), n=n * 2, cutoff=0.6):
        entry = candidates[match]
        if entry not in found:
            found.append(entry)
    return found[:n]
