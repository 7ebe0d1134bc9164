"""The reads behind every API call, as fixed parameterised SQL instead of a Piccolo query built per request.

Building a Piccolo select with joined columns cost about a third of the time of `GET /api/visits/{id}`
in the profile (ForeignKey attribute access, join and string assembly), twice per request: once for the
bearer token, once for the visit. Here the SQL text is written once per engine; PostgreSQL (asyncpg)
prepares each statement once per connection and reuses the plan, SQLite compiles it from its statement
cache. Rows come back with the same names and Python types as Piccolo's selects (the engine's converters
apply to the declared column types), so the services shape them as before. Business rules stay in
app/services: these functions only fetch.

Each runs in the current transaction when there is one, so a service reading its own uncommitted write
sees it, as with Piccolo.
"""

from __future__ import annotations

import re
from datetime import datetime
from uuid import UUID

from piccolo.engine.postgres import PostgresEngine

from app.db.sqlite_pool import PooledSQLiteEngine
from app.db.tables import Visit

_OWNER_OF_HASH = (
    "SELECT t.id AS token_id, t.last_used_at, a.id AS account_id, a.email, a.role, a.resident, a.active"
    " FROM api_token AS t JOIN account AS a ON a.id = t.account"
    " WHERE t.token_hash = ? AND t.revoked = ?"
)
_VISIT_SELECT = (
    "SELECT v.id, v.resident, r.name AS resident_name, v.visitor_name, v.total_people, v.vehicle_color,"
    " v.license_plate, v.subject, v.arrival_date, v.departure_date, v.created_at"
    " FROM visit AS v LEFT JOIN resident AS r ON r.id = v.resident"
)
_BY_ID = f"{_VISIT_SELECT} WHERE v.id = ?"
_BY_ID_OF_RESIDENT = f"{_BY_ID} AND v.resident = ?"
_ON_SITE = {None: "", True: "v.departure_date IS NULL", False: "v.departure_date IS NOT NULL"}
# The leading `arrival_date <= x` lets both engines start the index scan at the cursor (see visits._after_cursor).
_AFTER_CURSOR = "v.arrival_date <= ? AND (v.arrival_date < ? OR v.id < ?)"


def _page_sql(resident: bool, on_site: bool | None, cursor: bool) -> str:
    clauses = [
        c for c in ("v.resident = ?" if resident else "", _ON_SITE[on_site], _AFTER_CURSOR if cursor else "") if c
    ]
    where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
    return f"{_VISIT_SELECT}{where} ORDER BY v.arrival_date DESC, v.id DESC LIMIT ?"


def _numbered(sql: str) -> str:
    """asyncpg spells parameters $1, $2, ...; the SQL above has no '?' other than parameters."""
    count = iter(range(1, sql.count("?") + 1))
    return re.sub(r"\?", lambda _: f"${next(count)}", sql)


_SQLITE = {"token": _OWNER_OF_HASH, "by_id": _BY_ID, "by_id_of_resident": _BY_ID_OF_RESIDENT}
_SQLITE |= {
    ("page", resident, on_site, cursor): _page_sql(resident, on_site, cursor)
    for resident in (False, True)
    for on_site in (None, True, False)
    for cursor in (False, True)
}
_POSTGRES = {key: _numbered(sql) for key, sql in _SQLITE.items()}


async def _fetch(key, args: list) -> list:
    engine = Visit._meta.db
    if isinstance(engine, PooledSQLiteEngine):
        return await engine.read(_SQLITE[key], args)
    if isinstance(engine, PostgresEngine):
        return await _postgres_fetch(engine, _POSTGRES[key], args)
    raise TypeError(f"no hot-path SQL for {type(engine).__name__}")


async def _postgres_fetch(engine: PostgresEngine, sql: str, args: list) -> list:
    current = engine.current_transaction.get()
    if current is not None:
        return await current.connection.fetch(sql, *args)
    if engine.pool is not None:
        return await engine.pool.fetch(sql, *args)
    connection = await engine.get_new_connection()  # a command run without the pool started
    try:
        return await connection.fetch(sql, *args)
    finally:
        await connection.close()


async def token_owner(token_hash: str):
    """The unrevoked token with this hash and its account (token_id, last_used_at, account_id, email, role,
    resident, active), or None."""
    rows = await _fetch("token", [token_hash, False])
    return rows[0] if rows else None


async def visit_row(visit_id: UUID, resident_id: UUID | None = None):
    """One visit with its resident's name, or None; with resident_id, only if it is that resident's."""
    if resident_id is None:
        rows = await _fetch("by_id", [visit_id])
    else:
        rows = await _fetch("by_id_of_resident", [visit_id, resident_id])
    return rows[0] if rows else None


async def visit_page_rows(
    limit: int,
    resident_id: UUID | None = None,
    on_site: bool | None = None,
    after: tuple[datetime, UUID] | None = None,
) -> list:
    """Up to `limit` visits newest arrival first (then id), after the (arrival, id) key when given."""
    args: list = []
    if resident_id is not None:
        args.append(resident_id)
    if after is not None:
        arrival, last_id = after
        args += [arrival, arrival, last_id]
    args.append(limit)
    return await _fetch(("page", resident_id is not None, on_site, after is not None), args)
