"""EXPLAIN (PostgreSQL) or EXPLAIN QUERY PLAN (SQLite) of each hot query, built by the app's own code.

Run by bench/run.py with DATABASE_URL set: `python bench/plans.py <cursor of the last page>`.
Prints JSON: {name: {"sql": ..., "plan": [lines]}}.
"""

from __future__ import annotations

import asyncio
import json
import sys

from piccolo.engine.sqlite import SQLiteEngine

from app.db.tables import ApiToken, Resident, Visit
from app.services import returning, visits
from app.services.accounts import _token_hash


def _queries(cursor: str, visit_id, resident_id) -> dict:
    newest_first = Visit.select(*visits._COLUMNS).order_by(Visit.arrival_date, Visit.id, ascending=False)
    return {
        "token lookup (every API request)": ApiToken.select(
            ApiToken.id, ApiToken.account.email, ApiToken.account.role, ApiToken.account.active
        ).where(ApiToken.token_hash == _token_hash("gh_example"), ApiToken.revoked.eq(False)),
        "GET /api/visits/{id}": Visit.select(*visits._COLUMNS).where(Visit.id == visit_id),
        "GET /api/visits?limit=50 (first page)": newest_first.limit(51),
        "GET /api/visits?cursor=... (last page)": Visit.select(*visits._COLUMNS)
        .where(visits._after_cursor(cursor))
        .order_by(Visit.arrival_date, Visit.id, ascending=False)
        .limit(51),
        "GET /api/visits?onSite=true and the board": Visit.select(*visits._COLUMNS)
        .where(Visit.departure_date.is_null())
        .order_by(Visit.arrival_date, Visit.id, ascending=False)
        .limit(501),
        "GET /api/visits?residentId=...": Visit.select(*visits._COLUMNS)
        .where(Visit.resident == resident_id)
        .order_by(Visit.arrival_date, Visit.id, ascending=False)
        .limit(51),
        "POST /api/visits: resident check": Resident.select(Resident.active).where(Resident.id == resident_id),
        "kiosk: returning visitors by plate prefix": returning.suggestion_query(Visit.plate_key, "KZT"),
        "kiosk: returning visitors by name prefix": returning.suggestion_query(Visit.name_key, "mar"),
    }


async def main(cursor: str) -> None:
    from app.services import site
    from app.settings import load_settings

    site.configure(load_settings().timezone)
    engine = Visit._meta.db
    sample = await Visit.select(Visit.id, Visit.resident).first()
    prefix = "EXPLAIN QUERY PLAN " if isinstance(engine, SQLiteEngine) else "EXPLAIN "
    out = {}
    for name, query in _queries(cursor, sample["id"], sample["resident"]).items():
        sql = str(query)
        rows = await Visit.raw(prefix + sql)
        plan = [row.get("detail") or row.get("QUERY PLAN") or str(row) for row in rows]
        out[name] = {"sql": sql, "plan": plan}
    await engine.close_connection_pool()
    print(json.dumps(out))


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1]))
