"""Ask the resident, on the API: the guard asks, the household answers (first answer counts), the guard calls
when no one answers, and the visit records the answer it came in on."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from app.db.tables import AuditEvent, EntryRequest
from app.domain.entry_requests import service as entry_requests
from app.lib import site
from app.lib.clock import utc_now
from tests.factory import visit_body


def ask_body(resident_id, **overrides) -> dict:
    return {
        "residentId": str(resident_id),
        "visitorName": "Zoë Ñúñez-O'Brien",
        "totalPeople": 2,
        "subject": "Guest",
        "licensePlate": "abc1d23",
        "vehicleColor": "Red",
        "note": "Says she is your cousin",
    } | overrides


async def _ask(client, guard, resident_id, **overrides) -> dict:
    response = await client.post("/api/entry-requests", json=ask_body(resident_id, **overrides), headers=guard.headers)
    assert response.status_code == 201, response.text
    return response.json()


async def test_the_guard_asks_and_the_household_sees_it_pending(client, guard, homes):
    home_a, resident_a, _, resident_b = homes
    response = await client.post("/api/entry-requests", json=ask_body(home_a.id), headers=guard.headers)
    assert response.status_code == 201, response.text
    asked = response.json()
    assert response.headers["location"] == f"/api/entry-requests/{asked['id']}"
    assert asked["status"] == "pending" and asked["licensePlate"] == "ABC1D23" and asked["residentUnit"] == "B-302"
    assert asked["askedBy"] == guard.actor.email and asked["answeredBy"] is None and asked["visitId"] is None
    waited = (asked["expiresAt"], asked["askedAt"])
    assert waited[0] > waited[1]

    mine = await client.get("/api/entry-requests?status=pending", headers=resident_a.headers)
    assert [item["id"] for item in mine.json()] == [asked["id"]]
    theirs = await client.get("/api/entry-requests", headers=resident_b.headers)
    assert theirs.json() == []
    hidden = await client.get(f"/api/entry-requests/{asked['id']}", headers=resident_b.headers)
    assert hidden.status_code == 404 and hidden.headers["content-type"].startswith("application/problem+json")


async def test_bad_requests_name_every_field(client, guard, homes):
    _, resident_a, resident, _ = homes
    body = {"residentId": str(resident.id), "visitorName": " ", "subject": "", "totalPeople": 0, "note": "n" * 301}
    response = await client.post("/api/entry-requests", json=body, headers=guard.headers)
    assert response.status_code == 400
    assert {e["field"] for e in response.json()["errors"]} == {"visitorName", "subject", "totalPeople", "note"}
    unknown = await client.post(
        "/api/entry-requests", json=ask_body("00000000-0000-0000-0000-000000000000"), headers=guard.headers
    )
    assert unknown.status_code == 400 and unknown.json()["errors"][0]["field"] == "residentId"
    by_resident = await client.post("/api/entry-requests", json=ask_body(resident.id), headers=resident_a.headers)
    assert by_resident.status_code == 403
    bad_status = await client.get("/api/entry-requests?status=maybe", headers=guard.headers)
    assert bad_status.status_code == 400 and bad_status.json()["errors"][0]["field"] == "status"


async def test_the_first_answer_counts_and_the_second_is_a_conflict(client, guard, homes, factory):
    home_a, resident_a, _, resident_b = homes
    partner = await factory.caller("resident", resident_id=home_a.id)
    asked = await _ask(client, guard, home_a.id)
    url = f"/api/entry-requests/{asked['id']}/answer"

    other_household = await client.post(url, json={"decision": "approve"}, headers=resident_b.headers)
    assert other_household.status_code == 404
    by_guard = await client.post(url, json={"decision": "approve"}, headers=guard.headers)
    assert by_guard.status_code == 403

    approved = await client.post(
        url, json={"decision": "approve", "message": "Leave the parcel at the gate"}, headers=resident_a.headers
    )
    assert approved.status_code == 200, approved.text
    answer = approved.json()
    assert answer["status"] == "approved" and answer["answeredBy"] == resident_a.actor.email
    assert answer["via"] == "app" and answer["message"] == "Leave the parcel at the gate"

    late = await client.post(url, json={"decision": "refuse"}, headers=partner.headers)
    assert late.status_code == 409
    assert resident_a.actor.email in late.json()["detail"]


async def test_two_phones_answering_at_once_exactly_one_wins(client, guard, homes, factory):
    home_a, resident_a, _, _ = homes
    partner = await factory.caller("resident", resident_id=home_a.id)
    asked = await _ask(client, guard, home_a.id)
    url = f"/api/entry-requests/{asked['id']}/answer"
    answers = await asyncio.gather(
        client.post(url, json={"decision": "approve"}, headers=resident_a.headers),
        client.post(url, json={"decision": "refuse"}, headers=partner.headers),
    )
    assert sorted(a.status_code for a in answers) == [200, 409]
    stored = await EntryRequest.select(EntryRequest.status, EntryRequest.answered_by_email).first()
    winner = next(a for a in answers if a.status_code == 200).json()
    assert stored["status"] == winner["status"] and stored["answered_by_email"] == winner["answeredBy"]
    answered = await AuditEvent.count().where(AuditEvent.action == "entry.answered")
    assert answered == 1


async def _expire(request_id) -> None:
    await EntryRequest.update({EntryRequest.expires_at: utc_now() - timedelta(seconds=1)}).where(
        EntryRequest.id == request_id
    )


async def test_an_unanswered_request_expires_and_the_guard_records_the_call(client, guard, homes):
    home_a, resident_a, _, _ = homes
    asked = await _ask(client, guard, home_a.id)
    await _expire(asked["id"])
    url = f"/api/entry-requests/{asked['id']}/answer"

    expired = await client.get(f"/api/entry-requests/{asked['id']}", headers=resident_a.headers)
    assert expired.json()["status"] == "expired"
    assert [r["id"] for r in (await client.get("/api/entry-requests?status=expired", headers=guard.headers)).json()]
    too_late = await client.post(url, json={"decision": "approve"}, headers=resident_a.headers)
    assert too_late.status_code == 409 and "expired" in too_late.json()["detail"]

    nobody = await client.post(url, json={"decision": "no-answer", "via": "phone"}, headers=guard.headers)
    assert nobody.status_code == 200 and nobody.json()["status"] == "expired" and nobody.json()["via"] == "phone"
    called = await client.post(
        url, json={"decision": "approve", "via": "phone", "message": "Ana said yes"}, headers=guard.headers
    )
    assert called.status_code == 200, called.text
    assert called.json()["status"] == "approved" and called.json()["answeredBy"] == guard.actor.email
    by_resident = await client.post(url, json={"decision": "approve", "via": "phone"}, headers=resident_a.headers)
    assert by_resident.status_code == 403
    again = await client.post(url, json={"decision": "refuse", "via": "phone"}, headers=guard.headers)
    assert again.status_code == 409


async def test_the_guard_withdraws_a_waiting_request(client, guard, homes):
    home_a, resident_a, _, _ = homes
    asked = await _ask(client, guard, home_a.id)
    approved = await _ask(client, guard, home_a.id, visitorName="Left after a yes")
    await client.post(
        f"/api/entry-requests/{approved['id']}/answer", json={"decision": "approve"}, headers=resident_a.headers
    )
    gone = await client.post(f"/api/entry-requests/{approved['id']}/cancel", headers=guard.headers)
    assert gone.status_code == 200 and gone.json()["status"] == "cancelled"  # any answer: the visitor left
    cancelled = await client.post(f"/api/entry-requests/{asked['id']}/cancel", headers=guard.headers)
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    answer = await client.post(
        f"/api/entry-requests/{asked['id']}/answer", json={"decision": "approve"}, headers=resident_a.headers
    )
    assert answer.status_code == 409 and "withdrew" in answer.json()["detail"]
    again = await client.post(f"/api/entry-requests/{asked['id']}/cancel", headers=guard.headers)
    assert again.status_code == 409
    by_resident = await client.post(f"/api/entry-requests/{asked['id']}/cancel", headers=resident_a.headers)
    assert by_resident.status_code == 403


async def test_a_visit_checked_in_from_an_approved_request_shows_the_approval(client, guard, homes):
    home_a, resident_a, _, _ = homes
    asked = await _ask(client, guard, home_a.id)
    before = await client.post(
        "/api/visits", json=visit_body(home_a.id, entryRequestId=asked["id"]), headers=guard.headers
    )
    assert before.status_code == 400 and before.json()["errors"][0]["field"] == "entryRequestId"

    await client.post(
        f"/api/entry-requests/{asked['id']}/answer",
        json={"decision": "approve", "message": "Yes!"},
        headers=resident_a.headers,
    )
    response = await client.post(
        "/api/visits", json=visit_body(home_a.id, entryRequestId=asked["id"]), headers=guard.headers
    )
    assert response.status_code == 201, response.text
    visit = response.json()
    assert visit["approval"]["status"] == "approved" and visit["approval"]["answeredBy"] == resident_a.actor.email
    assert visit["approval"]["via"] == "app" and visit["approval"]["message"] == "Yes!"
    read = await client.get(f"/api/visits/{visit['id']}", headers=guard.headers)
    assert read.json()["approval"] == visit["approval"]
    listed = await client.get("/api/visits?limit=5", headers=resident_a.headers)
    assert listed.json()[0]["approval"] == visit["approval"]
    request = await client.get(f"/api/entry-requests/{asked['id']}", headers=guard.headers)
    assert request.json()["visitId"] == visit["id"]

    twice = await client.post(
        "/api/visits", json=visit_body(home_a.id, entryRequestId=asked["id"]), headers=guard.headers
    )
    assert twice.status_code == 400 and "already been used" in twice.json()["errors"][0]["message"]


async def test_a_refused_visitor_comes_in_only_with_a_reason(client, guard, homes):
    home_a, resident_a, home_b, _ = homes
    asked = await _ask(client, guard, home_a.id)
    await client.post(
        f"/api/entry-requests/{asked['id']}/answer",
        json={"decision": "refuse", "message": "I'm not expecting anyone"},
        headers=resident_a.headers,
    )
    body = visit_body(home_a.id, entryRequestId=asked["id"])
    refused = await client.post("/api/visits", json=body, headers=guard.headers)
    assert refused.status_code == 409 and "refused" in refused.json()["detail"]
    wrong_resident = await client.post(
        "/api/visits", json=visit_body(home_b.id, entryRequestId=asked["id"]), headers=guard.headers
    )
    assert wrong_resident.status_code == 400
    admitted = await client.post(
        "/api/visits", json=body | {"overrideReason": "Police officer with a warrant"}, headers=guard.headers
    )
    assert admitted.status_code == 201, admitted.text
    assert admitted.json()["approval"]["status"] == "refused"
    overridden = await AuditEvent.select(AuditEvent.changes).where(AuditEvent.action == "visit.answer_overridden")
    assert overridden and "Police officer" in str(overridden[0]["changes"])


async def test_require_mode_refuses_an_unannounced_check_in(client, guard, homes, monkeypatch):
    home_a, _, _, _ = homes
    monkeypatch.setattr(site, "_entry_approval", "require")
    response = await client.post("/api/visits", json=visit_body(home_a.id), headers=guard.headers)
    assert response.status_code == 409 and "ask first" in response.json()["detail"]
    past = visit_body(
        home_a.id,
        arrivalDate=(utc_now() - timedelta(hours=3)).isoformat(),
        departureDate=(utc_now() - timedelta(hours=2)).isoformat(),
    )
    assert (await client.post("/api/visits", json=past, headers=guard.headers)).status_code == 201


async def test_asking_is_refused_when_the_site_turned_it_off(client, guard, homes, monkeypatch):
    home_a, _, _, _ = homes
    monkeypatch.setattr(site, "_entry_approval", "off")
    response = await client.post("/api/entry-requests", json=ask_body(home_a.id), headers=guard.headers)
    assert response.status_code == 409


@pytest.mark.parametrize("decision", ["approve", "refuse"])
async def test_a_signed_link_answers_for_its_account_once(client, guard, homes, decision):
    home_a, resident_a, _, _ = homes
    asked = await _ask(client, guard, home_a.id)
    request = await entry_requests.get_request(guard.actor, asked["id"])
    token = entry_requests.answer_token(request, resident_a.actor.account_id, decision)
    answered = await entry_requests.answer_by_link(token, "push")
    assert answered.status == ("approved" if decision == "approve" else "refused")
    assert answered.via == "push" and answered.answered_by == resident_a.actor.email
    with pytest.raises(entry_requests.Conflict):
        await entry_requests.answer_by_link(token, "push")
    with pytest.raises(entry_requests.NotFound):
        await entry_requests.answer_by_link(token[:-2] + "xx", "push")


async def test_require_mode_lets_a_pre_approved_visitor_in_without_asking(client, guard, homes, monkeypatch):
    from app.domain.permissions import service as permissions
    from app.domain.permissions.schemas import StandingPermissionInput
    from app.lib.actors import SYSTEM

    home_a, _, _, _ = homes
    monkeypatch.setattr(site, "_entry_approval", "require")
    await permissions.grant(
        SYSTEM, StandingPermissionInput(kind="person", resident_id=home_a.id, visitor_name="Rosa Cleaner")
    )
    admitted = await client.post(
        "/api/visits", json=visit_body(home_a.id, visitorName="rosa cleaner"), headers=guard.headers
    )
    assert admitted.status_code == 201, admitted.text
    stranger = await client.post("/api/visits", json=visit_body(home_a.id, visitorName="Otto"), headers=guard.headers)
    assert stranger.status_code == 409


async def test_an_unanswered_request_lets_the_visitor_in_only_after_the_call_found_no_one(client, guard, homes):
    home_a, _, _, _ = homes
    asked = await _ask(client, guard, home_a.id)
    await _expire(asked["id"])
    body = visit_body(home_a.id, entryRequestId=asked["id"], overrideReason="Courier in a hurry")
    before_call = await client.post("/api/visits", json=body, headers=guard.headers)
    assert before_call.status_code == 400 and "call the household" in before_call.json()["errors"][0]["message"]
    await client.post(
        f"/api/entry-requests/{asked['id']}/answer",
        json={"decision": "no-answer", "via": "phone"},
        headers=guard.headers,
    )
    after_call = await client.post("/api/visits", json=body, headers=guard.headers)
    assert after_call.status_code == 201 and after_call.json()["approval"]["status"] == "expired"
