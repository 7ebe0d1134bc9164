"""The audit trail's events and the filters administrators browse it by."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

import msgspec


class Filters(msgspec.Struct):
    actor: str | None = None
    action: str | None = None
    record: str | None = None
    since: str | None = None
    until: str | None = None


class Event(msgspec.Struct):
    at: datetime
    actor_email: str
    actor_id: UUID | None
    address: str | None
    action: str
    record_type: str
    record_id: UUID | None
    changes: dict[str, Any]
    id: UUID | None = None


class AuditEntry(msgspec.Struct, rename="camel"):
    """An event of the audit trail as the API gives it."""

    id: UUID | None
    at: datetime
    actor_email: str
    actor_id: UUID | None
    address: str | None
    action: str
    record_type: str
    record_id: UUID | None
    changes: dict[str, Any]
