"""Residents: the people visitors come to see."""

from __future__ import annotations

from uuid import UUID

from app.db import writes
from app.db.engine import write_transaction
from app.db.tables import Account as AccountTable
from app.db.tables import BannedVisitor as BanTable
from app.db.tables import ExpectedVisit as ExpectedVisitTable
from app.db.tables import Resident as ResidentTable
from app.db.tables import Visit as VisitTable
from app.domain.accounts import admin as account_admin
from app.domain.records import audit
from app.domain.residents import schemas as resident_schemas
from app.lib import schemas as models
from app.lib.actors import Actor, require_admin
from app.lib.clock import in_zone, utc_now
from app.lib.errors import FieldErrors, InUse, Invalid, NotFound
from app.lib.i18n import N_, _, ngettext
from app.lib.paging import Keyset
from app.lib.site import site_timezone
from app.lib.text import NOT_AN_EMAIL, any_of, clean_text, contains, is_email, like_fragment, name_contains, name_key

INSERT_BATCH = 1000


def _to_resident(row: dict) -> resident_schemas.Resident:
    return resident_schemas.Resident(
        id=row["id"],
        name=row["name"],
        unit=row["unit"],
        email=row["email"],
        phone=row["phone"],
        active=row["active"],
        created_at=in_zone(row["created_at"], site_timezone()),
    )


def clean_resident(data: resident_schemas.ResidentInput) -> dict:
    errors = FieldErrors()
    values = {
        "name": errors.required("name", data.name, models.NAME_MAX),
        "unit": errors.required("unit", data.unit, models.UNIT_MAX, str.upper),
        "email": errors.optional("email", data.email, models.EMAIL_MAX, str.lower),
        "phone": errors.optional("phone", data.phone, models.PHONE_MAX),
        "active": data.active,
    }
    values["name_key"] = name_key(values["name"])
    if data.email and not is_email(data.email):
        errors.add("email", _(NOT_AN_EMAIL))
    errors.raise_if_any()
    return values


BY_NAME = Keyset(ResidentTable.name, ResidentTable.id)


async def list_residents(
    actor: Actor, q: str | None = None, active: bool | None = None, limit: int | None = None, cursor: str | None = None
) -> models.Page:
    """Residents by name, one keyset page at a time; a resident sees only themselves."""
    query = ResidentTable.select()
    if actor.is_resident:
        query = query.where(ResidentTable.id == actor.resident_id)
    if active is not None:
        query = query.where(ResidentTable.active == active)
    term = like_fragment(clean_text(q))
    if term:
        query = query.where(any_of(name_contains(ResidentTable.name_key, term), contains(ResidentTable.unit, term)))
    return await BY_NAME.fetch(query, limit, cursor, _to_resident)


async def require_resident_field(resident_id: UUID, *, must_be_active: bool = False) -> str:
    """The one answer, on every feature and door, for a resident id sent in a body or a form that names no
    resident (or, where it must be, no active one): a field error on `residentId`, a 400 on the API.

    Returns the resident's name, so a check-in need not read its visit back (fixed SQL: the check-in's path)."""
    return resident_field_check(await writes.resident_state(resident_id), must_be_active=must_be_active)


def resident_field_check(row: writes.ResidentState | None, *, must_be_active: bool = False) -> str:
    """require_resident_field's rule, for a caller that read the resident's state with more (the check-in)."""
    if row is None:
        raise Invalid({"residentId": _("no resident has this id")})
    if must_be_active and not row.active:
        raise Invalid({"residentId": _("this resident is no longer active")})
    return row.name


async def get_resident(actor: Actor, resident_id: UUID) -> resident_schemas.Resident:
    if actor.is_resident and resident_id != actor.resident_id:
        raise NotFound(_("No resident with this id."))
    row = await ResidentTable.select().where(ResidentTable.id == resident_id).first()
    if row is None:
        raise NotFound(_("No resident with this id."))
    return _to_resident(row)


async def create_resident(actor: Actor, data: resident_schemas.ResidentInput) -> resident_schemas.Resident:
    require_admin(actor, "Only administrators may add residents.")
    row = ResidentTable(created_at=utc_now(), **clean_resident(data))
    async with write_transaction(ResidentTable._meta.db):
        await refuse_same_home(row.name, row.unit)
        await row.save()
        resident = await get_resident(actor, row.id)
        await audit.record(actor, "resident.created", "resident", row.id, audit.snapshot(resident))
    return resident


