"""Pictures drawn at build time from the Corpus: the timeline of the documents and the network of who
wrote to whom, as inline SVG.

The SVG is built as an element tree and serialised, so every name is escaped by the serializer and no
corpus text can become markup. Marks and nodes are links (to the document, to the correspondent's page,
to the documents table filtered by the pair), with a <title> that names them for screen readers and
as a tooltip. Colours come from classes the stylesheet defines (no inline styles: the pages' Content
Security Policy forbids them). Coordinates are rounded to one decimal so the output is stable.
"""

from __future__ import annotations

import bisect
import datetime as dt
import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import quote

from lxml import etree

from edition.corpus import Corpus, Correspondent, Document
from edition.links import correspondent_name, document_path, entry_path, short_title
from edition.site.render import MONTHS, long_date

SVG_NS = "http://www.w3.org/2000/svg"
PALETTE_SIZE = 8  # classes c0 … c7 in the stylesheet (Okabe–Ito colours, safe for colour blindness)
WIDTH = 960


def _n(value: float) -> str:
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _svg(width: float, height: float, label_id: str, label: str) -> etree._Element:
    svg = etree.Element(
        f"{{{SVG_NS}}}svg",
        nsmap={None: SVG_NS},  # type: ignore[dict-item]
        attrib={
            "viewBox": f"0 0 {_n(width)} {_n(height)}",
            "class": "picture",
            "aria-labelledby": label_id,
        },
    )
    title = etree.SubElement(svg, f"{{{SVG_NS}}}title", id=label_id)
    title.text = label
    return svg


def _add(
    parent: etree._Element, tag: str, text: str | None = None, **attributes: str
) -> etree._Element:
    element = etree.SubElement(
        parent, f"{{{SVG_NS}}}{tag}", {k.replace("_", "-"): v for k, v in attributes.items()}
    )
    if text is not None:
        element.text = text
    return element


def _link(parent: etree._Element, href: str, title: str) -> etree._Element:
    link = _add(parent, "a", href=href)
    _add(link, "title", title)
    return link


def serialise(svg: etree._Element) -> str:
    return etree.tostring(svg, encoding="unicode")


@dataclass(frozen=True)
class Party:
    """A correspondent in the pictures: a register key when there is one, else the name."""

    key: str
    label: str
    href: str | None


def party(corpus: Corpus, correspondent: Correspondent, root: str) -> Party:
    key = correspondent.key or f"name:{correspondent.name}"
    label = correspondent_name(corpus, correspondent.key, correspondent.name)
    href = None
    if (
        correspondent.key
        and correspondent.key in corpus.entries
        and not correspondent.key.startswith("source:")
    ):
        href = root + entry_path(correspondent.key)
    return Party(key, label, href)


def _sender(corpus: Corpus, document: Document, root: str) -> Party:
    return party(corpus, document.sender, root) if document.sender else Party("?", "unknown", None)


def _recipient(corpus: Corpus, document: Document, root: str) -> Party:
    return (
        party(corpus, document.recipient, root)
        if document.recipient
        else Party("?", "unknown", None)
    )


def colour_classes(corpus: Corpus) -> dict[str, str]:
    """A colour class per correspondent, in order of first appearance: stable across builds."""
    classes: dict[str, str] = {}
    for document in corpus.documents:
        for person in (document.sender, document.recipient):
            key = (person.key or f"name:{person.name}") if person else "?"
            if key not in classes:
                classes[key] = f"c{len(classes) % PALETTE_SIZE}"
    return classes


@dataclass(frozen=True)
class LegendEntry:
    label: str
    css_class: str


def legend(corpus: Corpus) -> list[LegendEntry]:
    """Colour of the marks: the recipient."""
    classes = colour_classes(corpus)
    seen: dict[str, LegendEntry] = {}
    for document in corpus.documents:
        recipient = _recipient(corpus, document, "")
        seen.setdefault(
            recipient.key, LegendEntry(recipient.label, classes.get(recipient.key, "c0"))
        )
    return list(seen.values())


