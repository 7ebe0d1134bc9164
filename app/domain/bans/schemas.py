"""A do-not-admit entry as the pages send it and as services return it."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

import msgspec
from msgspec import Meta

from app.lib.schemas import NAME_MAX, PLATE_MAX, documented, optional_text, required_text

REASON_MAX = 300


class Ban(msgspec.Struct, rename="camel"):
    id: UUID
    name: str | None
    license_plate: str | None
    reason: str
    resident_id: UUID | None
    resident_name: str | None
    expires_at: datetime | None
    created_at: datetime
    created_by: str | None


class BanInput(msgspec.Struct, rename="camel"):
    """An entry: a name, a plate or both; for the whole community, or for one resident's unit."""

    reason: Annotated[str, required_text(REASON_MAX, ["Threatened the staff"])]
    name: Annotated[str | None, optional_text(NAME_MAX)] = None
    license_plate: Annotated[str | None, optional_text(PLATE_MAX)] = None
    resident_id: Annotated[
        UUID | None, Meta(description="Only visits to this resident; empty: everyone (administrators only)")
    ] = None
    expires_at: Annotated[
        str | None,
        documented(
            "A day (until its end, in the site's time zone) or an RFC 3339 date-time in the future; empty: no end",
            ["2026-12-31"],
            max_length=40,
        ),
    ] = None
