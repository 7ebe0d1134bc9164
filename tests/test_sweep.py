"""The end-of-day sweep (issue 7): the service, its race with a guard, the API field, the schedule, the command."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest

from app.db.tables import AuditEvent, Visit
from app.domain.kiosk import board, sweep
from app.domain.visits import service as visits
from app.domain.visits.forms import values_of, visit_input
from app.lib import live
from app.lib.actors import SYSTEM
from app.lib.errors import Conflict, Forbidden, Invalid
from app.web.forms import Form
from tests.test_cli import gatehouse

CUTOFF = datetime(2026, 1, 2, 0, 0, tzinfo=UTC)


async def swept_events(visit_id=None) -> list[dict]:
    query = AuditEvent.select().where(AuditEvent.action == sweep.SWEPT)
    if visit_id is not None:
        query = query.where(AuditEvent.record_id == visit_id)
    return await query


async def stored(visit_id) -> dict:
    return await Visit.select(Visit.departure_date, Visit.departure_automatic).where(Visit.id == visit_id).first()


async def test_sweep_checks_out_only_visitors_left_on_the_board_before_the_cut_off(factory):
    resident = await factory.resident()
    left_on_board = await factory.visit(resident.id, arrival_date="2026-01-01T10:00:00+00:00")
    just_before = await factory.visit(resident.id, arrival_date="2026-01-01T23:59:59+00:00")
    arrived_after = await factory.visit(resident.id, arrival_date="2026-01-02T00:00:00+00:00")
    checked_out = await factory.visit(resident.id, arrival_date="2026-01-01T09:00:00+00:00")
    checked_out = await visits.check_out(SYSTEM, checked_out.id)
    heard: list[tuple[dict, str]] = []
    live.configure(lambda event, channel: heard.append((event, channel)))
    try:
        result = await sweep.sweep(SYSTEM, CUTOFF)
    finally:
        live.configure(None)

    assert [v.id for v in result.visits] == [left_on_board.id, just_before.id]
    assert not result.dry_run and result.before == CUTOFF
    for visit in result.visits:
        assert visit.departure_date == CUTOFF and visit.departure_automatic is True
        assert await stored(visit.id) == {"departure_date": CUTOFF, "departure_automatic": True}
        (event,) = await swept_events(visit.id)
        assert event["actor_email"] == "system"
    assert await stored(arrived_after.id) == {"departure_date": None, "departure_automatic": False}
    assert await stored(checked_out.id) == {"departure_date": checked_out.departure_date, "departure_automatic": False}
    assert len(await swept_events()) == 2
    kiosk_changes = [(e["change"], e["visitId"]) for e, channel in heard if channel == live.CHANNEL]
    assert kiosk_changes == [("checked-out", str(left_on_board.id)), ("checked-out", str(just_before.id))]
    assert {channel for _, channel in heard} == {live.CHANNEL, live.resident_channel(resident.id)}

    again = await sweep.sweep(SYSTEM, CUTOFF)
    assert again.visits == [] and len(await swept_events()) == 2


async def test_dry_run_lists_the_same_visits_and_writes_nothing(factory):
    resident = await factory.resident()
    forgotten = await factory.visit(resident.id, arrival_date="2026-01-01T10:00:00+00:00")
    await factory.visit(resident.id, arrival_date="2026-01-02T08:00:00+00:00")
    events_before = await AuditEvent.count()

    preview = await sweep.sweep(SYSTEM, CUTOFF, dry_run=True)

    assert preview.dry_run and [v.id for v in preview.visits] == [forgotten.id]
    assert preview.visits[0].departure_date is None
    assert await Visit.count().where(Visit.departure_date.is_not_null()) == 0
    assert await AuditEvent.count() == events_before


async def test_only_administrators_sweep(guard):
    with pytest.raises(Forbidden):
        await sweep.sweep(guard.actor, CUTOFF)


async def test_a_guard_checking_out_while_the_sweep_runs_leaves_exactly_one_departure(factory, guard):
    resident = await factory.resident()
    forgotten = [await factory.visit(resident.id, arrival_date="2026-01-01T10:00:00+00:00") for _ in range(8)]

    async def guard_checks_out(visit_id):
        try:
            return await visits.check_out(guard.actor, visit_id)
        except Conflict:
            return None

    cutoff = datetime.now(UTC).replace(microsecond=0)
    outcomes = await asyncio.gather(
        *[guard_checks_out(v.id) for v in forgotten[:4]],
        sweep.sweep(SYSTEM, cutoff),
        *[guard_checks_out(v.id) for v in forgotten[4:]],
    )
    swept_ids = {v.id for v in outcomes[4].visits}
    guards_ids = {o.id for o in outcomes[:4] + outcomes[5:] if o is not None}

    assert swept_ids | guards_ids == {v.id for v in forgotten}
    assert not swept_ids & guards_ids
    for visit in forgotten:
        row = await stored(visit.id)
        actions = [
            e["action"] for e in await AuditEvent.select(AuditEvent.action).where(AuditEvent.record_id == visit.id)
        ]
        departures = [a for a in actions if a in (visits.CHECKED_OUT, sweep.SWEPT)]
        assert len(departures) == 1, (visit.id, actions)
        assert row["departure_automatic"] is (departures[0] == sweep.SWEPT)
        assert row["departure_date"] is not None


async def test_two_workers_sweeping_at_once_record_each_visit_once(factory):
    resident = await factory.resident()
    forgotten = [await factory.visit(resident.id, arrival_date="2026-01-01T10:00:00+00:00") for _ in range(5)]
    first, second = await asyncio.gather(sweep.sweep(SYSTEM, CUTOFF), sweep.sweep(SYSTEM, CUTOFF))
    assert sorted(v.id for v in first.visits + second.visits) == sorted(v.id for v in forgotten)
    assert len(await swept_events()) == 5


async def test_after_the_sweep_a_guard_cannot_check_out_or_undo_and_a_correction_is_theirs(factory, guard):
    resident = await factory.resident()
    visit = await factory.visit(resident.id, arrival_date="2026-01-01T10:00:00+00:00")
    await sweep.sweep(SYSTEM, CUTOFF)

    with pytest.raises(Conflict, match="already left"):
        await visits.check_out(guard.actor, visit.id)
    with pytest.raises(Conflict, match="can no longer be undone"):
        await board.undo_check_out(guard.actor, visit.id)

    swept = await visits.get_visit(guard.actor, visit.id)
    same = visit_input(Form(values_of(swept) | {"visitorName": "Maria Silva"}), arrival_default_now=False)
    kept = await visits.update_visit(guard.actor, visit.id, same)
    assert kept.departure_automatic is True and kept.departure_date == CUTOFF  # a name fixed, departure untouched

    real_exit = Form(values_of(kept) | {"departureDate": "2026-01-01T18:45:00"})
    corrected = await visits.update_visit(guard.actor, visit.id, visit_input(real_exit, arrival_default_now=False))
    assert corrected.departure_automatic is False
    assert corrected.departure_date == datetime(2026, 1, 1, 18, 45, tzinfo=UTC)


async def test_cut_off_defaults_to_the_start_of_today_in_the_site_zone_and_refuses_bad_or_future_values():
    from zoneinfo import ZoneInfo

    from app.lib import site

    site.configure(ZoneInfo("America/Sao_Paulo"))
    try:
        now = datetime(2026, 11, 28, 2, 0, tzinfo=UTC)  # still 27 November, 23:00, in Sao Paulo
        assert sweep.cutoff(None, now) == datetime(2026, 11, 27, 3, 0, tzinfo=UTC)
        assert sweep.cutoff("2026-11-27T06:00", now) == datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
        assert sweep.cutoff("2026-11-27", now) == datetime(2026, 11, 27, 3, 0, tzinfo=UTC)
        with pytest.raises(Invalid) as future:
            sweep.cutoff("2026-11-28T02:00:01Z", now)
        assert "future" in future.value.errors["before"]
        with pytest.raises(Invalid) as nonsense:
            sweep.cutoff("yesterday", now)
        assert "ISO 8601" in nonsense.value.errors["before"]
    finally:
        site.configure(UTC)


async def test_api_visit_says_whether_its_departure_was_automatic_and_openapi_documents_it(client, factory, guard):
    resident = await factory.resident()
    forgotten = await factory.visit(resident.id, arrival_date="2026-01-01T10:00:00+00:00")
    by_guard = await factory.visit(resident.id, arrival_date="2026-01-01T11:00:00+00:00")
    await client.post(f"/api/visits/{by_guard.id}/checkout", headers=guard.headers)
    await sweep.sweep(SYSTEM, CUTOFF)

    body = (await client.get(f"/api/visits/{forgotten.id}", headers=guard.headers)).json()
    assert body["departureAutomatic"] is True and body["departureDate"] == "2026-01-02T00:00:00Z"
    assert (await client.get(f"/api/visits/{by_guard.id}", headers=guard.headers)).json()["departureAutomatic"] is False
    listed = (await client.get("/api/visits?onSite=false", headers=guard.headers)).json()
    assert {v["id"]: v["departureAutomatic"] for v in listed} == {str(forgotten.id): True, str(by_guard.id): False}

    schema = (await client.get("/schema/openapi.json")).json()["components"]["schemas"]["Visit"]
    field = schema["properties"]["departureAutomatic"]
    assert field["type"] == "boolean" and "sweep" in field["description"]
    assert "departureAutomatic" not in schema.get("required", [])


async def test_sweep_command_lists_checks_out_and_exits_by_outcome(factory):
    resident = await factory.resident(name="Ana Lima")
    forgotten = await factory.visit(
        resident.id, visitor_name="Maria Silva", license_plate="abc-1d23", arrival_date="2026-01-01T10:00:00+00:00"
    )

    dry = gatehouse("sweep", "--before", "2026-01-02T00:00:00Z", "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "Would check out 1 visitor who arrived before Jan 2, 2026, 12:00\u202fAM (UTC)" in dry.stdout
    assert "Maria Silva  visiting Ana Lima  ABC-1D23" in dry.stdout
    assert await stored(forgotten.id) == {"departure_date": None, "departure_automatic": False}

    done = gatehouse("sweep", "--before", "2026-01-02T00:00:00Z")
    assert done.returncode == 0, done.stderr
    assert "Checked out 1 visitor" in done.stdout and "Maria Silva" in done.stdout
    assert await stored(forgotten.id) == {"departure_date": CUTOFF, "departure_automatic": True}
    assert len(await swept_events(forgotten.id)) == 1

    nothing = gatehouse("sweep")  # default cut-off: the start of today
    assert nothing.returncode == 0 and "Nobody who arrived before" in nothing.stdout

    for bad, message in [("yesterday", "error: before is not an ISO 8601"), ("2999-01-01", "error: before is in the")]:
        refused = gatehouse("sweep", "--before", bad)
        assert refused.returncode == 1 and message in refused.stderr, refused.stderr
    assert gatehouse("sweep", "--after", "2026-01-01").returncode == 2
