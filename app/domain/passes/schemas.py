"""A pass as the API and the pages show it, and a check-in by pass code."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

import msgspec

from app.domain.expected.schemas import Expected
from app.lib.schemas import EMAIL_MAX, documented


class PublicPass(msgspec.Struct):
    """What the public pass page shows: no resident's name, only the unit."""

    code: str
    token: str
    visitor_name: str
    unit: str
    when: str
    starts_on: date
    ends_on: date
    uses: int
    max_uses: int | None
    reason: str | None
    """Why it lets no one in now (rules.REASONS), or None."""
    community_name: str
    community_address: str
    used_at: datetime | None = None
    """When a single-day pass was used (in the site's zone)."""
    revoked_at: datetime | None = None


class FoundPass(msgspec.Struct):
    expected: Expected
    reason: str | None


class PassEmailInput(msgspec.Struct, rename="camel"):
    """Where to email an announcement's pass."""

    email: Annotated[str, documented("The visitor's email address", ["rosa@example.com"], max_length=EMAIL_MAX)]


class PassEmailed(msgspec.Struct, rename="camel"):
    """The pass is queued for sending (the outbox sends it and retries)."""

    email: str
    """The address, as it was written (trimmed, lower-cased)."""
