"""Personal data is not kept forever: purging visits past the retention period, and erasure on request.

Both cover visits and residents' announcements of visitors (expected visits), and both anonymise rather
than delete: the visitor's name becomes a neutral marker and the plate, vehicle colour (and an
announcement's note) are cleared, while the resident, subject, party size and dates stay, so counts and
statistics still hold. The audit trail's earlier before/after values for those visits are redacted
in the same transaction (otherwise the trail would keep what was purged), and the purge or erasure
itself is recorded there without any of the personal data. Visits still on site are never touched:
the roll call needs their names. An erased announcement that was still to come is also cancelled.
Residents' standing permissions for a person or a plate are covered too: erased or past the period, they
are revoked and their name, plate and note cleared.
Parcels handed over before the cutoff lose who collected them, the person authorised, the tracking number
and the note; erasure by name clears the parcels that person collected or was authorised to collect.
Do-not-admit entries are kept: they exist to stop that person at the gate.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

import msgspec

from app.db.engine import write_transaction
from app.db.tables import AuditEvent as AuditTable
from app.db.tables import EntryRequest as RequestTable
from app.db.tables import ExpectedVisit as ExpectedTable
from app.db.tables import Parcel as ParcelTable
from app.db.tables import StandingPermission as PermissionTable
from app.db.tables import Visit as VisitTable
from app.domain.expected.service import today
from app.domain.notifications import service as notifications
from app.domain.records import audit, audit_labels
from app.domain.records.retention_schemas import ErasureInput, ErasurePreview, ErasureResult, PurgeResult
from app.domain.visits import schemas as visit_schemas
from app.domain.visits.service import find_visits
from app.lib.actors import Actor, require_admin
from app.lib.clock import utc_now
from app.lib.errors import Invalid
from app.lib.i18n import _
from app.lib.site import site_timezone
from app.lib.text import name_key, plate_key

ANONYMISED_NAME = "Anonymised visitor"
REDACTED = audit_labels.REDACTED
PERSONAL_FIELDS = ("visitorName", "licensePlate", "vehicleColor")
ANNOUNCEMENT_FIELDS = (*PERSONAL_FIELDS, "note")
REQUEST_FIELDS = (*PERSONAL_FIELDS, "note", "message")
PERMISSION_FIELDS = ("visitorName", "licensePlate", "note")
PARCEL_FIELDS = ("collectedBy", "authorisedPerson", "trackingNumber", "note")
BATCH = 500
"""Visits anonymised per transaction: a large purge must not hold SQLite's write lock for long."""


def _chunks(items: list, size: int = BATCH) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _not_yet_anonymised():
    return (
        (VisitTable.visitor_name != ANONYMISED_NAME)
        | VisitTable.license_plate.is_not_null()
        | VisitTable.vehicle_color.is_not_null()
    )


def redact(changes: dict[str, Any], fields: tuple[str, ...] = PERSONAL_FIELDS) -> dict[str, Any]:
    """An audit entry's values with the personal fields replaced; None stays None ("there was nothing")."""
    redacted = dict(changes)
    for field in fields:
        value = redacted.get(field)
        if isinstance(value, list):
            redacted[field] = [None if item is None else REDACTED for item in value]
        elif value is not None:
            redacted[field] = REDACTED
    return redacted


def _decoded(changes: Any) -> dict[str, Any]:
    return msgspec.json.decode(changes) if isinstance(changes, str | bytes) else (changes or {})


_FIELDS_OF = {
    "visit": PERSONAL_FIELDS,
    "expected": ANNOUNCEMENT_FIELDS,
    "entry_request": REQUEST_FIELDS,
    "permission": PERMISSION_FIELDS,
    "parcel": PARCEL_FIELDS,
}


async def _redact_audit(record_ids: list[UUID], record_type: str = "visit") -> int:
    """Redact every audit entry about these records that still holds personal values; returns how many."""
    redacted = 0
    for chunk in _chunks(record_ids):
        rows = await AuditTable.select(AuditTable.id, AuditTable.changes).where(
            AuditTable.record_type == record_type, AuditTable.record_id.is_in(chunk)
        )
        for row in rows:
            changes = _decoded(row["changes"])
            cleaned = redact(changes, _FIELDS_OF[record_type])
            if cleaned != changes:
                encoded = msgspec.json.encode(cleaned).decode()
                await AuditTable.update({AuditTable.changes: encoded}).where(AuditTable.id == row["id"])
                redacted += 1
    return redacted


