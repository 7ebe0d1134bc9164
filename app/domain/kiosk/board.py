"""The gate's board: who is inside now, oldest arrival first, and the undo of a mistaken check-out."""

from __future__ import annotations

from datetime import datetime, timedelta
from uuid import UUID

from app.db import reads
from app.db.engine import write_transaction
from app.db.tables import Visit as VisitTable
from app.domain.expected import service as expected
from app.domain.gates import service as gates
from app.domain.kiosk.board_schemas import Board, BoardLine
from app.domain.kiosk.overstay import overstay
from app.domain.records import audit
from app.domain.visits import schemas as visit_schemas
from app.domain.visits import service as visits
from app.domain.webhooks import events as webhooks
from app.lib import live
from app.lib.actors import Actor, require_staff
from app.lib.clock import utc_now
from app.lib.errors import Conflict
from app.lib.i18n import _
from app.lib.paging import MAX_LIMIT
from app.lib.site import site_timezone

UNDO_WINDOW = timedelta(minutes=2)
"""How long after a check-out the kiosk may take it back."""


async def on_site(actor: Actor) -> Board:
    """Everyone inside now, from every gate, oldest arrival first, with the number of people inside, who is
    overstaying and, when there are several gates, the gate each came in by."""
    require_staff(actor, "Only guards and administrators may see who is on site.")
    rows = await reads.inside_rows()
    names = await gates.gate_names()
    tz = site_timezone()
    now = utc_now()
    lines = []
    for row in rows:
        visit = visits.visit_from_row(row, tz)
        until = expected.covered_until(row.arrival_date, row.ends_on, row.weekdays) if row.ends_on else None
        line = BoardLine(visit, row.unit or "", time_inside(visit.arrival_date, now), overstay(visit, now, until))
        if names:
            line.gate = names.get(visit.arrival_gate_id, "")
        lines.append(line)
    return Board(
        lines=lines,
        total_people=sum(line.visit.total_people for line in lines),
        as_of=now,
        gates=names,
    )


async def everyone_inside(actor: Actor) -> list[visit_schemas.Visit]:
    """Every visit still open that the actor may see (a resident: their own), oldest arrival first."""
    inside: list[visit_schemas.Visit] = []
    cursor = None
    while True:
        page = await visits.list_visits(actor, visit_schemas.VisitFilters(on_site=True), MAX_LIMIT, cursor)
        inside.extend(page.items)
        cursor = page.next_cursor
        if cursor is None:
            break
    inside.reverse()
    return inside


def time_inside(arrival: datetime, now: datetime) -> str:
    """'2 h 15 min', '45 min', 'just now'; a day or more reads '3 d 4 h'."""
    minutes = max(0, int((now - arrival).total_seconds() // 60))
    if minutes < 1:
        return _("just now")
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return _("%(days)s d %(hours)s h", days=days, hours=hours)
    if hours:
        return _("%(hours)s h %(minutes)s min", hours=hours, minutes=mins)
    return _("%(minutes)s min", minutes=mins)


async def undo_check_out(actor: Actor, visit_id: UUID) -> visit_schemas.Visit:
    """Put a visitor back on the board: only the account that checked them out, within UNDO_WINDOW."""
    require_staff(actor, "Only guards and administrators may undo a check-out.")
    async with write_transaction(VisitTable._meta.db):
        visit = await visits.get_visit(actor, visit_id)
        last = await audit.latest("visit", visit_id)
        undoable = (
            visit.departure_date is not None
            and last is not None
            and last.action == visits.CHECKED_OUT
            and last.actor_id == actor.account_id
            and last.at >= utc_now() - UNDO_WINDOW
        )
        if not undoable:
            raise Conflict(_("This check-out can no longer be undone here; correct the visit on its page instead."))
        await VisitTable.update(
            {
                VisitTable.departure_date: None,
                VisitTable.departure_automatic: False,
                VisitTable.departure_gate_id: None,
                VisitTable.updated_at: utc_now(),
            }
        ).where(VisitTable.id == visit_id)
        undone = {"departureDate": [visit.departure_date, None], "departureGateId": [visit.departure_gate_id, None]}
        await audit.record(actor, "visit.check_out_undone", "visit", visit_id, undone)
        reopened = await visits.get_visit(actor, visit_id)
        await webhooks.record("visit.updated", reopened)
    live.visit_changed("updated", visit_id, reopened.resident_id)
    return reopened
