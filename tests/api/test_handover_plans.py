"""The handover's reads of history go through an index, so the page stays flat as the years pile up."""

from __future__ import annotations

from datetime import UTC, datetime

from app.db import reads
from app.db.sqlite_pool import PooledSQLiteEngine
from app.db.tables import EntryRequest

REFUSED_SINCE = "SELECT id FROM entry_request WHERE status = {0} AND answered_at >= {1} ORDER BY answered_at DESC"


async def test_the_refused_requests_of_the_last_hours_are_read_by_their_index(db):
    args = ["refused", datetime(2026, 12, 5, tzinfo=UTC)]
    if isinstance(EntryRequest._meta.db, PooledSQLiteEngine):
        sql = "EXPLAIN QUERY PLAN " + REFUSED_SINCE.format("?", "?")
        plan = "\n".join(str(row[-1]) for row in await reads.run_statement(sql, "", args, inline=False))
    else:
        async with EntryRequest._meta.db.transaction():  # the planner prefers a scan of a tiny table: forbid it
            await EntryRequest.raw("SET LOCAL enable_seqscan = off")
            sql = "EXPLAIN " + REFUSED_SINCE.format("$1", "$2")
            plan = "\n".join(str(row[0]) for row in await reads.run_statement("", sql, args, inline=False))
    assert "entry_request_status_answered" in plan, plan
