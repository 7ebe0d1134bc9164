"""The outbox's bookkeeping: claiming due deliveries, recording how each went, retrying with backoff.

A claim marks rows `sending` until a lease ends and counts the attempt. On PostgreSQL the candidates are
read `FOR UPDATE SKIP LOCKED`, so workers claiming at once each take different rows; on SQLite the write
transaction is IMMEDIATE (one writer at a time) and the UPDATE repeats the due condition, so a row another
sender has just claimed is not taken again. A sender that dies holding a claim loses nothing: when the
lease ends the row is due again.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import msgspec
from piccolo.engine.sqlite import SQLiteEngine

from app.db.engine import write_transaction
from app.db.tables import Delivery as DeliveryTable
from app.domain.notifications.schemas import EXPIRED, FAILED, PENDING, SENDING, SENT

LEASE = timedelta(minutes=2)
"""Longer than any one send can take (push and SMTP time out well before)."""
BACKOFF = (timedelta(seconds=5), timedelta(seconds=30), timedelta(minutes=2), timedelta(minutes=10))
"""The wait after the 1st, 2nd, 3rd and 4th failed attempt; the 5th failure is final."""
ERROR_MAX = 300


def precise_now() -> datetime:
    """Full precision, unlike app.lib.clock.utc_now: deliveries queued within one second stay in order and
    are due at once."""
    return datetime.now(UTC)


def _due(now: datetime):
    pending = (DeliveryTable.status == PENDING) & (DeliveryTable.next_attempt_at <= now)
    abandoned = (DeliveryTable.status == SENDING) & (DeliveryTable.claimed_until < now)
    return pending | abandoned


async def claim(limit: int = 20, now: datetime | None = None) -> list[dict]:
    """Take up to `limit` due deliveries for this sender; each row comes back with its attempt counted."""
    now = now or precise_now()
    if not await DeliveryTable.exists().where(_due(now)):
        return []  # the usual answer, without taking SQLite's write lock
    engine = DeliveryTable._meta.db
    async with write_transaction(engine):
        candidates = DeliveryTable.select(DeliveryTable.id).where(_due(now))
        candidates = candidates.order_by(DeliveryTable.next_attempt_at).limit(limit)
        if not isinstance(engine, SQLiteEngine):
            candidates = candidates.lock_rows("UPDATE", skip_locked=True)
        ids = [row["id"] for row in await candidates]
        if not ids:
            return []
        return (
            await DeliveryTable.update(
                {
                    DeliveryTable.status: SENDING,
                    DeliveryTable.claimed_until: now + LEASE,
                    DeliveryTable.attempts: DeliveryTable.attempts + 1,
                }
            )
            .where(DeliveryTable.id.is_in(ids), _due(now))
            .returning(*DeliveryTable.all_columns())
        )


async def _finish(delivery_id: UUID, values: dict) -> None:
    await DeliveryTable.update({DeliveryTable.claimed_until: None, **values}).where(
        DeliveryTable.id == delivery_id, DeliveryTable.status == SENDING
    )


async def sent(delivery_id: UUID) -> None:
    await _finish(
        delivery_id, {DeliveryTable.status: SENT, DeliveryTable.sent_at: precise_now(), DeliveryTable.last_error: None}
    )


async def final(delivery_id: UUID, status: str, error: str | None) -> None:
    """Never to be tried again: failed for good, expired, or gone (the device unsubscribed)."""
    await _finish(delivery_id, {DeliveryTable.status: status, DeliveryTable.last_error: _short(error)})


async def retry_later(row: dict, error: str) -> None:
    """Due again after the backoff for this attempt; failed after the last one, or when the next try would
    come after the notice's expiry."""
    attempts = row["attempts"]
    if attempts > len(BACKOFF):
        await final(row["id"], FAILED, error)
        return
    again = precise_now() + BACKOFF[attempts - 1]
    if row["not_after"] is not None and again > row["not_after"]:
        await final(row["id"], EXPIRED, error)
        return
    await _finish(
        row["id"],
        {DeliveryTable.status: PENDING, DeliveryTable.next_attempt_at: again, DeliveryTable.last_error: _short(error)},
    )


def _short(error: str | None) -> str | None:
    return None if error is None else error.strip()[:ERROR_MAX]


def payload_of(value: Any) -> dict:
    """A JSON column's value: Piccolo gives text on some engines and objects on others."""
    return msgspec.json.decode(value) if isinstance(value, str | bytes) else (value or {})
