"""Reports: visits per day, arrivals by weekday and hour, stays, subjects and the gate's exceptions.

Every number is an aggregate query over the visits that arrived in the period, read through the index
`visit_reports` (arrival, departure, automatic, subject: the queries never touch the table's rows). Days
and hours are the site's: the period is cut where the zone's UTC offset changes (daylight saving), and
each piece is grouped by its local hour in SQL with that piece's offset, the same way on SQLite
and PostgreSQL, so a visit at 00:30 local time on the night the clocks change is counted on the right day.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from app.db import reads
from app.domain.reports.schemas import DayCount, HourCount, Report, StayBand, Stays, SubjectCount
from app.lib.actors import Actor, require_admin
from app.lib.clock import utc_now
from app.lib.errors import FieldErrors
from app.lib.i18n import N_, _
from app.lib.site import overstay_limit, site_timezone

PERIODS = (30, 90, 365)
"""The periods the Reports page offers, in days ending today."""
DEFAULT_DAYS = 30
MAX_DAYS = 366 * 3
"""The longest period the API answers for (three years of days)."""
BUSIEST = 5
SUBJECTS = 10
REFUSAL = N_("Only administrators may see reports.")
OVERRIDDEN = "visit.ban_overridden"
BANDS = (
    (15, N_("under 15 minutes")),
    (30, N_("15 to 30 minutes")),
    (60, N_("30 minutes to 1 hour")),
    (120, N_("1 to 2 hours")),
    (240, N_("2 to 4 hours")),
    (480, N_("4 to 8 hours")),
    (None, N_("8 hours or more")),
)
"""Stay lengths by band: each band's upper bound in minutes (exclusive)."""

# Arrivals by local hour: the hour's number since 1970 in the piece's local time (its offset in seconds added).
_SQLITE_HOURS = (
    "SELECT (unixepoch(arrival_date) + ?) / 3600 AS bucket, count(*) FROM visit"
    " WHERE arrival_date >= ? AND arrival_date < ? GROUP BY bucket"
)
_POSTGRES_HOURS = (
    "SELECT (floor(extract(epoch FROM arrival_date))::bigint + $1) / 3600 AS bucket, count(*) FROM visit"
    " WHERE arrival_date >= $2 AND arrival_date < $3 GROUP BY bucket"
)
# Whole minutes between the departure's and the arrival's whole seconds, alike on both engines.
_SQLITE_STAYS = (
    "SELECT (unixepoch(departure_date) - unixepoch(arrival_date)) / 60 AS minutes, departure_automatic, count(*)"
    " FROM visit WHERE arrival_date >= ? AND arrival_date < ? AND departure_date IS NOT NULL GROUP BY 1, 2"
)
_POSTGRES_STAYS = (
    "SELECT (floor(extract(epoch FROM departure_date))::bigint - floor(extract(epoch FROM arrival_date))::bigint)"
    " / 60 AS minutes, departure_automatic, count(*) FROM visit"
    " WHERE arrival_date >= $1 AND arrival_date < $2 AND departure_date IS NOT NULL GROUP BY 1, 2"
)
_SUBJECTS = (
    "SELECT subject, count(*) AS visits FROM visit WHERE arrival_date >= ? AND arrival_date < ?"
    " GROUP BY subject ORDER BY visits DESC, subject LIMIT ?"
)
_OVERRIDES = "SELECT count(*) FROM audit_event WHERE action = ? AND at >= ? AND at < ?"


def today() -> date:
    return utc_now().astimezone(site_timezone()).date()


def period_of(from_text: str | None, to_text: str | None, default_days: int = DEFAULT_DAYS) -> tuple[date, date]:
    """The first and last day (both included) of `from`/`to` (days in the site's zone); by default the
    `default_days` days ending today."""
    errors = FieldErrors()
    days = {}
    for field, text in (("from", from_text), ("to", to_text)):
        if text:
            try:
                days[field] = date.fromisoformat(text.strip())
            except ValueError:
                errors.add(field, _("is not a date such as %(example)s", example="2026-11-28"))
    errors.raise_if_any()
    last = days.get("to") or today()
    first = days.get("from") or last - timedelta(days=default_days - 1)
    if first > last:
        errors.add("to", _("is before the first day"))
    elif (last - first).days >= MAX_DAYS:
        errors.add("to", _("is more than %(days)s days after the first day", days=MAX_DAYS))
    errors.raise_if_any()
    return first, last


def _bounds(first: date, last: date, tz: tzinfo) -> tuple[datetime, datetime]:
    """The period as UTC instants [start, end): from the first day's local midnight to the next after the last."""
    start = datetime.combine(first, time(0), tzinfo=tz).astimezone(UTC)
    return start, datetime.combine(last + timedelta(days=1), time(0), tzinfo=tz).astimezone(UTC)


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


