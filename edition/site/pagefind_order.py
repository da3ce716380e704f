"""Make Pagefind's index byte-identical from build to build.

Pagefind (1.x) writes its filter index in hash-map order, which changes from run to run: the same site
gives filter files with the same content in a different order, hence different file names, and a
different metadata file naming them. Everything else it writes is stable. This module puts the filter
values and the list of filters in sorted order and renames what depends on them, so two builds of the
same sources are byte-identical. It only reorders entries; it never changes what they say.

Pagefind's files are gzip-compressed ``pagefind_dcd`` + CBOR. Only the CBOR needed here is read: items
are sliced by their encoded extent and moved as raw bytes, never re-encoded.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path

SIGNATURE = b"pagefind_dcd"


class PagefindFormatError(Exception):
    """A Pagefind file is not in the format this module knows."""


def _head(data: bytes, pos: int) -> tuple[int, int, int]:
    """(major type, argument, position after the head) of the CBOR item at ``pos``."""
    initial = data[pos]
    major, info = initial >> 5, initial & 31
    pos += 1
    if info < 24:
        return major, info, pos
    sizes = {24: 1, 25: 2, 26: 4, 27: 8}
    if info not in sizes:
        raise PagefindFormatError("indefinite-length CBOR is not expected in Pagefind's index")
    size = sizes[info]
    return major, int.from_bytes(data[pos : pos + size], "big"), pos + size


def _end(data: bytes, pos: int) -> int:
    """The position just after the CBOR item starting at ``pos``."""
    major, argument, pos = _head(data, pos)
    if major in (0, 1, 7):
        return pos
    if major in (2, 3):
        return pos + argument
    if major == 6:
        return _end(data, pos)
    count = argument * (2 if major == 5 else 1)
    for _ in range(count):
        pos = _end(data, pos)
    return pos


def _array(data: bytes, pos: int) -> tuple[bytes, list[bytes]]:
    """The head and the raw items of the CBOR array at ``pos``."""
    major, count, body = _head(data, pos)
    if major != 4:
        raise PagefindFormatError("expected a CBOR array")
    items = []
    at = body
    for _ in range(count):
        end = _end(data, at)
        items.append(data[at:end])
        at = end
    return data[pos:body], items


def _text(item: bytes) -> str:
    major, length, pos = _head(item, 0)
    if major != 3:
        raise PagefindFormatError("expected a CBOR text")
    return item[pos : pos + length].decode("utf-8")


def _read(path: Path) -> bytes:
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(SIGNATURE):
        raise PagefindFormatError(f"{path.name} is not a Pagefind file")
    return data[len(SIGNATURE) :]


def _write(path: Path, cbor: bytes) -> None:
    path.write_bytes(gzip.compress(SIGNATURE + cbor, compresslevel=9, mtime=0))


def _name(prefix: str, cbor: bytes, length: int) -> str:
    return prefix + hashlib.sha256(cbor).hexdigest()[:length]


def sorted_filter(cbor: bytes) -> bytes:
    """A filter file ([name, [[value, [pages…]]…]]) with its values in sorted order."""
    head, (name, values) = _array(cbor, 0)
    values_head, entries = _array(values, 0)
    entries.sort(key=lambda entry: _text(_array(entry, 0)[1][0]))
    return head + name + values_head + b"".join(entries)


def stabilise(folder: Path) -> None:
    """Rewrite ``folder`` (a site's pagefind/) so that its content and file names are stable."""
    entry_path = folder / "pagefind-entry.json"
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    renamed: dict[str, str] = {}
    for path in sorted((folder / "filter").glob("*.pf_filter")):
        old = path.name.removesuffix(".pf_filter")
        prefix = old.split("_", 1)[0] + "_"
        cbor = sorted_filter(_read(path))
        new = _name(prefix, cbor, len(old) - len(prefix))
        path.unlink()
        _write(folder / "filter" / f"{new}.pf_filter", cbor)
        renamed[old] = new
    for language in entry.get("languages", {}).values():
        old_meta = language["hash"]
        meta_path = folder / f"pagefind.{old_meta}.pf_meta"
        cbor = _sorted_meta(_read(meta_path), renamed)
        new_meta = _name(old_meta.split("_", 1)[0] + "_", cbor, len(old_meta.split("_", 1)[1]))
        meta_path.unlink()
        _write(folder / f"pagefind.{new_meta}.pf_meta", cbor)
        language["hash"] = new_meta
    text = json.dumps(entry, ensure_ascii=False, separators=(",", ":"))
    entry_path.write_text(text, encoding="utf-8")


def _sorted_meta(cbor: bytes, renamed: dict[str, str]) -> bytes:
    """The metadata with the filter list sorted by name and pointing to the renamed filter files."""
    head, items = _array(cbor, 0)
    for index, item in enumerate(items):
        if item[0] >> 5 != 4:
            continue
        list_head, entries = _array(item, 0)
        pairs = []
        for entry in entries:
            if entry[0] >> 5 != 4:
                break
            _, parts = _array(entry, 0)
            if len(parts) != 2 or parts[0][0] >> 5 != 3 or parts[1][0] >> 5 != 3:
                break
            if _text(parts[1]) not in renamed:
                break
            pairs.append((_text(parts[0]), _text(parts[1])))
        else:
            if not pairs:
                continue
            pairs.sort()
            items[index] = list_head + b"".join(
                _array(entry, 0)[0] + _encode_text(name) + _encode_text(renamed[hash_])
                for entry, (name, hash_) in zip(entries, pairs, strict=True)
            )
    return head + b"".join(items)


def _encode_text(value: str) -> bytes:
    data = value.encode("utf-8")
    length = len(data)
    if length < 24:
        return bytes([0x60 | length]) + data
    if length < 256:
        return bytes([0x78, length]) + data
    return bytes([0x79]) + length.to_bytes(2, "big") + data
