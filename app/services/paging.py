"""Keyset paging: an opaque cursor holds the sort key of the last row served."""

from __future__ import annotations

import base64
import binascii
from datetime import datetime
from uuid import UUID

from app.services.errors import Invalid

DEFAULT_LIMIT = 50
MAX_LIMIT = 500
BAD_CURSOR = "is not a cursor this server issued; start again without it"


def clamp_limit(limit: int | None) -> int:
    if limit is None:
        return DEFAULT_LIMIT
    if not 1 <= limit <= MAX_LIMIT:
        raise Invalid({"limit": f"must be between 1 and {MAX_LIMIT}"})
    return limit


def encode_cursor(key: str, row_id: UUID) -> str:
    raw = f"{key}|{row_id}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[str, UUID]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        key, row_id = base64.urlsafe_b64decode(padded.encode()).decode().rsplit("|", 1)
        if "\x00" in key:
            raise ValueError("NUL in cursor")
        return key, UUID(row_id)
    except (ValueError, binascii.Error, UnicodeError):
        raise Invalid({"cursor": BAD_CURSOR}) from None


def decode_time_cursor(cursor: str) -> tuple[datetime, UUID]:
    key, row_id = decode_cursor(cursor)
    try:
        moment = datetime.fromisoformat(key)
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise Invalid({"cursor": BAD_CURSOR})
    return moment, row_id
