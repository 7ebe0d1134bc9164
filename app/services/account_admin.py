"""What administrators do with accounts: list them, reset a password, deactivate and reactivate.

Resetting a password or deactivating raises the account's session epoch in the same transaction,
so its browser sessions end at once; its API tokens stop working because every token lookup
checks that the account is active.
"""

from __future__ import annotations

import secrets
from datetime import datetime
from uuid import UUID

import msgspec
from piccolo.columns.combination import And, Or

from app.db.engine import write_transaction
from app.db.tables import Account as AccountTable
from app.services import audit, models, passwords
from app.services.actors import ROLES, Actor, require_admin
from app.services.clock import in_zone
from app.services.errors import Conflict, Invalid, NotFound
from app.services.paging import clamp_limit, decode_cursor, encode_cursor
from app.services.site import site_timezone
from app.services.text import clean_text, contains, like_fragment

TEMPORARY_PASSWORD_BYTES = 12  # 16 characters, shown once to the administrator


class AccountRow(msgspec.Struct):
    id: UUID
    email: str
    role: str
    active: bool
    created_at: datetime
    resident_id: UUID | None
    resident_name: str | None
    resident_unit: str | None


_COLUMNS = (
    AccountTable.id,
    AccountTable.email,
    AccountTable.role,
    AccountTable.active,
    AccountTable.created_at,
    AccountTable.resident.id.as_alias("resident_id"),
    AccountTable.resident.name.as_alias("resident_name"),
    AccountTable.resident.unit.as_alias("resident_unit"),
)


def _to_row(row: dict) -> AccountRow:
    return AccountRow(**{**row, "created_at": in_zone(row["created_at"], site_timezone())})


def temporary_password() -> str:
    """A password for the administrator to hand over; the owner changes it after signing in."""
    return secrets.token_urlsafe(TEMPORARY_PASSWORD_BYTES)


async def list_accounts(
    actor: Actor, q: str | None = None, role: str | None = None, limit: int | None = None, cursor: str | None = None
) -> models.Page:
    """Accounts by email, a keyset page at a time, optionally by role or an email/resident fragment."""
    require_admin(actor, "see accounts")
    limit = clamp_limit(limit)
    query = AccountTable.select(*_COLUMNS).order_by(AccountTable.email, AccountTable.id)
    if role:
        if role not in ROLES:
            raise Invalid({"role": f"must be one of {', '.join(ROLES)}"})
        query = query.where(AccountTable.role == role)
    term = like_fragment(clean_text(q))
    if term:
        query = query.where(
            Or(
                Or(contains(AccountTable.email, term), contains(AccountTable.resident.name, term)),
                contains(AccountTable.resident.unit, term),
            )
        )
    if cursor:
        email, last_id = decode_cursor(cursor)
        query = query.where(Or(AccountTable.email > email, And(AccountTable.email == email, AccountTable.id > last_id)))
    rows = await query.limit(limit + 1)
    next_cursor = encode_cursor(rows[limit - 1]["email"], rows[limit - 1]["id"]) if len(rows) > limit else None
    return models.Page(items=[_to_row(row) for row in rows[:limit]], next_cursor=next_cursor)


async def get_account(actor: Actor, account_id: UUID) -> AccountRow:
    require_admin(actor, "see accounts")
    row = await AccountTable.select(*_COLUMNS).where(AccountTable.id == account_id).first()
    if row is None:
        raise NotFound("No account with this id.")
    return _to_row(row)


async def reset_password(actor: Actor, account_id: UUID) -> str:
    """A new temporary password, returned once; the account's open sessions end."""
    require_admin(actor, "reset passwords")
    password = temporary_password()
    password_hash = await passwords.hash_password(password)
    async with write_transaction(AccountTable._meta.db):
        await get_account(actor, account_id)
        await AccountTable.update(
            {AccountTable.password_hash: password_hash, AccountTable.session_epoch: AccountTable.session_epoch + 1}
        ).where(AccountTable.id == account_id)
        await audit.record(actor, "account.password_reset", "account", account_id)
    return password


async def set_active(actor: Actor, account_id: UUID, active: bool) -> AccountRow:
    """Deactivate (sessions and tokens stop at once) or reactivate an account; never one's own."""
    require_admin(actor, "deactivate accounts")
    if account_id == actor.account_id:
        raise Conflict("You cannot deactivate or reactivate your own account; ask another administrator.")
    async with write_transaction(AccountTable._meta.db):
        before = await get_account(actor, account_id)
        if before.active == active:
            return before
        await AccountTable.update(
            {AccountTable.active: active, AccountTable.session_epoch: AccountTable.session_epoch + 1}
        ).where(AccountTable.id == account_id)
        action = "account.reactivated" if active else "account.deactivated"
        await audit.record(actor, action, "account", account_id, {"active": [before.active, active]})
    return await get_account(actor, account_id)
