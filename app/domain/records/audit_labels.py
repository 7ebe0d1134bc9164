"""The audit trail in plain words: one table of action and field labels for every page that shows it.

The audit trail, a visit's page and a resident's or an account's history all read events through
`describe`, so a code such as `visit.ban_overridden` or a field name such as `createdAt` never reaches
a reader, and a new action or field is labelled once, here. Labels are marked with N_() where they are
defined and translated when an event is shown, in the reader's language.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any

import msgspec

from app.domain.accounts.schemas import ROLE_NAMES
from app.domain.parcels.schemas import SIZE_NAMES
from app.domain.permissions.schemas import KIND_NAMES
from app.domain.shift_log.schemas import CATEGORY_NAMES
from app.lib import formats
from app.lib.i18n import N_, _

ACTIONS = {
    "visit.created": N_("Visit checked in"),
    "visit.updated": N_("Visit corrected"),
    "visit.checked_out": N_("Visit checked out"),
    "visit.check_out_undone": N_("Check-out undone"),
    "visit.deleted": N_("Visit deleted"),
    "visit.ban_overridden": N_("Let in despite the do-not-admit list"),
    "visit.erased": N_("Visitor's data erased on request"),
    "visits.purged": N_("Old visits anonymised (retention)"),
    "visit.swept": N_("Visit checked out automatically (end-of-day sweep)"),
    "visit.answer_overridden": N_("Let in without the resident's approval"),
    "entry.asked": N_("Resident asked about a visitor"),
    "entry.answered": N_("Resident answered"),
    "entry.call_recorded": N_("Call to the resident recorded"),
    "entry.cancelled": N_("Request to the resident withdrawn"),
    "entry.erased": N_("Request's visitor data erased on request"),
    "entry.purged": N_("Old requests to residents anonymised (retention)"),
    "expected.announced": N_("Visitor announced"),
    "expected.updated": N_("Announcement changed"),
    "expected.cancelled": N_("Announcement cancelled"),
    "expected.erased": N_("Announced visitor's data erased on request"),
    "expected.purged": N_("Old announcements anonymised (retention)"),
    "permission.granted": N_("Standing permission granted"),
    "permission.revoked": N_("Standing permission revoked"),
    "permission.erased": N_("Standing permission's personal data erased on request"),
    "permission.purged": N_("Old standing permissions anonymised (retention)"),
    "parcel.received": N_("Parcel received"),
    "parcel.handed_over": N_("Parcel handed over"),
    "parcel.instructions": N_("Household's instructions for a parcel"),
    "parcel.reminded": N_("Household reminded of a waiting parcel"),
    "parcel.deleted": N_("Parcel deleted"),
    "parcel.erased": N_("Parcel's personal data erased on request"),
    "parcel.purged": N_("Old parcels anonymised (retention)"),
    "shift_note.written": N_("Shift log note written"),
    "handover.read": N_("Handover marked read"),
    "ban.added": N_("Added to the do-not-admit list"),
    "ban.lifted": N_("Lifted from the do-not-admit list"),
    "ban.updated": N_("Do-not-admit entry changed"),
    "resident.created": N_("Resident added"),
    "resident.updated": N_("Resident changed"),
    "resident.deleted": N_("Resident deleted"),
    "account.signed_in": N_("Signed in"),
    "account.sign_in_failed": N_("Sign-in failed"),
    "account.created": N_("Account created"),
    "account.password_changed": N_("Password changed"),
    "account.password_reset": N_("Password reset"),
    "account.deactivated": N_("Account deactivated"),
    "account.reactivated": N_("Account reactivated"),
    "expected.pass_revoked": N_("Pass revoked"),
    "expected.pass_emailed": N_("Pass emailed to the visitor"),
    "pass.guessing_limited": N_("Too many wrong pass codes: the gate waits"),
    "token.issued": N_("API token issued"),
    "token.revoked": N_("API token revoked"),
    "gate.created": N_("Gate added"),
    "gate.updated": N_("Gate changed"),
    "webhook.registered": N_("Webhook endpoint registered"),
    "webhook.deleted": N_("Webhook endpoint deleted"),
    "webhook.enabled": N_("Webhook endpoint enabled again"),
}
"""Every action the trail records (audit.record refuses any other), with the words an administrator reads."""

PAIRED = {
    "visit.updated",
    "visit.checked_out",
    "visit.check_out_undone",
    "visit.swept",
    "expected.updated",
    "parcel.instructions",
    "ban.updated",
    "resident.updated",
    "gate.updated",
    "account.deactivated",
    "account.reactivated",
}
"""Actions whose changes are {"field": [before, after]}; the others record the values as they were."""

FIELDS = {
    "id": N_("Record"),
    "residentId": N_("Resident id"),
    "residentName": N_("Resident"),
    "residentUnit": N_("Unit"),
    "visitorName": N_("Visitor"),
    "totalPeople": N_("People"),
    "vehicleColor": N_("Vehicle colour"),
    "licensePlate": N_("Licence plate"),
    "subject": N_("Subject"),
    "arrivalDate": N_("Arrived at"),
    "departureDate": N_("Left at"),
    "departureAutomatic": N_("Automatic check-out"),
    "createdAt": N_("Created at"),
    "createdBy": N_("Added by"),
    "expectedVisitId": N_("Announcement"),
    "entryRequestId": N_("Request to the resident"),
    "approval": N_("Resident's answer"),
    "answeredBy": N_("Answered by"),
    "answeredAt": N_("Answered at"),
    "status": N_("Answer"),
    "via": N_("Answered through"),
    "decision": N_("Outcome of the call"),
    "message": N_("Message"),
    "standingPermissionId": N_("Let in by standing permission"),
    "kind": N_("Kind"),
    "overrideReason": N_("Reason for letting in"),
    "bans": N_("Do-not-admit entries"),
    "name": N_("Name"),
    "unit": N_("Unit"),
    "email": N_("Email"),
    "phone": N_("Phone"),
    "active": N_("Active"),
    "role": N_("Role"),
    "account": N_("Account"),
    "reason": N_("Reason"),
    "expiresAt": N_("Until"),
    "note": N_("Note"),
    "startsOn": N_("From"),
    "endsOn": N_("Until"),
    "weekdays": N_("Weekdays"),
    "singleDay": N_("One day only"),
    "used": N_("Used"),
    "passCode": N_("Pass code"),
    "passUrl": N_("Pass page"),
    "passUses": N_("Entries with the pass"),
    "passMaxUses": N_("Most entries with the pass"),
    "passRevokedAt": N_("Pass revoked at"),
    "limit": N_("Limit"),
    "erased": N_("Erased"),
    "visits": N_("Visits"),
    "deletedVisits": N_("Deleted visits"),
    "announcements": N_("Announcements"),
    "requests": N_("Requests to residents"),
    "permissions": N_("Standing permissions"),
    "auditEventsRedacted": N_("History entries redacted"),
    "retentionDays": N_("Kept for (days)"),
    "leftBefore": N_("Left before"),
    "endedBefore": N_("Ended before"),
    "carrier": N_("Carrier"),
    "trackingNumber": N_("Tracking number"),
    "size": N_("Size"),
    "shelf": N_("Shelf"),
    "collectedBy": N_("Collected by"),
    "authorisedPerson": N_("Authorised to collect"),
    "leftAtDoor": N_("Leave at the door"),
    "parcels": N_("Parcels"),
    "handedOverBefore": N_("Handed over before"),
    "category": N_("Category"),
    "text": N_("Text"),
    "forNextShift": N_("For the next shift"),
    "notes": N_("Notes"),
    "hours": N_("Hours"),
    "vehicles": N_("Vehicles pass"),
    "arrivalGateId": N_("Arrival gate"),
    "departureGateId": N_("Departure gate"),
    "gateId": N_("Gate"),
    "url": N_("Address"),
}

RECORD_TYPES = {
    "visit": (N_("visit"), N_("History of this visit")),
    "expected": (N_("announcement"), N_("History of this announcement")),
    "ban": (N_("do-not-admit entry"), N_("History of this do-not-admit entry")),
    "permission": (N_("standing permission"), N_("History of this standing permission")),
    "resident": (N_("resident"), N_("History of this resident")),
    "account": (N_("account"), N_("History of this account")),
    "token": (N_("API token"), N_("History of this API token")),
    "entry_request": (N_("request to a resident"), N_("History of this request")),
    "parcel": (N_("parcel"), N_("History of this parcel")),
    "shift_note": (N_("shift log note"), N_("History of this note")),
    "gate": (N_("gate"), N_("History of this gate")),
    "webhook": (N_("webhook endpoint"), N_("History of this webhook endpoint")),
}
"""The kinds of record an event is about, and the words for the link to a record's history."""

