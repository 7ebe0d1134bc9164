"""Several gates: administrators define them, every check-in and check-out records one, residents see none."""

from __future__ import annotations

from app.domain.records import audit
from tests.factory import visit_body


def _fields(response) -> dict[str, str]:
    return {error["field"]: error["message"] for error in response.json()["errors"]}


async def _gates(client, caller) -> list[dict]:
    response = await client.get("/api/gates", headers=caller.headers)
    assert response.status_code == 200, response.text
    return response.json()


async def test_every_installation_has_one_default_gate_that_guards_and_admins_see(client, admin, guard):
    for caller in (admin, guard):
        (gate,) = await _gates(client, caller)
        assert gate["active"] is True and gate["default"] is True and gate["vehicles"] is True
        assert set(gate) == {"id", "name", "vehicles", "active", "default", "createdAt"}
        one = await client.get(f"/api/gates/{gate['id']}", headers=caller.headers)
        assert one.status_code == 200 and one.json() == gate


async def test_residents_and_anonymous_callers_see_no_gates(client, homes):
    _, resident_a, _, _ = homes
    assert (await client.get("/api/gates", headers=resident_a.headers)).status_code == 403
    assert (await client.get("/api/gates")).status_code == 401


async def test_only_administrators_add_and_change_gates(client, admin, guard, homes):
    _, resident_a, _, _ = homes
    body = {"name": "Service gate", "vehicles": False}
    for caller in (guard, resident_a):
        assert (await client.post("/api/gates", json=body, headers=caller.headers)).status_code == 403
    created = await client.post("/api/gates", json=body, headers=admin.headers)
    assert created.status_code == 201, created.text
    gate = created.json()
    assert created.headers["location"] == f"/api/gates/{gate['id']}"
    assert gate["name"] == "Service gate" and gate["vehicles"] is False and gate["default"] is False
    for caller in (guard, resident_a):
        refused = await client.put(f"/api/gates/{gate['id']}", json=body, headers=caller.headers)
        assert refused.status_code == 403
    renamed = await client.put(f"/api/gates/{gate['id']}", json={"name": "Pedestrian gate"}, headers=admin.headers)
    assert renamed.status_code == 200 and renamed.json()["name"] == "Pedestrian gate"
    assert renamed.json()["vehicles"] is True  # a PUT replaces the gate in full
    history = await audit.history(admin.actor, "gate", gate["id"])
    assert sorted(event.action for event in history) == ["gate.created", "gate.updated"]
    assert [g["name"] for g in await _gates(client, guard)][1] == "Pedestrian gate"


async def test_bad_gates_name_the_field(client, admin):
    (main,) = await _gates(client, admin)
    blank = await client.post("/api/gates", json={"name": "  "}, headers=admin.headers)
    assert blank.status_code == 400 and "name" in _fields(blank)
    long = await client.post("/api/gates", json={"name": "x" * 61}, headers=admin.headers)
    assert long.status_code == 400 and "name" in _fields(long)
    twice = await client.post("/api/gates", json={"name": main["name"].upper()}, headers=admin.headers)
    assert twice.status_code == 400 and "name" in _fields(twice)
    typed = await client.post("/api/gates", json={"name": "Side", "vehicles": "yes"}, headers=admin.headers)
    assert typed.status_code == 400
    missing = await client.put(
        "/api/gates/00000000-0000-4000-8000-000000000000", json={"name": "X"}, headers=admin.headers
    )
    assert missing.status_code == 404


async def test_the_last_active_gate_stays_active_and_the_default_moves_to_the_next(client, admin):
    (main,) = await _gates(client, admin)
    last = await client.put(
        f"/api/gates/{main['id']}", json={"name": main["name"], "active": False}, headers=admin.headers
    )
    assert last.status_code == 400 and "active" in _fields(last)
    side = (await client.post("/api/gates", json={"name": "Side gate"}, headers=admin.headers)).json()
    closed = await client.put(
        f"/api/gates/{main['id']}", json={"name": main["name"], "active": False}, headers=admin.headers
    )
    assert closed.status_code == 200 and closed.json()["default"] is False
    assert [(g["id"], g["default"]) for g in await _gates(client, admin)] == [(main["id"], False), (side["id"], True)]


