"""Retention (gatehouse purge) and erasure on request: personal data goes, statistics and on-site visits stay."""

from __future__ import annotations

import os
from datetime import timedelta

import pytest

from app.db.tables import AuditEvent, ExpectedVisit, StandingPermission, Visit
from app.domain.expected import schemas as expected_schemas
from app.domain.expected import service as expected
from app.domain.permissions import service as permissions
from app.domain.permissions.schemas import StandingPermissionInput
from app.domain.records import retention
from app.domain.visits import schemas as visit_schemas
from app.domain.visits import service as visits
from app.lib.actors import SYSTEM
from app.lib.clock import utc_now
from app.lib.errors import Forbidden, Invalid
from tests.test_backup import run
from tests.test_cli import GATEHOUSE, gatehouse


async def visit(resident_id, name: str, plate: str | None, arrived_days_ago: float, left_days_ago: float | None):
    now = utc_now()
    body = {
        "resident_id": resident_id,
        "visitor_name": name,
        "total_people": 3,
        "subject": "Delivery",
        "arrival_date": (now - timedelta(days=arrived_days_ago)).isoformat(),
        "license_plate": plate,
        "vehicle_color": "Red" if plate else None,
    }
    if left_days_ago is not None:
        body["departure_date"] = (now - timedelta(days=left_days_ago)).isoformat()
    return await visits.create_visit(SYSTEM, visit_schemas.VisitInput(**body))


async def audit_text() -> str:
    return str(await AuditEvent.select(AuditEvent.changes))


async def row(visit_id):
    return await Visit.select().where(Visit.id == visit_id).first()


async def test_purge_anonymises_only_visits_that_left_before_the_cutoff_and_redacts_their_audit(db, factory):
    resident = await factory.resident()
    old = await visit(resident.id, "Olga Oldtimer", "OLD-0001", 50, 45)
    recent = await visit(resident.id, "Rita Recent", "NEW-0002", 10, 9)
    inside = await visit(resident.id, "Ivan Inside", "INS-0003", 60, None)
    # a correction of the old visit puts its old and new names in the audit trail
    corrected = visit_schemas.VisitInput(
        resident_id=resident.id,
        visitor_name="Olga Oldtimer-Smith",
        total_people=3,
        subject="Delivery",
        arrival_date=old.arrival_date.isoformat(),
        departure_date=old.departure_date.isoformat(),
        license_plate="OLD-0001",
        vehicle_color="Red",
    )
    await visits.update_visit(SYSTEM, old.id, corrected)
    deleted = await visit(resident.id, "Dora Deleted", "DEL-0004", 40, 35)
    await visits.delete_visit(SYSTEM, deleted.id)
    before_old = await row(old.id)

    plan = await retention.purge_preview(SYSTEM, 30)
    assert (plan.visits, plan.audit_events) == (1, 4)  # Olga: created and updated; Dora: created and deleted
    assert (await row(old.id))["visitor_name"] == "Olga Oldtimer-Smith"

    done = await retention.purge(SYSTEM, 30)
    assert (done.visits, done.audit_events) == (1, 4)

    after = await row(old.id)
    assert after["visitor_name"] == retention.ANONYMISED_NAME
    assert after["license_plate"] is None and after["plate_key"] is None and after["vehicle_color"] is None
    for kept in ("resident", "total_people", "subject", "arrival_date", "departure_date", "created_at"):
        assert after[kept] == before_old[kept], kept
    assert (await row(recent.id))["visitor_name"] == "Rita Recent"
    assert (await row(inside.id))["license_plate"] == "INS-0003"

    trail = await audit_text()
    for gone in ("Olga", "OLD-0001", "OLD0001", "Dora", "DEL-0004"):
        assert gone not in trail, gone
    for kept in ("Rita Recent", "NEW-0002", "Ivan Inside"):
        assert kept in trail, kept
    purges = await AuditEvent.select().where(AuditEvent.action == "visits.purged")
    assert len(purges) == 2 and all(p["actor_email"] == "system" for p in purges)

    again = await retention.purge(SYSTEM, 30)
    assert (again.visits, again.audit_events) == (0, 0)


async def test_purge_and_erasure_are_for_administrators_and_reject_bad_input(db, guard):
    with pytest.raises(Forbidden):
        await retention.purge(guard.actor, 30)
    with pytest.raises(Forbidden):
        await retention.erasure_preview(guard.actor, plate="ABC1234")
    with pytest.raises(Invalid) as zero:
        await retention.purge(SYSTEM, 0)
    assert "retentionDays" in zero.value.errors
    for kwargs, field in (({}, "name"), ({"name": "A", "plate": "B"}, "name"), ({"plate": " - "}, "plate")):
        with pytest.raises(Invalid) as bad:
            await retention.erasure_preview(SYSTEM, **kwargs)
        assert field in bad.value.errors
    with pytest.raises(Invalid) as blank:
        await retention.erase(SYSTEM, name="   ")
    assert blank.value.errors == {"name": "is required and cannot be blank"}


