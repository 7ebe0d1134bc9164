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
from app.lib.site import overstay_limit, site_timezone


def hours_text(limit: timedelta) -> str:
    hours = limit.total_seconds() / 3600
    return f"{hours:g}"


def over_time_limit(visit: visit_schemas.Visit, now: datetime) -> Overstay | None:
    """Inside longer than OVERSTAY_HOURS: exactly the limit is not yet an overstay."""
    limit = overstay_limit()
    if visit.departure_date is not None or now - visit.arrival_date <= limit:
        return None
    hours = hours_text(limit)
    return Overstay(
        code="over-limit",
        label=f"Over {hours} h",
        detail=f"Inside for more than {hours} {'hour' if hours == '1' else 'hours'}.",
    )


def past_announcement(visit: visit_schemas.Visit, now: datetime, announced_until: date | None) -> Overstay | None:
    """Still inside after the last day the resident announced them for."""
    if visit.departure_date is not None or announced_until is None:
        return None
    if now.astimezone(site_timezone()).date() <= announced_until:
        return None
    return Overstay(
        code="past-announcement",
        label="Past announced day",
        detail=f"Announced until {announced_until:%-d %b %Y}; still inside.",
    )


def overstay(visit: visit_schemas.Visit, now: datetime, announced_until: date | None = None) -> Overstay | None:
    """Why this visit is overstaying at `now`, or None when it is not (or the visitor has left)."""
    return over_time_limit(visit, now) or past_announcement(visit, now, announced_until)
