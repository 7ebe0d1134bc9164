"""Asking the resident through the pages: Ask beside Check in, the kiosk's Waiting list, the household's prompt,
and the signed links of notifications and emails."""

from __future__ import annotations

from datetime import timedelta

from app.db.tables import EntryRequest, Resident, Visit
from app.domain.entry_requests import forms as request_forms
from app.domain.entry_requests import service as entry_requests
from app.domain.visits import service as visits
from app.lib.clock import utc_now
from app.web.forms import Form
from tests.pages import sign_in

HTMX = {"hx-request": "true"}


def kiosk_form(resident_id, token: str, **overrides) -> dict:
    return {
        "_csrf_token": token,
        "residentId": str(resident_id),
        "residentQuery": "Ana Lima · B-302",
        "visitorName": "Zoë Ñúñez-O'Brien",
        "totalPeople": "2",
        "subject": "Guest",
        "licensePlate": "abc1d23",
        "vehicleColor": "",
        "arrivalDate": "",
    } | overrides


async def test_the_guard_asks_from_the_check_in_form_and_sees_it_waiting(kiosk, homes):
    client, token, headers = kiosk
    home_a, _, _, _ = homes
    home = await client.get("/kiosk")
    assert "Ask the resident" in home.text and 'id="waiting"' in home.text
    response = await client.post("/kiosk/requests", data=kiosk_form(home_a.id, token), headers=headers)
    assert response.status_code == 200
    assert response.headers["hx-trigger"] == "requests-changed"
    assert "Asking Ana Lima about Zoë Ñúñez-O&#39;Brien" in response.text
    assert 'name="visitorName" type="text"' in response.text and 'value="Zoë' not in response.text  # the next one's

    waiting = await client.get("/kiosk/requests", headers=headers)
    assert "Zoë Ñúñez-O&#39;Brien" in waiting.text and "Asking the household" in waiting.text
    assert "data-countdown" in waiting.text


async def test_asking_with_a_blank_form_keeps_what_was_typed_and_names_the_fields(kiosk, homes):
    client, token, headers = kiosk
    home_a, _, _, _ = homes
    form = kiosk_form(home_a.id, token, visitorName=" ", subject="", licensePlate="XYZ 1234")
    response = await client.post("/kiosk/requests", data=form, headers=headers)
    assert response.status_code == 422
    assert 'value="XYZ 1234"' in response.text and "is required" in response.text
    assert await EntryRequest.count() == 0


async def test_an_approved_request_checks_in_with_one_button(kiosk, homes):
    client, token, headers = kiosk
    home_a, resident_a, _, _ = homes
    await client.post("/kiosk/requests", data=kiosk_form(home_a.id, token), headers=headers)
    asked = await EntryRequest.select(EntryRequest.id).first()
    await entry_requests.answer(resident_a.actor, asked["id"], entry_requests.AnswerInput(decision="approve"))

    waiting = await client.get("/kiosk/requests", headers=headers)
    assert "Approved by" in waiting.text and "data-approved" in waiting.text
    response = await client.post(
        f"/kiosk/requests/{asked['id']}/check-in", data={"_csrf_token": token}, headers=headers
    )
    assert response.status_code == 200
    assert response.headers["hx-trigger"] == "visits-changed"  # the answer is the Waiting list itself
    assert "checked in to see Ana Lima" in response.text
    visit = await Visit.select(Visit.id, Visit.visitor_name, Visit.approval).first()
    assert visit["visitor_name"] == "Zoë Ñúñez-O'Brien" and '"approved"' in visit["approval"]
    detail = await client.get(f"/kiosk/visits/{visit['id']}")
    assert f"Approved by {resident_a.actor.email} on a Gatehouse page at" in detail.text


async def test_a_refused_request_needs_a_reason_beside_its_field(kiosk, homes):
    client, token, headers = kiosk
    home_a, resident_a, _, _ = homes
    await client.post("/kiosk/requests", data=kiosk_form(home_a.id, token), headers=headers)
    asked = await EntryRequest.select(EntryRequest.id).first()
    refusal = entry_requests.AnswerInput(decision="refuse", message="I'm not expecting anyone")
    await entry_requests.answer(resident_a.actor, asked["id"], refusal)
    url = f"/kiosk/requests/{asked['id']}/check-in"

    waiting = await client.get("/kiosk/requests", headers=headers)
    assert "Refused by" in waiting.text and "I&#39;m not expecting anyone" in waiting.text
    refused = await client.post(url, data={"_csrf_token": token, "overrideReason": "  "}, headers=headers)
    assert refused.status_code == 409 and "refused this visitor" in refused.text
    assert 'aria-invalid="true"' in refused.text and await Visit.count() == 0
    admitted = await client.post(url, data={"_csrf_token": token, "overrideReason": "Paramedic"}, headers=headers)
    assert admitted.status_code == 200 and await Visit.count() == 1


