"""What the Reports' roll-up triggers add to a check-in of today.

Check-ins through `visits.service.create_visit` (what POST /api/visits and the kiosk call), one at a time,
in alternating blocks: with the triggers on `visit` as the migration made them, then with them dropped, and
so on, so a change in the machine's load falls on both sides. The roll-up's horizon is set (a report was
read), so each trigger evaluates its condition, as it does in production after the first report of the day.
Run on a migrated database with residents (e.g. one `bench/run.py` seeded):

    DATABASE_URL=sqlite:///bench/.work/sqlite-10000.db PYTHONPATH=. .venv/bin/python bench/trigger_cost.py 10 200
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import time
from uuid import uuid4

from piccolo.engine.postgres import PostgresEngine

from app.db.lifecycle import close_database, open_database
from app.db.migrations import gatehouse_2026_12_07t14_30_00_000000 as rollup_migration
from app.db.tables import Resident, Visit
from app.domain.reports import service as reports
from app.domain.visits import schemas, service
from app.lib import site
from app.lib.actors import SYSTEM, Actor
from app.lib.clock import utc_now
from app.settings import load_settings


async def _triggers(on: bool) -> None:
    postgres = isinstance(Visit._meta.db, PostgresEngine)
    if on:
        for statement in rollup_migration.POSTGRES_TRIGGERS if postgres else rollup_migration.SQLITE_TRIGGERS:
            await Visit.raw(statement)
    elif postgres:
        await Visit.raw("DROP TRIGGER IF EXISTS visit_report_stale ON visit")
    else:
        for name in ("inserted", "updated", "deleted"):
            await Visit.raw(f"DROP TRIGGER IF EXISTS visit_report_{name}")


async def _block(resident_id, count: int) -> tuple[float, float]:
    """Seconds per check-in over `count` check-ins of today: wall clock, and CPU time of this process (the
    service and SQLite's threads; on PostgreSQL the server's own work is not in it)."""
    started, cpu = time.perf_counter(), time.process_time()
    for n in range(count):
        body = schemas.CheckInInput(
            resident_id=resident_id,
            visitor_name=f"Trigger Bench {n}",
            total_people=1,
            subject="Delivery",
            arrival_date=utc_now().isoformat(),
        )
        await service.create_visit(SYSTEM, body)
    return (time.perf_counter() - started) / count, (time.process_time() - cpu) / count


async def main(blocks: int, per_block: int) -> None:
    site.configure_from(load_settings())
    await open_database()
    try:
        resident_id = (await Resident.select(Resident.id).first())["id"]
        await reports.report(Actor(account_id=uuid4(), email="bench@example.com", role="admin"), 365)
        taken: dict[bool, list[tuple[float, float]]] = {True: [], False: []}
        await _block(resident_id, per_block)  # warm-up
        for _ in range(blocks):
            for on in (True, False):
                await _triggers(on)
                taken[on].append(await _block(resident_id, per_block))
        await _triggers(True)
        print(f"{type(Visit._meta.db).__name__}: {blocks} blocks of {per_block} check-ins each way")
        for n, kind in enumerate(("wall clock", "CPU")):
            with_ = statistics.median(block[n] for block in taken[True]) * 1e6
            without = statistics.median(block[n] for block in taken[False]) * 1e6
            print(
                f"{kind} per check-in: with triggers {with_:.0f} us, without {without:.0f} us ({with_ - without:+.0f})"
            )
    finally:
        await close_database()


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 10, int(sys.argv[2]) if len(sys.argv) > 2 else 200))
