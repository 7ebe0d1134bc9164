"""A visit as the API and the pages send it and as services return it."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

import msgspec
from msgspec import Meta

from app.domain.entry_requests.schemas import Approval
from app.lib.clock import RECENT_INSTANT_PATTERN
from app.lib.schemas import (
    COLOR_MAX,
    NAME_MAX,
    PEOPLE_MAX,
    PEOPLE_MIN,
    PLATE_MAX,
    SUBJECT_MAX,
    DateText,
    documented,
    empty_or,
    optional_text,
    required_text,
)


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
    approval: Annotated[
        Approval | None,
        Meta(description="The resident's answer this visitor came in on (POST with entryRequestId); null otherwise"),
    ] = None
    arrival_gate_id: Annotated[
        UUID | None, Meta(description="The gate the visitor came in by (GET /api/gates); read-only, set by gateId")
    ] = None
    departure_gate_id: Annotated[
        UUID | None,
        Meta(description="The gate the visitor left by; null while inside or when the sweep checked them out"),
    ] = None


class MyVisit(Visit, kw_only=True):
    """A visit in a resident's history, with the guard's reason when it was let in despite the do-not-admit list."""

    override_reason: str | None = None


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
    entry_request_id: Annotated[
        UUID | None,
        Meta(
            description="The answered request (POST /api/entry-requests) this visitor comes in on; a refused or "
            "unanswered one needs overrideReason (409 without)"
        ),
    ] = None
    gate_id: Annotated[
        UUID | None,
        Meta(description="The gate of arrival (GET /api/gates), an active one; left out: the default gate"),
    ] = None


PASS_CODE_FIELD = (
    "pass_code",
    Annotated[
        str | None,
        documented(
            "The visitor's pass (GET /api/passes/{code}): the other fields may then be left out, they come from "
            "its announcement",
            ["123456"],
            min_length=6,
            max_length=6,
            pattern=r"^\d{6}$",
        ),
    ],
    None,
)


def _optional_fields(struct: type[msgspec.Struct]) -> list[tuple]:
    return [(field.name, field.type | None, None) for field in msgspec.structs.fields(struct)]


def _strict_model(parsed) -> type[msgspec.Struct]:
    """What the body step converts a POST /api/visits body to (app/api/body.py): a body with a passCode is a
    check-in by pass, any other a whole CheckInInput, so a missing field is named with the wrong ones."""
    return CheckInBody if isinstance(parsed, dict) and parsed.get("passCode") is not None else CheckInInput


CheckInBody = msgspec.defstruct(
    "CheckInInput",
    [*_optional_fields(CheckInInput), PASS_CODE_FIELD],
    rename="camel",
    module=__name__,
    namespace={"strict_model": staticmethod(_strict_model)},
)
"""What POST /api/visits documents (under CheckInInput's name, as before passes): a CheckInInput, or a pass code
with any of its fields, the others coming from the pass's announcement (which also decides the resident)."""
CHECK_IN_REQUIRED = [field.encode_name for field in msgspec.structs.fields(CheckInInput) if field.required]


class VisitFilters(msgspec.Struct):
    resident_id: UUID | None = None
    on_site: bool | None = None
    arrived_from: str | None = None
    arrived_to: str | None = None
    q: str | None = None


class Inside(msgspec.Struct):
    """Who is inside for a household, oldest arrival first: `cards` shown in full, then `more` (empty unless a
    party is inside) in a compact list; `more_people` counts the people of `more`."""

    cards: list[Visit]
    more: list[Visit]
    total_people: int
    more_people: int
    as_of: datetime
