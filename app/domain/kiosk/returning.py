"""Returning visitors: as the guard types a plate or a name, earlier visitors with their last details.

Both lookups read an index from the prefix (plate key, or name key, with the arrival), newest
first, so they cost the same at a thousand visits as at a million.
"""

from __future__ import annotations

from uuid import UUID

from app.db.reads import VISIT_COLUMNS
from app.db.tables import Visit as VisitTable
from app.domain.kiosk.gate_schemas import Suggestion
from app.lib.actors import Actor, require_staff
from app.lib.errors import NotFound
from app.lib.i18n import _
from app.lib.text import name_key, plate_key, prefix_range

MIN_TYPED = 3
"""Fewer characters match too many people to help."""
SCANNED = 40
SHOWN = 5


_UNIT = VisitTable.resident.unit.as_alias("resident_unit")
"""The resident's unit, which the visit's columns (VISIT_COLUMNS) lack: the guard tells residents apart by it."""


def _to_suggestion(row: dict) -> Suggestion:
    return Suggestion(
        visit_id=row["id"],
        visitor_name=row["visitor_name"],
        total_people=row["total_people"],
        vehicle_color=row["vehicle_color"],
        license_plate=row["license_plate"],
        subject=row["subject"],
        resident_id=row["resident"],
        resident_name=row["resident_name"],
        resident_unit=row["resident_unit"],
        last_arrival=row["arrival_date"],
    )


async def suggest(actor: Actor, visitor_name: str | None, license_plate: str | None) -> list[Suggestion]:
    """Up to five earlier visitors whose plate (or, without a plate, name) starts as typed, each with
    their latest visit; an empty list until three characters are typed."""
    require_staff(actor, "Only guards and administrators may see earlier visitors.")
    plate, name = plate_key(license_plate), name_key(visitor_name)
    if plate and len(plate) >= MIN_TYPED:
        column, key = VisitTable.plate_key, plate
    elif name and len(name) >= MIN_TYPED:
        column, key = VisitTable.name_key, name
    else:
        return []
    rows = await suggestion_query(column, key)
    latest: dict[str, dict] = {}
    for row in rows:
        latest.setdefault(row[column._meta.name], row)
    found = sorted(latest.values(), key=lambda row: row["arrival_date"], reverse=True)[:SHOWN]
    return [_to_suggestion(row) for row in found]


def suggestion_query(column, key: str):
    """Visits whose key starts with `key`, newest first per key. Both orderings descending: the index
    (key, arrival_date) is read backwards from the end of the prefix and the scan stops after SCANNED rows."""
    low, high = prefix_range(column, key)
    return (
        VisitTable.select(*VISIT_COLUMNS, column, _UNIT)
        .where(low, high)
        .order_by(column, VisitTable.arrival_date, ascending=False)
        .limit(SCANNED)
    )


async def from_visit(actor: Actor, visit_id: UUID) -> Suggestion:
    """One earlier visit as a suggestion (the guard picked it)."""
    require_staff(actor, "Only guards and administrators may see earlier visitors.")
    row = await VisitTable.select(*VISIT_COLUMNS, _UNIT).where(VisitTable.id == visit_id).first()
    if row is None:
        raise NotFound(_("No visit with this id."))
    return _to_suggestion(row)
