"""The audit trail: every change to visits, residents, accounts and tokens, and every sign-in: who, when, from where.

Events are written inside the same transaction as the change they describe, so a change
without its event (or an event without its change) cannot be committed.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid4

import msgspec

from app.db import writes
from app.db.tables import AuditEvent as AuditTable
from app.domain.records import audit_labels
from app.domain.records.audit_schemas import Event, Filters
from app.lib import schemas as models
from app.lib.actors import Actor, require_admin, require_staff
from app.lib.clock import in_zone, period
from app.lib.errors import FieldErrors
from app.lib.i18n import _
from app.lib.paging import MAX_LIMIT, Keyset, all_pages, clamp_limit
from app.lib.site import site_timezone
from app.lib.text import clean_text, contains, like_fragment

ACTIONS = audit_labels.ACTIONS


def _require_labelled(action: str) -> None:
    """Only actions with words in audit_labels are written, so no page ever shows a raw code."""
    if action not in ACTIONS:
        raise ValueError(f"audit action {action!r} has no label in app/domain/records/audit_labels.py")


def snapshot(record: msgspec.Struct) -> dict[str, Any]:
    """A record as JSON-ready values (times as RFC 3339 text), for before/after comparisons."""
    return msgspec.to_builtins(record)


def differences(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """Only what changed, as {"field": [before, after]}."""
    return {key: [before.get(key), value] for key, value in after.items() if before.get(key) != value}


async def record(
    actor: Actor, action: str, record_type: str, record_id: UUID | None, changes: dict[str, Any] | None = None
) -> None:
    await writes.insert_audit_event(event(actor, action, record_type, record_id, changes))


def event(
    actor: Actor, action: str, record_type: str, record_id: UUID | None, changes: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The columns of one audit event, for a caller that writes it with its change (writes.insert_visit)."""
    _require_labelled(action)
    return {
        "id": uuid4(),
        "at": datetime.now(UTC),  # full precision: it orders a record's events
        "actor": actor.account_id,
        "actor_email": actor.email,
        "address": actor.address,
        "action": action,
        "record_type": record_type,
        "record_id": record_id,
        "changes": msgspec.json.encode(changes or {}).decode(),
    }


async def record_each(actor: Actor, action: str, record_type: str, changes: dict[UUID, dict[str, Any]]) -> None:
    """One event per record, in one insert: the end-of-day sweep may check out many visits at once."""
    _require_labelled(action)
    if not changes:
        return
    at = datetime.now(UTC)
    await AuditTable.insert(
        *(
            AuditTable(
                at=at,
                actor=actor.account_id,
                actor_email=actor.email,
                address=actor.address,
                action=action,
                record_type=record_type,
                record_id=record_id,
                changes=msgspec.json.encode(record_changes).decode(),
            )
            for record_id, record_changes in changes.items()
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
        id=row["id"],
    )


async def history(actor: Actor, record_type: str, record_id: UUID) -> list[Event]:
    """One record's events, oldest first."""
    require_staff(actor, "Only guards and administrators may read the history of a record.")
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


def _filter_clauses(filters: Filters) -> list:
    errors = FieldErrors()
    clauses: list = []
    term = like_fragment(clean_text(filters.actor))
    if term:
        clauses.append(contains(AuditTable.actor_email, term))
    if filters.action:
        if filters.action in ACTIONS:
            clauses.append(AuditTable.action == filters.action)
        else:
            errors.add("action", _("is not an action the audit trail records"))
    if filters.record:
        try:
            clauses.append(AuditTable.record_id == UUID(filters.record.strip()))
        except ValueError:
            errors.add("record", _("is not a record id (a UUID such as 0b7e…-…)"))
    try:
        start, end = period(filters.since, filters.until, site_timezone())
    except ValueError as exc:
        field, problem = exc.args
        errors.add(field, problem)
    else:
        clauses += [AuditTable.at >= start] if start else []
        clauses += [AuditTable.at < end] if end else []
    errors.raise_if_any()
    return clauses


NEWEST_FIRST = Keyset(AuditTable.at, AuditTable.id, descending=True)


async def search(actor: Actor, filters: Filters, limit: int | None = None, cursor: str | None = None) -> models.Page:
    """Administrators browse the whole trail, newest first, a keyset page at a time."""
    require_admin(actor, "Only administrators may browse the audit trail.")
    limit = clamp_limit(limit)
    query = AuditTable.select().where(*_filter_clauses(filters))
    return await NEWEST_FIRST.fetch(query, limit, cursor, _to_event)


EXPORT_COLUMNS = ("at", "actorEmail", "address", "action", "recordType", "recordId", "changes")
"""The audit trail as a spreadsheet: the time in the site's zone, the action's code, the changes as JSON."""


async def export_events(actor: Actor, filters: Filters) -> AsyncIterator[list[list]]:
    """Every event `search` finds for these filters, newest first, as rows of EXPORT_COLUMNS."""

    async def fetch(cursor: str | None) -> models.Page:
        return await search(actor, filters, MAX_LIMIT, cursor)

    pages = await all_pages(fetch)  # the filters and who asks are checked here, before the first row is sent

    async def rows() -> AsyncIterator[list[list]]:
        async for events in pages:
            yield [
                [
                    event.at.isoformat(),
                    event.actor_email,
                    event.address,
                    event.action,
                    event.record_type,
                    event.record_id,
                    msgspec.json.encode(event.changes).decode(),
                ]
                for event in events
            ]

    return rows()