async def test_a_check_in_records_its_gate_or_the_default_and_a_check_out_any_gate(client, admin, guard, resident):
    (main,) = await _gates(client, admin)
    side = (await client.post("/api/gates", json={"name": "Side gate"}, headers=admin.headers)).json()

    plain = await client.post("/api/visits", json=visit_body(resident.id), headers=guard.headers)
    assert plain.status_code == 201 and plain.json()["arrivalGateId"] == main["id"]
    assert plain.json()["departureGateId"] is None
    at_side = await client.post("/api/visits", json=visit_body(resident.id, gateId=side["id"]), headers=guard.headers)
    assert at_side.status_code == 201 and at_side.json()["arrivalGateId"] == side["id"]

    left = await client.post(
        f"/api/visits/{at_side.json()['id']}/checkout", json={"gateId": main["id"]}, headers=guard.headers
    )
    assert left.status_code == 200, left.text
    assert left.json()["arrivalGateId"] == side["id"] and left.json()["departureGateId"] == main["id"]
    by_default = await client.post(f"/api/visits/{plain.json()['id']}/checkout", headers=guard.headers)
    assert by_default.status_code == 200 and by_default.json()["departureGateId"] == main["id"]
    read = await client.get(f"/api/visits/{at_side.json()['id']}", headers=guard.headers)
    assert read.json() == left.json()
    events = await audit.history(guard.actor, "visit", at_side.json()["id"])
    checked_out = next(event for event in events if event.action == "visit.checked_out")
    assert checked_out.changes["departureGateId"] == [None, main["id"]]


async def test_an_unknown_or_closed_gate_is_a_field_error_and_records_nothing(client, admin, guard, resident):
    (main,) = await _gates(client, admin)
    side = (await client.post("/api/gates", json={"name": "Side gate"}, headers=admin.headers)).json()
    await client.put(f"/api/gates/{side['id']}", json={"name": "Side gate", "active": False}, headers=admin.headers)
    unknown = "00000000-0000-4000-8000-000000000000"
    for gate_id in (unknown, side["id"]):
        refused = await client.post("/api/visits", json=visit_body(resident.id, gateId=gate_id), headers=guard.headers)
        assert refused.status_code == 400 and "gateId" in _fields(refused), refused.text
    assert (await client.get("/api/visits", headers=guard.headers)).json() == []
    not_uuid = await client.post("/api/visits", json=visit_body(resident.id, gateId="main"), headers=guard.headers)
    assert not_uuid.status_code == 400

    inside = (await client.post("/api/visits", json=visit_body(resident.id), headers=guard.headers)).json()
    for gate_id in (unknown, side["id"]):
        refused = await client.post(
            f"/api/visits/{inside['id']}/checkout", json={"gateId": gate_id}, headers=guard.headers
        )
        assert refused.status_code == 400 and "gateId" in _fields(refused)
    still = await client.get(f"/api/visits/{inside['id']}", headers=guard.headers)
    assert still.json()["departureDate"] is None and still.json()["departureGateId"] is None
    not_uuid = await client.post(f"/api/visits/{inside['id']}/checkout", json={"gateId": 7}, headers=guard.headers)
    assert not_uuid.status_code == 400
    assert (
        await client.post(f"/api/visits/{inside['id']}/checkout", json={"gateId": main["id"]}, headers=guard.headers)
    ).status_code == 200


async def test_residents_cannot_check_out_at_a_gate_and_see_their_visits_gates(client, guard, homes):
    home_a, resident_a, _, _ = homes
    inside = (await client.post("/api/visits", json=visit_body(home_a.id), headers=guard.headers)).json()
    refused = await client.post(f"/api/visits/{inside['id']}/checkout", json={}, headers=resident_a.headers)
    assert refused.status_code == 403
    mine = await client.get(f"/api/visits/{inside['id']}", headers=resident_a.headers)
    assert mine.json()["arrivalGateId"] == inside["arrivalGateId"]


async def test_a_past_visit_came_and_went_by_one_gate_and_a_correction_back_inside_clears_the_departure_gate(
    client, admin, guard, resident
):
    side = (await client.post("/api/gates", json={"name": "Side gate"}, headers=admin.headers)).json()
    body = visit_body(resident.id, gateId=side["id"], departureDate="2026-11-01T15:00:00+00:00")
    past = (await client.post("/api/visits", json=body, headers=guard.headers)).json()
    assert past["arrivalGateId"] == past["departureGateId"] == side["id"]
    back = visit_body(resident.id)
    corrected = await client.put(f"/api/visits/{past['id']}", json=back, headers=guard.headers)
    assert corrected.status_code == 200, corrected.text
    assert corrected.json()["arrivalGateId"] == side["id"] and corrected.json()["departureGateId"] is None


async def test_the_list_can_keep_to_the_gates_in_use(client, admin):
    (main,) = await _gates(client, admin)
    side = (await client.post("/api/gates", json={"name": "Side gate", "active": False}, headers=admin.headers)).json()
    in_use = await client.get("/api/gates?active=true", headers=admin.headers)
    out_of_use = await client.get("/api/gates?active=false", headers=admin.headers)
    assert [g["id"] for g in in_use.json()] == [main["id"]] and [g["id"] for g in out_of_use.json()] == [side["id"]]
