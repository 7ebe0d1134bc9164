# ruff: noqa: T201 - a measuring tool that prints its findings
"""How long the webhook sender holds SQLite's write lock in one round: 3 endpoints, 50 events, 150 deliveries.

    rm -f /tmp/lock.db*; DATABASE_URL=sqlite:////tmp/lock.db .venv/bin/gatehouse migrate
    DATABASE_URL=sqlite:////tmp/lock.db PYTHONPATH=$PWD .venv/bin/python bench/sender_lock.py 15

The check-ins wait for that lock, so what the sender holds it for is what it takes from them on SQLite. The
fan-out and the recording of 150 successful deliveries are timed from the lock's acquisition to its release,
on a quiet event loop (under load every await inside the lock waits behind other requests too); the median
of the rounds is printed. The database is emptied of webhooks first: use a throwaway one.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import sys
import time
from datetime import UTC, datetime
from uuid import uuid4

from app.db import lifecycle
from app.db.tables import WebhookDelivery, WebhookEndpoint, WebhookEvent
from app.domain.webhooks import sender

ENDPOINTS, EVENTS = 3, 50


def time_the_lock(lock: asyncio.Lock, held: list[float]) -> None:
    """Append to `held` how long each acquisition of `lock` lasted."""
    acquire, release = lock.acquire, lock.release
    since: list[float] = []

    async def timed_acquire():
        got = await acquire()
        since.append(time.perf_counter())
        return got

    def timed_release():
        held.append(time.perf_counter() - since.pop())
        release()

    lock.acquire, lock.release = timed_acquire, timed_release


async def one_round(held: list[float]) -> tuple[float, float]:
    await WebhookDelivery.delete(force=True)
    await WebhookEvent.delete(force=True)
    await WebhookEndpoint.delete(force=True)
    for n in range(ENDPOINTS):
        await WebhookEndpoint.insert(
            WebhookEndpoint(
                id=uuid4(),
                url=f"http://127.0.0.1:9/{n}",
                events=json.dumps(["visit.checked_in"]),
                secret="x",  # noqa: S106 - nothing is signed
            )
        )
    at = datetime.now(UTC)
    await WebhookEvent.insert(
        *[WebhookEvent(id=uuid4(), type="visit.checked_in", payload="{}", created_at=at) for _ in range(EVENTS)]
    )
    held.clear()
    await sender.fan_out()
    fan_out = sum(held)
    rows = await WebhookDelivery.select(WebhookDelivery.id, WebhookDelivery.endpoint)
    await WebhookDelivery.update({WebhookDelivery.status: "sending"}, force=True)
    ok = sender.Outcome(ok=True, status=200, latency_ms=1, error=None)
    held.clear()
    for endpoint in {row["endpoint"] for row in rows}:
        await sender._delivered([(row, ok) for row in rows if row["endpoint"] == endpoint])
    recorded = sum(held)
    assert await WebhookDelivery.count().where(WebhookDelivery.status == "sent") == ENDPOINTS * EVENTS
    return fan_out, recorded


async def main(rounds: int) -> None:
    await lifecycle.open_database()
    held: list[float] = []
    time_the_lock(WebhookEvent._meta.db.pool().write_lock, held)
    results = [await one_round(held) for _ in range(rounds)]
    await lifecycle.close_database()
    for name, column in (("fan-out", 0), ("recording the outcomes", 1)):
        median = statistics.median(result[column] for result in results) * 1000
        print(f"{name}: the write lock held {median:.2f} ms (median of {rounds} rounds)")


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 15))
