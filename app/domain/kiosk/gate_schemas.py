"""What the gate's checks take and report: the visitor being typed, and what matches it."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

import msgspec

from app.domain.bans.schemas import Ban
from app.domain.expected.schemas import Expected
from app.domain.permissions.schemas import PreApproval
from app.domain.visits import schemas as visit_schemas


class Suggestion(msgspec.Struct):
    visit_id: UUID
    visitor_name: str
    total_people: int
    vehicle_color: str | None
    license_plate: str | None
    subject: str
    resident_id: UUID
    resident_name: str
    resident_unit: str
    last_arrival: datetime


class StillInside(msgspec.Struct):
    """A visit still on site with the same name or plate as the visitor being typed."""

    visitor_name: str
    license_plate: str | None
    resident_unit: str
    arrival_date: datetime


class GateChecks(msgspec.Struct):
    stopped_by: list[Ban]
    announced: list[Expected]
    returning: list[Suggestion]
    pre_approved: PreApproval | None = None
    """The resident's standing permission that lets this visitor in; never beside a do-not-admit match."""
    inside: list[StillInside] = []
    as_of: datetime | None = None
    """When the checks were made: `inside` shows the time alone for today's arrivals, the day for older ones."""


class GateQuery(msgspec.Struct):
    """What the guard has typed so far at the kiosk, for the gate's checks."""

    visitor_name: str | None = None
    license_plate: str | None = None
    resident_id: UUID | None = None
    from_announcement: bool = False
    from_earlier_visit: bool = False
    subject: str | None = None


class Sweep(msgspec.Struct):
    before: datetime
    """The cut-off, in the site's time zone: visits that arrived before it, and it is their departure."""
    visits: list[visit_schemas.Visit]
    """Oldest arrival first: those checked out, or for a dry run those that would be."""
    dry_run: bool
