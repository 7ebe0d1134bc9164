"""The do-not-admit list: who must not come in, why, until when, and for whom.

Administrators add entries for the whole community; a resident adds entries that apply only to
visits to their own unit. A check-in that matches an active entry (plate on its normalised key,
name ignoring case and accents) is refused unless it carries a written override reason.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

import msgspec
from piccolo.columns.combination import Or

from app.db import writes
from app.db.engine import write_transaction
from app.db.tables import BannedVisitor as BanTable
from app.domain.bans.schemas import REASON_MAX, Ban, BanInput
from app.domain.records import audit
from app.domain.residents import service as residents
from app.lib import schemas as models
from app.lib.actors import Actor, require_admin
from app.lib.clock import end_of_day, in_zone, is_date_only, parse_instant, utc_now
from app.lib.errors import Conflict, FieldErrors, NotFound
from app.lib.i18n import N_, _
from app.lib.paging import Keyset
from app.lib.site import site_timezone
from app.lib.text import canonical_plate, name_key, name_or_plate, plate_key


class Refused(Conflict):
    """A check-in matched the do-not-admit list and carried no override reason."""

    title = N_("On the do-not-admit list")

    def __init__(self, bans: list[Ban]) -> None:
        reasons = "; ".join(ban.reason for ban in bans)
        super().__init__(
            _(
                "This visitor is on the do-not-admit list: %(reasons)s. Check in anyway only with an override reason.",
                reasons=reasons,
            )
        )
        self.bans = bans
        self.field_errors = {"overrideReason": _("write why the visitor may come in, or do not check them in")}


_COLUMNS = (
    BanTable.id,
    BanTable.name,
    BanTable.license_plate,
    BanTable.reason,
    BanTable.resident,
    BanTable.resident.name.as_alias("resident_name"),
    BanTable.expires_at,
    BanTable.created_at,
    BanTable.created_by.email.as_alias("created_by_email"),
)


def _to_ban(row: dict) -> Ban:
    tz = site_timezone()
    return Ban(
        id=row["id"],
        name=row["name"],
        license_plate=row["license_plate"],
        reason=row["reason"],
        resident_id=row["resident"],
        resident_name=row["resident_name"],
        expires_at=in_zone(row["expires_at"], tz),
        created_at=in_zone(row["created_at"], tz),
        created_by=row["created_by_email"],
    )


def _active(now: datetime) -> list:
    return [BanTable.lifted_at.is_null(), Or(BanTable.expires_at.is_null(), BanTable.expires_at > now)]


def _scope(actor: Actor):
    """Residents see and manage only their own unit's entries; staff see all."""
    if actor.is_resident:
        return BanTable.resident == actor.resident_id
    return None


def _clean(actor: Actor, data: BanInput) -> dict:
    errors = FieldErrors()
    name = errors.optional("name", data.name, models.NAME_MAX)
    plate = errors.optional("licensePlate", data.license_plate, models.PLATE_MAX, canonical_plate)
    reason = errors.required("reason", data.reason, REASON_MAX)
    if not name and not plate_key(plate):
        errors.add("name", _("give a name, a licence plate, or both"))
    expires_at = None
    if data.expires_at:
        tz = site_timezone()
        try:
            # A day means until the end of it, in the site's time zone: "until 31 Dec" includes 31 Dec.
            text = data.expires_at
            expires_at = end_of_day(text, tz) if is_date_only(text) else parse_instant(text, tz)
        except ValueError as exc:
            errors.add("expiresAt", str(exc))
        else:
            if expires_at <= utc_now():
                errors.add("expiresAt", _("must be in the future"))
    resident_id = data.resident_id
    if actor.is_resident:
        if resident_id not in (None, actor.resident_id):
            errors.add("residentId", _("residents add entries for their own unit only"))
        resident_id = actor.resident_id
    errors.raise_if_any()
    return {
        "name": name,
        "name_key": name_key(name),
        "license_plate": plate,
        "plate_key": plate_key(plate),
        "reason": reason,
        "resident": resident_id,
        "expires_at": expires_at,
    }


