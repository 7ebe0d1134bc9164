"""The check-in's statements as fixed parameterised SQL: its do-not-admit match, its resident check and its
two inserts (the visit and the audit entry), written once per engine like the reads of app/db/reads.py.

In a py-spy profile of `POST /api/visits` most of the server's time went to building Piccolo queries: the
do-not-admit select with its OR clauses and joins (a quarter of it), the inserts and the resident check.
The SQL here is the same the Piccolo queries produced; values are stored as Piccolo stores them (on
SQLite through the adapters Piccolo registers: UUIDs and instants as text), so Piccolo reads them back
unchanged. Business rules stay in the features' services (app/domain): these functions only fetch and write.

On PostgreSQL the check-in writes once (insert_visit: the visit and its audit events in one statement):
each statement there is a round trip, and the worker's protocol work and wake-up for it
(bench/results/NOTES.md).

Each runs in the current transaction when there is one (the SQLite pool's write lock, PostgreSQL's
transaction connection), otherwise on its own.
"""

from __future__ import annotations

import contextlib
from datetime import date, datetime
from uuid import UUID

import msgspec
from piccolo.engine.postgres import PostgresEngine

from app.db.engine import write_transaction
from app.db.reads import numbered, run_statement
from app.db.tables import Visit


class BanRow(msgspec.Struct, array_like=True, frozen=True):
    """An entry of the do-not-admit list as stored, with its resident's name and its author's email."""

    id: UUID
    name: str | None
    license_plate: str | None
    reason: str
    resident: UUID | None
    resident_name: str | None
    expires_at: datetime | None
    created_at: datetime
    created_by_email: str | None


class GateState(msgspec.Struct, array_like=True, frozen=True):
    id: UUID
    active: bool


class ResidentState(msgspec.Struct, array_like=True, frozen=True):
    active: bool
    name: str


class CheckInState(ResidentState, frozen=True):
    """The resident visited, and the gate a check-in naming none records: one read for both."""

    default_gate: UUID | None


_INSERT_VISIT = (
    "INSERT INTO visit (id, resident, visitor_name, total_people, vehicle_color, license_plate, plate_key, name_key,"
    " subject, arrival_date, departure_date, departure_automatic, created_at, updated_at, created_by, expected_visit,"
    " approval, arrival_gate_id, departure_gate_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_INSERT_AUDIT_EVENT = (
    "INSERT INTO audit_event (id, at, actor, actor_email, address, action, record_type, record_id, changes)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_BAN_SELECT = (
    "SELECT b.id, b.name, b.license_plate, b.reason, b.resident, r.name AS resident_name, b.expires_at,"
    " b.created_at, a.email AS created_by_email FROM banned_visitor AS b"
    " LEFT JOIN resident AS r ON r.id = b.resident LEFT JOIN account AS a ON a.id = b.created_by"
)
_BAN_KEYS = {(True, False): "b.name_key = ?", (False, True): "b.plate_key = ?", (True, True): None}
_ACTIVE_BAN = "b.lifted_at IS NULL AND (b.expires_at IS NULL OR b.expires_at > ?)"


def _ban_match_sql(by_name: bool, by_plate: bool, for_resident: bool) -> str:
    """Entries on either key (each has its index), for everyone or for the resident visited, still active."""
    keys = _BAN_KEYS[(by_name, by_plate)] or "(b.name_key = ? OR b.plate_key = ?)"
    who = "(b.resident IS NULL OR b.resident = ?)" if for_resident else "b.resident IS NULL"
    return f"{_BAN_SELECT} WHERE {keys} AND {who} AND {_ACTIVE_BAN}"


class PermissionMatch(msgspec.Struct, array_like=True, frozen=True):
    id: UUID
    kind: str
    resident_name: str
    ends_on: date
    note: str | None


_PERMISSION_KEYS = {
    "person": "(p.kind = 'person' AND p.name_key = ?)",
    "plate": "(p.kind = 'plate' AND p.plate_key = ?)",
    "deliveries": "p.kind = 'deliveries'",
}
_PERMISSION_WAYS = [
    (by_name, by_plate, delivery)
    for by_name in (False, True)
    for by_plate in (False, True)
    for delivery in (False, True)
    if by_name or by_plate or delivery
]