# --- Timeline ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Panel:
    heading: str
    svg: str


LABEL_WIDTH = 150.0
RIGHT_PAD = 24.0
LANE = 36.0
TOP = 14.0
AXIS = 34.0


def busiest_week(dates: Iterable[dt.date]) -> dt.date | None:
    """The first day of the seven-day window holding the most documents (the earliest on a tie)."""
    days = sorted(dates)
    best: tuple[int, dt.date] | None = None
    for start in days:
        count = bisect.bisect_left(days, start + dt.timedelta(days=7)) - bisect.bisect_left(
            days, start
        )
        if best is None or count > best[0]:
            best = (count, start)
    return best[1] if best else None


def _short_day(date: dt.date) -> str:
    return f"{date.day} {MONTHS[date.month - 1][:3]}"


def timeline(corpus: Corpus, start: dt.date, end: dt.date, root: str) -> list[Panel]:
    """The whole span, then the busiest week in detail; one lane per sender."""
    dated = [d for d in corpus.documents if d.date is not None]
    panels = [
        Panel(
            f"The whole correspondence, {long_date(start)} – {long_date(end)}",
            serialise(
                _timeline_panel(corpus, dated, start, end, root, "timeline-all", daily=False)
            ),
        )
    ]
    week = busiest_week(d.date for d in dated if d.date is not None)
    if week is not None:
        week_end = week + dt.timedelta(days=6)
        in_week = [d for d in dated if d.date is not None and week <= d.date <= week_end]
        if len(in_week) < len(dated):
            panels.append(
                Panel(
                    f"The busiest week in detail, {long_date(week)} – {long_date(week_end)}",
                    serialise(
                        _timeline_panel(
                            corpus, in_week, week, week_end, root, "timeline-week", daily=True
                        )
                    ),
                )
            )
    return panels


def _lanes(corpus: Corpus, documents: list[Document], root: str) -> list[Party]:
    lanes: dict[str, Party] = {}
    for document in corpus.documents:  # every panel has the same lanes, in the same order
        sender = _sender(corpus, document, root)
        lanes.setdefault(sender.key, sender)
    return list(lanes.values())


def _timeline_panel(
    corpus: Corpus,
    documents: list[Document],
    start: dt.date,
    end: dt.date,
    root: str,
    label_id: str,
    daily: bool,
) -> etree._Element:
    lanes = _lanes(corpus, documents, root)
    lane_of = {p.key: i for i, p in enumerate(lanes)}
    plot = WIDTH - LABEL_WIDTH - RIGHT_PAD
    days = (end - start).days + (1 if daily else 0)
    height = TOP + LANE * len(lanes) + AXIS
    what = "day by day" if daily else "over the whole span"
    svg = _svg(WIDTH, height, label_id, f"Timeline of the documents {what}, one row per sender")

    def x_of(date: dt.date, slot: float = 0.5) -> float:
        span = max(days, 1)
        return LABEL_WIDTH + plot * (((date - start).days + (slot if daily else 0)) / span)

    for i, lane in enumerate(lanes):
        y = TOP + LANE * i + LANE / 2
        _add(
            svg,
            "line",
            x1=_n(LABEL_WIDTH),
            x2=_n(WIDTH - RIGHT_PAD),
            y1=_n(y),
            y2=_n(y),
            **{"class": "lane"},
        )
        label_parent = _link(svg, lane.href, lane.label) if lane.href else svg
        _add(
            label_parent,
            "text",
            lane.label,
            x=_n(LABEL_WIDTH - 10),
            y=_n(y + 5),
            **{"class": "lane-label"},
        )

    axis_y = TOP + LANE * len(lanes) + 6
    _add(
        svg,
        "line",
        x1=_n(LABEL_WIDTH),
        x2=_n(WIDTH - RIGHT_PAD),
        y1=_n(axis_y),
        y2=_n(axis_y),
        **{"class": "axis"},
    )
    for tick, label in _ticks(start, end, daily):
        x = x_of(tick, 0.5) if daily else x_of(tick)
        _add(svg, "line", x1=_n(x), x2=_n(x), y1=_n(axis_y), y2=_n(axis_y + 5), **{"class": "axis"})
        _add(svg, "text", label, x=_n(x), y=_n(axis_y + 20), **{"class": "tick"})

    classes = colour_classes(corpus)
    stacks: Counter[tuple[int, dt.date]] = Counter()
    same_day: Counter[tuple[int, dt.date]] = Counter()
    for document in documents:
        assert document.date is not None
        same_day[(lane_of[_sender(corpus, document, root).key], document.date)] += 1
    for document in documents:
        assert document.date is not None
        row = lane_of[_sender(corpus, document, root).key]
        place = (row, document.date)
        index, total = stacks[place], same_day[place]
        stacks[place] += 1
        y = TOP + LANE * row + LANE / 2
        if daily:  # side by side inside the day
            cx = x_of(document.date, (index + 1) / (total + 1))
            cy = y
        else:  # one above the other on the day
            cx = x_of(document.date)
            cy = y + (index - (total - 1) / 2) * 11
        recipient = _recipient(corpus, document, root)
        status = "transcribed" if document.transcribed else "calendar"
        link = _link(
            svg,
            root + document_path(document.id),
            f"No. {document.number}: {short_title(corpus, document)}"
            + ("" if document.transcribed else " (summary)"),
        )
        _add(
            link,
            "circle",
            cx=_n(cx),
            cy=_n(cy),
            r="6.5" if daily else "5",
            **{"class": f"mark {classes.get(recipient.key, 'c0')} {status}"},
        )
    return svg


