"""Who is asking, and what each role may do. Every service function takes an Actor."""

from __future__ import annotations

from uuid import UUID

import msgspec

from app.lib.errors import Forbidden
from app.lib.i18n import _

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


# Each caller passes the whole sentence a refused person reads, as a literal: babel.cfg tells the extractor
# that these functions' second argument is a message, and it is translated only when someone is refused.


def require_staff(actor: Actor, refusal: str) -> None:
    """Guards and administrators only; `refusal` is the sentence for anyone else
    ("Only guards and administrators may record visits.")."""
    if not actor.is_staff:
        raise Forbidden(_(refusal))


def require_resident(actor: Actor, refusal: str) -> UUID:
    """The resident this account belongs to; anyone else (staff included) is refused with `refusal`."""
    if not actor.is_resident or actor.resident_id is None:
        raise Forbidden(_(refusal))
    return actor.resident_id


def require_admin(actor: Actor, refusal: str) -> None:
    """Administrators only; `refusal` is the sentence for anyone else ("Only administrators may delete visits.")."""
    if actor.role != ADMIN:
        raise Forbidden(_(refusal))