async def _count_audit(record_ids: list[UUID], record_type: str = "visit") -> int:
    count = 0
    fields = _FIELDS_OF[record_type]
    for chunk in _chunks(record_ids):
        rows = await AuditTable.select(AuditTable.changes).where(
            AuditTable.record_type == record_type, AuditTable.record_id.is_in(chunk)
        )
        count += sum(1 for row in rows if redact(_decoded(row["changes"]), fields) != _decoded(row["changes"]))
    return count


async def _anonymise(visit_ids: list[UUID]) -> None:
    await VisitTable.update(
        {
            VisitTable.visitor_name: ANONYMISED_NAME,
            VisitTable.license_plate: None,
            VisitTable.plate_key: None,
            VisitTable.name_key: None,  # the name again, in the form suggestions search
            VisitTable.vehicle_color: None,
            VisitTable.updated_at: utc_now(),
        }
    ).where(VisitTable.id.is_in(visit_ids), VisitTable.departure_date.is_not_null())


async def _anonymise_announcements(ids: list[UUID]) -> int:
    """Anonymise these announcements and cancel those still to come; redact their audit entries."""
    now = utc_now()
    for chunk in _chunks(ids):
        await ExpectedTable.update({ExpectedTable.cancelled_at: now}).where(
            ExpectedTable.id.is_in(chunk), ExpectedTable.cancelled_at.is_null(), ExpectedTable.ends_on >= today()
        )
        await ExpectedTable.update(
            {
                ExpectedTable.visitor_name: ANONYMISED_NAME,
                ExpectedTable.name_key: "",  # matches no typed name
                ExpectedTable.license_plate: None,
                ExpectedTable.plate_key: None,
                ExpectedTable.vehicle_color: None,
                ExpectedTable.note: None,
                ExpectedTable.updated_at: now,
            }
        ).where(ExpectedTable.id.is_in(chunk))
    return await _redact_audit(ids, "expected")


async def _anonymise_requests(ids: list[UUID]) -> int:
    """Anonymise these requests to residents (the guard's note and the answer's message too); redact their
    audit entries. A request still waiting is withdrawn: nobody should be asked about an erased visitor."""
    for chunk in _chunks(ids):
        await RequestTable.update({RequestTable.status: "cancelled"}).where(
            RequestTable.id.is_in(chunk), RequestTable.status == "pending"
        )
        await RequestTable.update(
            {
                RequestTable.visitor_name: ANONYMISED_NAME,
                RequestTable.name_key: None,
                RequestTable.license_plate: None,
                RequestTable.vehicle_color: None,
                RequestTable.note: None,
                RequestTable.message: None,
            }
        ).where(RequestTable.id.is_in(chunk))
    return await _redact_audit(ids, "entry_request")


async def _requests_asked_before(cutoff: datetime) -> list[UUID]:
    rows = await RequestTable.select(RequestTable.id).where(
        RequestTable.asked_at < cutoff, RequestTable.visitor_name != ANONYMISED_NAME
    )
    return [row["id"] for row in rows]


async def _matching_requests(name: str | None, plate: str | None) -> list[UUID]:
    """Requests about this visitor. Requests keep no plate key: their plates are compared here, a few rows."""
    if plate is None:
        where = RequestTable.name_key == name_key(name)
        return [row["id"] for row in await RequestTable.select(RequestTable.id).where(where)]
    rows = await RequestTable.select(RequestTable.id, RequestTable.license_plate).where(
        RequestTable.license_plate.is_not_null()
    )
    return [row["id"] for row in rows if plate_key(row["license_plate"]) == plate_key(plate)]


def _announcement_not_yet_anonymised():
    return ExpectedTable.visitor_name != ANONYMISED_NAME


def _permission_not_yet_cleared():
    return (
        PermissionTable.visitor_name.is_not_null()
        | PermissionTable.license_plate.is_not_null()
        | PermissionTable.note.is_not_null()
    )


async def _clear_permissions(ids: list[UUID]) -> int:
    """Revoke these standing permissions and clear their name, plate and note; redact their audit entries."""
    now = utc_now()
    for chunk in _chunks(ids):
        await PermissionTable.update({PermissionTable.revoked_at: now}).where(
            PermissionTable.id.is_in(chunk), PermissionTable.revoked_at.is_null()
        )
        cleared = {"visitor_name": None, "name_key": None, "license_plate": None, "plate_key": None, "note": None}
        await PermissionTable.update(cleared).where(PermissionTable.id.is_in(chunk))
    return await _redact_audit(ids, "permission")


