"""Who is asking, and what each role may do. Every service function takes an Actor."""

from __future__ import annotations

from uuid import UUID

import msgspec

from app.lib.errors import Forbidden

ADMIN, GUARD, RESIDENT = "admin", "guard", "resident"
ROLES = (ADMIN, GUARD, RESIDENT)


class Actor(msgspec.Struct, frozen=True):
    account_id: UUID | None
    email: str
    role: str
    resident_id: UUID | None = None
    address: str | None = None
    """Where the request came from, for the audit trail."""

    @property
    def is_resident(self) -> bool:
        return self.role == RESIDENT

    @property
    def is_staff(self) -> bool:
        return self.role in (ADMIN, GUARD)


SYSTEM = Actor(account_id=None, email="system", role=ADMIN)
"""The command line and the demo seeder act as this administrator."""


def require_staff(actor: Actor, doing: str) -> None:
    if not actor.is_staff:
        raise Forbidden(f"Only guards and administrators may {doing}.")


def require_resident(actor: Actor, doing: str) -> UUID:
    """The resident this account belongs to; anyone else (staff included) is refused."""
    if not actor.is_resident or actor.resident_id is None:
        raise Forbidden(f"Only residents may {doing}.")
    return actor.resident_id


def require_admin(actor: Actor, doing: str) -> None:
    if actor.role != ADMIN:
        raise Forbidden(f"Only administrators may {doing}.")
