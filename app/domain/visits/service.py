"""Visits: listing, reading, checking in, correcting, checking out and deleting."""

from __future__ import annotations

import functools
from dataclasses import fields
from datetime import datetime, timedelta
from typing import get_args
from uuid import UUID, uuid4

import msgspec

from app.db import reads, writes
from app.db.engine import write_transaction
from app.db.tables import Resident as ResidentTable
from app.db.tables import Visit as VisitTable
from app.domain.bans import service as bans
from app.domain.entry_requests import service as entry_requests
from app.domain.entry_requests.schemas import Approval
from app.domain.expected import service as expected
from app.domain.gates import service as gates
from app.domain.permissions import service as permissions
from app.domain.records import audit
from app.domain.residents import service as residents
from app.domain.visits import schemas as visit_schemas
from app.domain.visits.rules import CleanVisit, clean_visit
from app.domain.webhooks import events as webhooks
from app.lib import live
from app.lib import schemas as models
from app.lib.actors import Actor, require_admin, require_staff
from app.lib.clock import DAY_OR_INSTANT_PATTERN, end_of_day, has_shape, is_date_only, parse_instant, utc_now
from app.lib.errors import Conflict, FieldErrors, KeyReused, NotFound
from app.lib.i18n import _
from app.lib.paging import Keyset, clamp_limit
from app.lib.site import site_timezone
from app.lib.text import name_key, name_or_plate, plate_key

CHECKED_OUT = "visit.checked_out"


_DECODED = {"approval": "_decode_approval"}
"""Row fields stored as JSON text, and the decoder that makes them the API's Struct."""


def _row_converter():
    """visit_from_row, written out once from VisitRow's fields (the one list of a visit's columns).

    The API's Visit has the row's fields in the row's order (tests/unit/test_visit_columns.py), so the
    Visit is built from the row's values by position: instants moved to the site's zone, the flag made a
    bool (SQLite stores 0/1), the approval decoded from its JSON. Written out as one expression it runs for
    every row of every page at the cost of hand-written code: a loop over the fields cost 614k
    instructions for 50 rows, this 480k (callgrind; bench/results/NOTES.md)."""
    values = []
    for field in msgspec.structs.fields(reads.VisitRow):
        value = f"row.{field.name}"
        if datetime in get_args(field.type):  # an instant that may be None
            value = f"(None if {value} is None else {value}.astimezone(tz))"
        elif field.type is datetime:
            value = f"{value}.astimezone(tz)"
        elif field.type is bool:
            value = f"bool({value})"
        elif field.name in _DECODED:  # stored as JSON text
            value = f"(None if {value} is None else {_DECODED[field.name]}({value}))"
        values.append(value)
    source = f"def visit_from_row(row, tz):\n    return Visit({', '.join(values)})\n"
    namespace = {"Visit": visit_schemas.Visit, "_decode_approval": msgspec.json.Decoder(Approval).decode}
    exec(source, namespace)  # noqa: S102 - our own text, built from the Struct's field names above
    return namespace["visit_from_row"]


visit_from_row = _row_converter()
"""visit_from_row(row, tz): the API's Visit from a stored row (an InsideRow's extra fields aside)."""


def _resident_scope(actor: Actor, resident_id: UUID | None) -> UUID | None:
    if actor.is_resident:
        if resident_id is not None and resident_id != actor.resident_id:
            raise NotFound(_("No resident with this id."))
        return actor.resident_id
    return resident_id


def _filter_clauses(filters: visit_schemas.VisitFilters) -> list:
    tz = site_timezone()
    clauses: list = []
    errors = FieldErrors()
    if filters.resident_id is not None:
        clauses.append(VisitTable.resident == filters.resident_id)
    if filters.on_site is True:
        clauses.append(VisitTable.departure_date.is_null())
    elif filters.on_site is False:
        clauses.append(VisitTable.departure_date.is_not_null())
    for field, text in (("from", filters.arrived_from), ("to", filters.arrived_to)):
        if text and not has_shape(text, DAY_OR_INSTANT_PATTERN):
            errors.add(field, _("is not an ISO 8601 date (2026-11-28) or date-time (2026-11-28T14:30:00)"))
    if filters.arrived_from and "from" not in errors.errors:
        try:
            clauses.append(VisitTable.arrival_date >= parse_instant(filters.arrived_from, tz))
        except ValueError as exc:
            errors.add("from", str(exc))
    if filters.arrived_to and "to" not in errors.errors:
        try:
            clauses.append(_arrived_by(filters.arrived_to, tz))
        except ValueError as exc:
            errors.add("to", str(exc))
    errors.raise_if_any()
    if (search := name_or_plate(VisitTable.name_key, VisitTable.plate_key, filters.q)) is not None:
        clauses.append(search)
    return clauses


