"""Instants: stored in UTC, read in the site's time zone when the sender gave no offset."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from app.lib.i18n import N_, _

CLOCK_SKEW = timedelta(minutes=5)
"""How far ahead of our clock a sender's 'now' may be before we call it the future."""
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
"""No gate kept visits before this; older dates are typing mistakes (and year 1 overflows time zones)."""


_TIME = r"[T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,6})?)?(Z|[+-][0-9]{2}:[0-9]{2})?"
INSTANT_PATTERN = rf"^[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}{_TIME}$"
"""The date-times the API accepts (the OpenAPI document publishes this pattern): RFC 3339, the offset optional."""
DAY_OR_INSTANT_PATTERN = rf"^[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}({_TIME})?$"
"""Filters also take a bare date, meaning the whole day."""
_MONTH_DAY = r"-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])"
_CLOCK = r"([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]{1,6})?(Z|[+-]([01][0-9]|2[0-3]):[0-5][0-9])"
RECENT_DAY_PATTERN = rf"^2[0-9]{{3}}{_MONTH_DAY}$"
"""Published with `format: date`: a day this century or later (announcements, which cannot be in the past)."""
RECENT_INSTANT_PATTERN = rf"^2[0-9]{{3}}{_MONTH_DAY}T{_CLOCK}$"
"""Published with `format: date-time`: RFC 3339 in the shape parse_instant reads (at most 6 digits of a second,
upper-case T and Z), from the year 2000, as a visit's times must be. The server also takes the shorter forms of
INSTANT_PATTERN; the document promises only what every client can send."""
FILTER_DAY_PATTERN = rf"^[12][0-9]{{3}}{_MONTH_DAY}$"
FILTER_INSTANT_PATTERN = rf"^[12][0-9]{{3}}{_MONTH_DAY}T{_CLOCK}$"
"""Filters (`from`, `to`) as published: a day or an RFC 3339 date-time, years 1000 to 2999."""
FIRST_YEAR, LAST_YEAR = 2, 9998
"""Dates are taken between these years: at the calendar's edges (year 1, 9999) a time zone, an offset or the
next day falls outside what Python and the databases can hold."""
OUT_OF_RANGE = N_("is out of range: give a year from %(first)s to %(last)s")
ISO_HINT = N_("is not an ISO 8601 date-time (for example 2026-11-28T14:30:00 or 2026-11-28T14:30:00+01:00)")
"""Field messages, translated where they are shown: `_(ISO_HINT)`."""


def has_shape(text: str, pattern: str) -> bool:
    return re.fullmatch(pattern, text) is not None


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
        raise ValueError(_(ISO_HINT)) from None
    if not FIRST_YEAR <= parsed.year <= LAST_YEAR:
        raise ValueError(_(OUT_OF_RANGE, first=FIRST_YEAR, last=LAST_YEAR))
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=site_tz)
    return parsed.astimezone(UTC)


def is_date_only(text: str) -> bool:
    """'2026-11-28' names a whole day; '2026-11-28T14:30' an instant."""
    return len(text.strip()) == 10


def end_of_day(text: str, site_tz: tzinfo) -> datetime:
    """The next local midnight after the day `text` names (23 or 25 hours away on a DST change)."""
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(_("is not a date such as %(example)s", example="2026-11-28")) from None
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise ValueError(_(OUT_OF_RANGE, first=FIRST_YEAR, last=LAST_YEAR))
    return datetime.combine(day + timedelta(days=1), time(0), tzinfo=site_tz).astimezone(UTC)


def in_zone(moment: datetime | None, site_tz: tzinfo) -> datetime | None:
    return None if moment is None else moment.astimezone(site_tz)


def period(from_text: str | None, to_text: str | None, site_tz: tzinfo) -> tuple[datetime | None, datetime | None]:
    """[start, end) for 'from'/'to' filters: a date-only `to` includes that whole day.

    Raises ValueError naming the field ('from' or 'to') as its first argument and the problem as its second."""
    start = end = None
    if from_text:
        try:
            start = parse_instant(from_text, site_tz)
        except ValueError as exc:
            raise ValueError("from", str(exc)) from None
    if to_text:
        try:
            end = end_of_day(to_text, site_tz) if is_date_only(to_text) else parse_instant(to_text, site_tz)
        except ValueError as exc:
            raise ValueError("to", str(exc)) from None
        if not is_date_only(to_text):
            end += timedelta(microseconds=1)
    return start, end
