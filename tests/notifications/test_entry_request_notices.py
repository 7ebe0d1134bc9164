"""Asking the resident through the real channels: the guard's question reaches every phone of the household as
a Web Push (decrypted here with the subscription's keys) and as an email (received by aiosmtpd); a push's
button and an email's link each answer as their account, once."""

from __future__ import annotations

import asyncio
import re

from app.db.tables import Delivery
from app.domain.entry_requests import service as entry_requests
from app.domain.entry_requests.schemas import EntryRequestInput
from app.domain.notifications import sender
from tests.notifications.test_push_protocol import subscribe


async def all_sent(count: int) -> None:
    """The app's own sender runs beside the test (the `client` fixture starts it): send what is due here too,
    until every delivery is sent, whichever of the two sent it (the outbox gives each to one)."""
    for _ in range(200):
        await sender.send_due()
        if await Delivery.count().where(Delivery.status == "sent") == count:
            return
        await asyncio.sleep(0.05)
    raise AssertionError(await Delivery.select(Delivery.status, Delivery.last_error))


def asking(resident_id) -> EntryRequestInput:
    return EntryRequestInput(
        resident_id=resident_id,
        visitor_name="Zoë Ñúñez-O'Brien",
        total_people=2,
        subject="Delivery",
        vehicle_color="Red",
        license_plate="kzt4r21",
        note="A fridge",
    )


async def test_the_question_is_pushed_to_every_phone_and_a_button_answers_it(
    client, guard, household, push_service, local_endpoints
):
    home, (first, second) = household
    keys = {
        "first": await subscribe(first, push_service, "first"),
        "second": await subscribe(second, push_service, "second"),
    }

    asked = await entry_requests.ask(guard.actor, asking(home.id))  # queued in the request's own transaction
    assert await Delivery.count() == 2
    await all_sent(2)

    notices = {push.token: keys[push.token].decrypt(push.body) for push in push_service.received}
    english, portuguese = notices["first"], notices["second"]
    assert english["title"] == "Zoë Ñúñez-O'Brien is at the gate"
    assert english["body"] == "2 people · Red KZT4R21 · Delivery · “A fridge”"
    assert english["url"] == f"/me/requests/{asked.id}" and english["tag"] == f"entry-request-{asked.id}"
    assert [a["title"] for a in english["actions"]] == ["Let them in", "Refuse"]
    assert portuguese["title"] == "Zoë Ñúñez-O'Brien está na portaria"
    assert [a["title"] for a in portuguese["actions"]] == ["Pode entrar", "Recusar"]

    # The second phone taps Refuse on the notification: the service worker POSTs the action's url for JSON.
    refuse = next(a["url"] for a in portuguese["actions"] if a["action"] == "refuse")
    answered = await client.post(refuse, headers={"accept": "application/json"})
    assert answered.status_code == 200
    assert answered.json()["status"] == "refused" and "will not let" in answered.json()["body"]
    stored = await entry_requests.get_request(guard.actor, asked.id)
    assert (stored.status, stored.via, stored.answered_by) == ("refused", "push", second.actor.email)

    # The first phone's Approve comes too late and says who answered.
    approve = next(a["url"] for a in english["actions"] if a["action"] == "approve")
    late = await client.post(approve, headers={"accept": "application/json"})
    assert late.status_code == 409 and second.actor.email in late.json()["body"]


async def test_the_question_is_emailed_and_its_link_answers_after_a_confirmation(client, guard, household, mail_server):
    home, (first, _second) = household
    asked = await entry_requests.ask(guard.actor, asking(home.id))
    await all_sent(2)

    received = {recipients[0]: message for recipients, message in mail_server.inbox.messages}
    text = received[first.actor.email].get_body(("plain",)).get_content()
    assert "Zoë Ñúñez-O'Brien is at the gate" in received[first.actor.email]["Subject"]
    approve = re.search(r"Let them in: http://127\.0\.0\.1:8000(/answer/\S+)", text).group(1)

    page = await client.get(approve)  # a mail scanner opening the link answers nothing
    assert page.status_code == 200 and "Let them in" in page.text
    assert (await entry_requests.get_request(guard.actor, asked.id)).status == "pending"
    confirmed = await client.post(approve, data={"message": "Leave it at the gate"})
    assert confirmed.status_code == 200 and "will let Zoë" in confirmed.text
    stored = await entry_requests.get_request(guard.actor, asked.id)
    assert (stored.status, stored.via, stored.message) == ("approved", "email", "Leave it at the gate")
