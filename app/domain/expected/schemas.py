"""An announcement of expected visitors as the API and the pages send it and as services return it."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal
from uuid import UUID

import msgspec
from msgspec import Meta

from app.domain.passes.rules import MAX_USES_LIMIT
from app.lib import schemas as models
from app.lib.clock import RECENT_DAY_PATTERN

NOTE_MAX = 300
WEEKDAYS = range(1, 8)
"""ISO weekday numbers, 1 = Monday … 7 = Sunday; their names are formats.weekday_names()."""


class Expected(msgspec.Struct, rename="camel"):
    id: UUID
    resident_id: UUID
    resident_name: str
    resident_unit: str
    visitor_name: str
    total_people: int
    vehicle_color: str | None
    license_plate: str | None
    note: str | None
    starts_on: date
    ends_on: date
    weekdays: Annotated[list[int], Meta(description="ISO weekdays (1 = Monday … 7 = Sunday); empty: every day")]
    single_day: Annotated[bool, Meta(description="Used up by its check-in")]
    used: bool
    created_at: datetime
    pass_code: Annotated[str, Meta(description="The pass's 6 digits, unique among passes in force")]
    pass_url: Annotated[str, Meta(description="The public pass page (no sign-in: its token is the key)")]
    pass_uses: Annotated[int, Meta(description="Check-ins made from this announcement")]
    pass_max_uses: Annotated[int | None, Meta(description="The resident's cap on check-ins; null: no cap")]
    pass_revoked_at: Annotated[datetime | None, Meta(description="When the pass was revoked; null: not revoked")]


Weekday = Literal[1, 2, 3, 4, 5, 6, 7]
"""ISO: 1 = Monday … 7 = Sunday."""


class ExpectedInput(msgspec.Struct, rename="camel"):
    visitor_name: Annotated[str, models.required_text(models.NAME_MAX)]
    starts_on: Annotated[
        str,
        models.documented(
            "The first day (or the only one), YYYY-MM-DD; not in the past",
            ["2026-12-01"],
            format="date",
            pattern=RECENT_DAY_PATTERN,
        ),
    ]
    resident_id: Annotated[
        UUID | None,
        Meta(description="Required for administrators; a resident may leave it out or give their own id"),
    ] = None
    ends_on: Annotated[
        str | None,
        models.empty_or(
            {"format": "date", "pattern": RECENT_DAY_PATTERN},
            "The last day, not before startsOn and within a year of it; null or empty: startsOn only. "
            "Required with weekdays",
            ["2026-12-31"],
        ),
    ] = None
    weekdays: Annotated[
        list[Weekday],
        models.documented("ISO weekdays within the range (needs endsOn); empty: every day", max_items=7),
    ] = []
    total_people: Annotated[
        int,
        models.documented(
            f"From {models.PEOPLE_MIN} to {models.PEOPLE_MAX}", minimum=models.PEOPLE_MIN, maximum=models.PEOPLE_MAX
        ),
    ] = 1
    vehicle_color: Annotated[str | None, models.optional_text(models.COLOR_MAX)] = None
    license_plate: Annotated[str | None, models.optional_text(models.PLATE_MAX)] = None
    note: Annotated[
        str | None, models.documented(f"For the guard, at most {NOTE_MAX} characters", max_length=NOTE_MAX)
    ] = None
    pass_max_uses: Annotated[
        int | None,
        models.documented(
            f"The most check-ins the pass allows, 1 to {MAX_USES_LIMIT}; null: one for a single day, "
            "any number on each day of a range or weekly pattern",
            minimum=1,
            maximum=MAX_USES_LIMIT,
        ),
    ] = None
