"""Every delete: a record others refer to is a 409 saying what keeps it and what to do, never a 500."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.domain.bans import schemas as ban_schemas
from app.domain.bans import service as bans
from app.domain.expected import schemas as expected_schemas
from app.domain.expected import service as expected
from app.lib.actors import SYSTEM
from app.lib.clock import utc_now
from tests.factory import visit_body

NOTHING = {"visits": 0, "announcements": 0, "doNotAdmitEntries": 0, "accounts": 0}


async def _announce(resident_id, days_ahead: int = 1):
    starts = (expected.today() + timedelta(days=days_ahead)).isoformat()
    return await expected.announce(
        SYSTEM, expected_schemas.ExpectedInput(visitor_name="Rui Lopes", starts_on=starts, resident_id=resident_id)
    )


async def _refer(factory, kind: str, resident_id) -> None:
    if kind == "visits":
        await factory.visit(resident_id)
    elif kind == "announcements":
        await _announce(resident_id)
    elif kind == "doNotAdmitEntries":
        await bans.add_ban(
            SYSTEM, ban_schemas.BanInput(reason="Threatened a guard", name="Ex Partner", resident_id=resident_id)
        )
    else:
        await factory.caller("resident", resident_id)


@pytest.mark.parametrize("kind", ["visits", "announcements", "doNotAdmitEntries", "accounts"])
async def test_a_resident_anything_refers_to_is_a_409_with_counts_and_the_way_out(client, factory, kind, admin):
    resident = await factory.resident()
    await _refer(factory, kind, resident.id)
    response = await client.delete(f"/api/residents/{resident.id}", headers=admin.headers)
    assert response.status_code == 409, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["references"] == NOTHING | {kind: 1}
    assert "deactivate the resident instead" in problem["detail"]
    assert (await client.get(f"/api/residents/{resident.id}", headers=admin.headers)).status_code == 200


async def test_every_kind_of_reference_is_counted(client, factory, admin):
    resident = await factory.resident()
    for kind in ("visits", "visits", "announcements", "doNotAdmitEntries", "accounts"):
        await _refer(factory, kind, resident.id)
    response = await client.delete(f"/api/residents/{resident.id}", headers=admin.headers)
    assert response.status_code == 409
    assert response.json()["references"] == {"visits": 2, "announcements": 1, "doNotAdmitEntries": 1, "accounts": 1}
    assert "(2 visits, 1 announced visitor, 1 do-not-admit entry, 1 account)" in response.json()["detail"]
    visits = await client.get(f"/api/visits?residentId={resident.id}", headers=admin.headers)
    assert len(visits.json()) == 2  # nothing half-deleted


async def test_deactivating_instead_keeps_every_record(client, factory, admin):
    resident = await factory.resident(name="Ana Lima", unit="B-302")
    await _refer(factory, "announcements", resident.id)
    body = {"name": "Ana Lima", "unit": "B-302", "active": False}
    response = await client.put(f"/api/residents/{resident.id}", json=body, headers=admin.headers)
    assert response.status_code == 200
    assert response.json()["active"] is False


async def test_a_visit_that_came_from_an_announcement_can_be_deleted(client, factory, admin):
    """A visit points at its resident, announcement and author; nothing points at a visit."""
    resident = await factory.resident()
    announced = await _announce(resident.id, days_ahead=0)
    body = visit_body(resident.id, expectedVisitId=str(announced.id), arrivalDate=utc_now().isoformat())
    created = await client.post("/api/visits", json=body, headers=admin.headers)
    assert created.status_code == 201, created.text
    response = await client.delete(f"/api/visits/{created.json()['id']}", headers=admin.headers)
    assert response.status_code == 204
    assert (await client.get(f"/api/expected-visits/{announced.id}", headers=admin.headers)).status_code == 200


async def test_an_announcement_a_visit_used_can_be_cancelled_and_the_visit_stays(client, factory, admin):
    resident = await factory.resident()
    announced = await _announce(resident.id, days_ahead=0)
    body = visit_body(resident.id, expectedVisitId=str(announced.id), arrivalDate=utc_now().isoformat())
    visit = (await client.post("/api/visits", json=body, headers=admin.headers)).json()
    response = await client.delete(f"/api/expected-visits/{announced.id}", headers=admin.headers)
    assert response.status_code == 204
    assert (await client.get(f"/api/visits/{visit['id']}", headers=admin.headers)).status_code == 200


async def test_a_foreign_key_the_rules_missed_is_a_409_on_both_doors_not_a_500(
    client, factory, monkeypatch, caplog, admin
):
    """The net under every delete rule: here the resident rule is switched off and the database refuses."""
    from app.domain.residents import service as residents
    from tests.pages import sign_in

    async def nothing_refers(_resident_id):
        return dict(NOTHING)

    monkeypatch.setattr(residents, "references_to", nothing_refers)
    resident = await factory.resident()
    await factory.visit(resident.id)
    response = await client.delete(f"/api/residents/{resident.id}", headers=admin.headers)
    assert response.status_code == 409
    assert response.headers["content-type"].startswith("application/problem+json")
    assert "refer to this one" in response.json()["detail"]

    signed_in, token = await sign_in(client, admin.actor.email, next_url="/admin/residents")
    page = await client.post(f"/admin/residents/{resident.id}/delete", data={"_csrf_token": token})
    assert page.status_code == 409
    assert "refer to this one" in page.text
    assert (await client.get(f"/api/residents/{resident.id}", headers=admin.headers)).status_code == 200
    assert not [record for record in caplog.records if record.exc_info]


async def test_the_other_removals_keep_the_rows_others_refer_to(client, factory, admin, guard):
    """Do-not-admit entries are lifted, accounts deactivated, tokens revoked: none deletes a row, so a
    visit, an audit entry or a token that points at one keeps pointing at it."""
    from app.db.tables import Account, ApiToken, BannedVisitor, Visit
    from app.domain.accounts import admin as account_admin
    from app.domain.accounts import tokens as api_tokens

    resident = await factory.resident()
    created = await client.post("/api/visits", json=visit_body(resident.id), headers=guard.headers)
    assert created.status_code == 201
    ban = await bans.add_ban(admin.actor, ban_schemas.BanInput(reason="Threatened a guard", name="Ex Partner"))

    await bans.lift_ban(admin.actor, ban.id)
    token_id = await ApiToken.select(ApiToken.id).where(ApiToken.account == guard.actor.account_id).first()
    await api_tokens.revoke_token(admin.actor, token_id["id"])
    await account_admin.set_active(admin.actor, guard.actor.account_id, False)

    assert await BannedVisitor.count() == 1
    assert await ApiToken.count().where(ApiToken.account == guard.actor.account_id) == 1
    assert await Account.count().where(Account.id == guard.actor.account_id) == 1
    visit = await Visit.select(Visit.created_by).where(Visit.id == created.json()["id"]).first()
    assert visit["created_by"] == guard.actor.account_id
