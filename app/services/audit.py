"""The audit trail: every change to a visit, and who made it, when and from where.

Events are written inside the same transaction as the change they describe, so a change
without its event (or an event without its change) cannot be committed.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import msgspec

from app.db.tables import AuditEvent as AuditTable
from app.services.actors import Actor, require_staff
from app.services.clock import in_zone
from app.services.site import site_timezone


class Event(msgspec.Struct):
    at: datetime
    actor_email: str
    actor_id: UUID | None
    address: str | None
    action: str
    record_type: str
    record_id: UUID | None
    changes: dict[str, Any]


def snapshot(record: msgspec.Struct) -> dict[str, Any]:
    """A record as JSON-ready values (times as RFC 3339 text), for before/after comparisons."""
    return msgspec.to_builtins(record)


def differences(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """Only what changed, as {"field": [before, after]}."""
    return {key: [before.get(key), value] for key, value in after.items() if before.get(key) != value}


async def record(
    actor: Actor, action: str, record_type: str, record_id: UUID | None, changes: dict[str, Any] | None = None
) -> None:
    await AuditTable.insert(
        AuditTable(
            at=datetime.now(UTC),  # full precision: it orders a record's events
            actor=actor.account_id,
            actor_email=actor.email,
            address=actor.address,
            action=action,
            record_type=record_type,
            record_id=record_id,
            changes=msgspec.json.encode(changes or {}).decode(),
        )
    )


def _to_event(row: dict) -> Event:
    changes = row["changes"]
    return Event(
        at=in_zone(row["at"], site_timezone()),
        actor_email=row["actor_email"],
        actor_id=row["actor"],
        address=row["address"],
        action=row["action"],
        record_type=row["record_type"],
        record_id=row["record_id"],
        changes=msgspec.json.decode(changes) if isinstance(changes, str | bytes) else changes,
    )


async def history(actor: Actor, record_type: str, record_id: UUID) -> list[Event]:
    """One record's events, oldest first."""
    require_staff(actor, "read the history of a record")
    rows = await (
        AuditTable.select()
        .where(AuditTable.record_type == record_type, AuditTable.record_id == record_id)
        .order_by(AuditTable.at)
        .order_by(AuditTable.id)
    )
    return [_to_event(row) for row in rows]


async def latest(record_type: str, record_id: UUID) -> Event | None:
    row = await (
        AuditTable.select()
        .where(AuditTable.record_type == record_type, AuditTable.record_id == record_id)
        .order_by(AuditTable.at, ascending=False)
        .first()
    )
    return _to_event(row) if row else None
