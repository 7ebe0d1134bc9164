"""Overstays: visitors the board should point out because they have been inside too long.

overstay(visit, now) returns the reason a visit is overstaying, or None. Each condition is a
function of the visit and "now" that returns a reason or None, and the first that answers wins,
so another condition (such as "past the end of its announcement") is one more function in
CONDITIONS. The templates only show the reason's label; they never decide.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta

from app.services import visit_schemas
from app.services.board_schemas import Overstay
from app.services.site import overstay_limit, site_timezone


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


Condition = Callable[[visit_schemas.Visit, datetime], "Overstay | None"]
CONDITIONS: tuple[Condition, ...] = (over_time_limit,)


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
    for condition in CONDITIONS:
        reason = condition(visit, now)
        if reason is not None:
            return reason
    return past_announcement(visit, now, announced_until)
