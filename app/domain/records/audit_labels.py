"""The audit trail in plain words: one table of action and field labels for every page that shows it.

The audit trail, a visit's page and a resident's or an account's history all read events through
`describe`, so a code such as `visit.ban_overridden` or a field name such as `createdAt` never reaches
a reader, and a new action or field is labelled once, here.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

import msgspec

from app.lib.site import site_timezone

ACTIONS = {
    "visit.created": "Visit checked in",
    "visit.updated": "Visit corrected",
    "visit.checked_out": "Visit checked out",
    "visit.check_out_undone": "Check-out undone",
    "visit.deleted": "Visit deleted",
    "visit.ban_overridden": "Let in despite the do-not-admit list",
    "visit.erased": "Visitor's data erased on request",
    "visits.purged": "Old visits anonymised (retention)",
    "visit.swept": "Visit checked out automatically (end-of-day sweep)",
    "expected.announced": "Visitor announced",
    "expected.updated": "Announcement changed",
    "expected.cancelled": "Announcement cancelled",
    "expected.erased": "Announced visitor's data erased on request",
    "expected.purged": "Old announcements anonymised (retention)",
    "ban.added": "Added to the do-not-admit list",
    "ban.lifted": "Lifted from the do-not-admit list",
    "resident.created": "Resident added",
    "resident.updated": "Resident changed",
    "resident.deleted": "Resident deleted",
    "account.signed_in": "Signed in",
    "account.sign_in_failed": "Sign-in failed",
    "account.created": "Account created",
    "account.password_changed": "Password changed",
    "account.password_reset": "Password reset",
    "account.deactivated": "Account deactivated",
    "account.reactivated": "Account reactivated",
    "token.issued": "API token issued",
    "token.revoked": "API token revoked",
}
"""Every action the trail records (audit.record refuses any other), with the words an administrator reads."""

PAIRED = {
    "visit.updated",
    "visit.checked_out",
    "visit.check_out_undone",
    "visit.swept",
    "expected.updated",
    "resident.updated",
    "account.deactivated",
    "account.reactivated",
}
"""Actions whose changes are {"field": [before, after]}; the others record the values as they were."""

FIELDS = {
    "id": "Record",
    "residentId": "Resident id",
    "residentName": "Resident",
    "residentUnit": "Unit",
    "visitorName": "Visitor",
    "totalPeople": "People",
    "vehicleColor": "Vehicle colour",
    "licensePlate": "Licence plate",
    "subject": "Subject",
    "arrivalDate": "Arrived at",
    "departureDate": "Left at",
    "departureAutomatic": "Automatic check-out",
    "createdAt": "Created at",
    "createdBy": "Added by",
    "expectedVisitId": "Announcement",
    "overrideReason": "Reason for letting in",
    "bans": "Do-not-admit entries",
    "name": "Name",
    "unit": "Unit",
    "email": "Email",
    "phone": "Phone",
    "active": "Active",
    "role": "Role",
    "account": "Account",
    "reason": "Reason",
    "expiresAt": "Until",
    "note": "Note",
    "startsOn": "From",
    "endsOn": "Until",
    "weekdays": "Weekdays",
    "singleDay": "One day only",
    "used": "Used",
    "erased": "Erased",
    "visits": "Visits",
    "deletedVisits": "Deleted visits",
    "announcements": "Announcements",
    "auditEventsRedacted": "History entries redacted",
    "retentionDays": "Kept for (days)",
    "leftBefore": "Left before",
    "endedBefore": "Ended before",
}

_WORD_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_INSTANT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


def action_label(code: str) -> str:
    return ACTIONS.get(code) or code.replace(".", " ").replace("_", " ").capitalize()


def field_label(name: str) -> str:
    """A field's label; a field not in the table yet is still written as words, never as camelCase."""
    return FIELDS.get(name) or _WORD_BOUNDARY.sub(" ", name).replace("_", " ").lower().capitalize()


def value_words(value: Any) -> str:
    """A recorded value as a reader says it: Yes/No, times in the site's zone, lists of fields as words."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list | tuple):
        return ", ".join(field_label(item).lower() if item in FIELDS else value_words(item) for item in value)
    if isinstance(value, dict):
        return "; ".join(f"{field_label(key)}: {value_words(item)}" for key, item in value.items())
    if isinstance(value, datetime):
        return value.astimezone(site_timezone()).strftime("%d %b %Y, %H:%M")
    if isinstance(value, str) and _INSTANT.match(value):
        try:
            return value_words(datetime.fromisoformat(value))
        except ValueError:
            return value
    return str(msgspec.to_builtins(value))


def describe(action: str, changes: dict[str, Any], hidden: tuple[str, ...] = ()) -> list[str]:
    """An event's changes as lines of words ("Visitor: Ana → Ana Lima"), sorted by field."""
    lines = []
    for field, value in sorted(changes.items()):
        if field in hidden:
            continue
        if action in PAIRED and isinstance(value, list | tuple) and len(value) == 2:
            lines.append(f"{field_label(field)}: {value_words(value[0])} → {value_words(value[1])}")
        else:
            lines.append(f"{field_label(field)}: {value_words(value)}")
    return lines