def _arrived_by(text: str, tz):
    """`to=2026-11-28` includes that whole day; `to=2026-11-28T14:30` ends at that instant."""
    if is_date_only(text):
        return VisitTable.arrival_date < end_of_day(text, tz)
    return VisitTable.arrival_date <= parse_instant(text, tz)


def _uses_fixed_sql(filters: visit_schemas.VisitFilters) -> bool:
    """Pages by resident, on-site state and cursor alone follow an index: the fixed SQL of app/db/reads.py."""
    return not (filters.arrived_from or filters.arrived_to or filters.q)


NEWEST_FIRST = Keyset(VisitTable.arrival_date, VisitTable.id, descending=True)


async def list_visits(
    actor: Actor, filters: visit_schemas.VisitFilters, limit: int | None = None, cursor: str | None = None
) -> models.Page:
    """Visits newest arrival first, one keyset page at a time."""
    limit = clamp_limit(limit)
    filters.resident_id = _resident_scope(actor, filters.resident_id)
    if filters.resident_id is not None and actor.is_staff:
        await _require_resident(filters.resident_id)
    tz = site_timezone()
    if not _uses_fixed_sql(filters):
        query = VisitTable.select(*reads.VISIT_COLUMNS).where(*_filter_clauses(filters))
        return await NEWEST_FIRST.fetch(query, limit, cursor, lambda row: visit_from_row(reads.VisitRow(**row), tz))
    after = NEWEST_FIRST.decode(cursor)
    rows = await reads.visit_page_rows(limit + 1, filters.resident_id, filters.on_site, after)
    return NEWEST_FIRST.page(rows, limit, functools.partial(visit_from_row, tz=tz))


async def _require_resident(resident_id: UUID) -> None:
    if not await ResidentTable.exists().where(ResidentTable.id == resident_id):
        raise NotFound(_("No resident with this id."))


async def get_visit(actor: Actor, visit_id: UUID) -> visit_schemas.Visit:
    """One visit; a resident sees only their own (another's is 'not found', not 'forbidden')."""
    if actor.is_resident:
        row = await reads.visit_row(visit_id, actor.resident_id) if actor.resident_id is not None else None
    else:
        row = await reads.visit_row(visit_id)
    if row is None:
        raise NotFound(_("No visit with this id."))
    return visit_from_row(row, site_timezone())


async def find_visits(*where) -> list[visit_schemas.Visit]:
    """Every visit matching these Piccolo clauses, oldest arrival first, for other services' own rules.

    No actor and no paging: the caller has already checked who is asking (the sweep, an administrator's)."""
    query = VisitTable.select(*reads.VISIT_COLUMNS).order_by(VisitTable.arrival_date, VisitTable.id)
    for clause in where:
        query = query.where(clause)
    tz = site_timezone()
    return [visit_from_row(reads.VisitRow(**row), tz) for row in await query]


def _columns_of(visit: CleanVisit) -> dict:
    # A shallow copy: dataclasses.asdict deep-copies every value, a third of a check-in in the profile.
    values = {field.name: getattr(visit, field.name) for field in fields(visit)}
    values["resident"] = values.pop("resident_id")
    return values


def _new_visit(columns: dict, resident_name: str) -> visit_schemas.Visit:
    """The visit just inserted with these columns, as get_visit would read it back."""
    stored = {field: columns[field] for field in reads.VisitRow.__struct_fields__ if field != "resident_name"}
    return visit_from_row(reads.VisitRow(resident_name=resident_name, **stored), site_timezone())


IDEMPOTENCY_KEY_MAX = 64
KEY_KEPT = timedelta(days=1)
"""How long an idempotency key answers with its visit: long past any resend of a lost answer. Older keys are
deleted as new ones are written, so the table holds about one day of check-ins."""


class _KeyTaken(Exception):
    """Another request recorded a visit under this idempotency key first: undo this one's writes."""


def usable_key(key: str | None) -> str | None:
    """The idempotency key as stored, or None for none (or one too long or blank to be a key)."""
    key = (key or "").strip()
    return key if 0 < len(key) <= IDEMPOTENCY_KEY_MAX else None


async def _visit_for_key(actor: Actor, key: str, fingerprint: str | None) -> visit_schemas.Visit | None:
    rows = await VisitTable.raw("SELECT visit_id, fingerprint FROM check_in_key WHERE key = {}", key)
    if not rows:
        return None
    first = rows[0]["fingerprint"]
    if fingerprint is not None and first is not None and first != fingerprint:
        raise KeyReused(_("This Idempotency-Key was already used for another request; send a new key."))
    return await get_visit(actor, UUID(rows[0]["visit_id"]))