def _require_may_manage(actor: Actor) -> None:
    if not actor.is_resident:
        require_admin(actor, "Only administrators may change the do-not-admit list.")


async def add_ban(actor: Actor, data: BanInput) -> Ban:
    _require_may_manage(actor)
    values = _clean(actor, data)
    async with write_transaction(BanTable._meta.db):
        if values["resident"] is not None:
            await residents.require_resident_field(values["resident"])
        row = BanTable(created_by=actor.account_id, created_at=utc_now(), **values)
        await row.save()
        ban = await get_ban(actor, row.id)
        await audit.record(actor, "ban.added", "ban", row.id, audit.snapshot(ban))
    return ban


async def update_ban(actor: Actor, ban_id: UUID, data: BanInput) -> Ban:
    """Replace an entry in force in full, with the rules of adding one; a resident changes only their own."""
    _require_may_manage(actor)
    values = _clean(actor, data)
    async with write_transaction(BanTable._meta.db):
        before = await get_ban(actor, ban_id)
        if values["resident"] is not None:
            await residents.require_resident_field(values["resident"])
        await BanTable.update(values).where(BanTable.id == ban_id)
        after = await get_ban(actor, ban_id)
        changes = audit.differences(audit.snapshot(before), audit.snapshot(after))
        await audit.record(actor, "ban.updated", "ban", ban_id, changes)
    return after


async def get_ban(actor: Actor, ban_id: UUID) -> Ban:
    query = BanTable.select(*_COLUMNS).where(BanTable.id == ban_id, BanTable.lifted_at.is_null())
    if (scope := _scope(actor)) is not None:
        query = query.where(scope)
    row = await query.first()
    if row is None:
        raise NotFound(_("No entry with this id on the do-not-admit list."))
    return _to_ban(row)


NEWEST_FIRST = Keyset(BanTable.created_at, BanTable.id, descending=True)


async def list_bans(
    actor: Actor, limit: int | None = None, cursor: str | None = None, q: str | None = None
) -> models.Page:
    """Entries in force, newest first, a page at a time: all of them for staff, a resident's own for a resident;
    `q` finds a fragment of the name or plate."""
    query = BanTable.select(*_COLUMNS).where(*_active(utc_now()))
    if (search := name_or_plate(BanTable.name_key, BanTable.plate_key, q)) is not None:
        query = query.where(search)
    if (scope := _scope(actor)) is not None:
        query = query.where(scope)
    return await NEWEST_FIRST.fetch(query, limit, cursor, _to_ban)


async def lift_ban(actor: Actor, ban_id: UUID) -> None:
    """Entries are lifted, not deleted: the audit trail and past overrides still point at them."""
    _require_may_manage(actor)
    async with write_transaction(BanTable._meta.db):
        ban = await get_ban(actor, ban_id)
        await BanTable.update({BanTable.lifted_at: utc_now()}).where(BanTable.id == ban_id)
        await audit.record(actor, "ban.lifted", "ban", ban_id, {"reason": ban.reason})


async def matching(visitor_name: str | None, license_plate: str | None, resident_id: UUID | None) -> list[Ban]:
    """Active entries that stop this visitor: for everyone, or for the resident being visited."""
    return from_rows(
        await writes.bans_matching(name_key(visitor_name), plate_key(license_plate), resident_id, utc_now())
    )


def from_rows(rows: list[writes.BanRow]) -> list[Ban]:
    """The entries of a match read with more (the check-in's one look: writes.check_in_look)."""
    return [_to_ban(msgspec.structs.asdict(row)) for row in rows]


def check_override(reason: str | None, bans: list[Ban]) -> str | None:
    """The cleaned override reason when the visitor may come in; Refused when they may not."""
    if not bans:
        return None
    errors = FieldErrors()
    cleaned = errors.optional("overrideReason", reason, REASON_MAX)
    errors.raise_if_any()
    if not cleaned:
        raise Refused(bans)
    return cleaned