def _parcel_not_yet_cleared():
    return (
        ParcelTable.collected_by.is_not_null()
        | ParcelTable.authorised_person.is_not_null()
        | ParcelTable.tracking_number.is_not_null()
        | ParcelTable.note.is_not_null()
    )


async def _clear_parcels(ids: list[UUID]) -> int:
    """Clear who collected these handed-over parcels, who was authorised, the tracking number and the note;
    redact their audit entries. The household, carrier, size and times stay for the counts."""
    cleared = {
        "collected_by": None,
        "collected_key": None,
        "authorised_person": None,
        "tracking_number": None,
        "tracking_key": None,
        "note": None,
    }
    for chunk in _chunks(ids):
        await ParcelTable.update(cleared).where(ParcelTable.id.is_in(chunk))
    return await _redact_audit(ids, "parcel")


async def _parcels_handed_over_before(cutoff: datetime) -> list[UUID]:
    rows = await ParcelTable.select(ParcelTable.id).where(
        ParcelTable.handed_over_at.is_not_null(), ParcelTable.handed_over_at < cutoff, _parcel_not_yet_cleared()
    )
    return [row["id"] for row in rows]


async def _matching_parcels(name: str | None, plate: str | None) -> list[UUID]:
    """Handed-over parcels this person collected or was authorised to collect (names compared by key)."""
    if plate is not None:
        return []
    key = name_key(name)
    rows = await ParcelTable.select(ParcelTable.id, ParcelTable.collected_key, ParcelTable.authorised_person).where(
        ParcelTable.handed_over_at.is_not_null(),
        (ParcelTable.collected_key == key) | ParcelTable.authorised_person.is_not_null(),
    )
    return [row["id"] for row in rows if key in (row["collected_key"], name_key(row["authorised_person"]))]


# --- retention --------------------------------------------------------------------------------------


def _left_before(cutoff: datetime):
    return VisitTable.departure_date.is_not_null() & (VisitTable.departure_date < cutoff)


async def _purgeable_ids(cutoff: datetime, limit: int | None = None) -> list[UUID]:
    query = VisitTable.select(VisitTable.id).where(_left_before(cutoff)).where(_not_yet_anonymised())
    if limit:
        query = query.limit(limit)
    return [row["id"] for row in await query]


async def _deleted_visits_left_before(cutoff: datetime) -> list[UUID]:
    """Deleted visits keep a copy in their 'visit.deleted' entry; purge it on the same rule."""
    rows = await AuditTable.select(AuditTable.record_id, AuditTable.changes).where(
        AuditTable.record_type == "visit", AuditTable.action == "visit.deleted"
    )
    ids = []
    for row in rows:
        changes = _decoded(row["changes"])
        departure = changes.get("departureDate")
        if departure and datetime.fromisoformat(departure) < cutoff and redact(changes) != changes:
            ids.append(row["record_id"])
    return ids


def _cutoff(days: int, now: datetime | None) -> datetime:
    if days < 1:
        raise Invalid({"retentionDays": _("must be a whole number of days, at least 1")})
    return (now or utc_now()) - timedelta(days=days)


async def _announcements_ended_before(cutoff: datetime) -> list[UUID]:
    last_day = cutoff.astimezone(site_timezone()).date()
    rows = await ExpectedTable.select(ExpectedTable.id).where(
        ExpectedTable.ends_on < last_day, _announcement_not_yet_anonymised()
    )
    return [row["id"] for row in rows]


async def _permissions_ended_before(cutoff: datetime) -> list[UUID]:
    last_day = cutoff.astimezone(site_timezone()).date()
    rows = await PermissionTable.select(PermissionTable.id).where(
        PermissionTable.ends_on < last_day, _permission_not_yet_cleared()
    )
    return [row["id"] for row in rows]


async def purge_preview(actor: Actor, days: int, now: datetime | None = None) -> PurgeResult:
    """What purge() would do, changing nothing."""
    require_admin(actor, "Only administrators may purge visits.")
    cutoff = _cutoff(days, now)
    visit_ids = await _purgeable_ids(cutoff)
    deleted = await _deleted_visits_left_before(cutoff)
    announced = await _announcements_ended_before(cutoff)
    permitted = await _permissions_ended_before(cutoff)
    audit_events = await _count_audit(visit_ids + deleted) + await _count_audit(announced, "expected")
    audit_events += await _count_audit(await _requests_asked_before(cutoff), "entry_request")
    deliveries = await notifications.count_finished_deliveries(cutoff)
    audit_events += await _count_audit(permitted, "permission")
    handed_over = await _parcels_handed_over_before(cutoff)
    audit_events += await _count_audit(handed_over, "parcel")
    return PurgeResult(
        cutoff=cutoff,
        visits=len(visit_ids),
        audit_events=audit_events,
        announcements=len(announced),
        deliveries=deliveries,
        permissions=len(permitted),
        parcels=len(handed_over),
    )