def _ticks(start: dt.date, end: dt.date, daily: bool) -> list[tuple[dt.date, str]]:
    if daily:
        return [
            (start + dt.timedelta(days=i), _short_day(start + dt.timedelta(days=i)))
            for i in range((end - start).days + 1)
        ]
    ticks = []
    month = dt.date(start.year, start.month, 1)
    while month <= end:
        if month >= start:
            ticks.append((month, f"{MONTHS[month.month - 1][:3]} {month.year}"))
        month = dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return ticks


# --- Network -------------------------------------------------------------------------------------


@dataclass
class Pair:
    """Documents from one correspondent to another."""

    sender: Party
    recipient: Party
    documents: list[Document] = field(default_factory=list)

    @property
    def table_href(self) -> str:
        return f"documents.html?from={quote(self.sender.key)}&to={quote(self.recipient.key)}"


def pairs(corpus: Corpus, root: str) -> list[Pair]:
    found: dict[tuple[str, str], Pair] = {}
    for document in corpus.documents:
        sender, recipient = _sender(corpus, document, root), _recipient(corpus, document, root)
        pair = found.setdefault((sender.key, recipient.key), Pair(sender, recipient))
        pair.documents.append(document)
    return sorted(
        found.values(), key=lambda p: (-len(p.documents), p.sender.label, p.recipient.label)
    )


NETWORK_HEIGHT = 520.0


