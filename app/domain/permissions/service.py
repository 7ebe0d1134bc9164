"""Standing permissions ("always let in"): a resident pre-approves, for a period, deliveries, a named person
or a plate, so the gate checks that visitor in without asking them.

A resident manages only their household's permissions (another's is 'not found'); an administrator does it
for any resident, naming `residentId`; guards read them, and the gate asks `pre_approval` about the visitor
being typed. A permission is revoked, not deleted: the audit trail and the visits it let in point at it.
"""

from __future__ import annotations

import functools
from datetime import date, timedelta
from uuid import UUID

from app.db import writes
from app.db.engine import write_transaction
from app.db.tables import StandingPermission as PermissionTable
from app.domain.expected.service import today
from app.domain.permissions.schemas import (
    DEFAULT_DAYS,
    KIND_NAMES,
    LONGEST_DAYS,
    NOTE_MAX,
    PreApproval,
    StandingPermission,
    StandingPermissionInput,
)
from app.domain.records import audit
from app.domain.residents import service as residents
from app.lib import i18n
from app.lib import schemas as models
from app.lib.actors import Actor, require_admin
from app.lib.clock import in_zone, utc_now
from app.lib.errors import FieldErrors, NotFound
from app.lib.i18n import N_, _
from app.lib.paging import Keyset
from app.lib.site import site_timezone
from app.lib.text import name_key, plate_key

DELIVERY = N_("Delivery")
"""The kiosk's quick pick for a delivery (app/domain/kiosk/pages.py): a visit whose subject is this word, in
any of the site's languages, is a delivery."""

_COLUMNS = (
    PermissionTable.all_columns(),
    PermissionTable.resident.name.as_alias("resident_name"),
    PermissionTable.resident.unit.as_alias("resident_unit"),
)


def kind_name(kind: str) -> str:
    return _(KIND_NAMES[kind])


def _to_permission(row: dict) -> StandingPermission:
    return StandingPermission(
        id=row["id"],
        resident_id=row["resident"],
        resident_name=row["resident_name"],
        resident_unit=row["resident_unit"],
        kind=row["kind"],
        visitor_name=row["visitor_name"],
        license_plate=row["license_plate"],
        note=row["note"],
        starts_on=row["starts_on"],
        ends_on=row["ends_on"],
        created_at=in_zone(row["created_at"], site_timezone()),
    )


def _day(errors: FieldErrors, field: str, text: str | None, default: date) -> date | None:
    if not (text or "").strip():
        return default
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        errors.add(field, _("is not a date such as %(example)s", example="2026-12-01"))
        return None


def _period(errors: FieldErrors, data: StandingPermissionInput) -> tuple[date | None, date | None]:
    starts = _day(errors, "startsOn", data.starts_on, today())
    if starts is None:
        return None, None
    ends = _day(errors, "endsOn", data.ends_on, starts + timedelta(days=DEFAULT_DAYS))
    if starts < today():
        errors.add("startsOn", _("is in the past"))
    if ends is not None and ends < starts:
        errors.add("endsOn", _("is before the first day"))
    elif ends is not None and ends - starts > timedelta(days=LONGEST_DAYS):
        errors.add("endsOn", _("is more than a year after the first day; grant it again next year"))
    return starts, ends


def _who(errors: FieldErrors, data: StandingPermissionInput) -> dict:
    """The person's name or the plate, as the kind needs; the other is not kept."""
    name = plate = None
    if data.kind == "person":
        name = errors.required("visitorName", data.visitor_name, models.NAME_MAX)
        if name and not name_key(name):
            errors.add("visitorName", _("must contain a letter or a digit"))
    elif data.kind == "plate":
        plate = errors.required("licensePlate", data.license_plate, models.PLATE_MAX, str.upper)
        if plate and not plate_key(plate):
            errors.add("licensePlate", _("must contain a letter or a digit"))
    return {
        "visitor_name": name or None,
        "name_key": name_key(name),
        "license_plate": plate or None,
        "plate_key": plate_key(plate),
    }


def _clean(actor: Actor, data: StandingPermissionInput) -> dict:
    errors = FieldErrors()
    who = _who(errors, data)
    note = errors.optional("note", data.note, NOTE_MAX)
    starts, ends = _period(errors, data)
    if actor.is_resident and data.resident_id not in (None, actor.resident_id):
        errors.add("residentId", _("residents grant permissions for their own household only"))
    resident_id = actor.resident_id if actor.is_resident else data.resident_id
    if resident_id is None:
        errors.add("residentId", _("choose the resident who grants it"))
    errors.raise_if_any()
    return {"resident": resident_id, "kind": data.kind, "note": note, "starts_on": starts, "ends_on": ends} | who


