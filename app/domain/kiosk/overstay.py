"""Overstays: visitors the board should point out because they have been inside too long.

overstay(visit, now, announced_until) returns the reason a visit is overstaying, or None. Each
condition is a function that returns a reason or None; overstay() asks them in order and the first
that answers wins, so a new condition is one more function and one more line there. The templates
only show the reason's label; they never decide.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from app.domain.kiosk.board_schemas import Overstay
from app.domain.visits import schemas as visit_schemas
from app.lib import formats
from app.lib.i18n import _, ngettext
from app.lib.site import overstay_limit, site_timezone


def hours_text(limit: timedelta) -> str:
    """The limit in hours as the reader writes numbers: 12, or 1.5 (1,5 in Portuguese)."""
    return formats.number(round(limit.total_seconds() / 3600, 2))


def over_time_limit(visit: visit_schemas.Visit, now: datetime) -> Overstay | None:
    """Inside longer than OVERSTAY_HOURS: exactly the limit is not yet an overstay."""
    limit = overstay_limit()
    if visit.departure_date is not None or now - visit.arrival_date <= limit:
        return None
    hours = hours_text(limit)
    whole = limit.total_seconds() / 3600
    # ngettext picks the form from a whole number; a fractional limit (1.5) reads as more than one.
    count = int(whole) if whole.is_integer() else 2
    return Overstay(
        code="over-limit",
        label=_("Over %(hours)s h", hours=hours),
        detail=ngettext(
            "Inside for more than %(hours)s hour.", "Inside for more than %(hours)s hours.", count, hours=hours
        ),
    )


def past_announcement(visit: visit_schemas.Visit, now: datetime, announced_until: date | None) -> Overstay | None:
    """Still inside after the last day the resident announced them for."""
    if visit.departure_date is not None or announced_until is None:
        return None
    if now.astimezone(site_timezone()).date() <= announced_until:
        return None
    return Overstay(
        code="past-announcement",
        label=_("Past announced day"),
        detail=_("Announced until %(day)s; still inside.", day=formats.day(announced_until)),
    )


def overstay(visit: visit_schemas.Visit, now: datetime, announced_until: date | None = None) -> Overstay | None:
    """Why this visit is overstaying at `now`, or None when it is not (or the visitor has left)."""
    return over_time_limit(visit, now) or past_announcement(visit, now, announced_until)