async def test_erasure_by_plate_matches_its_normalised_key_and_spares_visitors_on_site(db, factory):
    resident = await factory.resident()
    one = await visit(resident.id, "Paulo Plate", "abc-1d23", 3, 2)
    two = await visit(resident.id, "Paula Plate", "ABC 1D23", 2, 1)
    inside = await visit(resident.id, "Pietro Inside", "abc1d23", 0.01, None)
    other = await visit(resident.id, "Otto Other", "XYZ-9999", 2, 1)

    preview = await retention.erasure_preview(SYSTEM, plate="Abc1D23")
    assert [v.id for v in preview.erasable] == [one.id, two.id]
    assert [v.id for v in preview.on_site] == [inside.id]
    assert preview.audit_events == 2

    done = await retention.erase(SYSTEM, plate="Abc1D23")
    assert (done.visits, done.audit_events, done.on_site_skipped) == (2, 2, 1)
    for erased in (one, two):
        stored = await row(erased.id)
        assert stored["visitor_name"] == retention.ANONYMISED_NAME and stored["plate_key"] is None
        assert stored["total_people"] == 3
    assert (await row(inside.id))["plate_key"] == "ABC1D23"
    assert (await row(other.id))["visitor_name"] == "Otto Other"
    trail = await audit_text()
    assert "Paulo" not in trail and "Paula" not in trail and "Pietro Inside" in trail
    erasures = await AuditEvent.select().where(AuditEvent.action == "visit.erased")
    assert sorted(e["record_id"] for e in erasures) == sorted([one.id, two.id])
    assert "ABC" not in str(erasures)


async def test_erasure_by_name_ignores_case_and_accents_but_not_other_names(db, factory):
    resident = await factory.resident()
    accented = await visit(resident.id, "José Álvarez", None, 3, 2)
    plain = await visit(resident.id, "jose  alvarez", None, 3, 2)
    similar = await visit(resident.id, "Josefa Alvarez", None, 3, 2)

    preview = await retention.erasure_preview(SYSTEM, name="JOSE ALVAREZ")
    assert sorted(v.id for v in preview.erasable) == sorted([accented.id, plain.id])

    await retention.erase(SYSTEM, name="JOSE ALVAREZ")
    assert (await row(similar.id))["visitor_name"] == "Josefa Alvarez"
    assert await Visit.count().where(Visit.visitor_name == retention.ANONYMISED_NAME) == 2


def test_gatehouse_purge_needs_a_valid_retention_days(db):
    missing = gatehouse("purge")
    assert missing.returncode == 1 and "RETENTION_DAYS is not set" in missing.stderr
    os.environ["RETENTION_DAYS"] = "a year"
    try:
        wrong = gatehouse("purge", "--dry-run")
    finally:
        del os.environ["RETENTION_DAYS"]
    assert wrong.returncode == 1 and "RETENTION_DAYS" in wrong.stderr


