"""The do-not-admit list on the API and at the kiosk: who it stops, how an override is recorded."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from app.db.tables import AuditEvent, Visit
from app.domain.bans import schemas as ban_schemas
from app.domain.bans import service as bans
from app.domain.expected import schemas as expected_schemas
from app.domain.visits import mine as my_visits
from app.domain.visits import schemas as visit_schemas
from app.domain.visits import service as visits
from app.lib.actors import SYSTEM, Actor
from app.lib.errors import Invalid
from tests.factory import visit_body
from tests.pages import sign_in


@pytest.fixture
async def gate(factory, resident, guard):
    neighbour = await factory.resident(name="Bruno Costa", unit="C-101")
    return resident, neighbour, guard


async def ban(reason="Threatened the staff", **fields) -> ban_schemas.Ban:
    return await bans.add_ban(SYSTEM, ban_schemas.BanInput(reason=reason, **fields))


async def test_a_banned_plate_typed_any_way_gets_409_with_the_reason_and_nothing_is_written(client, gate):
    home, _, guard = gate
    await ban(license_plate="KZT-4R21")
    response = await client.post(
        "/api/visits", json=visit_body(home.id, licensePlate="kzt 4r21"), headers=guard.headers
    )
    assert response.status_code == 409
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert "Threatened the staff" in body["detail"]
    assert body["doNotAdmit"][0]["reason"] == "Threatened the staff"
    assert body["doNotAdmit"][0]["licensePlate"] == "KZT-4R21"
    assert await Visit.count() == 0


async def test_names_match_ignoring_case_and_accents(client, gate):
    home, _, guard = gate
    await ban(name="José da Silva")
    response = await client.post(
        "/api/visits", json=visit_body(home.id, visitorName="JOSE  DA SILVA"), headers=guard.headers
    )
    assert response.status_code == 409
    other = await client.post(
        "/api/visits", json=visit_body(home.id, visitorName="José da Silveira"), headers=guard.headers
    )
    assert other.status_code == 201


async def test_an_override_reason_admits_and_is_kept_in_the_audit_trail(client, gate):
    home, _, guard = gate
    entry = await ban(license_plate="KZT-4R21")
    body = visit_body(home.id, licensePlate="KZT4R21", overrideReason="  Police escort, officer 4411  ")
    response = await client.post("/api/visits", json=body, headers=guard.headers)
    assert response.status_code == 201
    event = await AuditEvent.select().where(AuditEvent.action == "visit.ban_overridden").first()
    assert str(event["record_id"]) == response.json()["id"] and event["actor_email"] == guard.actor.email
    assert json.loads(event["changes"]) == {"overrideReason": "Police escort, officer 4411", "bans": [str(entry.id)]}
    assert "overrideReason" not in response.json()  # the Visit object stays as the contract says


async def test_a_blank_override_is_no_override(client, gate):
    home, _, guard = gate
    await ban(license_plate="KZT-4R21")
    body = visit_body(home.id, licensePlate="KZT4R21", overrideReason="   ")
    assert (await client.post("/api/visits", json=body, headers=guard.headers)).status_code == 409


async def test_a_resident_entry_stops_only_visits_to_that_resident(client, gate):
    home, neighbour, guard = gate
    await ban(license_plate="ABC-1234", resident_id=home.id)
    to_home = await client.post("/api/visits", json=visit_body(home.id, licensePlate="ABC1234"), headers=guard.headers)
    to_neighbour = await client.post(
        "/api/visits", json=visit_body(neighbour.id, licensePlate="ABC1234"), headers=guard.headers
    )
    assert (to_home.status_code, to_neighbour.status_code) == (409, 201)


async def test_lifted_and_expired_entries_stop_nobody(client, gate):
    home, _, guard = gate
    lifted = await ban(license_plate="AAA-1111")
    await bans.lift_ban(SYSTEM, lifted.id)
    expiring = await ban(license_plate="BBB-2222", expires_at="2999-01-01")
    from app.db.tables import BannedVisitor

    await BannedVisitor.update({BannedVisitor.expires_at: datetime(2000, 1, 1, tzinfo=UTC)}).where(
        BannedVisitor.id == expiring.id
    )
    for plate in ("AAA1111", "BBB2222"):
        response = await client.post("/api/visits", json=visit_body(home.id, licensePlate=plate), headers=guard.headers)
        assert response.status_code == 201, plate


async def test_entries_need_a_reason_and_a_name_or_plate_and_a_future_expiry():
    with pytest.raises(Invalid) as caught:
        await bans.add_ban(SYSTEM, ban_schemas.BanInput(reason=" ", expires_at="2001-01-01"))
    assert set(caught.value.errors) == {"reason", "name", "expiresAt"}


async def test_residents_manage_only_their_own_units_entries(db, factory):
    home = await factory.resident()
    other = await factory.resident()
    resident = Actor(account_id=None, email="r@example.com", role="resident", resident_id=home.id)
    mine = await bans.add_ban(resident, ban_schemas.BanInput(reason="Ex-partner", name="Carlos Souza"))
    assert mine.resident_id == home.id
    with pytest.raises(Invalid):
        await bans.add_ban(resident, ban_schemas.BanInput(reason="x", name="y", resident_id=other.id))
    community = await ban(name="Someone Else")
    assert [b.id for b in (await bans.list_bans(resident)).items] == [mine.id]
    with pytest.raises(bans.NotFound):
        await bans.lift_ban(resident, community.id)


async def test_the_kiosk_warns_refuses_and_admits_with_a_written_reason(client, gate):
    home, _, guard = gate
    await ban(license_plate="KZT-4R21", reason="Broke the barrier on 3 May")
    _, token = await sign_in(client, guard.actor.email)
    htmx = {"hx-request": "true", "x-csrftoken": token}
    warning = await client.get("/kiosk/checks?licensePlate=kzt-4r21&visitorName=Maria", headers=htmx)
    assert "Do not admit" in warning.text and "Broke the barrier on 3 May" in warning.text
    assert (await client.get("/kiosk/checks?licensePlate=xyz", headers=htmx)).text.strip() == ""

    form = {
        "residentId": str(home.id),
        "residentQuery": "Ana Lima",
        "visitorName": "Maria Silva",
        "totalPeople": "2",
        "subject": "Guest",
        "licensePlate": "kzt-4r21",
    }
    refused = await client.post("/kiosk/visits", data=form, headers=htmx)
    assert refused.status_code == 409
    assert "Broke the barrier on 3 May" in refused.text and 'name="overrideReason"' in refused.text
    assert 'value="Maria Silva"' in refused.text and "Check in anyway" in refused.text
    assert await Visit.count() == 0

    admitted = await client.post(
        "/kiosk/visits", data=form | {"overrideReason": "Resident came down to vouch"}, headers=htmx
    )
    assert admitted.status_code == 200 and "Maria Silva checked in" in admitted.text
    assert await AuditEvent.count().where(AuditEvent.action == "visit.ban_overridden") == 1


async def test_a_resident_is_told_when_their_banned_visitor_is_let_in(db, factory):
    home = await factory.resident()
    await ban(license_plate="KZT-4R21")
    data = visit_schemas.CheckInInput(
        resident_id=home.id,
        visitor_name="Maria Silva",
        total_people=1,
        subject="Guest",
        arrival_date="2026-11-01T14:30:00+00:00",
        license_plate="KZT4R21",
        override_reason="Court order",
    )
    visit = await visits.create_visit(SYSTEM, data)
    resident = Actor(account_id=None, email="r@example.com", role="resident", resident_id=home.id)
    notice = await my_visits.notice(resident, "admitted-despite-ban", visit.id)
    assert notice == (
        "Warning: Maria Silva was let in although on the do-not-admit list. The guard's reason: “Court order”"
    )
    history = await my_visits.history(resident, None, None, 10)
    assert [(item.visitor_name, item.override_reason) for item in history.items] == [("Maria Silva", "Court order")]


async def test_an_unknown_resident_is_the_same_field_error_on_every_feature_and_door(client, admin):
    """Visits, announcements, accounts and do-not-admit entries answer alike: 400, naming residentId."""
    from uuid import uuid4

    from app.domain.accounts import service as accounts
    from app.domain.expected import service as expected

    nobody = uuid4()
    attempts = {
        "visit": visits.create_visit(SYSTEM, visit_schemas.CheckInInput(**msgspec_visit(nobody))),
        "announcement": expected.announce(
            SYSTEM, expected_schemas.ExpectedInput(visitor_name="Ana", starts_on="2999-01-01", resident_id=nobody)
        ),
        "account": accounts.create_account(SYSTEM, "someone@example.com", "a-long-password", "resident", nobody),
        "do-not-admit entry": bans.add_ban(SYSTEM, ban_schemas.BanInput(reason="Rude", name="Zé", resident_id=nobody)),
    }
    for feature, attempt in attempts.items():
        with pytest.raises(Invalid) as raised:
            await attempt
        assert raised.value.errors == {"residentId": "no resident has this id"}, feature
        assert raised.value.status_code == 400, feature

    _, csrf = await sign_in(client, admin.actor.email, next_url="/admin/bans")
    page = await client.post(
        "/admin/bans", data={"reason": "Rude", "name": "Zé", "residentId": str(nobody), "_csrf_token": csrf}
    )
    assert page.status_code == 422 and "No resident has this id." in page.text


def msgspec_visit(resident_id) -> dict:
    return {
        "resident_id": resident_id,
        "visitor_name": "Maria Silva",
        "total_people": 1,
        "subject": "Guest",
        "arrival_date": "2026-01-01T10:00:00+00:00",
    }
