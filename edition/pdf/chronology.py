"""The chronology at the back of the book: the crisis's main events and the edition's documents.

The events are the well-established ones of 14–28 October 1962, in the editors' own words; each was
checked against the sources named beside it. The documents appear on their own dates, from the
Corpus, so the chronology always agrees with the edition.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from edition.corpus import Corpus, Document

# (date, event in our own words, where the date was checked)
EVENTS: tuple[tuple[dt.date, str, str], ...] = (
    (
        dt.date(1962, 10, 14),
        "An American U-2 reconnaissance flight photographs Soviet ballistic-missile sites under "
        "construction in western Cuba.",
        "https://www.nationalarchives.gov.uk/education/leaders-and-controversies/timeline/g2_timeline.htm",
    ),
    (
        dt.date(1962, 10, 16),
        "Kennedy is shown the photographs and calls together the advisers who become the Executive "
        "Committee of the National Security Council (ExComm).",
        "https://www.nationalarchives.gov.uk/education/leaders-and-controversies/timeline/g2_timeline.htm",
    ),
    (
        dt.date(1962, 10, 18),
        "Kennedy receives the Soviet Foreign Minister, Andrei Gromyko, at the White House; Gromyko "
        "describes Soviet aid to Cuba as purely defensive.",
        "JFK Library crisis chronology (as quoted at https://www.timetoast.com/timelines/chapter-28-ef47bb6f-9880-4ed3-99c2-1de78327ee93)",
    ),
    (
        dt.date(1962, 10, 22),
        "In a televised address Kennedy tells the public of the missiles and announces a naval "
        "quarantine of Cuba.",
        "https://www.nationalarchives.gov.uk/education/leaders-and-controversies/timeline/g2_timeline.htm",
    ),
    (
        dt.date(1962, 10, 23),
        "The Organization of American States endorses the quarantine.",
        "https://stanfordpress.typepad.com/blog/2012/10/index.html",
    ),
    (
        dt.date(1962, 10, 24),
        "The quarantine comes into force; Soviet ships bound for Cuba stop short of the line.",
        "JFK Library crisis chronology (as quoted at https://www.timetoast.com/timelines/chapter-28-ef47bb6f-9880-4ed3-99c2-1de78327ee93)",
    ),
    (
        dt.date(1962, 10, 25),
        "At the United Nations Security Council the American ambassador, Adlai Stevenson, "
        "confronts his Soviet counterpart and shows reconnaissance photographs of the sites.",
        "https://docslib.org/doc/1961198/for-additional-information-on-this-speech-and-the-cuban-missile-crisis-please-see-the-following-book-the-papers-of-adlai-e",
    ),
    (
        dt.date(1962, 10, 27),
        "A U-2 is shot down over Cuba and its pilot, Major Rudolf Anderson, is killed. In the evening "
        "Robert Kennedy meets Ambassador Dobrynin in Washington.",
        "https://worldhistoryproject.org/1962/10/27/rudolf-anderson-jr-usaf-pilot-is-shot-down-over-banes-cuba",
    ),
    (
        dt.date(1962, 10, 28),
        "Moscow Radio broadcasts Khrushchev's message that the missiles will be dismantled and "
        "returned to the Soviet Union.",
        "https://www.nationalarchives.gov.uk/education/leaders-and-controversies/timeline/g2_timeline.htm",
    ),
)


@dataclass(frozen=True)
class ChronologyDay:
    date: dt.date
    events: list[str]
    documents: list[Document]


def chronology(corpus: Corpus) -> list[ChronologyDay]:
    """Days in order, each with its events and the documents dated that day."""
    days: dict[dt.date, ChronologyDay] = {}
    for date, text, _source in EVENTS:
        days.setdefault(date, ChronologyDay(date, [], [])).events.append(text)
    for document in corpus.documents:
        if document.date is not None:
            days.setdefault(document.date, ChronologyDay(document.date, [], [])).documents.append(
                document
            )
    return [days[date] for date in sorted(days)]
