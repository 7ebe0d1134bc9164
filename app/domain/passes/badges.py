"""Badges: what a visitor's printed badge shows, and the visit a scanned badge names for check-out.

A badge's QR code carries the kiosk's address for that visit's check-out (/kiosk/leave/<visit id>): a kiosk
scanning it opens the check-out in one step; a guard's phone opening it lands on the same page."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

import msgspec

from app.domain.gates import service as gates
from app.domain.notifications.channels import channels
from app.domain.residents import service as residents
from app.domain.visits import service as visits
from app.lib import site
from app.lib.actors import Actor, require_staff
from app.lib.errors import Conflict
from app.lib.i18n import _


class Badge(msgspec.Struct):
    visit_id: UUID
    visitor_name: str
    total_people: int
    unit: str
    arrival_date: datetime
    license_plate: str | None
    gate: str
    community: str
    qr_content: str
    inside: bool


def leave_url(visit_id: UUID) -> str:
    return channels().absolute(f"/kiosk/leave/{visit_id}")


async def badge(actor: Actor, visit_id: UUID) -> Badge:
    """The badge of a visit: the unit visited, never the resident's name."""
    require_staff(actor, "Only guards and administrators may print badges.")
    visit = await visits.get_visit(actor, visit_id)
    resident = await residents.get_resident(actor, visit.resident_id)
    return Badge(
        visit_id=visit.id,
        visitor_name=visit.visitor_name,
        total_people=visit.total_people,
        unit=resident.unit,
        arrival_date=visit.arrival_date,
        license_plate=visit.license_plate,
        gate=(await gates.gate_names()).get(visit.arrival_gate_id, ""),  # none with one gate
        community=site.community()[0],
        qr_content=leave_url(visit.id),
        inside=visit.departure_date is None,
    )


async def leaving(actor: Actor, visit_id: UUID) -> Badge:
    """The visit a badge handed back at the gate names, for its check-out; Conflict once its visitor has left."""
    item = await badge(actor, visit_id)
    if not item.inside:
        raise Conflict(_("%(name)s has already left.", name=item.visitor_name))
    return item
