"""The documents of one day are ordered by their links exactly as the definition says: at each step the
smallest id whose predecessors are all placed, or, where the links form a cycle, the smallest id left."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from edition.corpus import Document, SourceFile, _order_one_day

IDS = [f"d{i}" for i in range(8)]


def _document(doc_id: str, prev: str | None, nxt: str | None, replies: list[str]) -> Document:
    return Document(
        id=doc_id,
        file=SourceFile(Path(f"{doc_id}.xml"), b""),
        type="letter",
        status="summarised",
        title=doc_id,
        date=dt.date(1962, 10, 27),
        senders=[],
        recipients=[],
        transmitters=[],
        prev=prev,
        next=nxt,
        replies_to=replies,
        abstract="",
        keywords=[],
        language="en",
        modified=None,
    )


def _by_definition(day: list[Document]) -> list[str]:
    """The order as defined, found the slow way (every step looks at every document left)."""
    ids = {d.id for d in day}
    after: dict[str, set[str]] = {d.id: set() for d in day}
    for document in day:
        after[document.id] |= ({i for i in (document.prev, *document.replies_to) if i} & ids) - {
            document.id
        }
        if document.next in ids and document.next != document.id:
            after[document.next].add(document.id)
    order: list[str] = []
    remaining = set(ids)
    while remaining:
        ready = sorted(i for i in remaining if not after[i] & remaining) or sorted(remaining)[:1]
        order.append(ready[0])
        remaining.discard(ready[0])
    return order


links = st.one_of(st.none(), st.sampled_from([*IDS, "elsewhere"]))


@given(
    st.lists(
        st.tuples(
            st.sampled_from(IDS), links, links, st.lists(st.sampled_from([*IDS, "x"]), max_size=2)
        ),
        max_size=8,
        unique_by=lambda t: t[0],
    )
)
def test_a_days_order_is_the_defined_order(
    documents: list[tuple[str, str | None, str | None, list[str]]],
) -> None:
    day = [_document(*d) for d in documents]
    assert [d.id for d in _order_one_day(day)] == _by_definition(day)


def test_a_reply_follows_its_letter_and_a_cycle_is_broken_at_the_smallest_id() -> None:
    day = [
        _document("b", None, None, ["c"]),  # answers c
        _document("c", None, None, []),
        _document("e", "f", None, []),  # e and f name each other as prev: a cycle
        _document("f", "e", None, []),
        _document("a", None, None, []),
    ]
    assert [d.id for d in _order_one_day(day)] == ["a", "c", "b", "e", "f"]