async def test_no_answer_shows_the_phone_and_the_guard_records_the_call(kiosk, factory):
    client, token, headers = kiosk
    home = await factory.resident(name="Rita Souza", unit="A-101")
    await Resident.update({Resident.phone: "+55 11 91234-5678"}).where(Resident.id == home.id)
    await client.post("/kiosk/requests", data=kiosk_form(home.id, token, residentQuery="Rita"), headers=headers)
    asked = await EntryRequest.select(EntryRequest.id).first()
    await EntryRequest.update({EntryRequest.expires_at: utc_now() - timedelta(seconds=1)}).where(
        EntryRequest.id == asked["id"]
    )
    waiting = await client.get("/kiosk/requests", headers=headers)
    assert "No answer." in waiting.text and 'href="tel:+55 11 91234-5678"' in waiting.text
    call = f"/kiosk/requests/{asked['id']}/call"
    bad = await client.post(call, data={"_csrf_token": token, "decision": "maybe"}, headers=headers)
    assert bad.status_code == 409 and "choose one of the answers" in bad.text
    called = await client.post(
        call, data={"_csrf_token": token, "decision": "approve", "message": "Rita said yes"}, headers=headers
    )
    assert called.status_code == 200 and "Approved by phone" in called.text and "Rita said yes" in called.text


async def test_the_guard_withdraws_a_request_when_the_visitor_leaves(kiosk, homes):
    client, token, headers = kiosk
    home_a, _, _, _ = homes
    await client.post("/kiosk/requests", data=kiosk_form(home_a.id, token), headers=headers)
    asked = await EntryRequest.select(EntryRequest.id).first()
    gone = await client.post(f"/kiosk/requests/{asked['id']}/cancel", data={"_csrf_token": token}, headers=headers)
    assert gone.status_code == 200 and "Zoë" not in gone.text and " hidden" in gone.text.split(">")[0]


async def test_the_household_sees_the_prompt_and_answers_it(client, guard, homes, factory):
    home_a, caller_a, _, caller_b = homes
    partner = await factory.caller("resident", resident_id=home_a.id)
    data = entry_requests.EntryRequestInput(resident_id=home_a.id, visitor_name="Zoë <b>Ñúñez</b>", subject="Guest")
    asked = await entry_requests.ask(guard.actor, data)

    _, token = await sign_in(client, caller_a.actor.email, next_url="/me")
    page = await client.get("/me")
    assert 'id="entry-prompt"' in page.text and 'data-events="/me/events"' in page.text
    prompt = await client.get("/me/requests/prompt", headers=HTMX)
    assert "Zoë &lt;b&gt;Ñúñez&lt;/b&gt; is at the gate" in prompt.text and "Let them in" in prompt.text
    answered = await client.post(
        f"/me/requests/{asked.id}/answer",
        data={"_csrf_token": token, "decision": "approve", "message": "Leave it at the gate"},
        headers=HTMX,
    )
    assert answered.status_code == 200 and "You answered: let in." in answered.text
    again = await client.post(
        f"/me/requests/{asked.id}/answer", data={"_csrf_token": token, "decision": "refuse"}, headers=HTMX
    )
    assert again.status_code == 409 and "already answered" in again.text
    mine = await client.get(f"/me/requests/{asked.id}")
    assert mine.status_code == 200 and "Leave it at the gate" in mine.text

    await client.post("/sign-out", data={"_csrf_token": token})
    _, token = await sign_in(client, partner.actor.email, next_url="/me")
    seen = await client.get("/me/requests/prompt", headers=HTMX)
    assert f"{caller_a.actor.email} answered: let in" in seen.text and "Let them in" not in seen.text
    await visits.create_visit(guard.actor, request_forms.check_in_input(asked, Form({})))
    assert "Zoë" not in (await client.get("/me/requests/prompt", headers=HTMX)).text  # in now: the question is over

    await client.post("/sign-out", data={"_csrf_token": token})
    await sign_in(client, caller_b.actor.email, next_url="/me")
    other = await client.get(f"/me/requests/{asked.id}")
    assert other.status_code == 404
    assert "Zoë" not in (await client.get("/me/requests/prompt", headers=HTMX)).text


async def test_a_signed_link_answers_once_from_a_notification_or_an_email(client, guard, homes):
    home_a, caller_a, _, _ = homes
    data = entry_requests.EntryRequestInput(resident_id=home_a.id, visitor_name="Carlos", subject="Delivery")
    asked = await entry_requests.ask(guard.actor, data)
    link = "/answer/" + entry_requests.answer_token(asked, caller_a.actor.account_id, "refuse")

    confirm = await client.get(link)
    assert confirm.status_code == 200 and "Carlos is at the gate" in confirm.text and "Refuse" in confirm.text
    assert await EntryRequest.count().where(EntryRequest.status == "pending") == 1  # a GET answers nothing
    answered = await client.post(link, data={"message": "Not today"})
    assert answered.status_code == 200 and "will not let Carlos in" in answered.text
    twice = await client.post(link, headers={"accept": "application/json"})
    assert twice.status_code == 409 and "already answered" in twice.json()["problem"]
    forged = await client.post(link[:-3] + "abc", headers={"accept": "application/json"})
    assert forged.status_code == 404
    stored = await entry_requests.get_request(guard.actor, asked.id)
    assert stored.via == "email" and stored.answered_by == caller_a.actor.email


async def test_with_require_the_kiosk_says_to_ask_first_and_keeps_the_form(kiosk, homes, monkeypatch):
    from app.lib import site

    client, token, headers = kiosk
    home_a, _, _, _ = homes
    monkeypatch.setattr(site, "_entry_approval", "require")
    response = await client.post("/kiosk/visits", data=kiosk_form(home_a.id, token), headers=headers)
    assert response.status_code == 409 and "ask first" in response.text
    assert 'value="Zoë Ñúñez-O&#39;Brien"' in response.text and "ask required" in response.text
    assert await Visit.count() == 0
