"""The roll-up: the tallies of closed days (days before today in the site's zone), kept so a report over a year
reads a dozen small rows instead of every visit of the year.

A closed day is counted once, when a report first needs it, and kept in `report_day` under its date
('2026-03-27'); a whole closed month is kept too, under its month ('2026-03'), merged from its days. A period
reads its whole months' rows and its other days' rows.

No write path knows the roll-up: triggers on `visit` (migration 2026-12-07T14:30) note the UTC hour of the
arrival of any visit inserted, changed or deleted before `report_horizon.closed_before` in `report_stale`,
whatever wrote it (a correction, a check-out, the sweep, an undo, retention, the bulk seeder, a restore).
Reading a report first forgets the days of those hours and their months, then counts the missing ones again.
A check-in of today arrives after the horizon: its trigger's condition is false and it writes nothing more.

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
from app.domain.reports.tallies import Tally, days_of, local_midnight, merge, tally

_ENCODER = msgspec.json.Encoder()
_DECODER = msgspec.json.Decoder(Tally)
BATCH = 200
"""Rows read, written or forgotten per statement."""


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
        days = {day.isoformat() for (hour,) in hours for day in _days_of_hour(int(hour), tz)}
        stale = sorted(days | {day[:7] for day in days})  # and their months
        for n in range(0, len(stale), BATCH):
            batch = stale[n : n + BATCH]
            await _run(f"DELETE FROM report_day WHERE day IN ({', '.join('?' * len(batch))})", batch)  # noqa: S608


async def _kept(keys: list[str]) -> dict[str, Tally]:
    found = {}
    for n in range(0, len(keys), BATCH):
        batch = keys[n : n + BATCH]
        sql = f"SELECT day, summary FROM report_day WHERE day IN ({', '.join('?' * len(batch))})"  # noqa: S608
        found |= {key: _DECODER.decode(summary) for key, summary in await _run(sql, batch)}
    return found


async def _keep(rows: dict[str, Tally]) -> None:
    encoded = [(key, _ENCODER.encode(counted).decode()) for key, counted in rows.items()]
    async with write_transaction(Visit._meta.db):
        for n in range(0, len(encoded), BATCH):
            batch = encoded[n : n + BATCH]
            values = ", ".join("(?, ?)" for _ in batch)
            sql = f"INSERT INTO report_day (day, summary) VALUES {values} ON CONFLICT (day) DO NOTHING"  # noqa: S608
            await _run(sql, [value for row in batch for value in row])


def _pieces(first: date, last: date) -> list[tuple[str, list[date]]]:
    """first..last as kept rows, in order: each whole month under its month, every other day under its date."""
    pieces: list[tuple[str, list[date]]] = []
    day = first
    while day <= last:
        month_end = (day.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
        if day.day == 1 and month_end <= last:
            pieces.append((day.isoformat()[:7], list(days_of(day, month_end))))
            day = month_end + timedelta(days=1)
        else:
            pieces.append((day.isoformat(), [day]))
            day += timedelta(days=1)
    return pieces


def _runs(days: list[date]) -> list[tuple[date, date]]:
    """Sorted days as runs of consecutive days (first, last)."""
    runs: list[tuple[date, date]] = []
    for day in days:
        if runs and runs[-1][1] + timedelta(days=1) == day:
            runs[-1] = (runs[-1][0], day)
        else:
            runs.append((day, day))
    return runs


async def _days(days: list[date], tz: tzinfo) -> dict[date, Tally]:
    """These days' tallies (sorted days): kept ones as kept, the others counted, a run of days at a time, and kept."""
    kept = await _kept([day.isoformat() for day in days])
    found = {date.fromisoformat(key): counted for key, counted in kept.items()}
    counted: dict[date, Tally] = {}
    for run_first, run_last in _runs([day for day in days if day not in found]):
        counted |= await tally(run_first, run_last, tz)
    if counted:
        await _keep({day.isoformat(): day_tally for day, day_tally in counted.items()})
    return found | counted


async def closed_days(first: date, last: date, today: date, tz: tzinfo) -> list[Tally]:
    """The tallies of the days first..last, all before `today`, in order (a whole month as one)."""
    await _advance_horizon(_zone_name(tz), int(local_midnight(today, tz).timestamp()))
    await _forget_stale_days(tz)
    pieces = _pieces(first, last)
    found = await _kept([key for key, _days_in in pieces])
    missing = [(key, days) for key, days in pieces if key not in found]
    if missing:
        days = await _days([day for _key, days_in in missing for day in days_in], tz)
        months = {}
        for key, days_in in missing:
            found[key] = merge([days[day] for day in days_in])
            if len(days_in) > 1:
                months[key] = found[key]
        if months:
            await _keep(months)
    return [found[key] for key, _days_in in pieces]
