"""The Structs services take and return; the API encodes them as they are (camelCase)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

import msgspec
from msgspec import Meta

from app.services.clock import RECENT_INSTANT_PATTERN
from app.services.text import EMAIL_PATTERN, NOT_BLANK_PATTERN

NAME_MAX = 120
UNIT_MAX = 40
SUBJECT_MAX = 200
COLOR_MAX = 40
PLATE_MAX = 20
EMAIL_MAX = 254
PHONE_MAX = 40
PEOPLE_MIN, PEOPLE_MAX = 1, 500


def documented(description: str, examples: list | None = None, **limits) -> Meta:
    """A field's limits in the OpenAPI document, checked by the services rather than by msgspec.

    The services check them so that a request learns every broken rule at once, in plain words; the
    document states them so that clients (and the fuzzer) know exactly what is accepted.
    """
    extra: dict = {"description": description, "extra": limits}
    if examples:
        extra["examples"] = examples
    return Meta(description=description, extra_json_schema=extra)


def required_text(limit: int, examples: list | None = None) -> Meta:
    return documented(
        f"Required, at most {limit} characters, not blank", examples, max_length=limit, pattern=NOT_BLANK_PATTERN
    )


def optional_text(limit: int) -> Meta:
    return documented(f"At most {limit} characters", max_length=limit)


_INSTANT_HELP = (
    "RFC 3339 date-time, from the year 2000, not in the future. The server also reads it without seconds, "
    "with a space for the T, or without an offset (then in the site's time zone)"
)
DateText = Annotated[
    str,
    documented(_INSTANT_HELP, ["2026-11-28T14:30:00-03:00"], format="date-time", pattern=RECENT_INSTANT_PATTERN),
]


def empty_or(schema: dict, description: str, examples: list) -> Meta:
    """An optional value that may also be sent as "" (meaning none): `str | None` documented as exactly that."""
    alternatives = [{"type": "string", **schema}, {"type": "string", "maxLength": 0}, {"type": "null"}]
    return documented(description, examples, one_of=None, any_of=alternatives)


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
    visitor_name: Annotated[str, required_text(NAME_MAX)]
    total_people: Annotated[
        int,
        documented(f"A whole number from {PEOPLE_MIN} to {PEOPLE_MAX}", minimum=PEOPLE_MIN, maximum=PEOPLE_MAX),
    ]
    subject: Annotated[str, required_text(SUBJECT_MAX, ["Guest"])]
    arrival_date: DateText
    vehicle_color: Annotated[str | None, optional_text(COLOR_MAX)] = None
    license_plate: Annotated[str | None, optional_text(PLATE_MAX)] = None
    departure_date: Annotated[
        str | None,
        empty_or(
            {"format": "date-time", "pattern": RECENT_INSTANT_PATTERN},
            "As arrivalDate, and not before it; null or empty while the visitor is inside",
            ["2026-11-28T16:00:00-03:00"],
        ),
    ] = None


class CheckInInput(VisitInput, rename="camel"):
    """A new visit: a VisitInput, plus what only a check-in carries."""

    override_reason: Annotated[
        str | None,
        documented(
            "Required to admit a visitor on the do-not-admit list (409 without it); kept in the audit trail",
            max_length=300,
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
    name: Annotated[str, required_text(NAME_MAX)]
    unit: Annotated[str, required_text(UNIT_MAX, ["B-302"])]
    email: Annotated[
        str | None,
        documented("An email address (empty or null: none)", max_length=EMAIL_MAX, pattern="^$|" + EMAIL_PATTERN),
    ] = None
    phone: Annotated[str | None, optional_text(PHONE_MAX)] = None
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
