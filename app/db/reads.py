"""The reads behind every API call, as fixed parameterised SQL instead of a Piccolo query built per request.

Building a Piccolo select with joined columns cost about a third of the time of `GET /api/visits/{id}`
in the profile (ForeignKey attribute access, join and string assembly), twice per request: once for the
bearer token, once for the visit. Here the SQL text is written once per engine; PostgreSQL (asyncpg)
prepares each statement once per connection and reuses the plan, SQLite compiles it from its statement
cache. Rows come back as typed Structs: msgspec converts a whole page of stored values (text UUIDs and
instants on SQLite) in C, where Piccolo's SQLite converters ran Python for every value (UUID() alone was
12% of a 50-row page). Business rules stay in the features' services (app/domain): these functions only fetch.

Each runs in the current transaction when there is one, so a service reading its own uncommitted write
sees it, as with Piccolo.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from uuid import UUID

import msgspec
from piccolo.engine.postgres import PostgresEngine

from app.db.sqlite_pool import PooledSQLiteEngine
from app.db.tables import Visit


class TokenOwner(msgspec.Struct, array_like=True, frozen=True):
    token_id: UUID
    last_used_at: datetime | None
    account_id: UUID
    email: str
    role: str
    resident: UUID | None
    active: bool


class VisitRow(msgspec.Struct, array_like=True, frozen=True):
    """A visit as stored (instants in UTC), with its resident's name: the one list of a visit's columns.

    The fixed SQL below and the Piccolo selects (VISIT_COLUMNS) both read these fields in this order; each
    is the `visit` column of the same name but `resident_name` (joined). The API's visit_schemas.Visit has the
    same fields (`resident` is its `residentId`); tests/unit/test_visit_columns.py checks all three agree."""

    id: UUID
    resident: UUID
    resident_name: str
    visitor_name: str
    total_people: int
    vehicle_color: str | None
    license_plate: str | None
    subject: str
    arrival_date: datetime
    departure_date: datetime | None
    created_at: datetime
    departure_automatic: bool
    approval: str | None
    """The resident's answer that let the visitor in, JSON (entry_requests.schemas.Approval); usually None."""
    arrival_gate_id: UUID | None
    departure_gate_id: UUID | None


class GateRow(msgspec.Struct, array_like=True, frozen=True):
    id: UUID
    name: str
    vehicles: bool
    active: bool
    created_at: datetime


class AccountRow(msgspec.Struct, array_like=True, frozen=True):
    id: UUID
    email: str
    role: str
    resident: UUID | None
    active: bool
    session_epoch: int


class InsideRow(VisitRow, array_like=True, frozen=True):
    """A visit still open, with what the board shows beside it: the resident's unit and, for an announced
    visitor, the announcement's last day and weekdays ("" for every day)."""

    unit: str | None
    ends_on: date | None
    weekdays: str | None


_ACCOUNT_BY_EMAIL = "SELECT id, email, role, resident, active, session_epoch FROM account WHERE email = ?"
_OWNER_OF_HASH = (
    "SELECT t.id AS token_id, t.last_used_at, a.id AS account_id, a.email, a.role, a.resident, a.active"
    " FROM api_token AS t JOIN account AS a ON a.id = t.account"
    " WHERE t.token_hash = ? AND t.revoked = ?"
)
JOINED = {"resident_name"}
"""VisitRow's fields that are not columns of `visit`."""


def _select(row_type: type[msgspec.Struct], expressions: dict[str, str]) -> str:
    """SELECT every field of `row_type` in order: `v.<field>` unless `expressions` says otherwise."""
    fields = row_type.__struct_fields__
    return "SELECT " + ", ".join(f"{expressions[f]} AS {f}" if f in expressions else f"v.{f}" for f in fields)


VISIT_COLUMNS = tuple(
    Visit.resident.name.as_alias(field) if field in JOINED else getattr(Visit, field)
    for field in VisitRow.__struct_fields__
)
"""VisitRow's fields as Piccolo select columns, for the queries the fixed SQL does not cover."""
_RESIDENT_JOIN = " LEFT JOIN resident AS r ON r.id = v.resident"
# The resident's name for a page of visits. SQLite probes the resident's index for each row of the join.
# PostgreSQL, given a join, hashed all residents for a page deep in the history (the last page cost 1.3x
# the first); a correlated lookup keeps it to one index probe per row there too.
_NAME_BY_JOIN = ("r.name", _RESIDENT_JOIN)
_NAME_BY_LOOKUP = ("(SELECT r.name FROM resident AS r WHERE r.id = v.resident)", "")
_INSIDE = {"resident_name": "r.name", "unit": "r.unit", "ends_on": "e.ends_on", "weekdays": "e.weekdays"}
_ON_SITE = {None: "", True: "v.departure_date IS NULL", False: "v.departure_date IS NOT NULL"}
# The leading `arrival_date <= x` lets both engines start the index scan at the cursor (see visits._after_cursor).
_AFTER_CURSOR = "v.arrival_date <= ? AND (v.arrival_date < ? OR v.id < ?)"


def _page_sql(select: str, resident: bool, on_site: bool | None, cursor: bool) -> str:
    clauses = [
        c for c in ("v.resident = ?" if resident else "", _ON_SITE[on_site], _AFTER_CURSOR if cursor else "") if c
    ]
    where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
    return f"{select}{where} ORDER BY v.arrival_date DESC, v.id DESC LIMIT ?"


