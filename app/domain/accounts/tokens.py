"""API tokens as administrators see them: who each acts for, when it was last used, and revoking one.

Tokens are issued by accounts.issue_token, which shows the token once and keeps only its hash.
"""

from __future__ import annotations

from uuid import UUID

from app.db.engine import write_transaction
from app.db.tables import ApiToken as TokenTable
from app.domain.accounts.schemas import TokenRow
from app.domain.records import audit
from app.lib import schemas as models
from app.lib.actors import Actor, require_admin
from app.lib.clock import in_zone
from app.lib.errors import NotFound
from app.lib.i18n import _
from app.lib.paging import Keyset
from app.lib.site import site_timezone

_COLUMNS = (
    TokenTable.id,
    TokenTable.name,
    TokenTable.account.email.as_alias("account_email"),
    TokenTable.account.role.as_alias("account_role"),
    TokenTable.account.active.as_alias("account_active"),
    TokenTable.created_at,
    TokenTable.last_used_at,
    TokenTable.revoked,
)


def _to_row(row: dict) -> TokenRow:
    tz = site_timezone()
    return TokenRow(
        **{**row, "created_at": in_zone(row["created_at"], tz), "last_used_at": in_zone(row["last_used_at"], tz)}
    )


NEWEST_FIRST = Keyset(TokenTable.created_at, TokenTable.id, descending=True)


async def list_tokens(
    actor: Actor, include_revoked: bool = False, limit: int | None = None, cursor: str | None = None
) -> models.Page:
    """Newest first, a page at a time (each `make run` adds a demo token and revokes the last)."""
    require_admin(actor, "Only administrators may see API tokens.")
    query = TokenTable.select(*_COLUMNS)
    if not include_revoked:
        query = query.where(TokenTable.revoked.eq(False))
    return await NEWEST_FIRST.fetch(query, limit, cursor, _to_row)


async def revoke_token(actor: Actor, token_id: UUID) -> TokenRow:
    """The token stops working with the next request that carries it."""
    require_admin(actor, "Only administrators may revoke API tokens.")
    async with write_transaction(TokenTable._meta.db):
        row = await TokenTable.select(*_COLUMNS).where(TokenTable.id == token_id).first()
        if row is None:
            raise NotFound(_("No API token with this id."))
        if not row["revoked"]:
            await TokenTable.update({TokenTable.revoked: True}).where(TokenTable.id == token_id)
            await audit.record(actor, "token.revoked", "token", token_id, {"name": row["name"]})
    return _to_row({**row, "revoked": True})
