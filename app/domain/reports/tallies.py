"""What the Reports count for each day, read from the visits by aggregate queries over one index.

The queries read the index `visit_reports` alone (arrival, departure, automatic, subject). Days and hours are
the site's: the span is cut where the zone's UTC offset changes (daylight saving), and each piece is grouped
by its local day and hour in SQL with that piece's offset, the same way on SQLite and PostgreSQL, so a visit
at 00:30 local time on the night the clocks change is counted on the right day.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from operator import add

import msgspec

from app.db import reads

_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()


class Tally(msgspec.Struct, omit_defaults=True):
    """Visits of consecutive local days, by the day they arrived: everything the Reports sum over a period.

    One day's tally, or a month's (the roll-up keeps both), or a period's: tallies of consecutive days merge
    (`merge`). Counts are dense lists, not dictionaries, so a merge adds them element by element in C."""

    days: list[int] = msgspec.field(default_factory=lambda: [0])
    """Arrivals on each day, in order."""
    hours: list[int] = msgspec.field(default_factory=lambda: [0] * 168)
    """Arrivals by ISO weekday and local hour: index (weekday - 1) * 24 + hour."""
    stays: list[int] = msgspec.field(default_factory=list)
    """Visits a guard checked out, by whole minutes stayed (index: minutes; so the median and longest stay
    stay exact), up to the longest stay."""
    automatic: int = 0
    """Visits the end-of-day sweep checked out (their stays are guesses, counted apart)."""
    subjects: dict[str, int] = msgspec.field(default_factory=dict)


def add_counts(total: list[int], more: list[int]) -> list[int]:
    """Two lists of counts added element by element (the shorter one read as zeros beyond its end)."""
    longer, shorter = (total, more) if len(total) >= len(more) else (more, total)
    return list(map(add, longer, shorter)) + longer[len(shorter) :]


def merge(tallies: list[Tally]) -> Tally:
    """The tally of consecutive days from theirs, in order."""
    merged = Tally(days=[], hours=[0] * 168)
    subjects: Counter[str] = Counter()
    for counted in tallies:
        merged.days += counted.days
        merged.hours = add_counts(merged.hours, counted.hours)
        merged.stays = add_counts(merged.stays, counted.stays)
        merged.automatic += counted.automatic
        subjects.update(counted.subjects)
    merged.subjects = dict(subjects)
    return merged


# Arrivals by local hour: the hour's number since 1970 in the piece's local time (its offset in seconds added).
SQLITE_HOURS = (
    "SELECT (unixepoch(arrival_date) + ?) / 3600 AS bucket, count(*) FROM visit"
    " WHERE arrival_date >= ? AND arrival_date < ? GROUP BY bucket"
)
POSTGRES_HOURS = (
    "SELECT (floor(extract(epoch FROM arrival_date))::bigint + $1) / 3600 AS bucket, count(*) FROM visit"
    " WHERE arrival_date >= $2 AND arrival_date < $3 GROUP BY bucket"
)
# Stays by local day: whole minutes between the departure's and the arrival's whole seconds, alike on both engines.
SQLITE_STAYS = (
    "SELECT (unixepoch(arrival_date) + ?) / 86400 AS day,"
    " (unixepoch(departure_date) - unixepoch(arrival_date)) / 60 AS minutes, departure_automatic, count(*)"
    " FROM visit WHERE arrival_date >= ? AND arrival_date < ? AND departure_date IS NOT NULL GROUP BY 1, 2, 3"
)
POSTGRES_STAYS = (
    "SELECT (floor(extract(epoch FROM arrival_date))::bigint + $1) / 86400 AS day,"
    " (floor(extract(epoch FROM departure_date))::bigint - floor(extract(epoch FROM arrival_date))::bigint)"
    " / 60 AS minutes, departure_automatic, count(*) FROM visit"
    " WHERE arrival_date >= $2 AND arrival_date < $3 AND departure_date IS NOT NULL GROUP BY 1, 2, 3"
)
SQLITE_SUBJECTS = (
    "SELECT (unixepoch(arrival_date) + ?) / 86400 AS day, subject, count(*) FROM visit"
    " WHERE arrival_date >= ? AND arrival_date < ? GROUP BY 1, 2"
)
POSTGRES_SUBJECTS = (
    "SELECT (floor(extract(epoch FROM arrival_date))::bigint + $1) / 86400 AS day, subject, count(*) FROM visit"
    " WHERE arrival_date >= $2 AND arrival_date < $3 GROUP BY 1, 2"
)


def local_midnight(day: date, tz: tzinfo) -> datetime:
    """The UTC instant the local day begins."""
    return datetime.combine(day, time(0), tzinfo=tz).astimezone(UTC)


def bounds(first: date, last: date, tz: tzinfo) -> tuple[datetime, datetime]:
    """The days first..last as UTC instants [start, end): from the first's local midnight to the one after the last."""
    return local_midnight(first, tz), local_midnight(last + timedelta(days=1), tz)


