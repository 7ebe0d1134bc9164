"""EXPLAIN (PostgreSQL) or EXPLAIN QUERY PLAN (SQLite) of each hot query, as the server sends it.

The API's reads, the board and the check-in are fixed SQL (app/db/reads.py, app/db/writes.py): those texts
are explained with sample parameters. The rest are built by Piccolo in the services and explained from the
same builders.
Run by bench/run.py with DATABASE_URL set: `python bench/plans.py <cursor of the last page>`.
Prints JSON: {name: {"sql": ..., "plan": [lines]}}.
"""

from __future__ import annotations

import asyncio
import json
import sys

from piccolo.engine.postgres import PostgresEngine

from app.db import reads, writes
from app.db.lifecycle import close_database
from app.db.tables import Visit
from app.domain.accounts.service import _token_hash
from app.domain.kiosk import returning
from app.lib.clock import utc_now
from app.lib.paging import decode_time_cursor


def _fixed(cursor: str, visit_id, resident_id) -> dict:
    """Name -> (key of the SQL in app/db/reads.py, parameters)."""
    arrival, last_id = decode_time_cursor(cursor)
    return {
        "token lookup (every API request)": ("token", [_token_hash("gh_example"), False]),
        "GET /api/visits/{id}": ("by_id", [visit_id]),
        "GET /api/visits?limit=50 (first page)": (("page", False, None, False), [51]),
        "GET /api/visits?cursor=... (last page)": (("page", False, None, True), [arrival, arrival, last_id, 51]),
        "GET /api/visits?onSite=true": (("page", False, True, False), [201]),
        "GET /kiosk/board (everyone inside)": ("inside", []),
        "GET /api/visits?residentId=...": (("page", True, None, False), [resident_id, 51]),
    }


def _check_in(resident_id) -> dict:
    """Name -> (key of the SQL in app/db/writes.py, parameters)."""
    return {
        "POST /api/visits: resident check": ("resident", [resident_id]),
        "POST /api/visits: do-not-admit match (name or plate)": (
            ("bans", True, True, True),
            ["maria silva", "ABC1D23", resident_id, utc_now()],
        ),
    }


def _built() -> dict:
    return {
        "kiosk: returning visitors by plate prefix": returning.suggestion_query(Visit.plate_key, "KZT"),
        "kiosk: returning visitors by name prefix": returning.suggestion_query(Visit.name_key, "mar"),
    }


async def _explain(engine, sql: str, args: list) -> list[str]:
    if isinstance(engine, PostgresEngine):
        connection = await engine.get_new_connection()
        try:
            return [record[0] for record in await connection.fetch("EXPLAIN " + sql, *args)]
        finally:
            await connection.close()
    return [row[3] for row in await engine.read("EXPLAIN QUERY PLAN " + sql, args)]


async def main(cursor: str) -> None:
    from app.lib import site
    from app.settings import load_settings

    site.configure(load_settings().timezone)
    engine = Visit._meta.db
    postgres = isinstance(engine, PostgresEngine)
    sample = await Visit.select(Visit.id, Visit.resident).first()
    out = {}
    for name, (key, args) in _fixed(cursor, sample["id"], sample["resident"]).items():
        sql = (reads._POSTGRES if postgres else reads._SQLITE)[key]
        out[name] = {"sql": sql, "plan": await _explain(engine, sql, args)}
    for name, (key, args) in _check_in(sample["resident"]).items():
        sql = (writes._POSTGRES if postgres else writes._SQLITE)[key]
        out[name] = {"sql": sql, "plan": await _explain(engine, sql, args)}
    for name, query in _built().items():
        querystring = query.querystrings[0]
        sql, args = querystring.compile_string(engine_type=engine.engine_type)
        out[name] = {"sql": str(query), "plan": await _explain(engine, sql, list(args))}
    await close_database()
    print(json.dumps(out))


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1]))
