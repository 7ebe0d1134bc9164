"""Gates: the ways into the estate, each with its own kiosk; a visit records the gate of arrival and departure.

Administrators define the gates; guards (and every kiosk) read them. A gate is never deleted, since visits
keep the gates they passed: it is made inactive, and at least one gate stays active. The default gate, which
a check-in or check-out without a gate records, is the first active gate; a single-gate installation has
only that one and sees no choice anywhere.
"""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID, uuid4

from app.db import reads, writes
from app.db.engine import write_transaction
from app.db.tables import Gate as GateTable
from app.domain.gates.schemas import GATE_NAME_MAX, Gate, GateInput, KioskGate
from app.domain.records import audit
from app.lib.actors import Actor, require_admin, require_staff
from app.lib.clock import in_zone
from app.lib.errors import FieldErrors, Invalid, NotFound
from app.lib.i18n import _
from app.lib.site import site_timezone
from app.lib.text import name_key

FIRST = (GateTable.created_at, GateTable.id)
"""The order gates are listed in; the first active one is the default."""


def _added_now() -> datetime:
    """To the microsecond (utc_now() drops them): two gates added in one second keep the order they came in."""
    return datetime.now(UTC)


async def _all_gates() -> list[Gate]:
    """Fixed SQL (app/db/reads.py): every board and kiosk page reads the gates."""
    rows = await reads.gate_rows()
    default = next((row.id for row in rows if row.active), None)
    tz = site_timezone()
    return [
        Gate(row.id, row.name, row.vehicles, row.active, row.id == default, in_zone(row.created_at, tz)) for row in rows
    ]


async def gate_names() -> dict[UUID, str]:
    """Each gate's name by id, the inactive ones too (visits keep them), for doors that have checked who asks;
    empty in a single-gate installation, which shows no gate anywhere."""
    every = await _all_gates()
    return {gate.id: gate.name for gate in every} if len(every) > 1 else {}


async def every_gate_name(actor: Actor) -> dict[UUID, str]:
    """Each gate's name by id, even in a single-gate installation: the audit trail names the gates its
    events recorded (`arrivalGateId`, `departureGateId`, `gateId`) instead of showing their ids."""
    require_staff(actor, "Only guards and administrators may see the gates.")
    return {gate.id: gate.name for gate in await _all_gates()}


async def kiosk_gate(actor: Actor, chosen: UUID | None) -> KioskGate:
    """Where a kiosk stands: the gate it chose (kept on the device), if still in use, and the gates it may
    choose from; a kiosk of a single-gate installation stands at that gate and is offered no choice."""
    require_staff(actor, "Only guards and administrators may see the gates.")
    in_use = await active_gates()
    here = next((gate for gate in in_use if gate.id == chosen), None)
    if len(in_use) == 1:
        here = in_use[0]
    return KioskGate(here=here, gates=in_use, several=len(in_use) > 1)


async def choose_kiosk_gate(actor: Actor, gate_id: UUID | None) -> Gate:
    """The gate a kiosk says it stands at: an active one (else a field error on `gateId`)."""
    require_staff(actor, "Only guards and administrators may see the gates.")
    if gate_id is None:
        raise Invalid({"gateId": _("choose a gate")})
    chosen = await gate_for(gate_id)
    return next(gate for gate in await active_gates() if gate.id == chosen)


async def list_gates(actor: Actor, active: bool | None = None) -> list[Gate]:
    """Every gate (or only those in use, or out of use), in the order they were added; residents have no use
    for them."""
    require_staff(actor, "Only guards and administrators may see the gates.")
    return [gate for gate in await _all_gates() if active is None or gate.active is active]


async def active_gates() -> list[Gate]:
    """The gates a kiosk may stand at, the default first, for doors that have already checked who asks."""
    return [gate for gate in await _all_gates() if gate.active]


async def get_gate(actor: Actor, gate_id: UUID) -> Gate:
    require_staff(actor, "Only guards and administrators may see the gates.")
    for gate in await _all_gates():
        if gate.id == gate_id:
            return gate
    raise NotFound(_("No gate with this id."))


def _clean(data: GateInput) -> GateInput:
    errors = FieldErrors()
    name = errors.required("name", data.name, GATE_NAME_MAX)
    errors.raise_if_any()
    return GateInput(name=name, vehicles=data.vehicles, active=data.active)


async def _require_unique_name(name: str, gate_id: UUID | None) -> None:
    others = await GateTable.select(GateTable.id, GateTable.name)
    if any(name_key(row["name"]) == name_key(name) and row["id"] != gate_id for row in others):
        raise Invalid({"name": _("another gate has this name")})


async def create_gate(actor: Actor, data: GateInput) -> Gate:
    require_admin(actor, "Only administrators may define gates.")
    data = _clean(data)
    gate_id = uuid4()
    async with write_transaction(GateTable._meta.db):
        await _require_unique_name(data.name, None)
        row = {"id": gate_id, "name": data.name, "vehicles": data.vehicles, "active": data.active}
        await GateTable.insert(GateTable(**row, created_at=_added_now()))
        created = await get_gate(actor, gate_id)
        await audit.record(actor, "gate.created", "gate", gate_id, audit.snapshot(created))
    return created


async def update_gate(actor: Actor, gate_id: UUID, data: GateInput) -> Gate:
    """Rename a gate, say whether vehicles pass, or take it out of use (never the last active gate)."""
    require_admin(actor, "Only administrators may define gates.")
    data = _clean(data)
    async with write_transaction(GateTable._meta.db):
        before = await get_gate(actor, gate_id)
        await _require_unique_name(data.name, gate_id)
        if before.active and not data.active:
            if not await GateTable.exists().where(GateTable.active.eq(True), GateTable.id != gate_id):
                raise Invalid({"active": _("at least one gate must stay active")})
        columns = {GateTable.name: data.name, GateTable.vehicles: data.vehicles, GateTable.active: data.active}
        await GateTable.update(columns).where(GateTable.id == gate_id)
        after = await get_gate(actor, gate_id)
        await audit.record(
            actor, "gate.updated", "gate", gate_id, audit.differences(audit.snapshot(before), audit.snapshot(after))
        )
    return after


async def ensure_default_gate() -> UUID:
    """The default gate, created (named in the site's language) when there is no gate at all: by the
    migration that brought gates, by the demo and by a test's empty database."""
    async with write_transaction(GateTable._meta.db):
        first = await GateTable.select(GateTable.id).where(GateTable.active.eq(True)).order_by(*FIRST).first()
        if first is not None:
            return first["id"]
        gate_id = uuid4()
        await GateTable.insert(
            GateTable(id=gate_id, name=_("Main gate"), vehicles=True, active=True, created_at=_added_now())
        )
        return gate_id


async def gate_for(gate_id: UUID | None) -> UUID | None:
    """The gate a check-in or a check-out records: the one given, which must be active (else a field error on
    `gateId`, the same on every door), or the default gate. Fixed SQL: it is on the check-in's path."""
    if gate_id is None:
        return await writes.default_gate()
    active = await writes.gate_active(gate_id)
    if active is None:
        raise Invalid({"gateId": _("no gate has this id")})
    if not active:
        raise Invalid({"gateId": _("this gate is no longer in use")})
    return gate_id


async def still_in_use(gate_id: UUID | None) -> UUID | None:
    """A kiosk's chosen gate if it is still in use, else None (the default gate): a kiosk whose gate was taken
    out of use keeps working, and its header asks it to choose again."""
    if gate_id is None or not await writes.gate_active(gate_id):
        return None
    return gate_id
