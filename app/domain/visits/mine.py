"""A resident's own visitors: who is inside now, their history, and what a live change means to them.

Every function starts with require_resident, and the visit queries beneath scope a resident to
their own visits, so no argument here can reach another resident's data.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

import msgspec

from app.db.tables import AuditEvent
from app.domain.kiosk import board
from app.domain.visits import schemas as visit_schemas
from app.domain.visits import service as visits
from app.domain.visits.schemas import Inside, MyVisit, Visit
from app.lib import schemas as models
from app.lib.actors import Actor, require_resident
from app.lib.clock import utc_now
from app.lib.errors import NotFound
from app.lib.i18n import _

CARDS_SHOWN = 3
"""A household with a party inside sees this many visits as cards and the rest folded, one line each, behind
"and N more visitors inside", so 50 guests do not push the history 17 screens down a phone. Up to
CARDS_SHOWN + 1 inside are all cards, as before: folding a single visit saves less than the tap it costs."""


def inside_of(visits: list[Visit], as_of: datetime) -> Inside:
    """`visits` (oldest arrival first) split into the cards and the folded rest."""
    cards, more = (visits, []) if len(visits) <= CARDS_SHOWN + 1 else (visits[:CARDS_SHOWN], visits[CARDS_SHOWN:])
    return Inside(
        cards=cards,
        more=more,
        total_people=sum(v.total_people for v in visits),
        more_people=sum(v.total_people for v in more),
        as_of=as_of,
    )


async def inside_now(actor: Actor) -> Inside:
    require_resident(actor, "Only residents may see their own visitors.")
    return inside_of(await board.everyone_inside(actor), utc_now())


async def history(
    actor: Actor, arrived_from: str | None, arrived_to: str | None, limit: int, cursor: str | None = None
) -> models.Page:
    """Newest arrival first; a date-only `arrived_to` includes that whole day."""
    require_resident(actor, "Only residents may see their own visitors.")
    filters = visit_schemas.VisitFilters(arrived_from=arrived_from or None, arrived_to=arrived_to or None)
    found = await visits.list_visits(actor, filters, limit, cursor)
    reasons = await _override_reasons([visit.id for visit in found.items])
    items = [MyVisit(**msgspec.structs.asdict(visit), override_reason=reasons.get(visit.id)) for visit in found.items]
    return models.Page(items=items, next_cursor=found.next_cursor)


async def _override_reasons(visit_ids: list[UUID]) -> dict[UUID, str]:
    """The guard's reason for each of these visits that was let in despite the do-not-admit list, read from
    the audit trail (its record index); the ids are the resident's own, from their history."""
    if not visit_ids:
        return {}
    rows = await AuditEvent.select(AuditEvent.record_id, AuditEvent.changes).where(
        AuditEvent.record_type == "visit",
        AuditEvent.record_id.is_in(visit_ids),
        AuditEvent.action == "visit.ban_overridden",
    )
    return {UUID(str(row["record_id"])): _reason(row["changes"]) for row in rows}


def _reason(changes) -> str:
    data = msgspec.json.decode(changes) if isinstance(changes, str | bytes) else changes
    return str((data or {}).get("overrideReason") or "")


async def notice(actor: Actor, change: str, visit_id: UUID) -> str:
    """One line for the resident's page about a change to one of their visits."""
    require_resident(actor, "Only residents may see their own visitors.")
    try:
        visit = await visits.get_visit(actor, visit_id)
    except NotFound:
        return _("A visit was removed.")
    name = visit.visitor_name
    if change == "checked-in" and visit.departure_date is None:
        return _("%(name)s just arrived.", name=name)
    if change == "admitted-despite-ban":
        reason = (await _override_reasons([visit.id])).get(visit.id, "")
        return _(
            "Warning: %(name)s was let in although on the do-not-admit list. The guard's reason: “%(reason)s”",
            name=name,
            reason=reason,
        )
    if change == "checked-out" and visit.departure_automatic:
        return _("%(name)s was checked out automatically (left on the board at the end of the day).", name=name)
    if change == "checked-out":
        return _("%(name)s just left.", name=name)
    return _("The visit of %(name)s was updated.", name=name)