def _statements(resident_name: tuple[str, str]) -> dict:
    """Every statement, with '?' for parameters, reading the resident's name as given."""
    name, join = resident_name
    select = f"{_select(VisitRow, {'resident_name': name})} FROM visit AS v{join}"
    by_id = f"{select} WHERE v.id = ?"
    statements = {
        "token": _OWNER_OF_HASH,
        "account": _ACCOUNT_BY_EMAIL,
        # Read with every board: a handful of rows, in the order gates.service lists them.
        "gates": "SELECT id, name, vehicles, active, created_at FROM gate ORDER BY created_at, id",
        "by_id": by_id,
        "by_id_of_resident": f"{by_id} AND v.resident = ?",
        # One query for the whole board (on the partial index visit_on_site), where it took three.
        "inside": f"{_select(InsideRow, _INSIDE)} FROM visit AS v"
        f"{_RESIDENT_JOIN} LEFT JOIN expected_visit AS e ON e.id = v.expected_visit"
        " WHERE v.departure_date IS NULL ORDER BY v.arrival_date, v.id",
    }
    return statements | {
        ("page", resident, on_site, cursor): _page_sql(select, resident, on_site, cursor)
        for resident in (False, True)
        for on_site in (None, True, False)
        for cursor in (False, True)
    }


def numbered(sql: str) -> str:
    """asyncpg spells parameters $1, $2, ...; the SQL above has no '?' other than parameters."""
    count = iter(range(1, sql.count("?") + 1))
    return re.sub(r"\?", lambda _: f"${next(count)}", sql)


_SQLITE = _statements(_NAME_BY_JOIN)
_POSTGRES = {key: numbered(sql) for key, sql in _statements(_NAME_BY_LOOKUP).items()}


async def run_statement(sqlite_sql: str, postgres_sql: str, args: list, row_type: type | None = None, inline=True):
    """Run a fixed statement on whichever engine is configured; rows as `row_type` when given, else tuples.

    `inline` reads on the loop's own thread on SQLite (only for a short indexed read, see
    PooledSQLiteEngine.read); anything else, writes included, goes through the pool's connections."""
    engine = Visit._meta.db
    if isinstance(engine, PooledSQLiteEngine):
        if inline:
            rows = await engine.read(sqlite_sql, args)
        else:
            rows = [tuple(row.values()) for row in await engine.fetch(sqlite_sql, args)]
    elif isinstance(engine, PostgresEngine):
        rows = [tuple(record) for record in await postgres_fetch(engine, postgres_sql, args)]
    else:
        raise TypeError(f"no fixed SQL for {type(engine).__name__}")
    if row_type is None:
        return rows
    # strict=False: SQLite stores booleans as 0/1.
    return msgspec.convert(rows, list[row_type], strict=False)


async def run_many(sqlite_sql: str, postgres_sql: str, rows: list[list]) -> None:
    """A write statement once for each row of parameters: in a transaction, all of them in one go on its
    connection (asyncpg's executemany, sqlite3's); outside one (on PostgreSQL, row_by_row), one by one."""
    engine = Visit._meta.db
    current = engine.current_transaction.get()
    if current is None:
        for args in rows:
            await run_statement(sqlite_sql, postgres_sql, args, inline=False)
    elif isinstance(engine, PooledSQLiteEngine):
        await engine.execute_many(sqlite_sql, rows)
    elif isinstance(engine, PostgresEngine):
        await current.connection.executemany(postgres_sql, rows)
    else:
        raise TypeError(f"no fixed SQL for {type(engine).__name__}")


async def _fetch(key, args: list, row_type: type):
    """Rows of `row_type` from the SQL under `key`."""
    return await run_statement(_SQLITE[key], _POSTGRES[key], args, row_type)


async def postgres_fetch(engine: PostgresEngine, sql: str, args: list) -> list:
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


async def token_owner(token_hash: str) -> TokenOwner | None:
    """The unrevoked token with this hash and its account, or None."""
    rows = await _fetch("token", [token_hash, False], TokenOwner)
    return rows[0] if rows else None


async def account_by_email(email: str) -> AccountRow | None:
    """The account with this (normalised) email, active or not, or None."""
    rows = await _fetch("account", [email], AccountRow)
    return rows[0] if rows else None


async def gate_rows() -> list[GateRow]:
    """Every gate, in the order they were added."""
    return await _fetch("gates", [], GateRow)


async def visit_row(visit_id: UUID, resident_id: UUID | None = None) -> VisitRow | None:
    """One visit with its resident's name, or None; with resident_id, only if it is that resident's."""
    if resident_id is None:
        rows = await _fetch("by_id", [visit_id], VisitRow)
    else:
        rows = await _fetch("by_id_of_resident", [visit_id, resident_id], VisitRow)
    return rows[0] if rows else None


async def inside_rows() -> list[InsideRow]:
    """Every visit still open, oldest arrival first, with its resident's unit and its announcement's end."""
    return await _fetch("inside", [], InsideRow)


async def visit_page_rows(
    limit: int,
    resident_id: UUID | None = None,
    on_site: bool | None = None,
    after: tuple[datetime, UUID] | None = None,
) -> list[VisitRow]:
    """Up to `limit` visits newest arrival first (then id), after the (arrival, id) key when given."""
    args: list = []
    if resident_id is not None:
        args.append(resident_id)
    if after is not None:
        arrival, last_id = after
        args += [arrival, arrival, last_id]
    args.append(limit)
    return await _fetch(("page", resident_id is not None, on_site, after is not None), args, VisitRow)
