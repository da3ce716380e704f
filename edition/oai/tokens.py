"""Resumption tokens: stateless, signed, and bound to one record set.

A token carries the whole query (verb, metadataPrefix, set, from, until), the position of the next page
and the fingerprint of the record set it was issued for, signed with HMAC-SHA-256 under the server's
secret. Nothing is kept on the server, so a token survives a restart (as long as the secret does); a token
that was altered, signed with another secret, or issued for another record set is refused.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
from dataclasses import dataclass

VERSION = 1
MAX_TOKEN_LENGTH = 2048
_DOMAIN = b"edition-oai-resumption-token."


@dataclass(frozen=True)
class Position:
    """Where a list request stands: its query, the offset of the next page and the record set."""

    verb: str
    metadata_prefix: str | None
    set_spec: str | None
    from_: str | None
    until: str | None
    offset: int
    fingerprint: str


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _signature(secret: bytes, payload: str) -> str:
    return _b64(hmac.new(secret, _DOMAIN + payload.encode("ascii"), hashlib.sha256).digest())


def encode(position: Position, secret: bytes) -> str:
    fields = [
        VERSION,
        position.verb,
        position.metadata_prefix,
        position.set_spec,
        position.from_,
        position.until,
        position.offset,
        position.fingerprint,
    ]
    payload = _b64(json.dumps(fields, separators=(",", ":")).encode("utf-8"))
    return f"{payload}.{_signature(secret, payload)}"


def _optional_text(value: object) -> bool:
    return value is None or isinstance(value, str)


def decode(token: str, secret: bytes) -> Position | None:
    """The position a genuine token carries, or None for anything else (never an exception)."""
    if len(token) > MAX_TOKEN_LENGTH or token.count(".") != 1 or not token.isascii():
        return None
    payload, signature = token.split(".")
    if not hmac.compare_digest(signature, _signature(secret, payload)):
        return None
    try:
        fields = json.loads(_unb64(payload).decode("utf-8"))
    except (ValueError, binascii.Error, UnicodeDecodeError):
        return None
    if not isinstance(fields, list) or len(fields) != 8 or fields[0] != VERSION:
        return None
    _version, verb, prefix, set_spec, from_, until, offset, fingerprint = fields
    if not (
        isinstance(verb, str)
        and all(_optional_text(v) for v in (prefix, set_spec, from_, until))
        and isinstance(offset, int)
        and not isinstance(offset, bool)
        and offset >= 0
        and isinstance(fingerprint, str)
    ):
        return None
    return Position(verb, prefix, set_spec, from_, until, offset, fingerprint)
