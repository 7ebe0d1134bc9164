"""The Reports' numbers against a fixture whose answers are known, on either database.

The site is in Lisbon, and the period holds the night its clocks go forward (2026-03-29, 01:00 UTC: UTC+0
to UTC+1), so a visit counted by the UTC day or by one offset for the whole period lands on the wrong day."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from uuid import uuid4
from zoneinfo import ZoneInfo

import pytest

from app.db.tables import AuditEvent
from app.db.tables import Visit as VisitTable
from app.domain.reports import service as reports
from app.domain.reports import tallies
from app.lib import site
from app.lib.actors import Actor
from app.lib.errors import Forbidden

LISBON = ZoneInfo("Europe/Lisbon")
# (arrival UTC, minutes stayed or None while inside, subject)
VISITS = [
    ("2026-03-26T23:59:00+00:00", 30, "Guest"),  # Thursday 23:59 local: before the period
    ("2026-03-27T09:10:00+00:00", 10, "Delivery"),  # Friday 09h, three of them
    ("2026-03-27T09:20:00+00:00", 45, "Delivery"),
    ("2026-03-27T09:50:00+00:00", 45, "Delivery"),
    ("2026-03-28T23:30:00+00:00", 200, "Guest"),  # Saturday 23h (UTC+0)
    ("2026-03-29T00:30:00+00:00", 300, "Guest"),  # Sunday 00h
    ("2026-03-29T01:30:00+00:00", None, "Guest"),  # Sunday 02h30 local: the clocks went forward at 01:00 UTC
    ("2026-03-29T23:30:00+00:00", None, "Plumber"),  # Monday 00h30 local (UTC+1), Sunday in UTC
    ("2026-03-30T22:59:00+00:00", None, "Guest"),  # Monday 23h59 local
    ("2026-03-30T23:00:00+00:00", None, "Guest"),  # Tuesday 00h local: after the period
]
FIRST, LAST = "2026-03-27", "2026-03-30"
PER_DAY = {"2026-03-27": 3, "2026-03-28": 1, "2026-03-29": 2, "2026-03-30": 2}
CELLS = {(5, 9): 3, (6, 23): 1, (7, 0): 1, (7, 2): 1, (1, 0): 1, (1, 23): 1}  # (ISO weekday, hour): arrivals


@pytest.fixture
async def gate(factory):
    """The fixture's visits, one automatic check-out and one override inside the period, two outside."""
    site.configure(LISBON, timedelta(hours=4))  # the next test's database fixture puts the defaults back
    home = await factory.resident()
    for arrival, minutes, subject in VISITS:
        left = None if minutes is None else datetime.fromisoformat(arrival) + timedelta(minutes=minutes)
        await factory.visit(home.id, arrival_date=arrival, subject=subject, departure_date=left and left.isoformat())
    late = await factory.visit(
        home.id, arrival_date="2026-03-28T10:00:00+00:00", departure_date="2026-03-28T23:00:00+00:00"
    )
    await VisitTable.update({VisitTable.departure_automatic: True}).where(VisitTable.id == late.id)
    for at in ("2026-03-28T12:00:00+00:00", "2026-03-31T12:00:00+00:00", "2026-03-26T12:00:00+00:00"):
        await AuditEvent.insert(
            AuditEvent(
                id=uuid4(),
                at=datetime.fromisoformat(at),
                actor_email="guard@example.com",
                action="visit.ban_overridden",
                record_type="visit",
                record_id=late.id,
            )
        )
    return home


async def test_visits_per_day_count_each_visit_on_its_local_day(client, gate, admin):
    response = await client.get(f"/api/reports/visits-per-day?from={FIRST}&to={LAST}", headers=admin.headers)
    assert response.status_code == 200, response.text
    assert {row["day"]: row["visits"] for row in response.json()} == PER_DAY | {"2026-03-28": 2}  # + the automatic one


async def test_arrivals_by_hour_fill_the_local_weekday_and_hour(client, gate, admin):
    response = await client.get(f"/api/reports/arrivals-by-hour?from={FIRST}&to={LAST}", headers=admin.headers)
    assert response.status_code == 200, response.text
    cells = response.json()
    assert len(cells) == 168 and (cells[0]["weekday"], cells[0]["hour"]) == (1, 0)
    found = {(cell["weekday"], cell["hour"]): cell["arrivals"] for cell in cells if cell["arrivals"]}
    assert found == CELLS | {(6, 10): 1}


