"""Site-wide facts the rules depend on, set once when the app or the command starts."""

from __future__ import annotations

from datetime import tzinfo
from zoneinfo import ZoneInfo

_site_timezone: tzinfo = ZoneInfo("UTC")


def configure(timezone: tzinfo) -> None:
    global _site_timezone
    _site_timezone = timezone


def site_timezone() -> tzinfo:
    return _site_timezone
