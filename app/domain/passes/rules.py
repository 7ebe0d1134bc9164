"""The rules of a pass, without the database: new codes and tokens, and why a pass no longer opens the gate.

Every announcement has a pass. A one-day announcement's pass lets in once; a range's or a weekly one's lets in
any number of times on each of its days; the resident may cap the total (`pass_max_uses`). A revoked, used up,
expired or cancelled pass, or one on a day it does not cover, is refused with the reason in words.
"""

from __future__ import annotations

import hmac
import re
import secrets
from datetime import date

from app.lib.errors import DomainError, Invalid
from app.lib.i18n import N_, _

CODE_DIGITS = 6
TOKEN_BYTES = 24
"""32 URL-safe characters: unguessable, unlike the code, so the public page needs no other key."""
MAX_USES_LIMIT = 1000
WRONG_CODES_LIMIT = 10
"""Wrong codes allowed per kiosk session (or API token) and per address within WRONG_CODES_WINDOW."""
WRONG_CODES_WINDOW = 10 * 60


def new_code() -> str:
    return f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def is_code(text: str) -> bool:
    return len(text) == CODE_DIGITS and text.isascii() and text.isdigit()


_GROUPING = re.compile(r"[\s.-]")


def as_typed(text: str) -> str:
    """A code as a person types what the pass shows ("071 671", "071-671"): the digits alone."""
    return _GROUPING.sub("", text)


def same(stored: str | None, given: str) -> bool:
    """Codes and tokens are compared in constant time, so timing tells a guesser nothing."""
    return stored is not None and hmac.compare_digest(stored.encode(), given.encode())


def applies_on(starts_on: date, ends_on: date, weekdays: list[int], day: date) -> bool:
    return starts_on <= day <= ends_on and (not weekdays or day.isoweekday() in weekdays)


def used_up(single_day: bool, used: bool, uses: int, max_uses: int | None) -> bool:
    return (single_day and used) or (max_uses is not None and uses >= max_uses)


REASONS = {
    "cancelled": N_("This pass was cancelled with its announcement."),
    "revoked": N_("This pass was revoked."),
    "used_up": N_("This pass is used up."),
    "expired": N_("This pass has expired."),
    "not_today": N_("This pass is not valid today."),
}
"""Why a pass does not let anyone in, by key (the API's `reason`); the words are shown translated."""


def refusal(row: dict, weekdays: list[int], day: date) -> str | None:
    """The key (of REASONS) of why this announcement's pass lets no one in on `day`; None when it does."""
    single_day = row["starts_on"] == row["ends_on"] and not weekdays
    if row["cancelled_at"] is not None:
        return "cancelled"
    if row["pass_revoked_at"] is not None:
        return "revoked"
    if used_up(single_day, row["used_at"] is not None, row["pass_uses"], row["pass_max_uses"]):
        return "used_up"
    if row["ends_on"] < day:
        return "expired"
    if not applies_on(row["starts_on"], row["ends_on"], weekdays, day):
        return "not_today"
    return None


def in_force(row: dict, weekdays: list[int], day: date) -> bool:
    """Able to let someone in today or on a later day: its code may not be given to another pass."""
    return refusal(row, weekdays, day) in (None, "not_today")


def opens_the_gate(reason: str | None) -> bool:
    """In force: today, or on a later day of the pass. Only such a pass is worth sharing."""
    return reason in (None, "not_today")


def in_words(reason: str) -> str:
    return _(REASONS[reason])


FIELD_PROBLEMS = {
    "cancelled": N_("no announcement has this id"),
    "revoked": N_("its pass was revoked"),
    "used_up": N_("has already been used"),
    "expired": N_("is not for today"),
    "not_today": N_("is not for today"),
}


class Refused(Invalid):
    """An announcement whose pass lets no one in now: a problem with `expectedVisitId` for a check-in that names
    the announcement; a check-in by pass code answers 410 with the reason in words instead."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__({"expectedVisitId": _(FIELD_PROBLEMS[reason])})


class Gone(DomainError):
    status_code = 410
    title = N_("Gone")

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(in_words(reason))


_UUID = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
_SCANNED = (
    ("token", re.compile(r"/pass/([A-Za-z0-9_-]{20,64})/?$")),
    ("visit", re.compile(rf"/kiosk/leave/({_UUID})/?$")),
)


def read_scan(text: str) -> tuple[str, str] | None:
    """What the kiosk's Pass field holds: 6 typed digits ("code"), a pass's QR code ("token") or a badge's
    ("visit"), as a scanner types it; None for anything else."""
    text = text.strip()
    if is_code(as_typed(text)):
        return "code", as_typed(text)
    for kind, pattern in _SCANNED:
        if found := pattern.search(text):
            return kind, found.group(1)
    return None
