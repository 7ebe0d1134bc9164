"""The end-of-day sweep: check out the visitors left on the board, marked automatic.

A guard who forgets to check a visitor out leaves them on the board for days. The sweep records a
departure for every visit still open that arrived before a cut-off (by default the start of today
in the site's time zone), at the cut-off itself ("left 00:00 (automatic)"), and marks it automatic
so it is never mistaken for a guard's check-out.

One conditional UPDATE (`departure_date IS NULL`) with RETURNING does the work, so a guard checking
the same visitor out at the same moment, or a second worker sweeping at the same time, changes each
visit at most once; only the rows this sweep changed get an audit event and a live notice.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, time

from app.db.engine import write_transaction
from app.db.tables import Visit as VisitTable
from app.domain.kiosk.gate_schemas import Sweep
from app.domain.records import audit
from app.domain.visits import service as visits
from app.domain.webhooks import events as webhooks
from app.lib import live
from app.lib.actors import ADMIN, Actor, require_admin
from app.lib.clock import parse_instant, utc_now
from app.lib.errors import Invalid
from app.lib.i18n import _
from app.lib.site import site_timezone

SWEPT = "visit.swept"
SCHEDULED = Actor(account_id=None, email="system (daily sweep)", role=ADMIN)
"""Who the audit trail names for the daily sweep the server runs (SWEEP_AT)."""

BATCH = 500
"""Visits read back per query (SQLite limits the parameters of one statement)."""

log = logging.getLogger("gatehouse.sweep")


def start_of_today(now: datetime | None = None) -> datetime:
    """The last midnight in the site's time zone, as a UTC instant (the default cut-off)."""
    tz = site_timezone()
    local = (now or utc_now()).astimezone(tz)
    return datetime.combine(local.date(), time(0), tzinfo=tz).astimezone(UTC)


def cutoff(before: str | None, now: datetime | None = None) -> datetime:
    """The cut-off from `--before` (ISO 8601; naive in the site's zone), or the start of today.

    Not in the future: it becomes the departure time of every visit swept."""
    now = now or utc_now()
    if not before:
        return start_of_today(now)
    try:
        moment = parse_instant(before, site_timezone())
    except ValueError as exc:
        raise Invalid({"before": str(exc)}) from None
    if moment > now:
        raise Invalid(
            {"before": _("is in the future: the sweep records departures at the cut-off, which must have passed")}
        )
    return moment.replace(microsecond=0)


def _left_on_board(before: datetime) -> tuple:
    return VisitTable.departure_date.is_null(), VisitTable.arrival_date < before


async def sweep(actor: Actor, before: datetime, dry_run: bool = False) -> Sweep:
    """Check out every visitor still inside who arrived before `before`, at `before`, marked automatic."""
    require_admin(actor, "Only administrators may sweep the board.")
    before = before.astimezone(UTC)  # SQLite compares stored UTC text
    shown = before.astimezone(site_timezone())
    if dry_run:
        return Sweep(before=shown, visits=await visits.find_visits(*_left_on_board(before)), dry_run=True)
    async with write_transaction(VisitTable._meta.db):
        changed = await (
            VisitTable.update(
                {
                    VisitTable.departure_date: before,
                    VisitTable.departure_automatic: True,
                    VisitTable.updated_at: utc_now(),
                }
            )
            .where(*_left_on_board(before))
            .returning(VisitTable.id)
        )
        ids = [row["id"] for row in changed]
        swept = []
        for start in range(0, len(ids), BATCH):
            swept += await visits.find_visits(VisitTable.id.is_in(ids[start : start + BATCH]))
        swept.sort(key=lambda visit: (visit.arrival_date, visit.id))
        for visit in swept:
            await webhooks.record("visit.checked_out", visit)
        await audit.record_each(
            actor,
            SWEPT,
            "visit",
            {v.id: {"departureDate": [None, v.departure_date], "departureAutomatic": [False, True]} for v in swept},
        )
    for visit in swept:
        live.visit_changed("checked-out", visit.id, visit.resident_id)
    if swept:
        log.info("Checked out %d visitors left on the board from before %s", len(swept), before.isoformat())
    return Sweep(before=shown, visits=swept, dry_run=False)


async def daily_sweep() -> Sweep:
    """What the server runs at SWEEP_AT: everyone who arrived before today began."""
    return await sweep(SCHEDULED, start_of_today())