async def add_residents(actor: Actor, cleaned: list[dict]) -> list[resident_schemas.Resident]:
    """Many residents at once (values from clean_resident), inside the caller's write transaction."""
    require_admin(actor, "Only administrators may add residents.")
    rows = [ResidentTable(created_at=utc_now(), **values) for values in cleaned]
    for start in range(0, len(rows), INSERT_BATCH):  # PostgreSQL takes at most 32767 parameters a statement
        await ResidentTable.insert(*rows[start : start + INSERT_BATCH])
    added = [_to_resident(row.to_dict()) for row in rows]
    for resident in added:
        await audit.record(actor, "resident.created", "resident", resident.id, audit.snapshot(resident))
    return added


async def existing_homes(pairs: set[tuple[str, str]]) -> set[tuple[str, str]]:
    """Which (name, unit) pairs already belong to a resident; names compared without regard to case."""
    units = sorted({unit for _, unit in pairs})
    found: set[tuple[str, str]] = set()
    for start in range(0, len(units), 500):
        rows = await ResidentTable.select(ResidentTable.name, ResidentTable.unit).where(
            ResidentTable.unit.is_in(units[start : start + 500])
        )
        found |= {(row["name"].casefold(), row["unit"]) for row in rows}
    return {(name, unit) for name, unit in pairs if (name.casefold(), unit) in found}


class HomeTaken(Invalid):
    """A field error (the pages show it beside the name) that is a 409 in the API: the request is valid, the
    residents already recorded refuse it."""

    status_code = 409
    title = N_("Conflict")


async def refuse_same_home(name: str, unit: str, resident_id: UUID | None = None) -> None:
    """The rule the CSV import applies to each line (existing_homes): one resident of a name per unit, names
    compared without regard to case. `resident_id` is the resident being changed, who may keep their own."""
    query = ResidentTable.select(ResidentTable.name).where(ResidentTable.unit == unit)
    if resident_id is not None:
        query = query.where(ResidentTable.id != resident_id)
    for row in await query:
        if row["name"].casefold() == name.casefold():
            raise HomeTaken({"name": _("%(name)s already lives in %(unit)s", name=row["name"], unit=unit)})


async def update_resident(
    actor: Actor, resident_id: UUID, data: resident_schemas.ResidentInput
) -> resident_schemas.Resident:
    await get_resident(actor, resident_id)  # another resident's id is 'not found' to a resident, never 'forbidden'
    require_admin(actor, "Only administrators may change residents.")
    values = clean_resident(data)
    async with write_transaction(ResidentTable._meta.db):
        before = await get_resident(actor, resident_id)
        await refuse_same_home(values["name"], values["unit"], resident_id)
        await ResidentTable.update(values).where(ResidentTable.id == resident_id)
        after = await get_resident(actor, resident_id)
        changes = audit.differences(audit.snapshot(before), audit.snapshot(after))
        await audit.record(actor, "resident.updated", "resident", resident_id, changes)
        if before.active and not after.active:
            await account_admin.deactivate_accounts_of_resident(actor, resident_id)
    return after


_REFERENCES = {
    "visits": VisitTable,
    "announcements": ExpectedVisitTable,
    "doNotAdmitEntries": BanTable,
    "accounts": AccountTable,
}
"""What keeps a resident: every table whose rows point at one (and would lose their meaning without it)."""


async def references_to(resident_id: UUID) -> dict[str, int]:
    """How many records of each kind refer to the resident."""
    return {key: await table.count().where(table.resident == resident_id) for key, table in _REFERENCES.items()}


def _counted(key: str, count: int) -> str:
    if key == "visits":
        return ngettext("%(num)s visit", "%(num)s visits", count)
    if key == "announcements":
        return ngettext("%(num)s announced visitor", "%(num)s announced visitors", count)
    if key == "doNotAdmitEntries":
        return ngettext("%(num)s do-not-admit entry", "%(num)s do-not-admit entries", count)
    return ngettext("%(num)s account", "%(num)s accounts", count)


def _kept_by(references: dict[str, int]) -> str:
    return ", ".join(_counted(key, count) for key, count in references.items() if count)


async def delete_resident(actor: Actor, resident_id: UUID) -> None:
    """Only a resident nothing refers to can go; the others are deactivated, so their records keep their meaning."""
    await get_resident(actor, resident_id)  # as in update_resident
    require_admin(actor, "Only administrators may delete residents.")
    async with write_transaction(ResidentTable._meta.db):
        before = await get_resident(actor, resident_id)
        references = await references_to(resident_id)
        if any(references.values()):
            raise InUse(
                _(
                    "This resident cannot be deleted while records refer to them (%(records)s); deactivate the "
                    "resident instead (PUT with active false), which keeps every record.",
                    records=_kept_by(references),
                ),
                references,
            )
        await ResidentTable.delete().where(ResidentTable.id == resident_id)
        await audit.record(actor, "resident.deleted", "resident", resident_id, audit.snapshot(before))
