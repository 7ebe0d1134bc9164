"""Site-wide facts the rules depend on, set once when the app or the command starts."""

from __future__ import annotations

from datetime import timedelta, tzinfo
from zoneinfo import ZoneInfo

DEFAULT_OVERSTAY_LIMIT = timedelta(hours=12)

_site_timezone: tzinfo = ZoneInfo("UTC")
_overstay_limit: timedelta = DEFAULT_OVERSTAY_LIMIT


def configure(timezone: tzinfo, overstay_limit: timedelta = DEFAULT_OVERSTAY_LIMIT) -> None:
    global _site_timezone, _overstay_limit
    _site_timezone = timezone
    _overstay_limit = overstay_limit


def site_timezone() -> tzinfo:
    return _site_timezone


def overstay_limit() -> timedelta:
    """How long a visitor may be inside before the board says they are overstaying (OVERSTAY_HOURS)."""
    return _overstay_limit
