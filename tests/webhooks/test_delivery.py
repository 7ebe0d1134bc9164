"""Webhooks end to end: a receiver verifying Standard Webhooks signatures with the `standardwebhooks` library
hears every change, in order per visit, through its own outage; deliveries are claimed once and retried."""

from __future__ import annotations

import asyncio
from collections import defaultdict

from app.db.tables import WebhookDelivery
from app.domain.webhooks import sender
from tests.factory import visit_body
from tests.webhooks.conftest import register


async def _until(condition, within: float = 20) -> None:
    """Wait on a condition of the database: checked again after each round of the app's sender."""
    async with asyncio.timeout(within):
        while not await condition():
            await sender.next_round()


async def all_sent() -> bool:
    return not await WebhookDelivery.exists().where(WebhookDelivery.status != "sent")


async def _check_in(client, guard, resident_id, name: str) -> dict:
    answer = await client.post("/api/visits", json=visit_body(resident_id, visitorName=name), headers=guard.headers)
    assert answer.status_code == 201, answer.text
    return answer.json()


async def test_a_check_in_arrives_signed_with_the_api_json(client, admin, guard, resident, receiver):
    endpoint = await register(client, admin, receiver.url)
    receiver.secret = endpoint["secret"]
    assert endpoint["secret"].startswith("whsec_")
    visit = await _check_in(client, guard, resident.id, "Maria Silva")
    [message] = await receiver.wait_for(1)
    assert message["type"] == "visit.checked_in"
    assert message["data"] == visit  # the same JSON as the API's answer
    assert message["id"].startswith("msg_")
    assert receiver.rejected == 0
    listed = await client.get("/api/webhooks", headers=admin.headers)
    assert "secret" not in listed.json()[0]  # shown once, at registration


async def test_the_receiver_stays_in_step_through_its_outage(client, admin, guard, resident, receiver):
    endpoint = await register(client, admin, receiver.url)
    receiver.secret = endpoint["secret"]
    first = await _check_in(client, guard, resident.id, "Before Outage")
    await receiver.wait_for(1)

    await receiver.stop()
    visits = [first] + [await _check_in(client, guard, resident.id, f"During Outage {n}") for n in range(3)]
    for visit in visits[:3]:
        answer = await client.post(f"/api/visits/{visit['id']}/checkout", headers=guard.headers)
        assert answer.status_code == 200, answer.text

    async def retried() -> bool:  # the sender has failed on the oldest waiting delivery more than once
        rows = await WebhookDelivery.select(WebhookDelivery.attempts).where(WebhookDelivery.status == "pending")
        return any(row["attempts"] >= 2 for row in rows)

    await _until(retried)
    await receiver.start()

    expected = 1 + 3 + 3  # check-ins, then check-outs
    messages = await receiver.wait_for(expected)
    assert len(messages) == expected
    assert receiver.rejected == 0
    by_visit = defaultdict(list)
    for message in messages:
        by_visit[message["data"]["id"]].append(message["type"])
    assert by_visit[first["id"]] == ["visit.checked_in", "visit.checked_out"]
    assert by_visit[visits[1]["id"]] == ["visit.checked_in", "visit.checked_out"]
    assert by_visit[visits[2]["id"]] == ["visit.checked_in", "visit.checked_out"]
    assert by_visit[visits[3]["id"]] == ["visit.checked_in"]
    await _until(all_sent)  # the receiver answered; the sender records it just after
    log = await client.get(f"/api/webhooks/{endpoint['id']}/deliveries", headers=admin.headers)
    assert {line["status"] for line in log.json()} == {"sent"}
    assert max(line["attempts"] for line in log.json()) >= 2
