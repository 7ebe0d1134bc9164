"""What administrators do with accounts: list them, reset a password, deactivate and reactivate.

Resetting a password or deactivating raises the account's session epoch in the same transaction,
so its browser sessions end at once; its API tokens stop working because every token lookup
checks that the account is active. Deactivating a resident deactivates their accounts the same way.
"""

from __future__ import annotations

import secrets
from uuid import UUID

from app.db.engine import write_transaction
from app.db.tables import Account as AccountTable
from app.db.tables import Resident as ResidentTable
from app.domain.accounts import passwords
from app.domain.accounts import schemas as account_schemas
from app.domain.accounts import service as accounts
from app.domain.accounts.schemas import AccountRow
from app.domain.notifications import service as notifications
from app.domain.records import audit
from app.lib import schemas as models
from app.lib.actors import ROLES, Actor, require_admin
from app.lib.clock import in_zone
from app.lib.errors import Conflict, Invalid, NotFound
from app.lib.i18n import _
from app.lib.paging import Keyset, clamp_limit
from app.lib.site import site_timezone
from app.lib.text import any_of, clean_text, contains, like_fragment, name_contains

TEMPORARY_PASSWORD_BYTES = 12  # 16 characters, shown once to the administrator


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


async def add_account(actor: Actor, data: account_schemas.AccountInput) -> account_schemas.NewAccount:
    """Create an account; a blank password gets a temporary one, returned to be shown once."""
    generated = None if data.password else temporary_password()
    account = await accounts.create_account(actor, data.email, data.password or generated, data.role, data.resident_id)
    return account_schemas.NewAccount(account=account, temporary_password=generated)


BY_EMAIL = Keyset(AccountTable.email, AccountTable.id)


async def list_accounts(
    actor: Actor, q: str | None = None, role: str | None = None, limit: int | None = None, cursor: str | None = None
) -> models.Page:
    """Accounts by email, a keyset page at a time, optionally by role or an email/resident fragment."""
    require_admin(actor, "Only administrators may see accounts.")
    limit = clamp_limit(limit)
    query = AccountTable.select(*_COLUMNS)
    if role:
        if role not in ROLES:
            raise Invalid({"role": _("must be one of %(choices)s", choices=", ".join(ROLES))})
        query = query.where(AccountTable.role == role)
    term = like_fragment(clean_text(q))
    if term:
        resident = AccountTable.resident
        by_email = contains(AccountTable.email, term)
        query = query.where(any_of(by_email, name_contains(resident.name_key, term), contains(resident.unit, term)))
    return await BY_EMAIL.fetch(query, limit, cursor, _to_row)


async def get_account(actor: Actor, account_id: UUID) -> AccountRow:
    require_admin(actor, "Only administrators may see accounts.")
    row = await AccountTable.select(*_COLUMNS).where(AccountTable.id == account_id).first()
    if row is None:
        raise NotFound(_("No account with this id."))
    return _to_row(row)


async def reset_password(actor: Actor, account_id: UUID) -> str:
    """A new temporary password, returned once; the account's open sessions end."""
    require_admin(actor, "Only administrators may reset passwords.")
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
    """Deactivate (sessions and tokens stop at once) or reactivate an account; never one's own, and never
    the account of a deactivated resident (reactivate the resident first)."""
    require_admin(actor, "Only administrators may deactivate accounts.")
    if account_id == actor.account_id:
        raise Conflict(_("You cannot deactivate or reactivate your own account; ask another administrator."))
    async with write_transaction(AccountTable._meta.db):
        before = await get_account(actor, account_id)
        if before.active == active:
            return before
        if active and before.resident_id is not None and not await _resident_is_active(before.resident_id):
            raise Conflict(_("This account's resident is deactivated; reactivate the resident first."))
        await _change_active(actor, account_id, active)
    return await get_account(actor, account_id)


async def _resident_is_active(resident_id: UUID) -> bool:
    return await ResidentTable.exists().where((ResidentTable.id == resident_id) & (ResidentTable.active == True))  # noqa: E712


async def _change_active(actor: Actor, account_id: UUID, active: bool) -> None:
    """The one way an account is switched: a new session epoch ends its browser sessions, and its API tokens
    stop because every token lookup checks that the account is active; a deactivated account's push devices
    go and nothing more is sent to it. Inside the caller's transaction."""
    await AccountTable.update(
        {AccountTable.active: active, AccountTable.session_epoch: AccountTable.session_epoch + 1}
    ).where(AccountTable.id == account_id)
    if not active:
        await notifications.forget_account(account_id)
    action = "account.reactivated" if active else "account.deactivated"
    await audit.record(actor, action, "account", account_id, {"active": [not active, active]})


async def deactivate_accounts_of_resident(actor: Actor, resident_id: UUID) -> int:
    """A resident who is deactivated (moved out) loses every account at once, exactly as if each had been
    deactivated by hand; inside the caller's transaction. Reactivating the resident does not bring the
    accounts back: an administrator reactivates the ones still wanted. Returns how many were active."""
    require_admin(actor, "Only administrators may deactivate accounts.")
    rows = await AccountTable.select(AccountTable.id).where(
        (AccountTable.resident == resident_id) & (AccountTable.active == True)  # noqa: E712
    )
    for row in rows:
        await _change_active(actor, row["id"], False)
    return len(rows)