_PERMISSION_SELECT = (
    "SELECT p.id, p.kind, r.name AS resident_name, p.ends_on, p.note FROM standing_permission AS p"
    " JOIN resident AS r ON r.id = p.resident WHERE p.resident = ? AND r.active = ? AND p.revoked_at IS NULL"
    " AND p.starts_on <= ? AND p.ends_on >= ?"
)


def _permission_match_sql(by_name: bool, by_plate: bool, delivery: bool) -> str:
    """The active resident's standing permission in force that lets the visitor in, the longest-lasting first."""
    wanted = {"person": by_name, "plate": by_plate, "deliveries": delivery}
    ways = " OR ".join(sql for kind, sql in _PERMISSION_KEYS.items() if wanted[kind])
    return f"{_PERMISSION_SELECT} AND ({ways}) ORDER BY p.ends_on DESC LIMIT 1"


_WEBHOOK_EVENT_COLUMNS = "INSERT INTO webhook_event (id, type, payload, created_at, fanned_out)"
AN_ENDPOINT_LISTENS = "EXISTS (SELECT 1 FROM webhook_endpoint WHERE enabled)"
"""Whether any webhook endpoint is enabled: the condition of writing an event, and of dropping one unsent."""
_WHEN_AN_ENDPOINT_LISTENS = f" WHERE {AN_ENDPOINT_LISTENS}"
# Written only while an endpoint is enabled: an event no one may ever be sent (the sender fans out to the
# endpoints enabled when it looks) costs a check-in its row and two index entries for nothing.
# PostgreSQL types a SELECT's parameters by themselves, not by the column they go to: hence the casts.
_INSERT_WEBHOOK_EVENT = f"{_WEBHOOK_EVENT_COLUMNS} SELECT ?, ?, ?, ?, ?{_WHEN_AN_ENDPOINT_LISTENS}"
_INSERT_WEBHOOK_EVENT_TYPED = (
    f"{_WEBHOOK_EVENT_COLUMNS} SELECT ?::uuid, ?::varchar, ?::text, ?::timestamptz, ?::boolean"
    f"{_WHEN_AN_ENDPOINT_LISTENS}"
)


def _visit_and_events_sql(events: int, hooked: bool = False) -> str:
    """PostgreSQL: the visit, its audit events and its webhook event in one statement (a data-modifying WITH
    runs to completion whether or not the rest reads it), atomic by itself and one round trip, not one per row."""
    audit, values = _INSERT_AUDIT_EVENT.split(" VALUES ", 1)
    hook = f", new_hook AS ({_INSERT_WEBHOOK_EVENT_TYPED})" if hooked else ""
    return f"WITH new_visit AS ({_INSERT_VISIT}){hook} {audit} VALUES {', '.join([values] * events)}"


_MOST_EVENTS = 4
"""A check-in writes one audit event, two when the do-not-admit list is overridden; more go one by one."""


_DEFAULT_GATE_ID = "(SELECT g.id FROM gate AS g WHERE g.active = ? ORDER BY g.created_at, g.id LIMIT 1)"
"""The default gate (the first active one, gates.service.FIRST) as a column of the check-in's reads."""


def _statements() -> dict:
    statements = {
        "resident": "SELECT active, name FROM resident WHERE id = ?",
        "gate": "SELECT id, active FROM gate WHERE id = ?",
        # A handful of rows: the first active gate (gates.service.FIRST).
        "default_gate": "SELECT id, active FROM gate WHERE active = ? ORDER BY created_at, id LIMIT 1",
        "check_in_state": f"SELECT r.active, r.name, {_DEFAULT_GATE_ID} FROM resident AS r WHERE r.id = ?",  # noqa: S608
        "visit": _INSERT_VISIT,
        "audit": _INSERT_AUDIT_EVENT,
        "webhook": _INSERT_WEBHOOK_EVENT,
    }
    return (
        statements
        | {
            ("bans", by_name, by_plate, for_resident): _ban_match_sql(by_name, by_plate, for_resident)
            for by_name, by_plate in _BAN_KEYS
            for for_resident in (False, True)
        }
        | {("permission", *way): _permission_match_sql(*way) for way in _PERMISSION_WAYS}
    )


