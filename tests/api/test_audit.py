"""Every visit and resident change leaves an audit event: who, when, from where, what changed."""

from __future__ import annotations

import json

from app.db.tables import AuditEvent
from app.domain.records import audit
from tests.factory import visit_body


async def events_of(record_id) -> list[dict]:
    rows = await AuditEvent.select().where(AuditEvent.record_id == record_id).order_by(AuditEvent.at)
    for row in rows:
        row["changes"] = json.loads(row["changes"]) if isinstance(row["changes"], str) else row["changes"]
    return rows


async def test_visit_lifecycle_is_recorded_with_actor_address_and_changes(client, factory, admin):
    resident = await factory.resident()
    created = (await client.post("/api/visits", json=visit_body(resident.id), headers=admin.headers)).json()
    await client.put(f"/api/visits/{created['id']}", json=visit_body(resident.id, totalPeople=5), headers=admin.headers)
    await client.post(f"/api/visits/{created['id']}/checkout", headers=admin.headers)
    await client.delete(f"/api/visits/{created['id']}", headers=admin.headers)

    events = await events_of(created["id"])
    assert [e["action"] for e in events] == ["visit.created", "visit.updated", "visit.checked_out", "visit.deleted"]
    assert {e["actor"] for e in events} == {admin.actor.account_id}
    assert {e["actor_email"] for e in events} == {admin.actor.email}
    assert all(e["address"] for e in events)
    assert events[0]["changes"]["visitorName"] == "Maria Silva"
    assert events[1]["changes"] == {"totalPeople": [2, 5]}
    assert events[2]["changes"]["departureDate"][0] is None
    assert events[3]["changes"]["id"] == created["id"]  # the deleted visit survives in its history


async def test_a_failed_update_records_nothing(client, factory, guard):
    resident = await factory.resident()
    created = (await client.post("/api/visits", json=visit_body(resident.id), headers=guard.headers)).json()
    bad = visit_body(resident.id, visitorName="")
    assert (await client.put(f"/api/visits/{created['id']}", json=bad, headers=guard.headers)).status_code == 400
    assert [e["action"] for e in await events_of(created["id"])] == ["visit.created"]


async def test_resident_changes_are_recorded(client, admin):
    created = (await client.post("/api/residents", json={"name": "Ana", "unit": "A-1"}, headers=admin.headers)).json()
    body = {"name": "Ana", "unit": "A-2"}
    await client.put(f"/api/residents/{created['id']}", json=body, headers=admin.headers)
    await client.delete(f"/api/residents/{created['id']}", headers=admin.headers)
    events = await events_of(created["id"])
    assert [e["action"] for e in events] == ["resident.created", "resident.updated", "resident.deleted"]
    assert events[1]["changes"] == {"unit": ["A-1", "A-2"]}


async def test_history_is_for_staff_only(factory):
    import pytest

    from app.lib.errors import Forbidden

    resident = await factory.resident()
    caller = await factory.caller("resident", resident_id=resident.id)
    with pytest.raises(Forbidden):
        await audit.history(caller.actor, "visit", resident.id)
