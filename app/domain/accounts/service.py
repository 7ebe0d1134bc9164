"""Accounts, their passwords, and the API tokens that act for them."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from uuid import UUID

from app.db import reads
from app.db.engine import write_transaction
from app.db.tables import Account as AccountTable
from app.db.tables import ApiToken as ApiTokenTable
from app.domain.accounts import passwords
from app.domain.accounts import schemas as account_schemas
from app.domain.accounts.schemas import PASSWORD_MAX, PASSWORD_MIN, TOKEN_NAME_MAX
from app.domain.records import audit
from app.domain.residents import service as residents
from app.lib.actors import RESIDENT, ROLES, Actor, require_admin
from app.lib.clock import utc_now
from app.lib.errors import FieldErrors, Invalid, NotFound, Unauthenticated
from app.lib.i18n import LANGUAGES, _
from app.lib.text import NOT_AN_EMAIL, clean_text, is_email, normal_email

TOKEN_PREFIX = "gh_"  # noqa: S105 - a visible prefix, not a secret
LAST_USED_RESOLUTION = timedelta(minutes=1)


def _password_problem(password: str) -> str | None:
    if len(password) < PASSWORD_MIN:
        return _("must be at least %(limit)s characters", limit=PASSWORD_MIN)
    if len(password) > PASSWORD_MAX:
        return _("must be at most %(limit)s characters", limit=PASSWORD_MAX)
    return None


def _check_new_account(email: str, password: str, role: str, resident_id: UUID | None) -> None:
    errors = FieldErrors()
    if not is_email(email):
        errors.add("email", _(NOT_AN_EMAIL))
    if problem := _password_problem(password):
        errors.add("password", problem)
    if role not in ROLES:
        errors.add("role", _("must be one of %(choices)s", choices=", ".join(ROLES)))
    elif role == RESIDENT and resident_id is None:
        errors.add("residentId", _("is required for a resident account"))
    elif role != RESIDENT and resident_id is not None:
        errors.add("residentId", _("only resident accounts belong to a resident"))
    errors.raise_if_any()


def _to_account(row: dict) -> account_schemas.Account:
    return account_schemas.Account(
        id=row["id"], email=row["email"], role=row["role"], resident_id=row["resident"], active=row["active"]
    )


async def create_account(
    actor: Actor, email: str, password: str, role: str, resident_id: UUID | None = None
) -> account_schemas.Account:
    require_admin(actor, "Only administrators may create accounts.")
    email = normal_email(email)
    _check_new_account(email, password, role, resident_id)
    password_hash = await passwords.hash_password(password)
    async with write_transaction(AccountTable._meta.db):
        if await AccountTable.exists().where(AccountTable.email == email):
            raise Invalid({"email": _("is already used by another account")})
        if resident_id is not None:
            await residents.require_resident_field(resident_id, must_be_active=True)
        row = AccountTable(
            email=email, password_hash=password_hash, role=role, resident=resident_id, created_at=utc_now()
        )
        await row.save()
        account = _to_account(row.to_dict())
        await audit.record(actor, "account.created", "account", row.id, _account_facts(account))
    return account


def _account_facts(account: account_schemas.Account) -> dict:
    """What the audit trail keeps of an account: never its password."""
    return {"email": account.email, "role": account.role, "residentId": account.resident_id, "active": account.active}


async def find_account(email: str) -> account_schemas.Account:
    """Also checked on every page a signed-in person opens, so it is fixed SQL (app/db/reads.py)."""
    row = await reads.account_by_email(normal_email(email))
    if row is None:
        raise NotFound(_("No account has the email %(email)s.", email=email))
    return account_schemas.Account(
        id=row.id, email=row.email, role=row.role, resident_id=row.resident, active=row.active
    )


def actor_of(account: account_schemas.Account) -> Actor:
    """The actor an account acts as, for work done in its name outside a request (the demo's shift)."""
    return Actor(account_id=account.id, email=account.email, role=account.role, resident_id=account.resident_id)


def _actor(row: dict) -> Actor:
    return Actor(account_id=row["id"], email=row["email"], role=row["role"], resident_id=row["resident"])


def _token_hash(token: str) -> str:
    # Tokens are 256 random bits, so a fast hash is enough: there is nothing to guess.
    return hashlib.sha256(token.encode()).hexdigest()


async def issue_token(actor: Actor, email: str, name: str = "") -> account_schemas.IssuedToken:
    """Create an API token for an account. Only its hash is kept: the token is shown once.

    The account is named by the `email` field the caller sent, so an unknown one is that field's error."""
    require_admin(actor, "Only administrators may issue API tokens.")
    try:
        account = await find_account(email)
    except NotFound:
        raise Invalid({"email": _("no account has this email")}) from None
    if not account.active:
        raise Invalid({"email": _("this account is deactivated; reactivate it first")})
    name = clean_text(name) or _("API token")  # stored: in the language of the administrator who issued it
    if len(name) > TOKEN_NAME_MAX:
        raise Invalid({"name": _("must be at most %(limit)s characters", limit=TOKEN_NAME_MAX)})
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiTokenTable(account=account.id, name=name, token_hash=_token_hash(token), created_at=utc_now())
    async with write_transaction(ApiTokenTable._meta.db):
        await row.save()
        await audit.record(actor, "token.issued", "token", row.id, {"name": name, "account": account.email})
    return account_schemas.IssuedToken(id=row.id, name=name, token=token)


async def actor_for_token(token: str, address: str | None = None) -> Actor:
    """The account a bearer token acts for; revoked tokens and inactive accounts are refused.

    Looked up on every API call, uncached, so a revoked token or a deactivated account stops working at
    once in every worker; the lookup is fixed SQL (app/db/reads.py) to keep that cheap.
    """
    if not token.startswith(TOKEN_PREFIX):
        raise Unauthenticated(_("The bearer token is not valid."))
    owner = await reads.token_owner(_token_hash(token))
    if owner is None or not owner.active:
        raise Unauthenticated(_("The bearer token is not valid."))
    await _note_token_use(owner.token_id, owner.last_used_at)
    return Actor(
        account_id=owner.account_id, email=owner.email, role=owner.role, resident_id=owner.resident, address=address
    )


async def _note_token_use(token_id: UUID, last_used_at) -> None:
    """Record use at most once a minute, so reads do not each become a write."""
    now = utc_now()
    if last_used_at is None or now - last_used_at >= LAST_USED_RESOLUTION:
        await ApiTokenTable.update({ApiTokenTable.last_used_at: now}).where(ApiTokenTable.id == token_id)


class SignInRefused(Unauthenticated):
    """Wrong email or password, or a deactivated account: one message for the user, the reason for the audit."""

    def __init__(self, account_id: UUID | None, reason: str) -> None:
        super().__init__(_("The email or password is not right."))
        self.account_id = account_id
        self.reason = reason


async def actor_for_password(email: str, password: str) -> Actor:
    row = await AccountTable.select().where(AccountTable.email == normal_email(email)).first()
    stored = row["password_hash"] if row else passwords.placeholder()
    matches = await passwords.verify(password, stored)
    if row is None:
        raise SignInRefused(None, "unknown email")
    if not matches:
        raise SignInRefused(row["id"], "wrong password")
    if not row["active"]:
        raise SignInRefused(row["id"], "account deactivated")
    return _actor(row)


async def change_password(actor: Actor, current: str, new: str, repeated: str) -> int:
    """Any signed-in account may change its own password, knowing the current one.

    Its other sessions end; the new session epoch is returned for the session that asked.
    The audit trail records that it changed, never the password."""
    errors = FieldErrors()
    if problem := _password_problem(new):
        errors.add("newPassword", problem)
    elif new != repeated:
        errors.add("repeatPassword", _("does not match the new password"))
    row = await AccountTable.select(AccountTable.password_hash).where(AccountTable.id == actor.account_id).first()
    if row is None or not await passwords.verify(current, row["password_hash"]):
        errors.add("currentPassword", _("is not your current password"))
    errors.raise_if_any()
    password_hash = await passwords.hash_password(new)
    async with write_transaction(AccountTable._meta.db):
        await AccountTable.update(
            {AccountTable.password_hash: password_hash, AccountTable.session_epoch: AccountTable.session_epoch + 1}
        ).where(AccountTable.id == actor.account_id)
        await audit.record(actor, "account.password_changed", "account", actor.account_id)
        return await session_epoch(actor.account_id)


async def session_epoch(account_id: UUID | None) -> int:
    """Stored in a session at sign-in; the session ends when the account's epoch moves on."""
    return (await session_facts(account_id))[0]


async def session_facts(account_id: UUID | None) -> tuple[int, str | None]:
    """The epoch and the chosen language, kept in a session at sign-in."""
    query = AccountTable.select(AccountTable.session_epoch, AccountTable.language)
    row = await query.where(AccountTable.id == account_id).first()
    return (row["session_epoch"], row["language"]) if row else (-1, None)


def valid_language(language: str) -> str:
    """A language Gatehouse speaks, or the `language` field's error (signed in or not, the same answer)."""
    if language not in LANGUAGES:
        raise Invalid({"language": _("must be one of %(choices)s", choices=", ".join(LANGUAGES))})
    return language


async def set_language(actor: Actor, language: str) -> str:
    """The language the signed-in person reads Gatehouse in, on every device they sign in on."""
    valid_language(language)
    if actor.account_id is not None:
        await AccountTable.update({AccountTable.language: language}).where(AccountTable.id == actor.account_id)
    return language


async def actor_for_session(email: str, epoch: int, address: str | None) -> Actor:
    """The account a browser session acts for, checked on every request: a deactivated account, or one
    whose password was reset since this session signed in, is refused at once."""
    row = await reads.account_by_email(normal_email(email))
    if row is None or not row.active or row.session_epoch != epoch:
        raise Unauthenticated(_("This session has ended; sign in again."))
    return Actor(account_id=row.id, email=row.email, role=row.role, resident_id=row.resident, address=address)