_SQLITE = _statements()
_POSTGRES = {key: numbered(sql) for key, sql in _SQLITE.items()}
_POSTGRES["webhook"] = numbered(_INSERT_WEBHOOK_EVENT_TYPED)
_POSTGRES |= {
    ("visit", events, hooked): numbered(_visit_and_events_sql(events, hooked))
    for events in range(1, _MOST_EVENTS + 1)
    for hooked in (False, True)
}


class CheckInLook(msgspec.Struct, frozen=True):
    """What a check-in reads before it writes."""

    bans: list[BanRow]
    permission: PermissionMatch | None
    state: CheckInState | None


def _as_json_arrays(row_type: type, sql: str, many: bool) -> str:
    values = ", ".join(f"m.{field}" for field in row_type.__struct_fields__)
    aggregate = "json_agg" if many else ""
    return f"(SELECT {aggregate}(json_build_array({values})) FROM ({sql}) AS m)"  # noqa: S608 - constants only


def _look_sql(bans_way: tuple | None, permission_way: tuple | None) -> str:
    """PostgreSQL: the do-not-admit match, the standing permission, the resident and the default gate in one
    statement, each match as JSON (a check-in makes four reads in one round trip and one pool lend)."""
    matched = _as_json_arrays(BanRow, _ban_match_sql(*bans_way), many=True) if bans_way else "NULL"
    permitted = (
        _as_json_arrays(PermissionMatch, _permission_match_sql(*permission_way), False) if permission_way else "NULL"
    )
    return numbered(
        f"SELECT {matched}, {permitted}, r.active, r.name, {_DEFAULT_GATE_ID}"  # noqa: S608 - constants only
        " FROM (SELECT 1) AS one LEFT JOIN resident AS r ON r.id = ?"
    )


_LOOKS = {
    (bans_way, permission_way): _look_sql(bans_way, permission_way)
    for bans_way in [None, *((*keys, True) for keys in _BAN_KEYS)]  # a check-in always names its resident
    for permission_way in [None, *_PERMISSION_WAYS]
}
_decode_bans = msgspec.json.Decoder(list[BanRow]).decode
_decode_permission = msgspec.json.Decoder(PermissionMatch).decode


async def check_in_look(
    name_key: str | None, plate_key: str | None, resident_id: UUID, delivery: bool, day: date, now: datetime
) -> CheckInLook:
    """bans_matching, permission_matching and check_in_state for one check-in: one statement on PostgreSQL
    (each is a round trip there), three short reads on the loop's own thread on SQLite."""
    if not _on_postgres():
        return CheckInLook(
            await bans_matching(name_key, plate_key, resident_id, now),
            await permission_matching(resident_id, name_key, plate_key, delivery, day),
            await check_in_state(resident_id),
        )
    keys = [key for key in (name_key, plate_key) if key]
    bans_way = (bool(name_key), bool(plate_key), True) if keys else None
    permission_way = (bool(name_key), bool(plate_key), delivery) if keys or delivery else None
    args = [*keys, resident_id, now] if bans_way else []
    args += [resident_id, True, day, day, *keys] if permission_way else []
    [row] = await run_statement("", _LOOKS[(bans_way, permission_way)], [*args, True, resident_id], inline=False)
    matched, permitted, active, name, default_gate = row
    return CheckInLook(
        _decode_bans(matched) if matched else [],
        _decode_permission(permitted) if permitted else None,
        None if active is None else msgspec.convert([active, name, default_gate], CheckInState),
    )


def _on_postgres() -> bool:
    return isinstance(Visit._meta.db, PostgresEngine)


async def _run(key, args: list, row_type: type | None = None, inline: bool = False) -> list:
    """The statement under `key`, through the same runner as the fixed reads."""
    return await run_statement(_SQLITE[key], _POSTGRES[key], args, row_type, inline)