REDACTED = "[redacted]"
"""What retention and erasure leave in the trail in place of a personal value."""

VALUES = {
    "role": ROLE_NAMES,
    "status": {
        "pending": N_("waiting"),
        "approved": N_("approved"),
        "refused": N_("refused"),
        "expired": N_("no answer"),
        "cancelled": N_("withdrawn"),
    },
    "via": {
        "app": N_("Gatehouse page"),
        "push": N_("notification"),
        "email": N_("email"),
        "phone": N_("phone call"),
    },
    "decision": {"approve": N_("approved"), "refuse": N_("refused"), "no-answer": N_("no one answered")},
    "kind": KIND_NAMES,
    "size": SIZE_NAMES,
    "category": CATEGORY_NAMES,
    "reason": {
        "unknown email": N_("unknown email"),
        "wrong password": N_("wrong password"),
        "account deactivated": N_("account deactivated"),
    },
}
"""Recorded values that are codes, in words (a ban's reason is typed by a person and shown as it is)."""

GATE_FIELDS = frozenset({"arrivalGateId", "departureGateId", "gateId"})
"""Fields that record a gate's id: shown by the gate's name (`describe`'s `gate_names`)."""

_WORD_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_INSTANT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


def action_label(code: str) -> str:
    return _(ACTIONS[code]) if code in ACTIONS else code.replace(".", " ").replace("_", " ").capitalize()


