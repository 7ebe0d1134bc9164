"""Web Push end to end at the protocol level: queue a notice, let the sender push it to a stand-in push
service that verifies the VAPID JWT, and decrypt the aes128gcm body with the subscription's own keys."""

from __future__ import annotations

from datetime import timedelta

import msgspec

from app.db.engine import write_transaction
from app.db.tables import Delivery, PushSubscription
from app.domain.notifications import outbox, sender, service
from app.domain.notifications.channels import channels
from app.domain.notifications.schemas import Notice, NoticeAction, SubscriptionInput
from app.lib.clock import utc_now
from app.lib.i18n import _
from tests.notifications.standins import PushKeys


def entry_request(account_id) -> Notice:
    return Notice(
        title=_("Test notification from Gatehouse"),
        body="Maria <b>Silva</b> is at the gate",
        url="/me",
        tag="entry-1",
        actions=[NoticeAction(action="approve", title="Approve", url=f"/answers/{account_id}/approve")],
        expires_at=utc_now() + timedelta(minutes=2),
    )


async def subscribe(caller, push_service, token: str) -> PushKeys:
    keys = PushKeys()
    data = msgspec.convert(keys.subscription(push_service.endpoint(token)), SubscriptionInput)
    await service.subscribe(caller.actor, data, "Chrome on Android")
    return keys


async def queue(resident_id, build=entry_request) -> int:
    async with write_transaction(Delivery._meta.db):
        return await service.notify_household(resident_id, build)


async def test_every_device_of_the_household_gets_the_notice_signed_encrypted_and_in_its_language(
    household, push_service, local_endpoints
):
    home, (first, second) = household
    keys = {
        "first": await subscribe(first, push_service, "first"),
        "second": await subscribe(second, push_service, "second"),
    }

    assert await queue(home.id) == 2
    assert await sender.send_due() == 2

    assert push_service.refused == []
    assert sorted(push.token for push in push_service.received) == ["first", "second"]
    for push in push_service.received:
        assert push.vapid_key == channels().vapid_public_key
        assert push.headers["Urgency"] == "high"  # it has actions: a person is waiting
        assert 0 < int(push.headers["TTL"]) <= 120  # never kept past the notice's expiry
        notice = keys[push.token].decrypt(push.body)
        assert notice["url"] == "/me"
        assert notice["tag"] == "entry-1"
        assert notice["body"] == "Maria <b>Silva</b> is at the gate"
        assert notice["actions"][0]["action"] == "approve"
        assert notice["actions"][0]["url"].endswith("/approve")
        assert "expiresAt" in notice
    by_token = {push.token: keys[push.token].decrypt(push.body) for push in push_service.received}
    assert by_token["first"]["title"] == "Test notification from Gatehouse"
    assert by_token["second"]["title"] == "Notificação de teste do Gatehouse"
    assert by_token["second"]["answered"] == "Sua resposta foi enviada."

    rows = await Delivery.select(Delivery.status, Delivery.attempts, Delivery.sent_at)
    assert [(row["status"], row["attempts"]) for row in rows] == [("sent", 1), ("sent", 1)]
    devices = await PushSubscription.select(PushSubscription.last_success_at)
    assert all(device["last_success_at"] is not None for device in devices)


async def test_a_410_removes_the_subscription_and_the_delivery_is_gone(household, push_service, local_endpoints):
    home, (first, _second) = household
    await subscribe(first, push_service, "old-phone")
    push_service.answer = 410

    await queue(home.id)
    await sender.send_due()

    assert await PushSubscription.count() == 0
    row = await Delivery.select().first()
    assert row["status"] == "gone"
    assert "410" in row["last_error"]


async def test_a_server_error_is_retried_after_the_backoff_then_sent(household, push_service, local_endpoints):
    home, (first, _second) = household
    await subscribe(first, push_service, "flaky")
    push_service.answer = 503

    await queue(home.id)
    before = utc_now()
    await sender.send_due()

    row = await Delivery.select().first()
    assert (row["status"], row["attempts"]) == ("pending", 1)
    assert "503" in row["last_error"]
    assert row["next_attempt_at"] >= before + outbox.BACKOFF[0]
    assert await sender.send_due() == 0  # not due yet
    device = await PushSubscription.select().first()
    assert "503" in device["last_error"]

    push_service.answer = 201
    await Delivery.update({Delivery.next_attempt_at: utc_now()}).where(Delivery.id == row["id"])
    assert await sender.send_due() == 1
    row = await Delivery.select().first()
    assert (row["status"], row["attempts"], row["last_error"]) == ("sent", 2, None)


async def test_the_last_failure_is_final(household, push_service, local_endpoints):
    home, (first, _second) = household
    await subscribe(first, push_service, "broken")
    push_service.answer = 500
    await queue(home.id, build=lambda account_id: Notice(title="T", body="B", url="/me"))

    for _attempt in range(len(outbox.BACKOFF) + 1):
        await Delivery.update({Delivery.next_attempt_at: utc_now()}).where(Delivery.status == "pending")
        assert await sender.send_due() == 1

    row = await Delivery.select().first()
    assert (row["status"], row["attempts"]) == ("failed", len(outbox.BACKOFF) + 1)
    assert len(push_service.received) == len(outbox.BACKOFF) + 1


async def test_a_notice_past_its_expiry_is_not_sent(household, push_service, local_endpoints):
    home, (first, _second) = household
    await subscribe(first, push_service, "late")

    def expired(account_id) -> Notice:
        return Notice(title="T", body="B", url="/me", expires_at=utc_now() - timedelta(seconds=1))

    await queue(home.id, build=expired)
    await sender.send_due()

    assert push_service.received == []
    assert (await Delivery.select(Delivery.status).first())["status"] == "expired"


async def test_inactive_accounts_and_other_households_get_nothing(factory, household, push_service, local_endpoints):
    home, (first, second) = household
    await subscribe(first, push_service, "first")
    await subscribe(second, push_service, "second")
    neighbour = await factory.resident(name="Bruno Costa", unit="C-101")
    other = await factory.caller("resident", resident_id=neighbour.id)
    await subscribe(other, push_service, "neighbour")
    from app.domain.accounts import admin
    from app.lib.actors import SYSTEM

    await admin.set_active(SYSTEM, second.actor.account_id, False)

    assert await queue(home.id) == 1
    await sender.send_due()
    assert [push.token for push in push_service.received] == ["first"]
    assert await PushSubscription.count().where(PushSubscription.account == second.actor.account_id) == 0
