"""Keyset paging, the one way every list pages (API and pages alike).

A list is ordered by one column, then the row id to break ties. A page asks for one row more than it
serves: if it comes, there is a next page, and its opaque cursor holds the sort key and id of the last
row served; the next page starts strictly after that pair. Unlike an offset, a cursor neither skips nor
repeats rows when rows are added while someone pages.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from piccolo.columns import Column, Timestamp, Timestamptz
from piccolo.columns.combination import And, Or
from piccolo.query import Select

from app.lib import schemas as models
from app.lib.errors import Invalid
from app.lib.i18n import N_, _

DEFAULT_LIMIT = 50
MAX_LIMIT = 500
BAD_CURSOR = N_("is not a cursor this server issued; start again without it")


def clamp_limit(limit: int | None) -> int:
    if limit is None:
        return DEFAULT_LIMIT
    if not 1 <= limit <= MAX_LIMIT:
        raise Invalid({"limit": _("must be between 1 and %(max)s", max=MAX_LIMIT)})
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
        raise Invalid({"cursor": _(BAD_CURSOR)}) from None


def decode_time_cursor(cursor: str) -> tuple[datetime, UUID]:
    key, row_id = decode_cursor(cursor)
    try:
        moment = datetime.fromisoformat(key)
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise Invalid({"cursor": _(BAD_CURSOR)})
    return moment, row_id


def _field(row: Any, name: str) -> Any:
    """A value of a row, whether Piccolo's dict or a row type of app/db/reads.py."""
    return row[name] if isinstance(row, dict) else getattr(row, name)


@dataclass(frozen=True)
class Keyset:
    """One list's order: `key` (text or a time), then `row_id`, both ascending or both descending."""

    key: Column
    row_id: Column
    descending: bool = False

    @property
    def _is_time(self) -> bool:
        return isinstance(self.key, Timestamptz | Timestamp)

    def decode(self, cursor: str | None) -> tuple[Any, UUID] | None:
        """The (key, id) a cursor continues after; a field error on `cursor` for anything else."""
        if not cursor:
            return None
        return decode_time_cursor(cursor) if self._is_time else decode_cursor(cursor)

    def after(self, position: tuple[Any, UUID]):
        """Rows strictly after `position` in this order.

        The leading `key <= x` (or `>=`) lets both engines start the index scan at the cursor instead of
        filtering from the first row (the last page of a million visits took 30x the first without it)."""
        key, last_id = position
        if self.descending:
            return And(self.key <= key, Or(self.key < key, self.row_id < last_id))
        return And(self.key >= key, Or(self.key > key, self.row_id > last_id))

    def page(self, rows: Sequence[Any], limit: int, convert: Callable[[Any], Any]) -> models.Page:
        """`rows` fetched with `limit + 1`: the first `limit` converted, and a cursor when one more came."""
        next_cursor = None
        if len(rows) > limit:
            last = rows[limit - 1]
            key = _field(last, self.key._meta.name)
            next_cursor = encode_cursor(key.isoformat() if self._is_time else str(key), _field(last, "id"))
        return models.Page(items=[convert(row) for row in rows[:limit]], next_cursor=next_cursor)

    async def fetch(
        self, query: Select, limit: int | None, cursor: str | None, convert: Callable[[dict], Any]
    ) -> models.Page:
        """One page of a Piccolo select that already carries its filters."""
        limit = clamp_limit(limit)
        position = self.decode(cursor)
        query = query.order_by(self.key, self.row_id, ascending=not self.descending)
        if position is not None:
            query = query.where(self.after(position))
        return self.page(await query.limit(limit + 1), limit, convert)


async def all_pages(fetch: Callable[[str | None], Awaitable[models.Page]]) -> AsyncIterator[list]:
    """Every page of `fetch(cursor)`'s items, for an export. The first page is read now, so who may ask and
    every filter are checked before the caller starts sending; the rest are read as they are consumed."""
    first = await fetch(None)

    async def pages() -> AsyncIterator[list]:
        found = first
        while True:
            yield found.items
            if not found.next_cursor:
                return
            found = await fetch(found.next_cursor)

    return pages()
