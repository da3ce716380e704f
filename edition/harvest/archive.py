"""A reproducible ZIP archive written member by member, so that a rebuild copies unchanged members.

Python's zipfile cannot add a member that is already compressed, so the few structures the archive needs
are written here, following PKWARE's APPNOTE: for each member a local header and its deflated data (a
piece, see edition.splice), then the central directory, made from those headers, and the end
record. Every member has the same fixed timestamp and Unix permissions; names are sorted. The bytes are
those zipfile writes for the same members (tests/test_harvest_incremental.py compares them). Archives
that would need ZIP64 (members or an archive over 4 GiB, over 65,535 members) are refused.
"""

from __future__ import annotations

import datetime as dt
import functools
import struct
import zlib
from collections.abc import Callable, Sequence

from edition.splice import Splice

LOCAL = struct.Struct("<4s2B4HL2L2H")  # local file header
CENTRAL = struct.Struct("<4s4B4HL2L5H2L")  # central directory entry
END = struct.Struct("<4s4H2LH")  # end of central directory record
VERSION = 20  # 2.0: deflate
UNIX = 3
DEFLATED = 8
UTF8_NAME = 0x800
PERMISSIONS = 0o100644 << 16  # a regular file, rw-r--r--
LEVEL = 9
LIMIT = 0xFFFFFFFF


class ArchiveTooLarge(Exception):
    """The archive would need ZIP64."""


def dos_time(stamp: dt.date) -> tuple[int, int]:
    """(time, date) in MS-DOS form, for midnight of ``stamp`` (1980 at the earliest)."""
    year = max(stamp.year, 1980)
    return 0, (year - 1980) << 9 | stamp.month << 5 | stamp.day


def _name(name: str) -> tuple[bytes, int]:
    try:
        return name.encode("ascii"), 0
    except UnicodeEncodeError:
        return name.encode("utf-8"), UTF8_NAME


def member(name: str, data: bytes, stamp: dt.date) -> bytes:
    """A member as it lies in the archive: its local header, then its data, deflated."""
    compressor = zlib.compressobj(LEVEL, zlib.DEFLATED, -15)
    packed = compressor.compress(data) + compressor.flush()
    if len(data) > LIMIT or len(packed) > LIMIT:
        raise ArchiveTooLarge(f"{name} is too large for a ZIP archive without ZIP64")
    encoded, flags = _name(name)
    time, date = dos_time(stamp)
    header = LOCAL.pack(
        b"PK\x03\x04",
        VERSION,
        0,
        flags,
        DEFLATED,
        time,
        date,
        zlib.crc32(data),
        len(packed),
        len(data),
        len(encoded),
        0,
    )
    return header + encoded + packed


def _central_entry(piece: bytes, offset: int) -> bytes:
    """The central directory entry of the member whose local header starts ``piece``."""
    (
        _signature,
        version,
        _reserved,
        flags,
        method,
        time,
        date,
        crc,
        packed,
        size,
        name_length,
        _extra,
    ) = LOCAL.unpack_from(piece)
    name = piece[LOCAL.size : LOCAL.size + name_length]
    entry = CENTRAL.pack(
        b"PK\x01\x02",
        VERSION,
        UNIX,
        version,
        0,
        flags,
        method,
        time,
        date,
        crc,
        packed,
        size,
        name_length,
        0,
        0,
        0,
        0,
        PERMISSIONS,
        offset,
    )
    return entry + name


def _member_of(name: str, read: Callable[[], bytes], stamp: dt.date) -> bytes:
    return member(name, read(), stamp)


def write_archive(
    splice: Splice, members: Sequence[tuple[str, str, Callable[[], bytes]]], stamp: dt.date
) -> None:
    """The archive of ``members`` — (name, key, read the member's bytes) — in the given order."""
    if len(members) > 0xFFFF:
        raise ArchiveTooLarge(f"{len(members)} members need ZIP64")
    entries = []
    for name, key, read in members:
        offset = splice.size
        if offset > LIMIT:
            raise ArchiveTooLarge("the archive is too large for ZIP without ZIP64")
        piece = splice.piece(name, key, functools.partial(_member_of, name, read, stamp))
        entries.append(_central_entry(piece, offset))
    start = splice.size
    directory = b"".join(entries)
    splice.fixed(directory)
    if start > LIMIT:
        raise ArchiveTooLarge("the archive is too large for ZIP without ZIP64")
    count = len(members)
    splice.fixed(END.pack(b"PK\x05\x06", 0, 0, count, count, len(directory), start, 0))
