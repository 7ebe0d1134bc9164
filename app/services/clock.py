"""Instants: stored in UTC, read in the site's time zone when the sender gave no offset."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, tzinfo

CLOCK_SKEW = timedelta(minutes=5)
"""How far ahead of our clock a sender's 'now' may be before we call it the future."""


def utc_now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def parse_instant(text: str, site_tz: tzinfo) -> datetime:
    """Parse an ISO 8601 date or date-time; naive values are taken in the site's time zone.

    Raises ValueError with a message fit to show next to the field.
    """
    value = text.strip()
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(
            "is not an ISO 8601 date-time (for example 2026-11-28T14:30:00 or 2026-11-28T14:30:00+01:00)"
        ) from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=site_tz)
    return parsed.astimezone(UTC)


def in_zone(moment: datetime | None, site_tz: tzinfo) -> datetime | None:
    return None if moment is None else moment.astimezone(site_tz)
