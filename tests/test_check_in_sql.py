"""The check-in runs on the fixed SQL of app/db/writes.py (the profile's hot path), and stores what Piccolo stores."""

from __future__ import annotations

import copy
from uuid import uuid4

import pytest

from app.db import reads, writes
from app.db.tables import AuditEvent, Visit
from app.domain.bans import service as bans
from app.domain.expected.service import today
from app.domain.permissions import schemas as permission_schemas
from app.domain.permissions import service as permissions
from app.domain.records import audit
from app.domain.visits import schemas as visit_schemas
from app.domain.visits import service as visits
from app.lib.actors import SYSTEM
from app.lib.clock import utc_now


def _no_piccolo_queries(monkeypatch) -> None:
    """Any Piccolo query run from here on (a select, an insert, a save) fails the test."""

    async def refuse(*args, **kwargs):
        raise AssertionError("a Piccolo query was built and run on the check-in's path")

    monkeypatch.setattr(type(Visit._meta.db), "run_querystring", refuse)


def _no_read_back(monkeypatch) -> None:
    async def refuse(*args, **kwargs):
        raise AssertionError("the check-in read its visit back")

    monkeypatch.setattr(reads, "visit_row", refuse)


def _no_deep_copies(monkeypatch) -> None:
    """dataclasses.asdict deep-copied every column: a third of the check-in's own time in the profile."""

    def refuse(*args, **kwargs):
        raise AssertionError("the check-in deep-copied its values")

    monkeypatch.setattr(copy, "deepcopy", refuse)


@pytest.fixture
async def on_the_list(factory):
    """A guard, a resident, and an entry of the do-not-admit list for everyone on the visitor's plate."""
    admin = await factory.caller("admin")
    resident = await factory.resident(name="Ana Costa")
    guard = await factory.caller("guard")
    ban = await bans.add_ban(admin.actor, bans.BanInput(reason="Damaged the gate", license_plate="xyz-9876"))
    return guard, resident, ban


def _check_in(resident_id, **overrides) -> visit_schemas.CheckInInput:
    body = {
        "resident_id": resident_id,
        "visitor_name": "Maria Silva",
        "total_people": 2,
        "vehicle_color": "Blue",
        "license_plate": "XYZ 9876",
        "subject": "Guest",
        "arrival_date": "2026-11-01T14:30:00+00:00",
    }
    return visit_schemas.CheckInInput(**(body | overrides))


async def test_a_check_in_despite_the_list_builds_no_piccolo_query_copies_and_reads_nothing_back(
    monkeypatch, on_the_list
):
    guard, resident, ban = on_the_list
    _no_piccolo_queries(monkeypatch)
    _no_read_back(monkeypatch)
    _no_deep_copies(monkeypatch)

    created = await visits.create_visit(guard.actor, _check_in(resident.id, override_reason="Resident vouches"))
    monkeypatch.undo()

    assert created == await visits.get_visit(guard.actor, created.id)
    events = await audit.history(guard.actor, "visit", created.id)
    assert [event.action for event in events] == ["visit.created", "visit.ban_overridden"]
    assert events[0].changes == audit.snapshot(created)
    assert events[1].changes == {"overrideReason": "Resident vouches", "bans": [str(ban.id)]}
    assert events[0].actor_email == guard.actor.email


async def test_the_list_still_stops_a_visitor_on_name_or_plate_without_piccolo(monkeypatch, on_the_list, factory):
    guard, resident, _ = on_the_list
    admin = await factory.caller("admin")
    by_name = await bans.add_ban(admin.actor, bans.BanInput(reason="Threatened a guard", name="JOÃO Ribeiro"))
    other = await factory.resident()
    own = await bans.add_ban(
        admin.actor, bans.BanInput(reason="Not for this unit", name="Paula Reis", resident_id=other.id)
    )
    _no_piccolo_queries(monkeypatch)

    assert [b.id for b in await bans.matching("joao  ribeiro", None, resident.id)] == [by_name.id]
    assert [b.id for b in await bans.matching("Paula Reis", None, resident.id)] == []
    assert [b.id for b in await bans.matching("paula reis", "", other.id)] == [own.id]
    found = await bans.matching("João Ribeiro", "xyz9876", None)
    assert sorted(b.reason for b in found) == ["Damaged the gate", "Threatened a guard"]
    with pytest.raises(bans.Refused):
        await visits.create_visit(guard.actor, _check_in(resident.id))


def test_the_inserts_write_every_column_of_their_tables():
    assert set(writes.VISIT_COLUMNS) == {column._meta.db_column_name for column in Visit._meta.columns}
    assert set(writes.AUDIT_EVENT_COLUMNS) == {column._meta.db_column_name for column in AuditEvent._meta.columns}


async def test_the_check_ins_one_look_reads_what_its_three_reads_read(on_the_list, factory):
    """writes.check_in_look is one statement on PostgreSQL and three reads on SQLite: the same answers."""
    _, resident, _ = on_the_list
    admin = await factory.caller("admin")
    await bans.add_ban(admin.actor, bans.BanInput(reason="Not here", name="Maria Silva", resident_id=resident.id))
    await permissions.grant(
        SYSTEM,
        permission_schemas.StandingPermissionInput(kind="plate", license_plate="qrs-7788", resident_id=resident.id),
    )
    await permissions.grant(
        SYSTEM, permission_schemas.StandingPermissionInput(kind="deliveries", resident_id=resident.id)
    )
    gone = await factory.resident(active=False)
    now, day = utc_now(), today()
    cases = [
        ("maria silva", "XYZ9876", resident.id, False),  # both bans, no permission
        (None, "QRS7788", resident.id, True),  # the plate's permission and the deliveries'
        ("someone else", None, resident.id, False),  # nothing
        (None, None, resident.id, True),  # deliveries only
        ("maria silva", None, gone.id, True),  # an inactive resident
        ("maria silva", None, uuid4(), False),  # no such resident
    ]
    seen = []
    for name, plate, resident_id, delivery in cases:
        look = await writes.check_in_look(name, plate, resident_id, delivery, day, now)
        assert sorted(look.bans, key=str) == sorted(await writes.bans_matching(name, plate, resident_id, now), key=str)
        assert look.permission == await writes.permission_matching(resident_id, name, plate, delivery, day)
        assert look.state == await writes.check_in_state(resident_id)
        seen.append((len(look.bans), look.permission is not None, look.state is not None and look.state.active))
    assert seen == [
        (2, False, True),
        (0, True, True),
        (0, False, True),
        (0, True, True),
        (0, False, False),
        (0, False, False),
    ]
    assert (
        look.state is None and (await writes.check_in_look(None, None, resident.id, False, day, now)).state.default_gate
    )
