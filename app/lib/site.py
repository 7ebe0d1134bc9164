"""Site-wide facts the rules depend on, set once when the app or the command starts."""

from __future__ import annotations

from datetime import timedelta, tzinfo
from zoneinfo import ZoneInfo

from app.settings import DEFAULT_OVERSTAY_HOURS

_site_timezone: tzinfo = ZoneInfo("UTC")
_overstay_limit: timedelta = timedelta(hours=DEFAULT_OVERSTAY_HOURS)


def configure(timezone: tzinfo, overstay_limit: timedelta = timedelta(hours=DEFAULT_OVERSTAY_HOURS)) -> None:
    global _site_timezone, _overstay_limit
    _site_timezone = timezone
    _overstay_limit = overstay_limit


def site_timezone() -> tzinfo:
    return _site_timezone


def overstay_limit() -> timedelta:
    """How long a visitor may be inside before the board says they are overstaying (OVERSTAY_HOURS)."""
    return _overstay_limit