def _require_may_manage(actor: Actor) -> None:
    if not actor.is_resident:
        require_admin(actor, "Only residents and administrators may grant or revoke standing permissions.")


def _scope(actor: Actor) -> list:
    return [PermissionTable.resident == actor.resident_id] if actor.is_resident else []


async def get_permission(actor: Actor, permission_id: UUID) -> StandingPermission:
    """One permission in force or to come; another household's, or a revoked one, is 'not found'."""
    row = (
        await PermissionTable.select(*_COLUMNS)
        .where(PermissionTable.id == permission_id, PermissionTable.revoked_at.is_null(), *_scope(actor))
        .first()
    )
    if row is None:
        raise NotFound(_("No standing permission with this id."))
    return _to_permission(row)


async def grant(actor: Actor, data: StandingPermissionInput) -> StandingPermission:
    _require_may_manage(actor)
    values = _clean(actor, data)
    async with write_transaction(PermissionTable._meta.db):
        await residents.require_resident_field(values["resident"], must_be_active=True)
        row = PermissionTable(created_by=actor.account_id, created_at=utc_now(), **values)
        await row.save()
        permission = await get_permission(actor, row.id)
        await audit.record(actor, "permission.granted", "permission", row.id, audit.snapshot(permission))
    return permission


async def revoke(actor: Actor, permission_id: UUID) -> StandingPermission:
    """The permission as it was before it was revoked."""
    await get_permission(actor, permission_id)  # another household's is 'not found' before 'forbidden'
    _require_may_manage(actor)
    async with write_transaction(PermissionTable._meta.db):
        permission = await get_permission(actor, permission_id)
        await PermissionTable.update({PermissionTable.revoked_at: utc_now()}).where(PermissionTable.id == permission_id)
        await audit.record(actor, "permission.revoked", "permission", permission_id, {"kind": permission.kind})
    return permission


NEWEST_FIRST = Keyset(PermissionTable.created_at, PermissionTable.id, descending=True)


async def list_permissions(
    actor: Actor,
    limit: int | None = None,
    cursor: str | None = None,
    include_past: bool = False,
    resident_id: UUID | None = None,
) -> models.Page:
    """Newest first, not revoked; a resident sees their household's, staff everyone's (or one resident's).
    Those whose last day has passed only when asked."""
    if actor.is_resident and resident_id not in (None, actor.resident_id):
        raise NotFound(_("No resident with this id."))
    query = PermissionTable.select(*_COLUMNS).where(PermissionTable.revoked_at.is_null(), *_scope(actor))
    if resident_id is not None:
        query = query.where(PermissionTable.resident == resident_id)
    if not include_past:
        query = query.where(PermissionTable.ends_on >= today())
    return await NEWEST_FIRST.fetch(query, limit, cursor, _to_permission)


@functools.lru_cache(maxsize=4)
def _delivery_keys(catalogs: tuple) -> frozenset[str]:
    """The key of "Delivery" in every language the site speaks: a guard who reads Spanish picks "Entrega".

    Kept per set of catalogs (i18n.translations' own cached objects), so it follows them when they are
    loaded again rather than keeping the words of catalogs since replaced."""
    words = {catalog.gettext(DELIVERY) for catalog in catalogs}
    return frozenset(key for key in map(name_key, words) if key)


def is_delivery(subject: str | None) -> bool:
    catalogs = tuple(i18n.translations(language) for language in i18n.LANGUAGES)
    return name_key(subject) in _delivery_keys(catalogs)


async def pre_approval(
    resident_id: UUID, visitor_name: str | None, license_plate: str | None, subject: str | None
) -> PreApproval | None:
    """The standing permission of this (active) resident that lets this visitor in today, if any: the person
    by their name's key (case and accents aside), the plate by its key, deliveries by the visit's subject.
    The do-not-admit list is not asked here: callers check it first, and a ban always wins."""
    found = await writes.permission_matching(
        resident_id, name_key(visitor_name), plate_key(license_plate), is_delivery(subject), today()
    )
    return from_match(found)


def from_match(found: writes.PermissionMatch | None) -> PreApproval | None:
    """pre_approval's answer for a match read with more (the check-in's one look: writes.check_in_look)."""
    if found is None:
        return None
    return PreApproval(
        permission_id=found.id, kind=found.kind, granted_by=found.resident_name, until=found.ends_on, note=found.note
    )
