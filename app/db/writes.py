"""The check-in's statements as fixed parameterised SQL: its do-not-admit match, its resident check and its
two inserts (the visit and the audit entry), written once per engine like the reads of app/db/reads.py.

In a py-spy profile of `POST /api/visits` most of the server's time went to building Piccolo queries: the
do-not-admit select with its OR clauses and joins (a quarter of it), the inserts and the resident check.
The SQL here is the same the Piccolo queries produced; values are stored as Piccolo stores them (on
SQLite through the adapters Piccolo registers: UUIDs and instants as text), so Piccolo reads them back
unchanged. Business rules stay in the features' services (app/domain): these functions only fetch and write.

Each runs in the current transaction when there is one (the SQLite pool's write lock, PostgreSQL's
transaction connection), otherwise on its own.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

import msgspec

from app.db.reads import numbered, run_statement


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


class ResidentState(msgspec.Struct, array_like=True, frozen=True):
    active: bool
    name: str


_INSERT_VISIT = (
    "INSERT INTO visit (id, resident, visitor_name, total_people, vehicle_color, license_plate, plate_key, name_key,"
    " subject, arrival_date, departure_date, departure_automatic, created_at, updated_at, created_by, expected_visit,"
    " approval) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
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


def _statements() -> dict:
    statements = {
        "resident": "SELECT active, name FROM resident WHERE id = ?",
        "visit": _INSERT_VISIT,
        "audit": _INSERT_AUDIT_EVENT,
    }
    return statements | {
        ("bans", by_name, by_plate, for_resident): _ban_match_sql(by_name, by_plate, for_resident)
        for by_name, by_plate in _BAN_KEYS
        for for_resident in (False, True)
    }


_SQLITE = _statements()
_POSTGRES = {key: numbered(sql) for key, sql in _SQLITE.items()}


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


async def resident_state(resident_id: UUID) -> ResidentState | None:
    """Whether the resident is active, and their name; None when there is no such resident."""
    rows = await _run("resident", [resident_id], ResidentState)
    return rows[0] if rows else None


def _columns(insert: str) -> tuple[str, ...]:
    return tuple(insert.split("(", 1)[1].split(")", 1)[0].split(", "))


VISIT_COLUMNS = _columns(_INSERT_VISIT)
AUDIT_EVENT_COLUMNS = _columns(_INSERT_AUDIT_EVENT)


async def insert_visit(values: dict) -> None:
    """One visit row; `values` holds every column of VISIT_COLUMNS."""
    await _run("visit", [values[column] for column in VISIT_COLUMNS])


async def insert_audit_event(values: dict) -> None:
    """One audit event; `values` holds every column of AUDIT_EVENT_COLUMNS (changes as JSON text)."""
    await _run("audit", [values[column] for column in AUDIT_EVENT_COLUMNS])