async def bans_matching(
    name_key: str | None, plate_key: str | None, resident_id: UUID | None, now: datetime
) -> list[BanRow]:
    """Active do-not-admit entries on this name key or plate key, for everyone or for this resident."""
    if not name_key and not plate_key:
        return []
    args: list = [key for key in (name_key, plate_key) if key]
    if resident_id is not None:
        args.append(resident_id)
    args.append(now)
    key = ("bans", bool(name_key), bool(plate_key), resident_id is not None)
    return await _run(key, args, BanRow, inline=True)


async def permission_matching(
    resident_id: UUID, name_key: str | None, plate_key: str | None, delivery: bool, day: date
) -> PermissionMatch | None:
    """The check-in's look at the standing permissions, as fixed SQL: it runs for every check-in."""
    if not (name_key or plate_key or delivery):
        return None
    args = [resident_id, True, day, day, *(key for key in (name_key, plate_key) if key)]
    rows = await _run(("permission", bool(name_key), bool(plate_key), delivery), args, PermissionMatch, inline=True)
    return rows[0] if rows else None


async def resident_state(resident_id: UUID) -> ResidentState | None:
    """Whether the resident is active, and their name; None when there is no such resident."""
    rows = await _run("resident", [resident_id], ResidentState)
    return rows[0] if rows else None


async def check_in_state(resident_id: UUID) -> CheckInState | None:
    """The resident's state and the default gate; None when there is no such resident."""
    rows = await _run("check_in_state", [True, resident_id], CheckInState, inline=True)
    return rows[0] if rows else None


def check_in_transaction(alone: bool):
    """Around a check-in's writes: on PostgreSQL a check-in `alone` (no announcement, entry request or key to
    update with it) is one statement, atomic by itself (insert_visit), which a transaction would only add two
    round trips to (BEGIN, COMMIT). Otherwise, and on SQLite, a write transaction."""
    if alone and _on_postgres():
        return contextlib.nullcontext()
    return write_transaction(Visit._meta.db)


async def gate_active(gate_id: UUID) -> bool | None:
    """Whether the gate is active; None when there is no such gate."""
    rows = await _run("gate", [gate_id], GateState, inline=True)
    return rows[0].active if rows else None


async def default_gate() -> UUID | None:
    """The first active gate (the default), or None when there is none."""
    rows = await _run("default_gate", [True], GateState, inline=True)
    return rows[0].id if rows else None


def _columns(insert: str) -> tuple[str, ...]:
    return tuple(insert.split("(", 1)[1].split(")", 1)[0].split(", "))


VISIT_COLUMNS = _columns(_INSERT_VISIT)
AUDIT_EVENT_COLUMNS = _columns(_INSERT_AUDIT_EVENT)


async def insert_visit(values: dict, events: list[dict] | tuple = (), hook: list | None = None) -> None:
    """One visit row, its audit events and its webhook event; `values` holds every column of VISIT_COLUMNS,
    each event every column of AUDIT_EVENT_COLUMNS (changes as JSON text), `hook` the webhook_event row's
    values in order. On PostgreSQL they go in one statement."""
    row = [values[column] for column in VISIT_COLUMNS]
    if 0 < len(events) <= _MOST_EVENTS and _on_postgres():
        args = row + (hook or []) + [event[column] for event in events for column in AUDIT_EVENT_COLUMNS]
        await run_statement("", _POSTGRES[("visit", len(events), hook is not None)], args, inline=False)
        return
    await _run("visit", row)
    if hook is not None:
        await _run("webhook", hook)
    for event in events:
        await insert_audit_event(event)


async def insert_webhook_event(values: list) -> None:
    """One webhook event (id, type, payload, created_at, fanned_out), written only while an endpoint is enabled."""
    await _run("webhook", values)


async def insert_audit_event(values: dict) -> None:
    """One audit event; `values` holds every column of AUDIT_EVENT_COLUMNS (changes as JSON text)."""
    await _run("audit", [values[column] for column in AUDIT_EVENT_COLUMNS])