async def test_the_page_numbers_stays_subjects_and_exceptions(gate):
    admin = Actor(account_id=uuid4(), email="admin@example.com", role="admin")
    found = await reports.report(admin, 30, last_day=date(2026, 3, 30))
    assert found.first_day == date(2026, 3, 1) and len(found.days) == 30
    assert (
        sum(day.visits for day in found.days) == 10
    )  # the Thursday visit is inside 30 days, and the automatic one counts
    stays = found.stays
    # guards' check-outs in the period: 30, 10, 45, 45, 200, 300 minutes; the automatic one apart
    assert (stays.counted, stays.median_minutes, stays.longest_minutes) == (6, 45, 300)
    assert stays.overstays == 1 and stays.automatic_check_outs == 1  # over 4 hours: the 300-minute stay
    assert [(band.visits) for band in stays.bands] == [1, 0, 3, 0, 1, 1, 0]
    assert [(s.subject, s.visits) for s in found.subjects] == [("Guest", 6), ("Delivery", 3), ("Plumber", 1)]
    assert found.overrides == 2
    assert [(cell.weekday, cell.hour, cell.arrivals) for cell in found.busiest][0] == (5, 9, 3)


async def test_reports_are_for_administrators_and_check_their_days(client, guard, homes):
    _, caller_a, _, _ = homes
    for caller in (guard, caller_a):
        assert (await client.get("/api/reports/visits-per-day", headers=caller.headers)).status_code == 403
        assert (await client.get("/api/reports/arrivals-by-hour", headers=caller.headers)).status_code == 403
    assert (await client.get("/api/reports/visits-per-day")).status_code == 401
    with pytest.raises(Forbidden):
        await reports.report(Actor(account_id=uuid4(), email="g@example.com", role="guard"), 30)


async def test_a_bad_period_names_its_field(client, admin):
    for query, field in (
        ("from=yesterday", "from"),
        ("from=2026-03-02&to=2026-03-01", "to"),
        ("from=2020-01-01&to=2026-01-01", "to"),
    ):
        response = await client.get(f"/api/reports/visits-per-day?{query}", headers=admin.headers)
        assert response.status_code == 400 and field in response.text, query
    response = await client.get("/api/reports/visits-per-day", headers=admin.headers)
    assert response.status_code == 200 and len(response.json()) == 30


async def _plan(sqlite_sql: str, postgres_sql: str, args: list) -> str:
    from app.db import reads
    from app.db.sqlite_pool import PooledSQLiteEngine

    if isinstance(VisitTable._meta.db, PooledSQLiteEngine):
        rows = await reads.run_statement(f"EXPLAIN QUERY PLAN {sqlite_sql}", "", args, inline=False)
        return "\n".join(str(row[-1]) for row in rows)
    async with VisitTable._meta.db.transaction():  # the planner prefers a scan of a tiny table: forbid it here
        await VisitTable.raw("SET LOCAL enable_seqscan = off")
        rows = await reads.run_statement("", f"EXPLAIN {postgres_sql}", args, inline=False)
    return "\n".join(str(row[0]) for row in rows)


async def test_each_reports_query_reads_an_index_alone(db):
    start, end = datetime(2026, 3, 1, tzinfo=LISBON), datetime(2026, 4, 1, tzinfo=LISBON)
    queries = [
        # arrivals alone: the narrower (arrival, id) index covers it as well
        (tallies.SQLITE_HOURS, tallies.POSTGRES_HOURS, [60, start, end], ("visit_reports", "visit_arrival_id")),
        (tallies.SQLITE_STAYS, tallies.POSTGRES_STAYS, [60, start, end], "visit_reports"),
        (tallies.SQLITE_SUBJECTS, tallies.POSTGRES_SUBJECTS, [60, start, end], "visit_reports"),
        (
            reports._OVERRIDES,
            reports.reads.numbered(reports._OVERRIDES),
            [reports.OVERRIDDEN, start, end],
            "audit_event_action_at",
        ),
    ]
    for sqlite_sql, postgres_sql, args, index in queries:
        plan = await _plan(sqlite_sql, postgres_sql, args)
        assert any(name in plan for name in ((index,) if isinstance(index, str) else index)), plan
        assert "COVERING INDEX" in plan or "Index Only Scan" in plan or index == "audit_event_action_at", plan
