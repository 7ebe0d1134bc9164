"""Start and stop the database connections with the app (litestar_piccolo does not)."""

from __future__ import annotations

from piccolo.engine.postgres import PostgresEngine

from app.db.sqlite_pool import PooledSQLiteEngine
from app.db.tables import Visit


async def keep_session_state(_connection) -> None:
    """asyncpg's default reset (RESET ALL, UNLISTEN *, CLOSE ALL, unlock advisory locks) is one more
    round trip on every release, two per API read. Gatehouse sets none of those; asyncpg still rolls
    back a transaction left open before it calls this."""


async def open_database() -> None:
    engine = Visit._meta.db
    if isinstance(engine, PostgresEngine):
        await engine.start_connection_pool(min_size=2, max_size=20, reset=keep_session_state)


async def close_database() -> None:
    engine = Visit._meta.db
    if isinstance(engine, PooledSQLiteEngine) or (isinstance(engine, PostgresEngine) and engine.pool is not None):
        await engine.close_connection_pool()
