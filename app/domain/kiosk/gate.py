"""What the gate should know about the visitor being typed: do-not-admit entries first, then the resident's
standing permission that lets them in, then today's announcements and earlier visits that match, so the guard
can fill the form from one."""

from __future__ import annotations

from app.db.tables import Visit as VisitTable
from app.domain.bans import service as bans
from app.domain.expected import service as expected
from app.domain.kiosk import returning
from app.domain.kiosk.gate_schemas import GateChecks, GateQuery, StillInside
from app.domain.permissions import service as permissions
from app.lib.actors import Actor
from app.lib.clock import utc_now
from app.lib.text import any_of, name_key, plate_key

INSIDE_SHOWN = 5


async def gate_checks(actor: Actor, query: GateQuery) -> GateChecks:
    """Announcements are not offered for a form that came from one; earlier visits neither, nor for a form
    filled from an earlier visit."""
    name, plate = query.visitor_name, query.license_plate
    stopped_by = await bans.matching(name, plate, query.resident_id)
    pre_approved = None
    if query.resident_id is not None and not stopped_by:  # a ban always wins
        pre_approved = await permissions.pre_approval(query.resident_id, name, plate, query.subject)
    announced, returning_visitors = [], []
    if not query.from_announcement:
        announced = expected.matching_today(await expected.expected_today(actor), name, plate)
    if not query.from_announcement and not query.from_earlier_visit:
        returning_visitors = await returning.suggest(actor, name, plate)
    inside = await still_inside(name, plate)
    return GateChecks(
        stopped_by=stopped_by,
        announced=announced,
        returning=returning_visitors,
        pre_approved=pre_approved,
        inside=inside,
        as_of=utc_now(),
    )


async def still_inside(visitor_name: str | None, license_plate: str | None) -> list[StillInside]:
    """Visits still on site whose whole name or plate is the one typed (any case, accents or spacing): the
    same visitor checked in twice, or a car that never left. A warning only; the guard may go on."""
    name, plate = name_key(visitor_name), plate_key(license_plate)
    same = any_of(VisitTable.name_key == name if name else None, VisitTable.plate_key == plate if plate else None)
    if same is None:
        return []
    rows = (
        await VisitTable.select(
            VisitTable.visitor_name,
            VisitTable.license_plate,
            VisitTable.resident.unit.as_alias("resident_unit"),
            VisitTable.arrival_date,
        )
        .where(same, VisitTable.departure_date.is_null())
        .order_by(VisitTable.arrival_date)
        .limit(INSIDE_SHOWN)
    )
    return [StillInside(**row) for row in rows]
