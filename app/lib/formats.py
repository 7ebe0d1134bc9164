"""Dates, times, weekdays and numbers as the reader's language writes them (Babel, CLDR), in the site's
time zone: 15:05 and 30 de nov. de 2026 in Portuguese, 3:05 PM and Nov 30, 2026 in English."""

from __future__ import annotations

import functools
import re
from datetime import date, datetime, time

from babel import dates, numbers

from app.lib.i18n import current_language, locale
from app.lib.site import site_timezone


@functools.cache
def _twenty_four_hour_pattern(language: str) -> bool:
    return dates.get_time_format("short", locale=language).pattern in ("HH:mm", "H:mm")


def time_of_day(moment: datetime | None) -> str:
    """The board shows two times a row, so the common 24-hour clock is written without Babel (a tenth of
    the time); other clocks (English's 3:05 PM) go through Babel."""
    if not moment:
        return ""
    local = moment.astimezone(site_timezone())
    language = current_language()
    if _twenty_four_hour_pattern(language):
        pattern = dates.get_time_format("short", locale=language).pattern
        hour = f"{local.hour:02d}" if pattern.startswith("HH") else str(local.hour)
        return f"{hour}:{local.minute:02d}"
    return dates.format_time(local, "short", locale=locale())


def day(value: date | datetime | None) -> str:
    """A date with its month in words: 30 Nov 2026, 30 de nov. de 2026."""
    if not value:
        return ""
    if isinstance(value, datetime):
        value = value.astimezone(site_timezone()).date()
    return dates.format_date(value, "medium", locale=locale())


def long_day(value: date | None) -> str:
    """A date with its weekday: Monday, November 30, 2026; segunda-feira, 30 de novembro de 2026."""
    return dates.format_date(value, "full", locale=locale()) if value else ""


def short_day(value: date) -> str:
    """A date without its year, with its weekday: Mon, Nov 30; seg., 30 de nov."""
    return dates.format_skeleton("MMMEd", value, locale=locale())


def _joined(day_text: str, time_text: str) -> str:
    pattern = dates.get_datetime_format("medium", locale=locale())
    return pattern.replace("{1}", day_text).replace("{0}", time_text)


def day_and_time(moment: datetime | None) -> str:
    if not moment:
        return ""
    return _joined(day(moment), time_of_day(moment))


def time_or_day(moment: datetime | None, now: datetime) -> str:
    """The time alone for today, with the day (no year) for earlier days."""
    if not moment:
        return ""
    tz = site_timezone()
    local = moment.astimezone(tz)
    if local.date() == now.astimezone(tz).date():
        return time_of_day(moment)
    return _joined(dates.format_skeleton("MMMd", local, locale=locale()), time_of_day(moment))


def weekday_names(style: str = "wide") -> dict[int, str]:
    """ISO weekday numbers (1 = Monday) to their names in the reader's language."""
    names = locale().days["format"][style]
    return {number: names[number - 1] for number in range(1, 8)}


def number(value: int | float) -> str:
    return numbers.format_decimal(value, locale=locale())


_TYPED_CLOCK = re.compile(
    r"(?:(?P<day>[0-9]{1,2}[/.-][0-9]{1,2}[/.-][0-9]{2,4})[ ,]+)?"
    r"(?P<hour>[0-9]{1,2})[:h](?P<minute>[0-5][0-9])(?: ?(?P<half>[AaPp])\.? ?[Mm]\.?)?"
)


def typed_clock(text: str, now: datetime) -> datetime | None:
    """A time as the reader's language writes it (14:30, 2:30 PM), today in the site's time zone, or a short
    date and a time (06/12/2026 14:30; 12/6/26 2:30 PM in English); None for anything else.

    The kiosk's arrival field reads this instead of a browser picker, whose clock and date order are the
    browser's, not the site's."""
    found = _TYPED_CLOCK.fullmatch(" ".join(text.split()))  # Babel writes 2:30\u202fPM
    if found is None:
        return None
    tz = site_timezone()
    try:
        day_text = found["day"]
        on = dates.parse_date(day_text.replace(".", "/").replace("-", "/"), locale=locale()) if day_text else None
    except (ValueError, IndexError):
        return None
    hour, half = int(found["hour"]), (found["half"] or "").lower()
    if half and not 1 <= hour <= 12:
        return None
    hour = hour % 12 + (12 if half == "p" else 0) if half else hour
    if hour > 23:
        return None
    return datetime.combine(on or now.astimezone(tz).date(), time(hour, int(found["minute"])), tzinfo=tz)


def typed_clock_examples(now: datetime) -> dict[str, str]:
    """What typed_clock reads, written for `now`: a time, and a day with a time."""
    local = now.astimezone(site_timezone())
    clock = " ".join(time_of_day(local).split())
    return {"time": clock, "day_time": f"{dates.format_date(local, 'short', locale=locale())} {clock}"}


def month(value: date) -> str:
    """A month and its year: Nov 2026, nov. de 2026."""
    return dates.format_skeleton("yMMM", value, locale=locale())
