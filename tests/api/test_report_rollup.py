"""The Reports' roll-up of closed days follows every way a past day's visits change.

Each test reads a report (so yesterday and the days before are kept in `report_day`), changes a past day by
one write path, and reads it again: the numbers moved as they should, and they are the numbers a fresh count
gives with nothing kept (what the Reports answered before there was a roll-up)."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from app import demo
from app.db import reads
from app.domain.kiosk import board, sweep
from app.domain.records import retention
from app.domain.reports import service as reports
from app.domain.visits import schemas as visit_schemas
from app.domain.visits import service as visits
from app.lib import site


async def _sql(sql: str, args: list | None = None) -> list[tuple]:
    return await reads.run_statement(sql, reads.numbered(sql), args or [], inline=False)


async def _report(admin, days: int = 30) -> reports.Report:
    """The Reports page's period, read through the roll-up, checked against a count with nothing kept."""
    kept = await reports.report(admin.actor, days)
    for table in ("report_day", "report_stale", "report_horizon"):
        await _sql(f"DELETE FROM {table}")  # noqa: S608 - the names above
    assert await reports.report(admin.actor, days) == kept
    return await reports.report(admin.actor, days)  # and kept again, for the change that follows


def _day(report: reports.Report, days_ago: int) -> int:
    return report.days[-1 - days_ago].visits


def _at(days_ago: int, hour: int, minute: int = 0) -> str:
    day = reports.today() - timedelta(days=days_ago)
    return datetime.combine(day, time(hour, minute), tzinfo=UTC).isoformat()


@pytest.fixture
async def yesterday(factory):
    """A household and two visits yesterday: one that left after an hour, one still inside."""
    home = await factory.resident()
    left = await factory.visit(home.id, arrival_date=_at(1, 9), departure_date=_at(1, 10))
    inside = await factory.visit(home.id, arrival_date=_at(1, 11), subject="Plumber")
    return home, left, inside


async def test_a_correction_moves_a_visit_to_another_past_day_and_subject(yesterday, admin, guard):
    home, left, _ = yesterday
    before = await _report(admin)
    assert (_day(before, 1), _day(before, 3)) == (2, 0) and before.stays.median_minutes == 60
    corrected = visit_schemas.VisitInput(
        resident_id=home.id,
        visitor_name=left.visitor_name,
        total_people=1,
        subject="Delivery",
        arrival_date=_at(3, 9),
        departure_date=_at(3, 9, 30),
    )
    await visits.update_visit(guard.actor, left.id, corrected)
    after = await _report(admin)
    assert (_day(after, 1), _day(after, 3)) == (1, 1) and after.stays.median_minutes == 30
    assert {s.subject for s in after.subjects} == {"Delivery", "Plumber"}


async def test_checking_out_yesterdays_visitor_counts_their_stay(yesterday, admin, guard):
    _, _, inside = yesterday
    assert (await _report(admin)).stays.counted == 1
    await visits.check_out(guard.actor, inside.id)
    after = await _report(admin)
    assert after.stays.counted == 2 and after.stays.longest_minutes >= 13 * 60  # from 11:00 yesterday to now


async def test_undoing_that_check_out_takes_the_stay_back(yesterday, admin, guard):
    _, _, inside = yesterday
    await visits.check_out(guard.actor, inside.id)
    assert (await _report(admin)).stays.counted == 2
    await board.undo_check_out(guard.actor, inside.id)
    assert (await _report(admin)).stays.counted == 1


async def test_a_deleted_visit_leaves_its_day(yesterday, admin):
    _, left, _ = yesterday
    assert _day(await _report(admin), 1) == 2
    await visits.delete_visit(admin.actor, left.id)
    after = await _report(admin)
    assert _day(after, 1) == 1 and after.stays.counted == 0


async def test_the_sweep_counts_its_automatic_check_outs(yesterday, admin):
    assert (await _report(admin)).stays.automatic_check_outs == 0
    midnight = datetime.combine(reports.today(), time(0), tzinfo=UTC)
    assert len((await sweep.sweep(admin.actor, midnight)).visits) == 1
    assert (await _report(admin)).stays.automatic_check_outs == 1


async def test_a_visit_recorded_late_for_a_past_day_is_counted(yesterday, admin, factory):
    home, _, _ = yesterday
    assert _day(await _report(admin), 2) == 0
    await factory.visit(home.id, arrival_date=_at(2, 8))
    assert _day(await _report(admin), 2) == 1


async def test_erasure_leaves_the_numbers_and_marks_no_day(yesterday, admin):
    _, left, _ = yesterday
    before = await _report(admin)
    await retention.erase(admin.actor, name=left.visitor_name)
    assert await _sql("SELECT hour FROM report_stale") == []  # a name is not counted: the trigger stays quiet
    assert await _report(admin) == before


async def test_the_bulk_seeder_is_counted_on_the_days_it_fills(db, admin):
    assert sum(day.visits for day in (await _report(admin)).days) == 0
    await demo.seed_bulk(300, residents=5)
    assert sum(day.visits for day in (await _report(admin)).days) > 0  # _report checks them against a fresh count


async def test_a_check_in_of_today_marks_nothing(yesterday, admin, factory):
    home, _, _ = yesterday
    await _report(admin)
    await factory.visit(home.id, arrival_date=datetime.now(UTC).replace(microsecond=0).isoformat())
    assert await _sql("SELECT hour FROM report_stale") == []
    assert _day(await _report(admin), 0) == 1


async def test_another_time_zone_counts_the_days_again(yesterday, admin):
    await _report(admin)
    site.configure(ZoneInfo("Pacific/Kiritimati"))  # UTC+14: the days kept were UTC days
    shifted = await reports.report(admin.actor, 30)
    assert sorted(cell.hour for cell in shifted.busiest) == [1, 23]  # 09:00 and 11:00 UTC, at UTC+14
    assert await _report(admin) == shifted


async def test_a_change_inside_a_kept_month_is_counted(admin, factory):
    """90 days hold two whole months, kept as one row each beside their days."""
    home = await factory.resident()
    last_month = reports.today().replace(day=1) - timedelta(days=1)  # its last day
    days_ago = (reports.today() - last_month).days
    visit = await factory.visit(home.id, arrival_date=_at(days_ago, 12), departure_date=_at(days_ago, 14))
    assert _day(await _report(admin, 90), days_ago) == 1
    assert await _sql("SELECT day FROM report_day WHERE day = ?", [last_month.isoformat()[:7]])
    await visits.delete_visit(admin.actor, visit.id)
    after = await _report(admin, 90)
    assert _day(after, days_ago) == 0 and after.stays.counted == 0
