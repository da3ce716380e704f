"""Where an element or attribute stands in its source file, as 1-based line and column.

libxml2 records for each element the line on which its start tag *ends*; a start tag that spans lines
(common in hand-encoded TEI, e.g. ``<ref type="document"⏎ target="…">``) would be reported one or more
lines late, and lxml records no column at all. Editors need the exact place, so we search the source
text backwards from that line for the tag's opening ``<`` and forwards from there for the attribute.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from lxml import etree


def _source_line(element: etree._Element) -> int:
    line = element.sourceline
    return line if isinstance(line, int) and line > 0 else 1


def _local_name(element: etree._Element) -> str:
    return etree.QName(element).localname


def element_position(element: etree._Element, lines: Sequence[str]) -> tuple[int, int]:
    """The line and column of the ``<`` that opens ``element``'s start tag."""
    end_line = _source_line(element)
    if not isinstance(element.tag, str):
        return end_line, 1
    opening = re.compile(r"<(?:[\w.-]+:)?" + re.escape(_local_name(element)) + r"(?=[\s/>]|$)")
    for index in range(min(end_line, len(lines)) - 1, -1, -1):
        matches = list(opening.finditer(lines[index]))
        if matches:
            # The last opening on the end line is ours; earlier lines hold at most its beginning.
            return index + 1, matches[-1].start() + 1
    return end_line, 1


def attribute_position(
    element: etree._Element, attribute: str, lines: Sequence[str]
) -> tuple[int, int]:
    """The line and column of ``attribute`` in ``element``'s start tag (the tag's own if not found)."""
    line, column = element_position(element, lines)
    name = attribute.split("}")[-1]
    pattern = re.compile(r"(?<![\w:.-])(?:[\w.-]+:)?" + re.escape(name) + r"\s*=")
    end_line = max(_source_line(element), line)
    for index in range(line - 1, min(end_line, len(lines))):
        start = column - 1 if index == line - 1 else 0
        match = pattern.search(lines[index], start)
        if match:
            return index + 1, match.start() + 1
    return line, column
