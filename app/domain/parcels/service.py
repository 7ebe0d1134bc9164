"""Parcels: the gatehouse receives them for a household, keeps them on a shelf and hands each over once.

Guards and administrators receive and hand over; a household sees only its own parcels and may say who
else may collect one, or ask for it to be left at the door. The household is told at once (its open pages
live, and push or email through the outbox in the same transaction) and reminded once when a parcel has
waited PARCEL_REMINDER_DAYS. The hand-over is one conditional UPDATE (`handed_over_at IS NULL`), so of two
kiosks handing the same parcel over at once exactly one records it and the other is told it is gone.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from uuid import UUID, uuid4

from app.db.engine import write_transaction
from app.db.tables import Parcel as ParcelTable
from app.domain.gates import service as gates
from app.domain.notifications import service as notifications
from app.domain.notifications.schemas import Notice
from app.domain.parcels.schemas import (
    CARRIER_MAX,
    NOTE_MAX,
    SHELF_MAX,
    SIZES,
    TRACKING_MAX,
    HandOverInput,
    InstructionsInput,
    Parcel,
    ParcelInput,
    Summary,
)
from app.domain.records import audit
from app.domain.residents import service as residents
from app.lib import live, site
from app.lib import schemas as models
from app.lib.actors import SYSTEM, Actor, require_admin, require_resident, require_staff
from app.lib.clock import in_zone, utc_now
from app.lib.errors import Conflict, FieldErrors, Invalid, NotFound
from app.lib.i18n import _, ngettext
from app.lib.paging import Keyset
from app.lib.text import any_of, clean_text, contains, like_fragment, name_contains, name_key, plate_key

RECEIVE_MAX = 20
"""Parcels received for one household in one go."""

_COLUMNS = (
    ParcelTable.all_columns(),
    ParcelTable.resident.name.as_alias("resident_name"),
    ParcelTable.resident.unit.as_alias("resident_unit"),
    ParcelTable.received_by.email.as_alias("received_by_email"),
    ParcelTable.handed_over_by.email.as_alias("handed_over_by_email"),
)


def tracking_key(tracking: str | None) -> str | None:
    """A tracking number as a scanner or a person types it: letters and digits, upper case."""
    return plate_key(tracking)


def _to_parcel(row: dict, now: datetime | None = None) -> Parcel:
    zone = site.site_timezone()
    waiting = row["handed_over_at"] is None
    return Parcel(
        id=row["id"],
        resident_id=row["resident"],
        resident_name=row["resident_name"],
        resident_unit=row["resident_unit"],
        carrier=row["carrier"],
        tracking_number=row["tracking_number"],
        size=row["size"],
        shelf=row["shelf"],
        note=row["note"],
        received_at=in_zone(row["received_at"], zone),
        received_by=row["received_by_email"],
        handed_over_at=in_zone(row["handed_over_at"], zone),
        collected_by=row["collected_by"],
        handed_over_by=row["handed_over_by_email"],
        authorised_person=row["authorised_person"],
        left_at_door=bool(row["left_at_door"]),
        gate_id=row["gate_id"],
        waiting=waiting,
        overdue=waiting and row["received_at"] <= (now or utc_now()) - site.parcel_reminder(),
    )


def _scope(actor: Actor) -> list:
    return [ParcelTable.resident == actor.resident_id] if actor.is_resident else []


def _clean(data: ParcelInput) -> dict:
    errors = FieldErrors()
    carrier = errors.required("carrier", data.carrier, CARRIER_MAX)
    tracking = errors.optional("trackingNumber", data.tracking_number, TRACKING_MAX)
    if data.size not in SIZES:
        errors.add("size", _("must be one of: %(sizes)s", sizes=", ".join(SIZES)))
    shelf = errors.optional("shelf", data.shelf, SHELF_MAX)
    note = errors.optional("note", data.note, NOTE_MAX)
    errors.raise_if_any()
    return {
        "resident": data.resident_id,
        "carrier": carrier,
        "tracking_number": tracking,
        "tracking_key": tracking_key(tracking),
        "size": data.size,
        "shelf": shelf,
        "note": note,
    }


async def _row(actor: Actor, parcel_id: UUID) -> dict:
    row = await ParcelTable.select(*_COLUMNS).where(ParcelTable.id == parcel_id, *_scope(actor)).first()
    if row is None:
        raise NotFound(_("No parcel with this id."))
    return row


async def get_parcel(actor: Actor, parcel_id: UUID) -> Parcel:
    """One parcel; another household's is 'not found'."""
    return _to_parcel(await _row(actor, parcel_id))


def _snapshot(parcel: Parcel) -> dict:
    fields = ("residentId", "carrier", "trackingNumber", "size", "shelf", "note", "gateId")
    return {k: v for k, v in audit.snapshot(parcel).items() if k in fields and v is not None}