async def purge(actor: Actor, days: int, now: datetime | None = None) -> PurgeResult:
    """Anonymise visits that left more than `days` days ago, a batch per transaction, each batch audited."""
    require_admin(actor, "Only administrators may purge visits.")
    cutoff = _cutoff(days, now)
    total = PurgeResult(cutoff=cutoff, visits=0, audit_events=0)
    while True:
        async with write_transaction(VisitTable._meta.db):
            ids = await _purgeable_ids(cutoff, limit=BATCH)
            if not ids:
                break
            await _anonymise(ids)
            redacted = await _redact_audit(ids)
            summary = {"visits": len(ids), "auditEventsRedacted": redacted, "retentionDays": days}
            await audit.record(actor, "visits.purged", "visit", None, summary | {"leftBefore": cutoff.isoformat()})
        total.visits += len(ids)
        total.audit_events += redacted
    async with write_transaction(VisitTable._meta.db):
        deleted = await _deleted_visits_left_before(cutoff)
        if deleted:
            redacted = await _redact_audit(deleted)
            summary = {"deletedVisits": len(deleted), "auditEventsRedacted": redacted, "retentionDays": days}
            await audit.record(actor, "visits.purged", "visit", None, summary | {"leftBefore": cutoff.isoformat()})
            total.audit_events += redacted
        ended = _Ended(actor, days, cutoff)
        announced = await _announcements_ended_before(cutoff)
        total.audit_events += await ended.purge(announced, _anonymise_announcements, "expected", "announcements")
        total.announcements += len(announced)
        permitted = await _permissions_ended_before(cutoff)
        total.audit_events += await ended.purge(permitted, _clear_permissions, "permission", "permissions")
        total.permissions += len(permitted)
        handed_over = await _parcels_handed_over_before(cutoff)
        total.audit_events += await ended.purge(handed_over, _clear_parcels, "parcel", "parcels")
        total.parcels += len(handed_over)
        asked = await _requests_asked_before(cutoff)
        total.audit_events += await ended.purge(
            asked, _anonymise_requests, "entry_request", "requests", action="entry.purged"
        )
        total.deliveries = await notifications.purge_deliveries(cutoff)
    return total


class _Ended:
    """Records that ended before the cutoff (announcements, standing permissions): each kind cleared at once
    and the purge recorded once, with counts and no personal data."""

    def __init__(self, actor: Actor, days: int, cutoff: datetime) -> None:
        self.actor, self.days, self.cutoff = actor, days, cutoff

    async def purge(self, ids: list[UUID], clear, record_type: str, counted_as: str, action: str | None = None) -> int:
        """Clear them with `clear` (which redacts their audit entries); returns how many entries it redacted."""
        if not ids:
            return 0
        redacted = await clear(ids)
        summary = {counted_as: len(ids), "auditEventsRedacted": redacted, "retentionDays": self.days}
        summary["endedBefore"] = self.cutoff.isoformat()
        await audit.record(self.actor, action or f"{record_type}.purged", record_type, None, summary)
        return redacted


# --- erasure on request -------------------------------------------------------------------------------


async def _matching_ids(name: str | None, plate: str | None) -> list[UUID]:
    errors: dict[str, str] = {}
    if (name is None) == (plate is None):
        raise Invalid({"name": _("give either a name or a plate (not both)")})
    if plate is not None:
        key = plate_key(plate)
        if not key:
            errors["plate"] = _("must contain letters or digits")
    else:
        key = name_key(name) or ""
        if not key:
            errors["name"] = _("is required and cannot be blank")
    if errors:
        raise Invalid(errors)
    if plate is not None:
        return [row["id"] for row in await VisitTable.select(VisitTable.id).where(VisitTable.plate_key == key)]
    # The key ignores case, accents and punctuation (neither engine can in SQL), and is indexed; anonymised
    # visits have none.
    return [row["id"] for row in await VisitTable.select(VisitTable.id).where(VisitTable.name_key == key)]


async def _matching_announcements(name: str | None, plate: str | None) -> list[UUID]:
    """Announcements of this visitor (checked like _matching_ids, which runs first)."""
    if plate is not None:
        where = ExpectedTable.plate_key == plate_key(plate)
    else:
        where = ExpectedTable.name_key == name_key(name)
    rows = await ExpectedTable.select(ExpectedTable.id).where(where, _announcement_not_yet_anonymised())
    return [row["id"] for row in rows]


