"""Retention and erasure: a deactivated account's devices go and nothing more is sent to it; `gatehouse purge`
deletes finished deliveries older than RETENTION_DAYS and keeps the rest."""

from __future__ import annotations

from datetime import timedelta

import msgspec

from app.db.engine import write_transaction
from app.db.tables import Delivery, PushSubscription
from app.domain.accounts import admin
from app.domain.notifications import service
from app.domain.notifications.schemas import Notice, SubscriptionInput
from app.domain.records import retention
from app.lib.actors import SYSTEM
from app.lib.clock import utc_now
from tests.notifications.standins import PushKeys


def short(account_id) -> Notice:
    return Notice(title="T", body="B", url="/me")


async def test_deactivating_an_account_removes_its_devices_and_stops_its_deliveries(household):
    home, (first, second) = household
    for caller in (first, second):
        endpoint = f"https://push.example.com/{caller.actor.email}"
        await service.subscribe(
            caller.actor, msgspec.convert(PushKeys().subscription(endpoint), SubscriptionInput), "P"
        )
    async with write_transaction(Delivery._meta.db):
        await service.notify_household(home.id, short)

    await admin.set_active(SYSTEM, second.actor.account_id, False)

    devices = await PushSubscription.select(PushSubscription.account)
    assert [device["account"] for device in devices] == [first.actor.account_id]
    rows = await Delivery.select(Delivery.account, Delivery.status)
    assert {(row["account"], row["status"]) for row in rows} == {
        (first.actor.account_id, "pending"),
        (second.actor.account_id, "expired"),
    }


async def test_purge_deletes_finished_deliveries_older_than_the_retention(household):
    home, (first, _second) = household
    await service.subscribe(
        first.actor, msgspec.convert(PushKeys().subscription("https://push.example.com/x"), SubscriptionInput), "P"
    )
    for _ in range(3):
        async with write_transaction(Delivery._meta.db):
            await service.notify_household(home.id, short)
    rows = [row["id"] for row in await Delivery.select(Delivery.id)]
    old = utc_now() - timedelta(days=40)
    await Delivery.update({Delivery.created_at: old, Delivery.status: "sent"}).where(Delivery.id == rows[0])
    await Delivery.update({Delivery.created_at: old}).where(Delivery.id == rows[1])  # still pending: kept

    plan = await retention.purge_preview(SYSTEM, 30)
    assert plan.deliveries == 1
    done = await retention.purge(SYSTEM, 30)
    assert done.deliveries == 1
    assert sorted(row["id"] for row in await Delivery.select(Delivery.id)) == sorted(rows[1:])
