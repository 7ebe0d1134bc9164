"""The roll-up: each closed day's tally (a day before today in the site's zone), kept so a report over a year
reads 365 small rows instead of every visit of the year.

A closed day is counted once, when a report first needs it, and kept in `report_day`. No write path knows the
roll-up: triggers on `visit` (migration 2026-12-07T14:30) note the UTC hour of the arrival of any visit
inserted, changed or deleted before `report_horizon.closed_before` in `report_stale`, whatever wrote it (a
correction, a check-out, the sweep, an undo, erasure, retention, the bulk seeder, a restore). Reading a report
first forgets the days of those hours, then counts the missing ones again. A check-in of today arrives after
the horizon: its trigger's condition is false and it writes nothing more.

The horizon is advanced to today's local midnight before any day under it is counted, so a change committed
after the count is either seen by it or noted as stale. On PostgreSQL the advance (once a day) takes a lock on
`visit` that waits for the writers in flight, so none of them reads the old horizon and commits later.
The days are local days: a change of the site's zone forgets them all.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, tzinfo

import msgspec
from piccolo.engine.postgres import PostgresEngine

from app.db import reads
from app.db.engine import write_transaction
from app.db.tables import Visit
from app.domain.reports.tallies import DayTally, days_of, local_midnight, tally

_ENCODER = msgspec.json.Encoder()
_DECODER = msgspec.json.Decoder(DayTally)
BATCH = 200
"""Days written, or forgotten, per statement."""


def _run(sql: str, args: list):
    return reads.run_statement(sql, reads.numbered(sql), args, inline=False)


def _zone_name(tz: tzinfo) -> str:
    return getattr(tz, "key", None) or str(tz)


async def _advance_horizon(zone: str, closed_before: int) -> None:
    """Days before `closed_before` (UTC seconds) may be kept from now on; another zone forgets every day."""
    found = await _run("SELECT zone, closed_before FROM report_horizon", [])
    if found and found[0][0] == zone and found[0][1] >= closed_before:
        return
    engine = Visit._meta.db
    async with write_transaction(engine):
        if isinstance(engine, PostgresEngine):
            await _run("LOCK TABLE visit IN SHARE ROW EXCLUSIVE MODE", [])  # writers, and other advances
        found = await _run("SELECT zone, closed_before FROM report_horizon", [])
        if found and found[0][0] == zone:
            await _run("UPDATE report_horizon SET closed_before = ? WHERE closed_before < ?", [closed_before] * 2)
            return
        for table in ("report_day", "report_stale", "report_horizon"):
            await _run(f"DELETE FROM {table}", [])  # noqa: S608 - the table names above
        await _run("INSERT INTO report_horizon (id, zone, closed_before) VALUES (1, ?, ?)", [zone, closed_before])


def _days_of_hour(hour: int, tz: tzinfo) -> set[date]:
    """The local days a UTC hour overlaps (two where the zone's offset is not whole hours)."""
    start = datetime.fromtimestamp(hour * 3600, UTC)
    return {start.astimezone(tz).date(), (start + timedelta(seconds=3599)).astimezone(tz).date()}


async def _forget_stale_days(tz: tzinfo) -> None:
    """Forget the kept days whose visits changed since they were counted."""
    if not await _run("SELECT hour FROM report_stale LIMIT 1", []):
        return
    async with write_transaction(Visit._meta.db):
        hours = await _run("DELETE FROM report_stale RETURNING hour", [])
        stale = sorted({day.isoformat() for (hour,) in hours for day in _days_of_hour(int(hour), tz)})
        for n in range(0, len(stale), BATCH):
            batch = stale[n : n + BATCH]
            await _run(f"DELETE FROM report_day WHERE day IN ({', '.join('?' * len(batch))})", batch)  # noqa: S608


async def _keep(days: dict[date, DayTally]) -> None:
    rows = [(day.isoformat(), _ENCODER.encode(counted).decode()) for day, counted in days.items()]
    async with write_transaction(Visit._meta.db):
        for n in range(0, len(rows), BATCH):
            batch = rows[n : n + BATCH]
            values = ", ".join("(?, ?)" for _ in batch)
            sql = f"INSERT INTO report_day (day, summary) VALUES {values} ON CONFLICT (day) DO NOTHING"  # noqa: S608
            await _run(sql, [value for row in batch for value in row])


def _runs(days: list[date]) -> list[tuple[date, date]]:
    """Sorted days as runs of consecutive days (first, last)."""
    runs: list[tuple[date, date]] = []
    for day in days:
        if runs and runs[-1][1] + timedelta(days=1) == day:
            runs[-1] = (runs[-1][0], day)
        else:
            runs.append((day, day))
    return runs


async def closed_days(first: date, last: date, today: date, tz: tzinfo) -> dict[date, DayTally]:
    """The tallies of the days first..last, all before `today`: kept ones as kept, the others counted and kept."""
    await _advance_horizon(_zone_name(tz), int(local_midnight(today, tz).timestamp()))
    await _forget_stale_days(tz)
    rows = await _run(
        "SELECT day, summary FROM report_day WHERE day >= ? AND day <= ?", [first.isoformat(), last.isoformat()]
    )
    found = {date.fromisoformat(day): _DECODER.decode(summary) for day, summary in rows}
    missing = [day for day in days_of(first, last) if day not in found]
    for run_first, run_last in _runs(missing):
        counted = await tally(run_first, run_last, tz)
        await _keep(counted)
        found |= counted
    return found