def network(corpus: Corpus, root: str) -> str:
    """Correspondents on a circle; an arrow per direction, as wide as the number of documents."""
    found = pairs(corpus, root)
    sent: Counter[str] = Counter()
    received: Counter[str] = Counter()
    parties: dict[str, Party] = {}
    for pair in found:
        sent[pair.sender.key] += len(pair.documents)
        received[pair.recipient.key] += len(pair.documents)
        parties.setdefault(pair.sender.key, pair.sender)
        parties.setdefault(pair.recipient.key, pair.recipient)
    order = sorted(parties, key=lambda k: (-(sent[k] + received[k]), parties[k].label, k))
    svg = _svg(
        WIDTH,
        NETWORK_HEIGHT,
        "network-title",
        "Who wrote to whom: the correspondents and the documents between them",
    )
    defs = _add(svg, "defs")
    marker = _add(
        defs,
        "marker",
        id="arrow",
        viewBox="0 0 10 10",
        refX="9",
        refY="5",
        markerWidth="12",
        markerHeight="12",
        orient="auto-start-reverse",
        markerUnits="userSpaceOnUse",
    )
    _add(marker, "path", d="M 0 0 L 10 5 L 0 10 z", **{"class": "arrowhead"})

    cx, cy, rx, ry = WIDTH / 2, NETWORK_HEIGHT / 2, 260.0, 185.0
    position: dict[str, tuple[float, float, float]] = {}
    for i, key in enumerate(order):
        angle = -math.pi / 2 + 2 * math.pi * i / max(len(order), 1)
        size = 12 + 4 * math.sqrt(sent[key] + received[key])
        position[key] = (cx + rx * math.cos(angle), cy + ry * math.sin(angle), size)

    edges = _add(svg, "g", **{"class": "edges"})
    for pair in found:
        _edge(edges, pair, position, root)
    nodes = _add(svg, "g", **{"class": "nodes"})
    classes = colour_classes(corpus)
    for key in order:
        x, y, size = position[key]
        who = parties[key]
        title = f"{who.label}: {sent[key]} sent, {received[key]} received"
        parent = _link(nodes, who.href, title) if who.href else _add(nodes, "g")
        if not who.href:
            _add(parent, "title", title)
        _add(
            parent,
            "circle",
            cx=_n(x),
            cy=_n(y),
            r=_n(size),
            **{"class": f"node {classes.get(key, 'c0')}"},
        )
        dx, dy = x - cx, y - cy
        length = math.hypot(dx, dy) or 1.0
        lx, ly = x + dx / length * (size + 10), y + dy / length * (size + 10)
        anchor = "start" if dx / length > 0.3 else "end" if dx / length < -0.3 else "middle"
        if anchor == "middle":
            ly += 12 if dy > 0 else -4
        _add(parent, "text", who.label, x=_n(lx), y=_n(ly + 4), **{"class": f"node-label {anchor}"})
    return serialise(svg)


def _edge(
    parent: etree._Element, pair: Pair, position: dict[str, tuple[float, float, float]], root: str
) -> None:
    (x1, y1, r1), (x2, y2, r2) = position[pair.sender.key], position[pair.recipient.key]
    count = len(pair.documents)
    noun = "document" if count == 1 else "documents"
    link = _link(
        parent,
        root + pair.table_href,
        f"{pair.sender.label} to {pair.recipient.label}: {count} {noun}",
    )
    dx, dy = x2 - x1, y2 - y1
    length = math.hypot(dx, dy)
    if length == 0:  # a correspondent writing to itself: a small loop
        _add(link, "circle", cx=_n(x1), cy=_n(y1 - r1 - 12), r="12", **{"class": "edge"})
        return
    # Bend to the right of the direction of travel, so the two directions of a pair never overlap.
    nx, ny = dy / length, -dx / length
    bend = 0.25 * length
    qx, qy = (x1 + x2) / 2 + nx * bend, (y1 + y2) / 2 + ny * bend

    def toward(x: float, y: float, r: float) -> tuple[float, float]:
        vx, vy = qx - x, qy - y
        d = math.hypot(vx, vy) or 1.0
        return x + vx / d * r, y + vy / d * r

    sx, sy = toward(x1, y1, r1 + 3)
    ex, ey = toward(x2, y2, r2 + 4)
    width = 1.5 + 1.5 * math.sqrt(count)
    _add(
        link,
        "path",
        d=f"M {_n(sx)} {_n(sy)} Q {_n(qx)} {_n(qy)} {_n(ex)} {_n(ey)}",
        marker_end="url(#arrow)",
        stroke_width=_n(width),
        **{"class": "edge"},
    )
    mx, my = 0.25 * sx + 0.5 * qx + 0.25 * ex, 0.25 * sy + 0.5 * qy + 0.25 * ey
    _add(link, "text", str(count), x=_n(mx), y=_n(my + 4), **{"class": "edge-count"})
