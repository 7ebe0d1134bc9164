"""The audit trail names the gates a check-in, a check-out and a parcel recorded, never their ids."""

from __future__ import annotations

import re

from app.domain.gates import schemas as gate_schemas
from app.domain.gates import service as gates
from app.domain.records import audit_labels
from app.lib.actors import SYSTEM
from tests.factory import visit_body
from tests.pages import sign_in
from tests.web.test_audit_labels import visible_text


async def test_the_audit_trail_shows_each_gate_by_its_name(client, admin, guard, resident):
    main = (await gates.list_gates(SYSTEM))[0]
    side = await gates.create_gate(SYSTEM, gate_schemas.GateInput(name="Service gate", vehicles=False))
    arrived = await client.post("/api/visits", json=visit_body(resident.id, gateId=str(side.id)), headers=guard.headers)
    assert arrived.status_code == 201, arrived.text
    visit_id = arrived.json()["id"]
    left = await client.post(f"/api/visits/{visit_id}/checkout", json={"gateId": str(main.id)}, headers=guard.headers)
    assert left.status_code == 200, left.text
    parcel = {"residentId": str(resident.id), "carrier": "DHL", "size": "small", "gateId": str(side.id)}
    received = await client.post("/api/parcels", json=parcel, headers=guard.headers)
    assert received.status_code == 201, received.text

    await sign_in(client, admin.actor.email, next_url="/admin/audit")
    trail = await client.get("/admin/audit")
    assert trail.status_code == 200
    text = visible_text(trail.text)
    assert "Arrival gate: Service gate" in text
    assert "Departure gate: — → Main gate" in text
    assert "Gate: Service gate" in text
    assert not re.search(r"[Gg]ate: (— → )?[0-9a-f]{8}-", text), "a gate shown by its id"


def test_a_gate_no_longer_known_keeps_its_id_and_other_fields_are_untouched():
    names = {"7d1c0a52-0000-4000-8000-000000000001": "Main gate"}
    lines = audit_labels.describe(
        "visit.created",
        {"arrivalGateId": "7d1c0a52-0000-4000-8000-000000000001", "departureGateId": "unknown-id", "note": "Main"},
        gate_names=names,
    )
    assert lines == ["Arrival gate: Main gate", "Departure gate: unknown-id", "Note: Main"]
