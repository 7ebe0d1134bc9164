"""A standing permission ("always let in") as the API and the pages send it and as services return it."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal
from uuid import UUID

import msgspec
from msgspec import Meta

from app.lib import schemas as models
from app.lib.clock import RECENT_DAY_PATTERN
from app.lib.i18n import N_

NOTE_MAX = 300
DEFAULT_DAYS = 30
"""A permission given without a last day lasts this many days, its first day included."""
LONGEST_DAYS = 366
"""The last day is at most this many days after the first: a year, a leap day included."""

Kind = Literal["deliveries", "person", "plate"]
KINDS: tuple[str, ...] = ("deliveries", "person", "plate")
KIND_NAMES = {"deliveries": N_("deliveries"), "person": N_("person"), "plate": N_("plate")}
"""Each kind in words, translated where it is shown ("Pre-approved by Rita Souza (deliveries)")."""


class StandingPermission(msgspec.Struct, rename="camel"):
    id: UUID
    resident_id: UUID
    resident_name: str
    resident_unit: str
    kind: Kind
    visitor_name: Annotated[str | None, Meta(description="The person let in (kind person)")]
    license_plate: Annotated[str | None, Meta(description="The plate let in (kind plate)")]
    note: str | None
    starts_on: date
    ends_on: Annotated[date, Meta(description="The last day it applies, that day included")]
    created_at: datetime


class PreApproval(msgspec.Struct, rename="camel"):
    """What the gate shows for a visitor a standing permission lets in."""

    permission_id: UUID
    kind: Kind
    granted_by: Annotated[str, Meta(description="The resident who granted it")]
    until: date
    note: Annotated[str | None, Meta(description="The resident's note for the guard")] = None


_DAY = {"format": "date", "pattern": RECENT_DAY_PATTERN}


class StandingPermissionInput(msgspec.Struct, rename="camel"):
    kind: Annotated[
        Kind,
        Meta(description="deliveries: any delivery for the resident; person: visitorName; plate: licensePlate"),
    ]
    visitor_name: Annotated[str | None, models.optional_text(models.NAME_MAX)] = None
    license_plate: Annotated[str | None, models.optional_text(models.PLATE_MAX)] = None
    starts_on: Annotated[
        str | None,
        models.empty_or(_DAY, "The first day, YYYY-MM-DD, not in the past; null or empty: today", ["2026-12-01"]),
    ] = None
    ends_on: Annotated[
        str | None,
        models.empty_or(
            _DAY,
            f"The last day, not before startsOn and at most {LONGEST_DAYS} days after it; "
            f"null or empty: {DEFAULT_DAYS} days after startsOn",
            ["2026-12-31"],
        ),
    ] = None
    note: Annotated[
        str | None, models.documented(f"For the guard, at most {NOTE_MAX} characters", max_length=NOTE_MAX)
    ] = None
    resident_id: Annotated[
        UUID | None,
        Meta(description="Required for administrators; a resident may leave it out or give their own id"),
    ] = None