def field_label(name: str) -> str:
    """A field's label; a field not in the table yet is still written as words, never as camelCase."""
    return _(FIELDS[name]) if name in FIELDS else _WORD_BOUNDARY.sub(" ", name).replace("_", " ").lower().capitalize()


def record_labels() -> dict[str, tuple[str, str]]:
    """Each kind of record's name and its history link's words, in the reader's language."""
    return {kind: (_(name), _(history)) for kind, (name, history) in RECORD_TYPES.items()}


def _coded_value(field: str, value: Any, gate_names: Mapping[str, str]) -> str:
    if field in GATE_FIELDS and isinstance(value, str) and value in gate_names:
        return gate_names[value]
    if field == "weekdays" and isinstance(value, list) and value and all(type(day) is int for day in value):
        names = formats.weekday_names()
        return ", ".join(names.get(day, str(day)) for day in value)
    words = VALUES.get(field, {}).get(value) if isinstance(value, str) else None
    return _(words) if words else value_words(value)


def value_words(value: Any) -> str:
    """A recorded value as a reader says it: Yes/No, times in the site's zone, lists of fields as words."""
    if value is None or value == "" or value == []:
        return "—"
    if value == REDACTED:
        return _("[redacted]")
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, list | tuple):
        return ", ".join(field_label(item).lower() if item in FIELDS else value_words(item) for item in value)
    if isinstance(value, dict):
        return "; ".join(f"{field_label(key)}: {value_words(item)}" for key, item in value.items())
    if isinstance(value, datetime):
        return formats.day_and_time(value)
    if isinstance(value, str) and _INSTANT.match(value):
        try:
            return value_words(datetime.fromisoformat(value))
        except ValueError:
            return value
    return str(msgspec.to_builtins(value))


def describe(
    action: str, changes: dict[str, Any], hidden: tuple[str, ...] = (), gate_names: Mapping[str, str] | None = None
) -> list[str]:
    """An event's changes as lines of words ("Visitor: Ana → Ana Lima"), sorted by field; a gate's id is shown
    by its name from `gate_names` (ids as text, as events record them)."""
    gate_names = gate_names or {}
    lines = []
    for field, value in sorted(changes.items()):
        if field in hidden:
            continue
        if action in PAIRED and isinstance(value, list | tuple) and len(value) == 2:
            before, after = _coded_value(field, value[0], gate_names), _coded_value(field, value[1], gate_names)
            lines.append(f"{field_label(field)}: {before} → {after}")
        else:
            lines.append(f"{field_label(field)}: {_coded_value(field, value, gate_names)}")
    return lines
