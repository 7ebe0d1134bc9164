"""Reports: visits per day, arrivals by weekday and hour, stays, subjects and the gate's exceptions.

A period is summed from each of its days' tallies (`tallies.py`): the closed days (before today in the site's
zone) from the roll-up (`rollup.py`), kept once counted and forgotten when a visit of theirs changes, and
today and later days counted live from the index, so a year's report reads about a dozen small rows (whole
months, then days), not a year of visits. Overrides of the do-not-admit list are counted live from the audit
trail (few rows, indexed).
"""

from __future__ import annotations

import math
from datetime import date, timedelta
from itertools import accumulate

from app.db import reads
from app.domain.reports import rollup
from app.domain.reports.schemas import DayCount, HourCount, Report, StayBand, Stays, SubjectCount
from app.domain.reports.tallies import Tally, bounds, merge, tally
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


async def _tally(first: date, last: date) -> Tally:
    """The period's tally: closed days from the roll-up, today and later days counted now."""
    tz, now = site_timezone(), today()
    pieces: list[Tally] = []
    if first < now:
        pieces += await rollup.closed_days(first, min(last, now - timedelta(days=1)), now, tz)
    if last >= now:
        pieces += (await tally(max(first, now), last, tz)).values()
    return merge(pieces)


def _per_day(counted: Tally, first: date) -> list[DayCount]:
    return [DayCount(first + timedelta(days=n), visits) for n, visits in enumerate(counted.days)]


def _by_hour(counted: Tally) -> list[HourCount]:
    """Arrivals by ISO weekday and local hour: 7 x 24 cells, Monday 00h first."""
    return [HourCount(cell // 24 + 1, cell % 24, arrivals) for cell, arrivals in enumerate(counted.hours)]


async def visits_per_day(actor: Actor, from_text: str | None, to_text: str | None) -> list[DayCount]:
    """Arrivals on each day of the period (every day, with 0 for a quiet one)."""
    require_admin(actor, REFUSAL)
    first, last = period_of(from_text, to_text)
    return _per_day(await _tally(first, last), first)


async def arrivals_by_hour(actor: Actor, from_text: str | None, to_text: str | None) -> list[HourCount]:
    """Arrivals in the period by weekday and hour of the day: 7 x 24 cells, Monday 00h first."""
    require_admin(actor, REFUSAL)
    first, last = period_of(from_text, to_text)
    return _by_hour(await _tally(first, last))


def _stays(period: Tally) -> Stays:
    lengths = period.stays  # visits by whole minutes stayed
    counted = sum(lengths)
    limit = overstay_limit()
    return Stays(
        counted=counted,
        median_minutes=_median(lengths, counted),
        longest_minutes=max((minutes for minutes, count in enumerate(lengths) if count), default=None),
        overstays=sum(lengths[math.ceil(limit.total_seconds() / 60) :]),
        overstay_hours=limit.total_seconds() / 3600,
        automatic_check_outs=period.automatic,
        bands=_bands(lengths),
    )


def _median(lengths: list[int], counted: int) -> int | None:
    """The middle stay in whole minutes (of an even count, the lower of the two middle ones)."""
    if not counted:
        return None
    middle = (counted + 1) // 2
    return next(minutes for minutes, seen in enumerate(accumulate(lengths)) if seen >= middle)


def _bands(lengths: list[int]) -> list[StayBand]:
    lower, counts = 0, []
    for upper, label in BANDS:
        counts.append(StayBand(_(label), sum(lengths[lower:upper])))
        lower = upper
    return counts


async def report(actor: Actor, days: int, last_day: date | None = None) -> Report:
    """The Reports page's numbers for the `days` days (one of PERIODS) ending on `last_day`, by default today."""
    require_admin(actor, REFUSAL)
    days = days if days in PERIODS else DEFAULT_DAYS
    first, last = period_of(None, last_day.isoformat() if last_day else None, days)
    start, end = bounds(first, last, site_timezone())
    period = await _tally(first, last)
    hours = _by_hour(period)
    busiest = sorted((cell for cell in hours if cell.arrivals), key=lambda cell: -cell.arrivals)[:BUSIEST]
    overrides = await reads.run_statement(
        _OVERRIDES, reads.numbered(_OVERRIDES), [OVERRIDDEN, start, end], inline=False
    )
    return Report(
        first_day=first,
        last_day=last,
        days=_per_day(period, first),
        hours=hours,
        busiest=busiest,
        subjects=[
            SubjectCount(subject, count)
            for subject, count in sorted(period.subjects.items(), key=lambda item: (-item[1], item[0]))[:SUBJECTS]
        ],
        stays=_stays(period),
        overrides=overrides[0][0],
    )