def days_of(first: date, last: date) -> Iterator[date]:
    return (first + timedelta(days=n) for n in range((last - first).days + 1))


def _offset(moment: datetime, tz: tzinfo) -> int:
    """The zone's UTC offset at this instant, in whole minutes."""
    return int(moment.astimezone(tz).utcoffset().total_seconds() // 60)


def offset_pieces(start: datetime, end: datetime, tz: tzinfo) -> list[tuple[datetime, datetime, int]]:
    """[start, end) cut where the zone's offset changes: (piece start, piece end, offset in minutes).

    Looked at every six hours (zones change at most twice a year, never twice in six hours); a change found
    is placed to the second by halving the interval."""
    cuts = [start]
    probe = start
    while probe < end:
        ahead = min(probe + timedelta(hours=6), end)
        if _offset(ahead, tz) != _offset(probe, tz):
            low, high = int(probe.timestamp()), int(ahead.timestamp())
            while high - low > 1:
                middle = (low + high) // 2
                if _offset(datetime.fromtimestamp(middle, UTC), tz) == _offset(probe, tz):
                    low = middle
                else:
                    high = middle
            cuts.append(datetime.fromtimestamp(high, UTC))
        probe = ahead
    cuts.append(end)
    return [(a, b, _offset(a, tz)) for a, b in zip(cuts, cuts[1:], strict=False) if a < b]


def _day(number: int) -> date:
    """The local day of a day number since 1970 (counted in local time)."""
    return date.fromordinal(_EPOCH_ORDINAL + int(number))


async def tally(first: date, last: date, tz: tzinfo) -> dict[date, Tally]:
    """Each of the days first..last (local days of `tz`) counted from the visits; every day present."""
    found = {day: Tally() for day in days_of(first, last)}
    for start, end, minutes in offset_pieces(*bounds(first, last, tz), tz):
        args = [minutes * 60, start, end]
        for bucket, count in await reads.run_statement(SQLITE_HOURS, POSTGRES_HOURS, args, inline=False):
            local = datetime.fromtimestamp(int(bucket) * 3600, UTC)  # the local wall clock, written as if UTC
            counted = found[local.date()]
            counted.days[0] += count
            counted.hours[(local.isoweekday() - 1) * 24 + local.hour] += count
        for day, stayed, was_automatic, count in await reads.run_statement(
            SQLITE_STAYS, POSTGRES_STAYS, args, inline=False
        ):
            counted = found[_day(day)]
            if was_automatic:
                counted.automatic += count
            else:
                stayed = max(0, int(stayed))
                if stayed >= len(counted.stays):
                    counted.stays.extend([0] * (stayed + 1 - len(counted.stays)))
                counted.stays[stayed] += count
        for day, subject, count in await reads.run_statement(SQLITE_SUBJECTS, POSTGRES_SUBJECTS, args, inline=False):
            subjects = found[_day(day)].subjects
            subjects[subject] = subjects.get(subject, 0) + count
    return found
