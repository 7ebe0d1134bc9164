"""The shift log on the API and its handover page: who may write and read, and what the handover gathers."""

from __future__ import annotations

from app.db.tables import AuditEvent, ShiftNote
from app.domain.bans import schemas as ban_schemas
from app.domain.bans import service as bans
from app.domain.entry_requests import service as entry_requests
from app.domain.entry_requests.schemas import AnswerInput, EntryRequestInput
from app.domain.parcels import service as parcels
from app.domain.parcels.schemas import ParcelInput
from app.domain.shift_log import service as shift_log
from app.domain.shift_log.schemas import ShiftNoteInput
from app.domain.visits import schemas as visit_schemas
from app.domain.visits import service as visits
from app.lib.actors import SYSTEM
from tests.factory import visit_body


async def test_guards_and_administrators_write_and_read_residents_may_not(client, homes, guard, admin):
    _, resident_a, _, _ = homes
    note = {"text": "Gate 2 lock sticks; maintenance called.", "category": "maintenance", "forNextShift": True}
    response = await client.post("/api/shift-notes", json=note, headers=guard.headers)
    assert response.status_code == 201, response.text
    written = response.json()
    assert response.headers["location"] == f"/api/shift-notes/{written['id']}"
    assert written["author"] == guard.actor.email and written["forNextShift"] is True and written["readAt"] is None
    assert (await client.post("/api/shift-notes", json=note, headers=resident_a.headers)).status_code == 403
    assert (await client.get("/api/shift-notes", headers=resident_a.headers)).status_code == 403
    assert (await client.get(f"/api/shift-notes/{written['id']}", headers=resident_a.headers)).status_code == 403
    assert (await client.get(f"/api/shift-notes/{written['id']}", headers=admin.headers)).json()["text"] == note["text"]
    listed = await client.get("/api/shift-notes?q=lock&category=maintenance", headers=admin.headers)
    assert [item["id"] for item in listed.json()] == [written["id"]]
    assert (await client.get("/api/shift-notes?category=nope", headers=admin.headers)).status_code == 400
    assert await AuditEvent.count().where(AuditEvent.action == "shift_note.written") == 1


async def test_bad_notes_name_every_field(client, guard):
    response = await client.post("/api/shift-notes", json={"text": " ", "category": "gossip"}, headers=guard.headers)
    assert response.status_code == 400
    assert {error["field"] for error in response.json()["errors"]} == {"text", "category"}
    assert await ShiftNote.count() == 0


async def test_the_handover_gathers_the_shift(homes, guard, factory):
    home_a, resident_a, home_b, _ = homes
    await shift_log.write_note(guard.actor, ShiftNoteInput(text="Keys with the manager", for_next_shift=True))
    await visits.create_visit(guard.actor, visit_schemas.CheckInInput(**_check_in(home_a.id, "Still Here")))
    await bans.add_ban(SYSTEM, ban_schemas.BanInput(reason="Threats", name="Banned Person"))
    await visits.create_visit(
        guard.actor,
        visit_schemas.CheckInInput(**_check_in(home_a.id, "Banned Person", override_reason="Resident insisted")),
    )
    asked = await entry_requests.ask(
        guard.actor, EntryRequestInput(resident_id=home_a.id, visitor_name="Unwanted Guest", subject="Visit")
    )
    await entry_requests.answer(resident_a.actor, asked.id, AnswerInput(decision="refuse"))
    await parcels.receive(SYSTEM, [ParcelInput(resident_id=home_b.id, carrier="Loggi", shelf="C3")])
    next_guard = (await factory.caller("guard")).actor
    assert (await shift_log.handover(guard.actor)).unread == 0, "the author's own note is not for them"
    assert await shift_log.mark_read(guard.actor) == 0
    handover = await shift_log.handover(next_guard)
    assert [note.text for note in handover.notes] == ["Keys with the manager"] and handover.unread == 1
    assert {line.visit.visitor_name for line in handover.board.lines} == {"Still Here", "Banned Person"}
    assert [(o.visitor_name, o.reason) for o in handover.overrides] == [("Banned Person", "Resident insisted")]
    assert [r.visitor_name for r in handover.refused] == ["Unwanted Guest"]
    assert [p.carrier for p in handover.parcels] == ["Loggi"] and handover.parcel_summary.waiting == 1
    assert await shift_log.mark_read(next_guard) == 1
    assert (await shift_log.handover(next_guard)).unread == 0
    assert (await shift_log.handover(next_guard)).notes[0].read_by == next_guard.email


def _check_in(resident_id, name, **extra) -> dict:
    body = visit_body(resident_id, visitorName=name)
    fields = {
        "resident_id": resident_id,
        "visitor_name": name,
        "subject": body["subject"],
        "total_people": body["totalPeople"],
        "arrival_date": body["arrivalDate"],
    }
    return fields | extra