async def _matching_permissions(name: str | None, plate: str | None) -> list[UUID]:
    """Standing permissions for this person or plate, revoked or not (checked like _matching_ids, first)."""
    if plate is not None:
        where = PermissionTable.plate_key == plate_key(plate)
    else:
        where = PermissionTable.name_key == name_key(name)
    return [row["id"] for row in await PermissionTable.select(PermissionTable.id).where(where)]


async def _visits(ids: list[UUID]) -> list[visit_schemas.Visit]:
    found: list[visit_schemas.Visit] = []
    for chunk in _chunks(ids):
        found += await find_visits(VisitTable.id.is_in(chunk))
    return sorted(found, key=lambda visit: visit.arrival_date)


async def erasure_preview(actor: Actor, name: str | None = None, plate: str | None = None) -> ErasurePreview:
    """The visits an erasure by visitor name (any case or accents) or by plate (any spacing) would change."""
    require_admin(actor, "Only administrators may erase a visitor's data.")
    matches = await _visits(await _matching_ids(name, plate))
    erasable = [visit for visit in matches if visit.departure_date is not None]
    on_site = [visit for visit in matches if visit.departure_date is None]
    announced = await _matching_announcements(name, plate)
    permitted = await _matching_permissions(name, plate)
    audit_events = await _count_audit([visit.id for visit in erasable]) + await _count_audit(announced, "expected")
    audit_events += await _count_audit(await _matching_requests(name, plate), "entry_request")
    audit_events += await _count_audit(permitted, "permission")
    collected = await _matching_parcels(name, plate)
    audit_events += await _count_audit(collected, "parcel")
    return ErasurePreview(
        erasable=erasable,
        on_site=on_site,
        audit_events=audit_events,
        announcements=len(announced),
        permissions=len(permitted),
        parcels=len(collected),
    )


async def erase(actor: Actor, name: str | None = None, plate: str | None = None) -> ErasureResult:
    """Anonymise the matching visits that have left, redact their audit entries, and record each erasure."""
    require_admin(actor, "Only administrators may erase a visitor's data.")
    async with write_transaction(VisitTable._meta.db):
        matches = await _visits(await _matching_ids(name, plate))
        erasable = [visit.id for visit in matches if visit.departure_date is not None]
        redacted = 0
        for chunk in _chunks(erasable):
            await _anonymise(chunk)
            redacted += await _redact_audit(chunk)
        for visit_id in erasable:
            await audit.record(actor, "visit.erased", "visit", visit_id, {"erased": list(PERSONAL_FIELDS)})
        announced = await _matching_announcements(name, plate)
        redacted += await _anonymise_announcements(announced)
        for expected_id in announced:
            await audit.record(actor, "expected.erased", "expected", expected_id, {"erased": list(ANNOUNCEMENT_FIELDS)})
        asked = await _matching_requests(name, plate)
        redacted += await _anonymise_requests(asked)
        for request_id in asked:
            await audit.record(actor, "entry.erased", "entry_request", request_id, {"erased": list(REQUEST_FIELDS)})
        permitted = await _matching_permissions(name, plate)
        redacted += await _clear_permissions(permitted)
        for permission_id in permitted:
            erased = {"erased": list(PERMISSION_FIELDS)}
            await audit.record(actor, "permission.erased", "permission", permission_id, erased)
        collected = await _matching_parcels(name, plate)
        redacted += await _clear_parcels(collected)
        for parcel_id in collected:
            await audit.record(actor, "parcel.erased", "parcel", parcel_id, {"erased": list(PARCEL_FIELDS)})
    return ErasureResult(
        visits=len(erasable),
        audit_events=redacted,
        on_site_skipped=len(matches) - len(erasable),
        announcements=len(announced),
        permissions=len(permitted),
        parcels=len(collected),
    )


def _one_of(who: ErasureInput) -> dict[str, str]:
    """A page may send both boxes filled: the plate is the surer match, so it wins; else the name."""
    plate, name = (who.plate or "").strip(), (who.name or "").strip()
    return {"plate": plate} if plate else {"name": name}


async def preview_erasure_of(actor: Actor, who: ErasureInput) -> ErasurePreview:
    return await erasure_preview(actor, **_one_of(who))


async def erase_visitor(actor: Actor, who: ErasureInput) -> ErasureResult:
    return await erase(actor, **_one_of(who))
