"""A generator of synthetic editions for benchmarks: N valid letters shaped like the exemplar.

    from benchmarks.corpus_generator import generate
    root = generate(Path("/tmp/bench"), 1000)      # an edition folder with edition.toml, tei/, registers

The letters are transcribed documents exactly as the encoding conventions describe them (header, sources,
correspDesc with prev/next/replyTo, numbered paragraphs, notes, emendations, persons/places/organisations
pointed into the registers, mentions of earlier letters), of varied length, with invented words only:
nothing is taken from a real text. The same ``n`` and ``seed`` always give the same files. The registers
are the real edition's, with invented persons added to them; the schema and stylesheets stay the real
edition's (edition.toml points to them).
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
import shutil
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

from lxml import etree

REPO = Path(__file__).resolve().parent.parent
TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
START = dt.date(1962, 10, 1)
END = dt.date(1963, 1, 31)
CORRESPONDENTS = 16
EXTRA_PERSONS = 24

SYLLABLES = (
    "ka",
    "lo",
    "mi",
    "ne",
    "ru",
    "sa",
    "to",
    "vi",
    "de",
    "pa",
    "ro",
    "li",
    "ta",
    "no",
    "me",
)
PLACES = ("moscow", "washington", "havana", "cuba", "turkey", "usa", "ussr")
ORGS = ("pentagon", "state-department", "united-nations", "soviet-foreign-ministry")
SOURCE = ("wcda", "https://digitalarchive.wilsoncenter.org/")


def _word(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(1, 4)))


def _sentence(rng: random.Random, words: int) -> str:
    text = " ".join(_word(rng) for _ in range(words))
    return text[0].upper() + text[1:] + "."


@dataclass
class Person:
    key: str
    full: str
    short: str


@dataclass
class Letter:
    id: str
    sender: Person
    recipient: Person
    date: dt.date
    prev: str | None = None
    next: str | None = None
    reply_to: str | None = None
    mentions: list[str] = field(default_factory=list)


def _persons(rng: random.Random, count: int, prefix: str) -> list[Person]:
    persons = []
    for i in range(count):
        given, family = _word(rng).capitalize(), _word(rng).capitalize()
        persons.append(Person(f"{prefix}{i:03d}", f"{given} {family}", family))
    return persons


def _letters(rng: random.Random, n: int, people: list[Person]) -> list[Letter]:
    days = (END - START).days
    drafts = []
    for _ in range(n):
        sender, recipient = rng.sample(people, 2)
        drafts.append((START + dt.timedelta(days=rng.randint(0, days)), sender, recipient))
    drafts.sort(key=lambda d: (d[0], d[1].key, d[2].key))
    letters: list[Letter] = []
    used: set[str] = set()
    for date, sender, recipient in drafts:
        base = f"{sender.key}-{recipient.key}-{date.isoformat()}"
        doc_id, suffix = base, ord("b")
        while doc_id in used:
            doc_id, suffix = f"{base}-{chr(suffix)}", suffix + 1
        used.add(doc_id)
        letters.append(Letter(doc_id, sender, recipient, date))
    by_pair: dict[frozenset[str], list[Letter]] = defaultdict(list)
    for letter in letters:
        by_pair[frozenset((letter.sender.key, letter.recipient.key))].append(letter)
    for thread in by_pair.values():
        for before, after in itertools.pairwise(thread):
            before.next, after.prev = after.id, before.id
            if after.sender.key == before.recipient.key and before.date < after.date:
                after.reply_to = before.id
    for index, letter in enumerate(letters):
        earlier = [other.id for other in letters[:index] if other.date < letter.date]
        letter.mentions = rng.sample(earlier, min(len(earlier), rng.randint(0, 3)))
    return letters


def _paragraph(
    rng: random.Random, n: int, letter: Letter, people: list[Person], notes: list[int]
) -> str:
    parts = []
    for _ in range(rng.randint(2, 6)):
        sentence = escape(_sentence(rng, rng.randint(6, 18)))
        roll = rng.random()
        if roll < 0.25:
            person = rng.choice(people)
            sentence += f' <persName ref="person:{person.key}">{escape(person.full)}</persName> {_word(rng)}.'
        elif roll < 0.4:
            place = rng.choice(PLACES)
            sentence += (
                f' {_word(rng)} <placeName ref="place:{place}">{place.capitalize()}</placeName>.'
            )
        elif roll < 0.5:
            sentence += f' <orgName ref="org:{rng.choice(ORGS)}">{_word(rng).capitalize()}</orgName> {_word(rng)}.'
        elif roll < 0.55:
            word = _word(rng)
            sentence += (
                f" <choice><sic>{word}{word[-1]}</sic><corr>{word}</corr></choice> {_word(rng)}."
            )
        parts.append(sentence)
    if letter.mentions and rng.random() < 0.5:
        target = letter.mentions.pop()
        parts.append(
            f'<ref type="document" target="doc:{target}">{escape(_sentence(rng, 4))}</ref>'
        )
    if rng.random() < 0.4:
        notes.append(1)
        parts.append(f'<note type="editorial">{escape(_sentence(rng, rng.randint(8, 30)))}</note>')
    return f'        <p n="{n}">' + " ".join(parts) + "</p>"


def _document(rng: random.Random, letter: Letter, people: list[Person]) -> str:
    paragraphs: list[str] = []
    notes: list[int] = []
    count = rng.choice((1, 2, 3, 4, 5, 6, 8, 10, 14, 20))
    for n in range(1, count + 1):
        paragraphs.append(_paragraph(rng, n, letter, people, notes))
    for target in letter.mentions:  # mentions not placed yet go into the last paragraph
        paragraphs[-1] = paragraphs[-1][: -len("</p>")] + (
            f' <ref type="document" target="doc:{target}">{_word(rng)}</ref>.</p>'
        )
    context = []
    if letter.prev:
        context.append(f'<ref type="prev" target="doc:{letter.prev}">previous</ref>')
    if letter.next:
        context.append(f'<ref type="next" target="doc:{letter.next}">next</ref>')
    if letter.reply_to:
        context.append(f'<ref type="replyTo" target="doc:{letter.reply_to}">answered letter</ref>')
    context_xml = "<correspContext>" + "".join(context) + "</correspContext>" if context else ""
    sender, recipient, when = letter.sender, letter.recipient, letter.date.isoformat()
    title = f"Letter from {sender.full} to {recipient.full}, {letter.date.day} {letter.date:%B %Y}"
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<?xml-model href="../schema/edition.rng" type="application/xml" schematypens="http://relaxng.org/ns/structure/1.0"?>
<?xml-model href="../schema/edition.sch" type="application/xml" schematypens="http://purl.oclc.org/dsdl/schematron"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="{letter.id}" xml:lang="en">
  <teiHeader>
    <fileDesc>
      <titleStmt>
        <title>{escape(title)}</title>
        <editor>Benchmark generator</editor>
        <respStmt>
          <resp>Synthetic text for benchmarks</resp>
          <name>Benchmark generator</name>
        </respStmt>
      </titleStmt>
      <publicationStmt>
        <publisher>Benchmark</publisher>
        <idno type="URI">https://cmc-edition.example.org/documents/{letter.id}.html</idno>
        <availability>
          <licence target="https://creativecommons.org/licenses/by/4.0/">Synthetic benchmark text.</licence>
        </availability>
      </publicationStmt>
      <sourceDesc>
        <listBibl>
          <bibl type="publication" corresp="source:{SOURCE[0]}">Invented for benchmarks:
            <ref type="source" target="{SOURCE[1]}">no real source</ref>.</bibl>
        </listBibl>
      </sourceDesc>
    </fileDesc>
    <encodingDesc>
      <editorialDecl>
        <p>Synthetic text generated for benchmarks.</p>
      </editorialDecl>
      <listPrefixDef>
        <prefixDef ident="person" matchPattern="([a-z0-9-]+)" replacementPattern="register/persons.xml#$1"/>
        <prefixDef ident="place" matchPattern="([a-z0-9-]+)" replacementPattern="register/places.xml#$1"/>
        <prefixDef ident="org" matchPattern="([a-z0-9-]+)" replacementPattern="register/organisations.xml#$1"/>
        <prefixDef ident="source" matchPattern="([a-z0-9-]+)" replacementPattern="register/sources.xml#$1"/>
        <prefixDef ident="doc" matchPattern="([a-z0-9-]+)" replacementPattern="$1.xml"/>
      </listPrefixDef>
    </encodingDesc>
    <profileDesc>
      <abstract>
        <p>{escape(_sentence(rng, rng.randint(20, 60)))}</p>
      </abstract>
      <correspDesc>
        <correspAction type="sent">
          <persName ref="person:{sender.key}">{escape(sender.full)}</persName>
          <placeName ref="place:moscow">Moscow</placeName>
          <date when="{when}">{when}</date>
        </correspAction>
        <correspAction type="received">
          <persName ref="person:{recipient.key}">{escape(recipient.full)}</persName>
          <placeName ref="place:washington">Washington</placeName>
        </correspAction>
        {context_xml}
      </correspDesc>
      <langUsage>
        <language ident="en">English (synthetic)</language>
      </langUsage>
      <textClass>
        <keywords>
          <term>{_word(rng)}</term>
          <term>{_word(rng)}</term>
        </keywords>
      </textClass>
    </profileDesc>
    <revisionDesc status="transcribed">
      <change when="2026-11-23">Generated.</change>
    </revisionDesc>
  </teiHeader>
  <text type="letter">
    <body>
      <div type="letter">
        <opener>
          <dateline><date when="{when}">{when}</date></dateline>
          <salute>Dear <persName ref="person:{recipient.key}">{escape(recipient.short)}</persName>:</salute>
        </opener>
{chr(10).join(paragraphs)}
        <closer>
          <salute>{escape(_sentence(rng, 4))}</salute>
          <signed><persName ref="person:{sender.key}">{escape(sender.short)}</persName></signed>
        </closer>
      </div>
    </body>
  </text>
</TEI>
"""