async def create_visit(
    actor: Actor, data: visit_schemas.VisitInput, idempotency_key: str | None = None, fingerprint: str | None = None
) -> visit_schemas.Visit:
    """Check a visitor in (or record a past visit when departureDate is given).

    A visitor on the do-not-admit list comes in only with an override reason (visit_schemas.CheckInInput),
    which the audit trail keeps and the resident visited is told about.

    With an idempotency key, the first request records the visit and every later one with the same key
    answers with that visit and records nothing: a check-in resent after a lost answer is never counted twice.
    With the request's `fingerprint` (the API's), the same key with another request is KeyReused (422)."""
    require_staff(actor, "Only guards and administrators may record visits.")
    key = usable_key(idempotency_key)
    if key is not None and (earlier := await _visit_for_key(actor, key, fingerprint)) is not None:
        return earlier
    try:
        return await _create_visit(actor, data, key, fingerprint)
    except _KeyTaken:
        earlier = await _visit_for_key(actor, key, fingerprint)
        if earlier is None:  # pragma: no cover - the key's row was committed before _KeyTaken was raised
            raise
        return earlier


async def _create_visit(
    actor: Actor, data: visit_schemas.VisitInput, key: str | None, fingerprint: str | None = None
) -> visit_schemas.Visit:
    visit = clean_visit(data, site_timezone())
    override_reason = getattr(data, "override_reason", None)
    expected_id = getattr(data, "expected_visit_id", None)
    request_id = getattr(data, "entry_request_id", None)
    now = utc_now()
    look = await writes.check_in_look(
        name_key(visit.visitor_name),
        plate_key(visit.license_plate),
        visit.resident_id,
        permissions.is_delivery(visit.subject),
        expected.today(),
        now,
    )
    stopped_by = bans.from_rows(look.bans)
    override = bans.check_override(override_reason, stopped_by)
    permission = None if stopped_by else permissions.from_match(look.permission)  # a ban always wins
    if visit.departure_date is None and permission is None:  # a past visit, or a pre-approved one, asks no one
        await entry_requests.require_asked(expected_id, request_id)
    state = look.state
    resident_name = residents.resident_field_check(state, must_be_active=True)
    given_gate = getattr(data, "gate_id", None)
    gate_id = await gates.gate_for(given_gate) if given_gate is not None else state.default_gate
    # The resident is read before the writes: one deactivated in between is as if a moment later.
    async with writes.check_in_transaction(alone=expected_id is None and request_id is None and key is None):
        if expected_id is not None:
            await expected.use_for_check_in(expected_id, visit.resident_id)
        columns = _columns_of(visit)
        columns |= {"id": uuid4(), "departure_automatic": False, "created_at": now, "updated_at": now}
        columns |= {"created_by": actor.account_id, "expected_visit": expected_id, "approval": None}
        # A past visit recorded with its departure came and went by the same gate.
        columns |= {"arrival_gate_id": gate_id, "departure_gate_id": gate_id if visit.departure_date else None}
        if request_id is not None:
            approval = await entry_requests.use_for_check_in(
                request_id, visit.resident_id, columns["id"], override_reason
            )
            columns["approval"] = msgspec.json.encode(approval).decode()
        if key is not None:
            # The primary key settles a race: PostgreSQL waits for the other transaction and SQLite's
            # write lock orders them; the loser inserts nothing and answers with the winner's visit.
            taken = await VisitTable.raw(
                "INSERT INTO check_in_key (key, visit_id, created_at, fingerprint) VALUES ({}, {}, {}, {}) "
                "ON CONFLICT (key) DO NOTHING RETURNING key",
                key,
                str(columns["id"]),
                now.isoformat(),
                fingerprint,
            )
            if not taken:
                raise _KeyTaken
            await VisitTable.raw("DELETE FROM check_in_key WHERE created_at < {}", (now - KEY_KEPT).isoformat())
        # Every field is known here: no read back.
        visit = _new_visit(columns, resident_name)
        created = audit.snapshot(visit) | ({"expectedVisitId": str(expected_id)} if expected_id else {})
        if request_id is not None:
            created["entryRequestId"] = str(request_id)
        if permission is not None:  # let in without asking the resident: which permission allowed it
            created["standingPermissionId"] = str(permission.permission_id)
        events = [audit.event(actor, "visit.created", "visit", visit.id, created)]
        if override:
            overridden = {"overrideReason": override, "bans": [str(ban.id) for ban in stopped_by]}
            events.append(audit.event(actor, "visit.ban_overridden", "visit", visit.id, overridden))
        if visit.approval is not None and visit.approval.status != "approved":
            unanswered = {"overrideReason": override_reason, "entryRequestId": str(request_id)}
            events.append(audit.event(actor, "visit.answer_overridden", "visit", visit.id, unanswered))
        hook = webhooks.row("visit.checked_in", visit)
        await writes.insert_visit(columns, events, hook)  # with its events: one statement on PostgreSQL
    live.visit_changed("admitted-despite-ban" if override else "checked-in", visit.id, visit.resident_id)
    return visit


