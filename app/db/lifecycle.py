"""Start and stop the database connections with the app (litestar_piccolo does not)."""

from __future__ import annotations

import asyncio
import logging

from piccolo.engine.postgres import PostgresEngine

from app.db.sqlite_pool import PooledSQLiteEngine
from app.db.tables import Visit

log = logging.getLogger("gatehouse.db")


async def keep_session_state(_connection) -> None:
    """asyncpg's default reset (RESET ALL, UNLISTEN *, CLOSE ALL, unlock advisory locks) is one more
    round trip on every release, two per API read. Gatehouse sets none of those; asyncpg still rolls
    back a transaction left open before it calls this."""


async def open_database() -> None:
    engine = Visit._meta.db
    if isinstance(engine, PostgresEngine):
        await engine.start_connection_pool(min_size=2, max_size=20, reset=keep_session_state)


POOL_CLOSE_SECONDS = 10.0
"""How long stopping waits for PostgreSQL connections still lent. Transactions give theirs back whatever happens
(app/db/postgres_pool.py), but a connection kept by code outside them (a library's, a future bug) would make
asyncpg's close wait forever, holding up the server's (or a test's) stop."""


async def close_database() -> None:
    engine = Visit._meta.db
    if isinstance(engine, PooledSQLiteEngine):
        await engine.close_connection_pool()
    elif isinstance(engine, PostgresEngine) and engine.pool is not None:
        try:
            # Cancelled by the timeout, asyncpg's close terminates every connection instead.
            async with asyncio.timeout(POOL_CLOSE_SECONDS):
                await engine.close_connection_pool()
        except TimeoutError:
            log.warning("PostgreSQL connections still lent after %s s: closed without waiting", POOL_CLOSE_SECONDS)
            engine.pool = None
