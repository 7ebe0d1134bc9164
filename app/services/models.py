"""The Structs services take and return; the API encodes them as they are (camelCase)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

import msgspec
from msgspec import Meta

NAME_MAX = 120
UNIT_MAX = 40
SUBJECT_MAX = 200
COLOR_MAX = 40
PLATE_MAX = 20
EMAIL_MAX = 254
PHONE_MAX = 40
PEOPLE_MIN, PEOPLE_MAX = 1, 500

DateText = Annotated[
    str,
    Meta(
        description="ISO 8601 date-time; without an offset it is taken in the site's time zone",
        examples=["2026-11-28T14:30:00-03:00"],
    ),
]


class Visit(msgspec.Struct, rename="camel"):
    id: UUID
    resident_id: UUID
    resident_name: str
    visitor_name: str
    total_people: int
    vehicle_color: str | None
    license_plate: str | None
    subject: str
    arrival_date: datetime
    departure_date: Annotated[datetime | None, Meta(description="null while the visitor is still inside")]
    created_at: datetime
    departure_automatic: Annotated[
        bool,
        Meta(
            description="true when the end-of-day sweep recorded the departure (the visitor was left on the board), "
            "false for a guard's check-out or while the visitor is inside; read-only"
        ),
    ] = False


class VisitInput(msgspec.Struct, rename="camel"):
    """A visit as a client sends it, to create one or to replace one in full.

    Limits are checked by the service (so every broken rule is reported at once), and documented here.
    """

    resident_id: UUID
    visitor_name: Annotated[str, Meta(description=f"Required, at most {NAME_MAX} characters")]
    total_people: Annotated[int, Meta(description=f"A whole number from {PEOPLE_MIN} to {PEOPLE_MAX}")]
    subject: Annotated[str, Meta(description=f"Required, at most {SUBJECT_MAX} characters", examples=["Guest"])]
    arrival_date: DateText
    vehicle_color: Annotated[str | None, Meta(description=f"At most {COLOR_MAX} characters")] = None
    license_plate: Annotated[str | None, Meta(description=f"At most {PLATE_MAX} characters")] = None
    departure_date: DateText | None = None


class CheckInInput(VisitInput, rename="camel"):
    """A new visit: a VisitInput, plus what only a check-in carries."""

    override_reason: Annotated[
        str | None,
        Meta(
            description="Required to admit a visitor on the do-not-admit list (409 without it); kept in the audit trail"
        ),
    ] = None
    expected_visit_id: Annotated[
        UUID | None, Meta(description="The announcement (GET /api/expected-visits) this visitor came from")
    ] = None


class VisitFilters(msgspec.Struct):
    resident_id: UUID | None = None
    on_site: bool | None = None
    arrived_from: str | None = None
    arrived_to: str | None = None
    q: str | None = None


class Resident(msgspec.Struct, rename="camel"):
    id: UUID
    name: str
    unit: str
    email: str | None
    phone: str | None
    active: bool
    created_at: datetime


class ResidentInput(msgspec.Struct, rename="camel"):
    name: Annotated[str, Meta(description=f"Required, at most {NAME_MAX} characters")]
    unit: Annotated[str, Meta(description=f"Required, at most {UNIT_MAX} characters", examples=["B-302"])]
    email: Annotated[str | None, Meta(description="An email address")] = None
    phone: Annotated[str | None, Meta(description=f"At most {PHONE_MAX} characters")] = None
    active: bool = True


class Page(msgspec.Struct):
    items: list
    next_cursor: str | None


class Account(msgspec.Struct):
    id: UUID
    email: str
    role: str
    resident_id: UUID | None
    active: bool


class IssuedToken(msgspec.Struct):
    id: UUID
    name: str
    token: str
