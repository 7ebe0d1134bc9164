"""The sender's bookkeeping without a server: each delivery is claimed by one sender at a time, a claim
left by a sender that died is taken again after its lease, and old events go once delivered."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from piccolo.engine.postgres import PostgresEngine

from app.db.tables import WebhookDelivery, WebhookEndpoint, WebhookEvent
from app.domain.webhooks import sender, service
from app.domain.webhooks.schemas import WebhookInput
from app.lib.actors import SYSTEM


async def _endpoint_with_events(factory, monkeypatch, count: int):
    monkeypatch.setenv("WEBHOOKS_ALLOW_PRIVATE", "1")
    hook = await service.register(SYSTEM, WebhookInput(url="http://127.0.0.1:9/x", events=["visit.checked_in"]))
    home = await factory.resident()
    for n in range(count):
        await factory.visit(home.id, visitor_name=f"Guest {n}")
    assert await sender.fan_out() == count
    return hook


async def test_two_senders_claiming_at_once_take_each_delivery_once(factory, monkeypatch):
    hook = await _endpoint_with_events(factory, monkeypatch, 5)
    first, second = await asyncio.gather(sender.claim(hook.id), sender.claim(hook.id))
    assert sorted(len(taken) for taken in (first, second)) == [0, 5]
    assert await sender.claim(hook.id) == []  # the lease holds


async def test_a_claim_left_by_a_dead_sender_is_taken_again_in_order(factory, monkeypatch):
    hook = await _endpoint_with_events(factory, monkeypatch, 3)
    taken = await sender.claim(hook.id)
    later = sender.now() + sender.LEASE + timedelta(seconds=1)
    monkeypatch.setattr(sender, "now", lambda: later)
    again = await sender.claim(hook.id)
    assert [row["id"] for row in again] == [row["id"] for row in taken]
    assert [row["queued_at"] for row in again] == sorted(row["queued_at"] for row in again)


async def test_events_fan_out_once_and_old_ones_are_pruned_when_sent(factory, monkeypatch):
    await _endpoint_with_events(factory, monkeypatch, 2)
    assert await sender.fan_out() == 0
    assert await WebhookDelivery.count() == 2
    future = sender.now() + sender.KEEP_LOG + timedelta(days=1)
    assert await sender.prune(future) == 0  # still to send
    await WebhookDelivery.update({WebhookDelivery.status: "sent"}, force=True)
    assert await sender.prune(future) == 2
    assert await WebhookEvent.count() == 0 and await WebhookDelivery.count() == 0
    assert await WebhookEndpoint.count() == 1


async def test_addresses_are_refused_unless_allowed(monkeypatch):
    from app.domain.webhooks import outbound

    monkeypatch.delenv("WEBHOOKS_ALLOW_PRIVATE", raising=False)
    for url in ("http://127.0.0.1/x", "http://10.0.0.5/x", "http://[::1]/x", "http://localhost/x", "ftp://a.example/x"):
        assert outbound.check_url(url) is not None, url
    assert outbound.check_url("https://hooks.example.com/x") is None
    assert not outbound.address_allowed("169.254.169.254") and not outbound.address_allowed("::ffff:127.0.0.1")
    monkeypatch.setenv("WEBHOOKS_ALLOW_PRIVATE", "1")
    assert outbound.check_url("http://127.0.0.1:9/x") is None


async def test_the_sender_reads_what_is_still_to_send_from_its_partial_indexes(factory, monkeypatch):
    """The two looks of every round read only what is still to send (a backlog, not a week of log, sets their
    cost): the statements must keep naming their conditions as the partial indexes do."""
    hook = await _endpoint_with_events(factory, monkeypatch, 3)
    looks = {
        "webhook_event_unsent": (sender._TAKE, sender._TAKE_PG, [True, 50]),
        "webhook_delivery_unsent": (sender._HEAD, sender._HEAD_PG, [hook.id, 50]),
    }
    engine = WebhookEvent._meta.db
    for index, (sqlite_sql, postgres_sql, args) in looks.items():
        if isinstance(engine, PostgresEngine):
            async with engine.transaction() as transaction:
                # Tables of a few rows: without this PostgreSQL rightly prefers to read them whole.
                await transaction.connection.execute("SET LOCAL enable_seqscan = off")
                rows = await transaction.connection.fetch(f"EXPLAIN {postgres_sql}", *args)
                plan = "\n".join(row[0] for row in rows)
                await transaction.rollback()
        else:
            rows = await engine.fetch(f"EXPLAIN QUERY PLAN {sqlite_sql}", args)
            plan = "\n".join(row["detail"] for row in rows)
        assert index in plan, plan