def _registers(target: Path, people: list[Person]) -> None:
    """The real registers, with the invented persons added to persons.xml."""
    shutil.copytree(REPO / "tei" / "register", target)
    path = target / "persons.xml"
    tree = etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True))
    found = tree.getroot().findall(f".//{{{TEI_NS}}}listPerson")
    listing = found[0]
    for person in people:
        element = etree.SubElement(listing, f"{{{TEI_NS}}}person", {XML_ID: person.key})
        full = etree.SubElement(element, f"{{{TEI_NS}}}persName", type="full")
        full.text = person.full
        short = etree.SubElement(element, f"{{{TEI_NS}}}persName", type="short")
        short.text = person.short
        note = etree.SubElement(element, f"{{{TEI_NS}}}note", type="description")
        note.text = "An invented correspondent for benchmarks."
    tree.write(str(path), encoding="UTF-8", xml_declaration=True)


CONFIG = """[edition]
title = "Synthetic Benchmark Edition"
subtitle = "{n} generated letters"
short_title = "Benchmark"
editors = ["Benchmark generator"]
publisher = "Benchmark"
version = "0.0.0"
release_date = 2026-11-23
base_url = "https://cmc-edition.example.org/"
licence = "CC BY 4.0"
licence_url = "https://creativecommons.org/licenses/by/4.0/"
language = "en"
span_start = 1962-10-01
span_end = 1963-01-31

[paths]
schema = "{schema}"
xslt = "{xslt}"

[oai]
repository_name = "Synthetic Benchmark Edition"
admin_email = "bench@example.org"
"""


def generate(root: Path, n: int, seed: int = 1962) -> Path:
    """Write an edition of ``n`` synthetic letters into ``root`` (replaced if it exists)."""
    rng = random.Random(seed)  # noqa: S311 - reproducible benchmark data, not secrets
    shutil.rmtree(root, ignore_errors=True)
    (root / "tei").mkdir(parents=True)
    correspondents = _persons(rng, CORRESPONDENTS, "writer")
    others = _persons(rng, EXTRA_PERSONS, "named")
    _registers(root / "tei" / "register", correspondents + others)
    for letter in _letters(rng, n, correspondents):
        text = _document(rng, letter, correspondents + others)
        (root / "tei" / f"{letter.id}.xml").write_text(text, encoding="utf-8")
    (root / "edition.toml").write_text(
        CONFIG.format(n=n, schema=REPO / "schema", xslt=REPO / "xslt"), encoding="utf-8"
    )
    return root


def generate_corpus(target: Path, n: int, seed: int = 0) -> Path:
    """The name the other benchmarks call: same as :func:`generate`."""
    return generate(target, n, seed)


if __name__ == "__main__":
    folder = generate(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 1000)
    print(f"wrote {folder}")
