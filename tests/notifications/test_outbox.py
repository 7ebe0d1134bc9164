"""The outbox hands each delivery to one sender: two senders racing on the same rows send each once (on
PostgreSQL through FOR UPDATE SKIP LOCKED, on SQLite through the IMMEDIATE transaction and the conditional
UPDATE), and a claim left by a sender that died is taken again once its lease has ended."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import timedelta

import msgspec

from app.db.engine import write_transaction
from app.db.tables import Delivery
from app.domain.notifications import outbox, sender, service
from app.domain.notifications.schemas import Notice, SubscriptionInput
from app.lib.clock import utc_now
from tests.notifications.standins import PushKeys

ROUNDS = 12


def short(account_id) -> Notice:
    return Notice(title="T", body="B", url="/me")


async def devices(caller, push_service, count: int) -> None:
    for n in range(count):
        data = PushKeys().subscription(push_service.endpoint(f"{caller.actor.email}-{n}"))
        await service.subscribe(caller.actor, msgspec.convert(data, SubscriptionInput), "Phone")


async def queue_many(resident_id, times: int) -> int:
    queued = 0
    for _round in range(times):
        async with write_transaction(Delivery._meta.db):
            queued += await service.notify_household(resident_id, short)
    return queued


async def test_two_senders_racing_send_each_delivery_once(household, push_service, local_endpoints):
    home, (first, second) = household
    await devices(first, push_service, 2)
    await devices(second, push_service, 2)
    total = await queue_many(home.id, ROUNDS)
    assert total == 4 * ROUNDS

    async def worker() -> int:
        sent = 0
        while claimed := await sender.send_due(limit=5):
            sent += claimed
        return sent

    counts = await asyncio.gather(worker(), worker())

    assert sum(counts) == total
    assert len(push_service.received) == total
    rows = await Delivery.select(Delivery.id, Delivery.status, Delivery.attempts)
    assert Counter(row["status"] for row in rows) == {"sent": total}
    assert {row["attempts"] for row in rows} == {1}


async def test_concurrent_claims_never_share_a_row(household, push_service, local_endpoints):
    home, (first, _second) = household
    await devices(first, push_service, 3)
    total = await queue_many(home.id, 10)

    claims = await asyncio.gather(*(outbox.claim(limit=4) for _ in range(6)))

    ids = [row["id"] for claim in claims for row in claim]
    assert len(ids) == len(set(ids))
    assert len(ids) == min(total, 24)


async def test_a_claim_left_by_a_dead_sender_is_taken_again_after_the_lease(household, push_service, local_endpoints):
    home, (first, _second) = household
    await devices(first, push_service, 1)
    await queue_many(home.id, 1)

    taken = await outbox.claim()  # ... and the sender that took it dies before sending
    assert len(taken) == 1
    assert await outbox.claim() == []
    assert await sender.send_due() == 0

    later = utc_now() + outbox.LEASE + timedelta(seconds=1)
    again = await outbox.claim(now=later)
    assert [row["id"] for row in again] == [taken[0]["id"]]
    assert again[0]["attempts"] == 2
    await sender.deliver(again[0])
    assert (await Delivery.select(Delivery.status).first())["status"] == "sent"
    assert len(push_service.received) == 1


async def test_nothing_due_takes_no_write_lock(db):
    assert await outbox.claim() == []
