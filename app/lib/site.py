"""Site-wide facts the rules depend on, set once when the app or the command starts."""

from __future__ import annotations

from datetime import timedelta, tzinfo
from zoneinfo import ZoneInfo

from app.settings import (
    DEFAULT_APPROVAL_TIMEOUT_SECONDS,
    DEFAULT_OVERSTAY_HOURS,
    DEFAULT_PARCEL_REMINDER_DAYS,
    Settings,
)

_site_timezone: tzinfo = ZoneInfo("UTC")
_overstay_limit: timedelta = timedelta(hours=DEFAULT_OVERSTAY_HOURS)
_entry_approval = "offer"
_approval_timeout = timedelta(seconds=DEFAULT_APPROVAL_TIMEOUT_SECONDS)
_parcel_reminder = timedelta(days=DEFAULT_PARCEL_REMINDER_DAYS)
_community = ("", "")


def configure(
    timezone: tzinfo,
    overstay_limit: timedelta = timedelta(hours=DEFAULT_OVERSTAY_HOURS),
    entry_approval: str = "offer",
    approval_timeout: timedelta = timedelta(seconds=DEFAULT_APPROVAL_TIMEOUT_SECONDS),
    parcel_reminder: timedelta = timedelta(days=DEFAULT_PARCEL_REMINDER_DAYS),
) -> None:
    global _site_timezone, _overstay_limit, _entry_approval, _approval_timeout, _parcel_reminder
    _parcel_reminder = parcel_reminder
    _site_timezone = timezone
    _overstay_limit = overstay_limit
    _entry_approval = entry_approval
    _approval_timeout = approval_timeout


def configure_from(settings: Settings) -> None:
    global _community
    _community = (settings.community_name, settings.community_address)
    configure(
        settings.timezone,
        timedelta(hours=settings.overstay_hours),
        settings.entry_approval,
        timedelta(seconds=settings.approval_timeout_seconds),
        timedelta(days=settings.parcel_reminder_days),
    )


def site_timezone() -> tzinfo:
    return _site_timezone


def overstay_limit() -> timedelta:
    """How long a visitor may be inside before the board says they are overstaying (OVERSTAY_HOURS)."""
    return _overstay_limit


def entry_approval() -> str:
    """off, offer or require (ENTRY_APPROVAL): whether the gate asks residents about unannounced visitors."""
    return _entry_approval


def approval_timeout() -> timedelta:
    """How long a request to a resident waits before the guard calls instead (ENTRY_APPROVAL_TIMEOUT)."""
    return _approval_timeout


def parcel_reminder() -> timedelta:
    """How long a parcel waits before it counts as overdue and the household is reminded (PARCEL_REMINDER_DAYS)."""
    return _parcel_reminder


def community() -> tuple[str, str]:
    """The community's name and address (COMMUNITY_NAME, COMMUNITY_ADDRESS), as a pass shows them."""
    return _community