async def receive(actor: Actor, items: Sequence[ParcelInput], gate_id: UUID | None = None) -> list[Parcel]:
    """Log parcels for one household in one go (the API sends one): all or none are saved. They record the
    gate that received them: `gate_id` (a kiosk's gate) or the items' own, else the default gate."""
    require_staff(actor, "Only guards and administrators may receive parcels.")
    if not 1 <= len(items) <= RECEIVE_MAX:
        raise Invalid({"parcels": _("give from 1 to %(max)s parcels", max=RECEIVE_MAX)})
    gate_id = await gates.gate_for(gate_id or items[0].gate_id)
    cleaned = [_clean(item) | {"gate_id": gate_id} for item in items]
    households = {values["resident"] for values in cleaned}
    if len(households) != 1:
        raise Invalid({"residentId": _("parcels received in one go are for one household")})
    resident_id = households.pop()
    now = utc_now()
    ids = [uuid4() for _ in cleaned]
    async with write_transaction(ParcelTable._meta.db):
        await residents.require_resident_field(resident_id, must_be_active=True)
        await ParcelTable.insert(
            *(
                ParcelTable(id=parcel_id, received_at=now, received_by=actor.account_id, **values)
                for parcel_id, values in zip(ids, cleaned, strict=True)
            )
        )
        rows = {row["id"]: row for row in await ParcelTable.select(*_COLUMNS).where(ParcelTable.id.is_in(ids))}
        parcels = [_to_parcel(rows[parcel_id]) for parcel_id in ids]  # one read for all, in the order received
        for parcel in parcels:
            await audit.record(actor, "parcel.received", "parcel", parcel.id, _snapshot(parcel))
        await notifications.notify_household(resident_id, lambda account_id: _arrival_notice(parcels))
    for parcel in parcels:
        live.parcel_changed("received", parcel.id, resident_id)
    notifications.wake_sender()
    return parcels


def _arrival_notice(parcels: list[Parcel]) -> Notice:
    carriers = ", ".join(dict.fromkeys(parcel.carrier for parcel in parcels))
    return Notice(
        title=ngettext(
            "A parcel is waiting for you at the gatehouse",
            "%(num)s parcels are waiting for you at the gatehouse",
            len(parcels),
        ),
        body=carriers,
        url="/me/parcels",
        tag="parcels-waiting",
    )


async def hand_over(actor: Actor, parcel_id: UUID, data: HandOverInput) -> Parcel:
    """Record who collected a waiting parcel; a parcel already handed over is a conflict (the first wins)."""
    await _row(actor, parcel_id)  # another household's: not found, before any refusal
    require_staff(actor, "Only guards and administrators may hand parcels over.")
    errors = FieldErrors()
    collected_by = errors.required("collectedBy", data.collected_by, models.NAME_MAX)
    errors.raise_if_any()
    async with write_transaction(ParcelTable._meta.db):
        won = (
            await ParcelTable.update(
                {
                    ParcelTable.handed_over_at: utc_now(),
                    ParcelTable.collected_by: collected_by,
                    ParcelTable.collected_key: name_key(collected_by),
                    ParcelTable.handed_over_by: actor.account_id,
                }
            )
            .where(ParcelTable.id == parcel_id, ParcelTable.handed_over_at.is_null())
            .returning(ParcelTable.id)
        )
        parcel = await get_parcel(actor, parcel_id)
        if not won:
            raise Conflict(
                _(
                    "This parcel was already handed over to %(who)s by %(guard)s.",
                    who=parcel.collected_by or _("someone"),
                    guard=parcel.handed_over_by or _("another guard"),
                )
            )
        await audit.record(actor, "parcel.handed_over", "parcel", parcel_id, {"collectedBy": collected_by})
    live.parcel_changed("handed-over", parcel_id, parcel.resident_id)
    return parcel


async def set_instructions(actor: Actor, parcel_id: UUID, data: InstructionsInput) -> Parcel:
    """The household says who else may collect a waiting parcel, or asks for it to be left at the door."""
    before = await get_parcel(actor, parcel_id)
    require_resident(actor, "Only the household may say who collects its parcels.")
    if not before.waiting:
        raise Conflict(_("This parcel was already handed over."))
    errors = FieldErrors()
    person = errors.optional("authorisedPerson", data.authorised_person, models.NAME_MAX)
    errors.raise_if_any()
    async with write_transaction(ParcelTable._meta.db):
        await ParcelTable.update(
            {ParcelTable.authorised_person: person, ParcelTable.left_at_door: data.left_at_door}
        ).where(ParcelTable.id == parcel_id)
        after = await get_parcel(actor, parcel_id)
        fields = ("authorisedPerson", "leftAtDoor")
        changes = audit.differences(
            {k: audit.snapshot(before)[k] for k in fields}, {k: audit.snapshot(after)[k] for k in fields}
        )
        await audit.record(actor, "parcel.instructions", "parcel", parcel_id, changes)
    live.parcel_changed("instructions", parcel_id, after.resident_id)
    return after