async def _arrivals(first: date, last: date) -> Counter[tuple[date, int]]:
    """Arrivals by (local day, local hour) over the period."""
    tz = site_timezone()
    counts: Counter[tuple[date, int]] = Counter()
    for start, end, minutes in offset_pieces(*_bounds(first, last, tz), tz):
        rows = await reads.run_statement(_SQLITE_HOURS, _POSTGRES_HOURS, [minutes * 60, start, end], inline=False)
        for bucket, count in rows:
            local = datetime.fromtimestamp(int(bucket) * 3600, UTC)  # the local wall clock, written as if UTC
            counts[(local.date(), local.hour)] += count
    return counts


def _per_day(counts: Counter[tuple[date, int]], first: date, last: date) -> list[DayCount]:
    totals: Counter[date] = Counter()
    for (day, _hour), count in counts.items():
        totals[day] += count
    return [DayCount(day, totals[day]) for day in (first + timedelta(days=n) for n in range((last - first).days + 1))]


def _by_hour(counts: Counter[tuple[date, int]]) -> list[HourCount]:
    cells: Counter[tuple[int, int]] = Counter()
    for (day, hour), count in counts.items():
        cells[(day.isoweekday(), hour)] += count
    return [HourCount(weekday, hour, cells[(weekday, hour)]) for weekday in range(1, 8) for hour in range(24)]


async def visits_per_day(actor: Actor, from_text: str | None, to_text: str | None) -> list[DayCount]:
    """Arrivals on each day of the period (every day, with 0 for a quiet one)."""
    require_admin(actor, REFUSAL)
    first, last = period_of(from_text, to_text)
    return _per_day(await _arrivals(first, last), first, last)


async def arrivals_by_hour(actor: Actor, from_text: str | None, to_text: str | None) -> list[HourCount]:
    """Arrivals in the period by weekday and hour of the day: 7 x 24 cells, Monday 00h first."""
    require_admin(actor, REFUSAL)
    first, last = period_of(from_text, to_text)
    return _by_hour(await _arrivals(first, last))


async def _stays(start: datetime, end: datetime) -> Stays:
    rows = await reads.run_statement(_SQLITE_STAYS, _POSTGRES_STAYS, [start, end], inline=False)
    lengths: Counter[int] = Counter()
    automatic = 0
    for minutes, was_automatic, count in rows:
        if was_automatic:
            automatic += count
        else:
            lengths[max(0, int(minutes))] += count
    counted = sum(lengths.values())
    limit = overstay_limit()
    limit_minutes = limit.total_seconds() / 60
    return Stays(
        counted=counted,
        median_minutes=_median(lengths, counted),
        longest_minutes=max(lengths) if lengths else None,
        overstays=sum(count for minutes, count in lengths.items() if minutes >= limit_minutes),
        overstay_hours=limit.total_seconds() / 3600,
        automatic_check_outs=automatic,
        bands=_bands(lengths),
    )


def _median(lengths: Counter[int], counted: int) -> int | None:
    """The middle stay in whole minutes (of an even count, the lower of the two middle ones)."""
    if not counted:
        return None
    seen, middle = 0, (counted + 1) // 2
    for minutes in sorted(lengths):
        seen += lengths[minutes]
        if seen >= middle:
            return minutes
    return None  # pragma: no cover - the loop always reaches the middle


def _bands(lengths: Counter[int]) -> list[StayBand]:
    counts = [0] * len(BANDS)
    for minutes, count in lengths.items():
        index = next(i for i, (upper, _label) in enumerate(BANDS) if upper is None or minutes < upper)
        counts[index] += count
    return [StayBand(_(label), count) for (_upper, label), count in zip(BANDS, counts, strict=True)]


async def report(actor: Actor, days: int, last_day: date | None = None) -> Report:
    """The Reports page's numbers for the `days` days (one of PERIODS) ending on `last_day`, by default today."""
    require_admin(actor, REFUSAL)
    days = days if days in PERIODS else DEFAULT_DAYS
    first, last = period_of(None, last_day.isoformat() if last_day else None, days)
    start, end = _bounds(first, last, site_timezone())
    counts = await _arrivals(first, last)
    hours = _by_hour(counts)
    busiest = sorted((cell for cell in hours if cell.arrivals), key=lambda cell: -cell.arrivals)[:BUSIEST]
    subjects = await reads.run_statement(_SUBJECTS, reads.numbered(_SUBJECTS), [start, end, SUBJECTS], inline=False)
    overrides = await reads.run_statement(
        _OVERRIDES, reads.numbered(_OVERRIDES), [OVERRIDDEN, start, end], inline=False
    )
    return Report(
        first_day=first,
        last_day=last,
        days=_per_day(counts, first, last),
        hours=hours,
        busiest=busiest,
        subjects=[SubjectCount(subject, count) for subject, count in subjects],
        stays=await _stays(start, end),
        overrides=overrides[0][0],
    )