async def _hidden_from_other_residents(actor: Actor, visit_id: UUID) -> None:
    """A resident is told 'not found' for another resident's visit before being told what they may not do,
    so the answer never reveals that the visit exists."""
    if actor.is_resident:
        await get_visit(actor, visit_id)


async def update_visit(actor: Actor, visit_id: UUID, data: visit_schemas.VisitInput) -> visit_schemas.Visit:
    """Replace a visit's fields in full; on any error nothing changes."""
    await _hidden_from_other_residents(actor, visit_id)
    require_staff(actor, "Only guards and administrators may correct visits.")
    visit = clean_visit(data, site_timezone())
    async with write_transaction(VisitTable._meta.db):
        before = await get_visit(actor, visit_id)
        # a visit may stay with a resident who has since left; it may not move to one
        await residents.require_resident_field(
            visit.resident_id, must_be_active=visit.resident_id != before.resident_id
        )
        columns = {**_columns_of(visit), "updated_at": utc_now()}
        if visit.departure_date != before.departure_date:
            columns["departure_automatic"] = False  # a guard's correction replaces the sweep's guess
        if visit.departure_date is None:
            columns["departure_gate_id"] = None  # back inside: they have left by no gate
        await VisitTable.update(columns).where(VisitTable.id == visit_id)
        updated = await get_visit(actor, visit_id)
        changes = audit.differences(audit.snapshot(before), audit.snapshot(updated))
        await audit.record(actor, "visit.updated", "visit", visit_id, changes)
        await webhooks.record("visit.updated", updated)
    live.visit_changed("updated", visit_id, before.resident_id, updated.resident_id)
    return updated


async def check_out(actor: Actor, visit_id: UUID, gate_id: UUID | None = None) -> visit_schemas.Visit:
    """Record the departure now, by this gate (any active one, whichever the visitor came in by; the default
    gate when not given). Of two concurrent check-outs, the conditional update lets one win."""
    await _hidden_from_other_residents(actor, visit_id)
    require_staff(actor, "Only guards and administrators may check visitors out.")
    gate_id = await gates.gate_for(gate_id)
    now = utc_now()
    async with write_transaction(VisitTable._meta.db):
        current = (
            await VisitTable.select(VisitTable.arrival_date, VisitTable.departure_date)
            .where(VisitTable.id == visit_id)
            .first()
        )
        if current is None:
            raise NotFound(_("No visit with this id."))
        if current["departure_date"] is not None:
            raise Conflict(_("This visitor has already left."))
        departure = max(now, current["arrival_date"])
        updated = (
            await VisitTable.update(
                {
                    VisitTable.departure_date: departure,
                    VisitTable.departure_automatic: False,
                    VisitTable.departure_gate_id: gate_id,
                    VisitTable.updated_at: now,
                }
            )
            .where(VisitTable.id == visit_id, VisitTable.departure_date.is_null())
            .returning(VisitTable.id)
        )
        if not updated:
            raise Conflict(_("This visitor has already left."))
        visit = await get_visit(actor, visit_id)
        left = {"departureDate": [None, visit.departure_date], "departureGateId": [None, visit.departure_gate_id]}
        await audit.record(actor, CHECKED_OUT, "visit", visit_id, left)
        await webhooks.record(CHECKED_OUT, visit)
    live.visit_changed("checked-out", visit_id, visit.resident_id)
    return visit


async def delete_visit(actor: Actor, visit_id: UUID) -> None:
    """Remove a visit; its audit events stay, with a copy of what was deleted."""
    await _hidden_from_other_residents(actor, visit_id)
    require_admin(actor, "Only administrators may delete visits.")
    async with write_transaction(VisitTable._meta.db):
        before = await get_visit(actor, visit_id)
        await VisitTable.delete().where(VisitTable.id == visit_id)
        await audit.record(actor, "visit.deleted", "visit", visit_id, audit.snapshot(before))
        await webhooks.record("visit.deleted", before)
    live.visit_changed("deleted", visit_id, before.resident_id)