async def delete_parcel(actor: Actor, parcel_id: UUID) -> None:
    parcel = await get_parcel(actor, parcel_id)
    require_admin(actor, "Only administrators may delete parcels.")
    async with write_transaction(ParcelTable._meta.db):
        await ParcelTable.delete().where(ParcelTable.id == parcel_id)
        await audit.record(actor, "parcel.deleted", "parcel", parcel_id, _snapshot(parcel))
    live.parcel_changed("deleted", parcel_id, parcel.resident_id)


NEWEST_FIRST = Keyset(ParcelTable.received_at, ParcelTable.id, descending=True)
OLDEST_FIRST = Keyset(ParcelTable.received_at, ParcelTable.id)


def _search(q: str | None):
    """A unit, a fragment of the resident's name, a tracking number (any spacing) or who collected it."""
    term = like_fragment(clean_text(q))
    if not term:
        return None
    key = tracking_key(term)
    found = any_of(
        contains(ParcelTable.resident.unit, term),
        name_contains(ParcelTable.resident.name_key, term),
        ParcelTable.tracking_key.like(f"%{key}%") if key else None,
        name_contains(ParcelTable.collected_key, term),
    )
    return found if found is not None else ParcelTable.id.is_null()


async def list_parcels(
    actor: Actor,
    limit: int | None = None,
    cursor: str | None = None,
    waiting: bool | None = None,
    q: str | None = None,
) -> models.Page:
    """Newest first; only the waiting ones (oldest first: the order of the shelf) or only the handed over
    when `waiting` is given. A resident sees their household's, staff every household's."""
    query = ParcelTable.select(*_COLUMNS)
    if actor.is_resident:
        query = query.where(*_scope(actor))
    if waiting is not None:
        handed_over = ParcelTable.handed_over_at
        query = query.where(handed_over.is_null() if waiting else handed_over.is_not_null())
    if (search := _search(q)) is not None:
        query = query.where(search)
    now = utc_now()
    order = OLDEST_FIRST if waiting else NEWEST_FIRST
    return await order.fetch(query, limit, cursor, lambda row: _to_parcel(row, now))


async def summary(actor: Actor) -> Summary:
    """How many parcels wait, how many of them are overdue, and for how many households."""
    require_staff(actor, "Only guards and administrators may see every parcel.")
    waiting = ParcelTable.handed_over_at.is_null()
    overdue_before = utc_now() - site.parcel_reminder()
    households = await ParcelTable.select(ParcelTable.resident).where(waiting).distinct()
    return Summary(
        waiting=await ParcelTable.count().where(waiting),
        overdue=await ParcelTable.count().where(waiting, ParcelTable.received_at <= overdue_before),
        households=len(households),
    )


async def waiting_for_household(actor: Actor) -> list[Parcel]:
    """A resident's parcels waiting at the gatehouse, oldest first."""
    resident_id = require_resident(actor, "Only residents have parcels waiting.")
    rows = (
        await ParcelTable.select(*_COLUMNS)
        .where(ParcelTable.resident == resident_id, ParcelTable.handed_over_at.is_null())
        .order_by(ParcelTable.received_at, ParcelTable.id)
    )
    return [_to_parcel(row) for row in rows]


def live_notice(change: str) -> str:
    """What a household's open page says when one of its parcels changed."""
    return {
        "received": _("A parcel arrived for you at the gatehouse."),
        "handed-over": _("A parcel was handed over."),
    }.get(change, "")


async def send_reminders(now: datetime | None = None) -> int:
    """Remind each household once about parcels waiting PARCEL_REMINDER_DAYS or more; returns how many
    parcels were reminded about. Each parcel is claimed by a conditional update, so two workers never both
    remind about it."""
    now = now or utc_now()
    due = await ParcelTable.select(ParcelTable.id, ParcelTable.resident).where(
        ParcelTable.handed_over_at.is_null(),
        ParcelTable.reminded_at.is_null(),
        ParcelTable.received_at <= now - site.parcel_reminder(),
    )
    reminded = 0
    by_household: dict[UUID, list[UUID]] = {}
    for row in due:
        by_household.setdefault(row["resident"], []).append(row["id"])
    for resident_id, ids in by_household.items():
        async with write_transaction(ParcelTable._meta.db):
            claimed = (
                await ParcelTable.update({ParcelTable.reminded_at: now})
                .where(ParcelTable.id.is_in(ids), ParcelTable.reminded_at.is_null())
                .returning(ParcelTable.id)
            )
            if not claimed:
                continue
            count = len(claimed)
            for row in claimed:
                await audit.record(SYSTEM, "parcel.reminded", "parcel", row["id"])
            await notifications.notify_household(resident_id, lambda account_id, n=count: _reminder_notice(n))
        reminded += count
    if reminded:
        notifications.wake_sender()
    return reminded


def _reminder_notice(count: int) -> Notice:
    days = site.parcel_reminder().days
    return Notice(
        title=ngettext(
            "Reminder: a parcel is still waiting at the gatehouse",
            "Reminder: %(num)s parcels are still waiting at the gatehouse",
            count,
        ),
        body=ngettext("Waiting for more than %(num)s day.", "Waiting for more than %(num)s days.", days),
        url="/me/parcels",
        tag="parcels-reminder",
    )
