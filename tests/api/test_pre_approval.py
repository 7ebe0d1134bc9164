"""The gate and standing permissions: who is pre-approved, what does not count, and that a ban wins."""

from __future__ import annotations

import json
from datetime import timedelta

from app.db.tables import AuditEvent, Resident, StandingPermission
from app.domain.bans import service as bans
from app.domain.bans.schemas import BanInput
from app.domain.expected.service import today
from app.domain.kiosk import gate
from app.domain.kiosk.gate_schemas import GateQuery
from app.domain.permissions import service as permissions
from app.domain.permissions.schemas import StandingPermissionInput
from app.domain.records import audit_labels
from app.lib.actors import SYSTEM
from tests.factory import visit_body

SPANISH = {"accept-language": "es"}


async def _grant(resident_id, kind: str, **fields):
    return await permissions.grant(SYSTEM, StandingPermissionInput(kind=kind, resident_id=resident_id, **fields))


async def test_a_person_a_plate_and_deliveries_are_pre_approved(db, factory):
    home = await factory.resident(name="Rita Souza", unit="A-101")
    person = await _grant(home.id, "person", visitor_name="José da Silva")
    plate = await _grant(home.id, "plate", license_plate="ABC-1D23")
    deliveries = await _grant(home.id, "deliveries", ends_on=(today() + timedelta(days=5)).isoformat())

    by_name = await permissions.pre_approval(home.id, "JOSE  DA-SILVA", None, "Guest")
    assert by_name.permission_id == person.id and by_name.kind == "person" and by_name.granted_by == "Rita Souza"
    assert by_name.until == person.ends_on
    assert await permissions.pre_approval(home.id, "José", None, "Guest") is None  # the whole name, not a part
    by_plate = await permissions.pre_approval(home.id, "Someone", "abc 1d23", None)
    assert by_plate.permission_id == plate.id
    for subject in ("Delivery", "delivery", "Entrega", " ENTREGA "):  # the quick pick, in any site language
        found = await permissions.pre_approval(home.id, "Courier", None, subject)
        assert found.permission_id == deliveries.id and found.kind == "deliveries", subject
    assert await permissions.pre_approval(home.id, "Courier", None, "Deliveries for the whole street") is None
    other = await factory.resident()
    assert await permissions.pre_approval(other.id, "José da Silva", "ABC1D23", "Delivery") is None


async def test_expired_future_revoked_and_a_former_residents_permissions_do_not_count(db, factory):
    home = await factory.resident()
    expired = await _grant(home.id, "person", visitor_name="Old Friend")
    past = {StandingPermission.starts_on: today() - timedelta(10), StandingPermission.ends_on: today() - timedelta(1)}
    await StandingPermission.update(past).where(StandingPermission.id == expired.id)
    assert await permissions.pre_approval(home.id, "Old Friend", None, None) is None
    tomorrow = (today() + timedelta(days=1)).isoformat()
    future = await _grant(home.id, "person", visitor_name="Future Friend", starts_on=tomorrow)
    assert future.starts_on > today()
    assert await permissions.pre_approval(home.id, "Future Friend", None, None) is None
    revoked = await _grant(home.id, "plate", license_plate="REV-0001")
    assert (await permissions.pre_approval(home.id, None, "REV-0001", None)).permission_id == revoked.id
    await permissions.revoke(SYSTEM, revoked.id)
    assert await permissions.pre_approval(home.id, None, "REV-0001", None) is None
    kept = await _grant(home.id, "deliveries")
    assert (await permissions.pre_approval(home.id, None, None, "Delivery")).permission_id == kept.id
    await Resident.update({Resident.active: False}).where(Resident.id == home.id)
    assert await permissions.pre_approval(home.id, None, None, "Delivery") is None


async def test_the_gate_shows_the_pre_approval_but_a_ban_wins(db, factory, guard):
    home = await factory.resident(name="Rita Souza")
    await _grant(home.id, "person", visitor_name="Carlos Lima")
    await _grant(home.id, "plate", license_plate="BAN-0001")
    checks = await gate.gate_checks(guard.actor, GateQuery(visitor_name="carlos lima", resident_id=home.id))
    assert checks.pre_approved is not None and checks.pre_approved.granted_by == "Rita Souza"
    assert (await gate.gate_checks(guard.actor, GateQuery(visitor_name="carlos lima"))).pre_approved is None
    await bans.add_ban(SYSTEM, BanInput(reason="Threatened the staff", license_plate="BAN-0001"))
    banned = await gate.gate_checks(guard.actor, GateQuery(license_plate="ban 0001", resident_id=home.id))
    assert [ban.reason for ban in banned.stopped_by] == ["Threatened the staff"] and banned.pre_approved is None


async def test_the_kiosk_shows_the_green_line_and_the_check_in_records_the_permission(kiosk, factory):
    client, token, htmx = kiosk
    home = await factory.resident(name="Rita Souza")
    deliveries = await _grant(home.id, "deliveries", note="Parcels <b>go</b> to the mailroom")
    query = {"residentId": str(home.id), "visitorName": "Courier", "subject": "Delivery"}
    checks = await client.get("/kiosk/checks", params=query, headers=htmx)
    assert "Pre-approved by Rita Souza (deliveries)" in checks.text and 'class="pre-approved"' in checks.text
    assert "Note: “Parcels &lt;b&gt;go&lt;/b&gt; to the mailroom”" in checks.text  # the guard reads the resident
    guest = await client.get("/kiosk/checks", params=query | {"subject": "Guest"}, headers=htmx)
    assert "Pre-approved" not in guest.text
    spanish = await client.get("/kiosk/checks", params=query | {"subject": "Entrega"}, headers=htmx | SPANISH)
    assert "Autorizado de antemano por Rita Souza (entregas)" in spanish.text
    form = visit_body(home.id, visitorName="Courier", subject="Delivery", licensePlate="", vehicleColor="")
    form |= {"_csrf_token": token, "arrivalDate": ""}
    response = await client.post("/kiosk/visits", data=form, headers=htmx)
    assert response.status_code == 200, response.text
    event = await AuditEvent.select(AuditEvent.changes).where(AuditEvent.action == "visit.created").first()
    changes = event["changes"] if isinstance(event["changes"], dict) else json.loads(event["changes"])
    assert changes["standingPermissionId"] == str(deliveries.id)
    assert f"Let in by standing permission: {deliveries.id}" in audit_labels.describe("visit.created", changes)