async def test_gatehouse_purge_dry_run_counts_then_purges(db, factory, monkeypatch):
    resident = await factory.resident()
    old = await visit(resident.id, "Olga Oldtimer", "OLD-0001", 50, 45)
    await visit(resident.id, "Rita Recent", None, 10, 9)
    monkeypatch.setenv("RETENTION_DAYS", "30")

    dry = gatehouse("purge", "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "Dry run: 1 visit that left" in dry.stdout and "1 audit entry redacted" in dry.stdout
    assert (await row(old.id))["visitor_name"] == "Olga Oldtimer"

    real = gatehouse("purge")
    assert real.returncode == 0, real.stderr
    assert "Anonymised 1 visit that left" in real.stdout
    assert (await row(old.id))["visitor_name"] == retention.ANONYMISED_NAME


async def test_gatehouse_erase_previews_asks_and_erases(db, factory):
    resident = await factory.resident(name="Bruno Costa")
    gone = await visit(resident.id, "Maria Silva", "ABC-1D23", 3, 2)

    declined = await run(GATEHOUSE, "erase", "--plate", "abc1d23", stdin="no\n")
    assert declined.returncode == 1 and "Nothing erased" in declined.stderr
    assert "1 visit matches" in declined.stdout
    assert "Maria Silva" in declined.stdout and "Bruno Costa" in declined.stdout
    assert (await row(gone.id))["visitor_name"] == "Maria Silva"

    both = gatehouse("erase", "--name", "x", "--plate", "y")
    assert both.returncode == 2 and "not allowed with" in both.stderr

    done = gatehouse("erase", "--name", "MARIA SILVA", "--yes")
    assert done.returncode == 0, done.stderr
    assert "Erased the personal data of 1 visit" in done.stdout
    assert (await row(gone.id))["visitor_name"] == retention.ANONYMISED_NAME

    only_a_permission = await grant(resident.id, "plate", license_plate="PRM-0001")
    cleared = gatehouse("erase", "--plate", "prm 0001", "--yes")
    assert cleared.returncode == 0, cleared.stderr
    assert "1 standing permission by a resident names this visitor" in cleared.stdout
    assert "Revoked and cleared 1 standing permission." in cleared.stdout
    assert (await stored_permission(only_a_permission.id))["license_plate"] is None


async def announce(resident_id, name: str, plate: str | None, note: str | None = None):
    data = expected_schemas.ExpectedInput(
        visitor_name=name,
        starts_on=expected.today().isoformat(),
        resident_id=resident_id,
        license_plate=plate,
        vehicle_color="Blue" if plate else None,
        note=note,
    )
    return await expected.announce(SYSTEM, data)


async def stored_announcement(expected_id):
    return await ExpectedVisit.select().where(ExpectedVisit.id == expected_id).first()


async def test_erasure_covers_residents_announcements_of_the_visitor_and_cancels_those_to_come(db, factory):
    resident = await factory.resident()
    coming = await announce(resident.id, "José Álvarez", "KZT-4R21", note="Has a key to the garage")
    other = await announce(resident.id, "Otto Other", "XYZ-9999")

    preview = await retention.erasure_preview(SYSTEM, name="jose alvarez")
    assert (preview.erasable, preview.announcements, preview.audit_events) == ([], 1, 1)

    done = await retention.erase(SYSTEM, name="jose alvarez")
    assert (done.visits, done.announcements, done.audit_events) == (0, 1, 1)
    erased = await stored_announcement(coming.id)
    assert erased["visitor_name"] == retention.ANONYMISED_NAME and erased["name_key"] == ""
    assert (erased["license_plate"], erased["plate_key"], erased["vehicle_color"], erased["note"]) == (None,) * 4
    assert erased["cancelled_at"] is not None, "an announcement still to come is cancelled"
    assert (await stored_announcement(other.id))["visitor_name"] == "Otto Other"
    assert [e.id for e in await expected.expected_today(SYSTEM)] == [other.id]

    trail = await audit_text()
    for gone in ("Álvarez", "KZT-4R21", "garage"):
        assert gone not in trail, gone
    assert "Otto Other" in trail
    records = await AuditEvent.select().where(AuditEvent.action == "expected.erased")
    assert [r["record_id"] for r in records] == [coming.id]
    assert (await retention.erasure_preview(SYSTEM, plate="kzt 4r21")).announcements == 0


async def test_purge_anonymises_announcements_that_ended_before_the_cutoff(db, factory):
    resident = await factory.resident()
    old = await announce(resident.id, "Olga Oldtimer", "OLD-0001", note="Comes on Mondays")
    current = await announce(resident.id, "Rita Recent", "NEW-0002")
    long_ago = expected.today() - timedelta(days=60)
    await ExpectedVisit.update({ExpectedVisit.starts_on: long_ago, ExpectedVisit.ends_on: long_ago}).where(
        ExpectedVisit.id == old.id
    )

    plan = await retention.purge_preview(SYSTEM, 30)
    assert (plan.visits, plan.announcements, plan.audit_events) == (0, 1, 1)
    done = await retention.purge(SYSTEM, 30)
    assert (done.announcements, done.audit_events) == (1, 1)

    purged = await stored_announcement(old.id)
    assert purged["visitor_name"] == retention.ANONYMISED_NAME and purged["note"] is None
    assert purged["cancelled_at"] is None, "an announcement that ended is not marked cancelled"
    assert (await stored_announcement(current.id))["license_plate"] == "NEW-0002"
    trail = await audit_text()
    assert "Olga" not in trail and "OLD-0001" not in trail and "Rita Recent" in trail
    assert (await retention.purge(SYSTEM, 30)).announcements == 0


async def test_erasure_and_purge_cover_requests_to_residents(db, factory, guard):
    from app.db.tables import EntryRequest
    from app.domain.entry_requests import service as entry_requests
    from app.domain.entry_requests.schemas import EntryRequestInput

    resident = await factory.resident()
    ask = EntryRequestInput(
        resident_id=resident.id, visitor_name="José Álvarez", subject="Guest", license_plate="kzt 4r21", note="Tall"
    )
    erased = await entry_requests.ask(guard.actor, ask)
    kept = await entry_requests.ask(
        guard.actor, EntryRequestInput(resident_id=resident.id, visitor_name="Otto", subject="Guest")
    )

    assert (await retention.erasure_preview(SYSTEM, plate="KZT-4R21")).audit_events == 1
    await retention.erase(SYSTEM, plate="KZT-4R21")
    row = await EntryRequest.select().where(EntryRequest.id == erased.id).first()
    assert row["visitor_name"] == retention.ANONYMISED_NAME and (row["license_plate"], row["note"]) == (None, None)
    assert row["status"] == "cancelled", "nobody is asked about an erased visitor"
    trail = await audit_text()
    assert "Álvarez" not in trail and "kzt" not in trail.lower() and "Otto" in trail

    await EntryRequest.update({EntryRequest.asked_at: utc_now() - timedelta(days=40)}).where(EntryRequest.id == kept.id)
    plan = await retention.purge_preview(SYSTEM, 30)
    done = await retention.purge(SYSTEM, 30)
    assert plan.audit_events == done.audit_events == 1
    assert (await EntryRequest.select().where(EntryRequest.id == kept.id).first())[
        "visitor_name"
    ] == retention.ANONYMISED_NAME
    assert "Otto" not in await audit_text()


async def grant(resident_id, kind: str, **fields):
    return await permissions.grant(SYSTEM, StandingPermissionInput(kind=kind, resident_id=resident_id, **fields))


async def stored_permission(permission_id):
    return await StandingPermission.select().where(StandingPermission.id == permission_id).first()


async def test_erasure_revokes_and_clears_standing_permissions_for_that_name_or_plate(db, factory):
    resident = await factory.resident()
    person = await grant(resident.id, "person", visitor_name="José Álvarez", note="Walks the dog")
    car = await grant(resident.id, "plate", license_plate="KZT-4R21")
    other = await grant(resident.id, "person", visitor_name="Otto Other")

    preview = await retention.erasure_preview(SYSTEM, name="jose alvarez")
    assert (preview.permissions, preview.audit_events) == (1, 1)
    done = await retention.erase(SYSTEM, name="jose alvarez")
    assert (done.permissions, done.audit_events) == (1, 1)
    erased = await stored_permission(person.id)
    assert erased["revoked_at"] is not None
    assert (erased["visitor_name"], erased["name_key"], erased["note"]) == (None, None, None)
    assert await permissions.pre_approval(resident.id, "José Álvarez", None, None) is None
    assert (await retention.erase(SYSTEM, plate="kzt 4r21")).permissions == 1
    assert (await stored_permission(car.id))["license_plate"] is None
    assert (await stored_permission(other.id))["visitor_name"] == "Otto Other"
    trail = await audit_text()
    for gone in ("Álvarez", "KZT-4R21", "dog"):
        assert gone not in trail, gone
    assert "Otto Other" in trail
    records = await AuditEvent.select(AuditEvent.record_id).where(AuditEvent.action == "permission.erased")
    assert {r["record_id"] for r in records} == {person.id, car.id}


async def test_purge_clears_standing_permissions_that_ended_before_the_cutoff(db, factory):
    resident = await factory.resident()
    old = await grant(resident.id, "plate", license_plate="OLD-0001", note="Builder")
    current = await grant(resident.id, "plate", license_plate="NEW-0002")
    long_ago = expected.today() - timedelta(days=60)
    await StandingPermission.update(
        {StandingPermission.starts_on: long_ago, StandingPermission.ends_on: long_ago}
    ).where(StandingPermission.id == old.id)

    assert (await retention.purge_preview(SYSTEM, 30)).permissions == 1
    done = await retention.purge(SYSTEM, 30)
    assert (done.permissions, done.audit_events) == (1, 1)
    assert (await stored_permission(old.id))["license_plate"] is None
    assert (await stored_permission(current.id))["license_plate"] == "NEW-0002"
    trail = await audit_text()
    assert "OLD-0001" not in trail and "Builder" not in trail and "NEW-0002" in trail
    assert (await retention.purge(SYSTEM, 30)).permissions == 0


async def test_gatehouse_purge_says_how_many_standing_permissions_it_clears(db, factory, monkeypatch):
    resident = await factory.resident()
    old = await grant(resident.id, "person", visitor_name="Olga Oldtimer")
    long_ago = expected.today() - timedelta(days=60)
    ended = {StandingPermission.starts_on: long_ago, StandingPermission.ends_on: long_ago}
    await StandingPermission.update(ended).where(StandingPermission.id == old.id)
    monkeypatch.setenv("RETENTION_DAYS", "30")
    dry = gatehouse("purge", "--dry-run")
    assert "1 standing permission that ended would be revoked and cleared." in dry.stdout, dry.stderr
    assert (await stored_permission(old.id))["visitor_name"] == "Olga Oldtimer"
    real = gatehouse("purge")
    assert "Revoked and cleared 1 standing permission." in real.stdout, real.stderr
    assert (await stored_permission(old.id))["visitor_name"] is None
