"""Files made of per-item pieces, so that a rebuild makes only the pieces that changed.

A corpus-wide file such as the OAI-PMH Static Repository is fixed text (the repository's description, the
wrappers) around one piece per item (a document's records). A full build makes every piece. An
incremental build copies the bytes of each unchanged piece from the previous build's file, which stays
intact while the new build is written, and makes only the others. What makes this safe is the *memo*
the build keeps in its manifest for each such file: the file's size and CRC-32, and for each piece the
key it was made from, where it starts and how long it is. A piece is copied only when its key is unchanged and
the previous file is the one the memo describes; otherwise it is made again. Since a piece's bytes
depend only on its key, both ways give the same file.

Used by the harvesting files (edition.harvest.skeleton writes XML this way) and the file:// search index
(edition.site.search).
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Earlier:
    """A file of the previous build and where its pieces lie in it."""

    data: bytes
    pieces: Mapping[str, tuple[str, int, int]]  # item → (key, start, length)

    @classmethod
    def of(cls, path: Path | None, memo: object) -> Earlier | None:
        """The previous build's file as its memo describes it; None if there is none, or if the file
        is not the one the memo was written for."""
        if path is None or not isinstance(memo, dict):
            return None
        try:
            if path.stat().st_size != memo["size"]:
                return None
            data = path.read_bytes()
            if f"{zlib.crc32(data):08x}" != memo["crc32"]:
                return None
            pieces: dict[str, tuple[str, int, int]] = {}
            for line in str(memo["pieces"]).split("\n")[:-1]:
                key, start, length, item = line.split(" ", 3)
                pieces[item] = (key, int(start), int(length))
        except (OSError, KeyError, ValueError, AttributeError):
            return None
        return cls(data, pieces)


@dataclass
class Splice:
    """Writes one file from fixed bytes and keyed pieces, copying unchanged pieces from ``earlier``."""

    earlier: Earlier | None = None
    parts: list[bytes] = field(default_factory=list)
    size: int = 0
    pieces: dict[str, tuple[str, int, int]] = field(default_factory=dict)
    made: int = 0  # pieces made in this build (the others were copied)

    def fixed(self, data: bytes) -> None:
        self.parts.append(data)
        self.size += len(data)

    def has(self, item: str, key: str) -> bool:
        """Whether the piece of ``item`` made from ``key`` can be copied from the previous file."""
        known = self.earlier.pieces.get(item) if self.earlier is not None else None
        return known is not None and known[0] == key

    def piece(self, item: str, key: str, make: Callable[[], bytes]) -> bytes:
        """Add the piece of ``item``: copied if the previous file has it with the same key."""
        if item in self.pieces:
            raise ValueError(f"two pieces for {item!r} in one file")
        if self.earlier is not None and self.has(item, key):
            _key, start, length = self.earlier.pieces[item]
            data = self.earlier.data[start : start + length]
        else:
            data = make()
            self.made += 1
        self.pieces[item] = (key, self.size, len(data))
        self.fixed(data)
        return data

    def result(self) -> bytes:
        return b"".join(self.parts)

    def write(self, path: Path) -> dict[str, Any]:
        """Write the file (replacing, never writing into, what is at ``path``: it may be a link to the
        previous build's file); returns its memo (see :meth:`memo`)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        path.unlink(missing_ok=True)
        crc = 0
        with path.open("wb") as file:
            for part in self.parts:
                crc = zlib.crc32(part, crc)
            file.writelines(self.parts)
        return self._memo(crc)

    def memo(self, data: bytes) -> dict[str, Any]:
        """What the next build needs to reuse the pieces of ``data`` (this splice's result)."""
        return self._memo(zlib.crc32(data))

    def _memo(self, crc: int) -> dict[str, Any]:
        # The file's size and CRC-32 tell a file changed since (by hand, by another tool) from the
        # one described. One line per piece, "key start length item", all in one string: a large
        # memo stays quick to write and read. An item whose name holds a line break is left out
        # (made again next time).
        lines = [
            f"{key} {start} {length} {item}\n"
            for item, (key, start, length) in self.pieces.items()
            if "\n" not in item
        ]
        return {"size": self.size, "crc32": f"{crc:08x}", "pieces": "".join(lines)}
