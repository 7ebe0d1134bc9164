"""Accounts and API tokens as the pages and the CLI send them and as services return them."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

import msgspec
from msgspec import Meta

from app.lib.actors import ADMIN, GUARD, RESIDENT, ROLES
from app.lib.i18n import N_, _
from app.lib.schemas import EMAIL_MAX, documented

ROLE_NAMES = {ADMIN: N_("Admin"), GUARD: N_("Guard"), RESIDENT: N_("Resident")}
"""Each role in words; the role itself (a code) is what forms send and the API returns."""


def role_names() -> dict[str, str]:
    """Each role's name in the reader's language, in the order of ROLES."""
    return {role: _(ROLE_NAMES[role]) for role in ROLES}


PASSWORD_MIN = 10
PASSWORD_MAX = 128
TOKEN_NAME_MAX = 80


class Account(msgspec.Struct):
    id: UUID
    email: str
    role: str
    resident_id: UUID | None
    active: bool


class AccountInput(msgspec.Struct, rename="camel"):
    """A new account. A blank password gets a temporary one, shown once to the administrator."""

    email: Annotated[str, documented("The account's email address", max_length=EMAIL_MAX)]
    role: Annotated[str, documented("guard, admin or resident", enum=list(ROLES))]
    password: Annotated[
        str,
        documented(
            f"{PASSWORD_MIN} to {PASSWORD_MAX} characters; empty: a temporary one is generated",
            max_length=PASSWORD_MAX,
        ),
    ] = ""
    resident_id: Annotated[UUID | None, Meta(description="Required for a resident account, and only for one")] = None


class TokenInput(msgspec.Struct, rename="camel"):
    email: Annotated[str, documented("The email of the account the token acts for", max_length=EMAIL_MAX)]
    name: Annotated[
        str, documented(f"What the token is for, at most {TOKEN_NAME_MAX} characters", max_length=TOKEN_NAME_MAX)
    ] = ""


class IssuedToken(msgspec.Struct):
    id: UUID
    name: str
    token: str


class NewAccount(msgspec.Struct):
    account: Account
    temporary_password: str | None
    """Generated for a blank password: shown once to the administrator, never stored."""


class TokenRow(msgspec.Struct):
    id: UUID
    name: str
    account_email: str
    account_role: str
    account_active: bool
    created_at: datetime
    last_used_at: datetime | None
    revoked: bool


class AccountRow(msgspec.Struct):
    id: UUID
    email: str
    role: str
    active: bool
    created_at: datetime
    resident_id: UUID | None
    resident_name: str | None
    resident_unit: str | None
