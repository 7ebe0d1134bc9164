"""The PostgreSQL engine's transactions give their pool connection back whatever BEGIN, COMMIT or ROLLBACK do.

PostgreSQL only: each test builds its own engine, with a pool of one connection, on the suite's database, so
a connection not given back shows as the next transaction waiting (a timeout) instead of going unnoticed.
"""

from __future__ import annotations

import asyncio
import os

import pytest

from app.db.engine import engine_from_url
from app.db.lifecycle import keep_session_state
from app.db.postgres_pool import ReleasingPostgresEngine, ReleasingPostgresTransaction

pytestmark = pytest.mark.skipif(
    not os.environ["DATABASE_URL"].startswith("postgres"), reason="PostgreSQL only: the engine of a postgresql:// URL"
)


@pytest.fixture
async def engine():
    engine = engine_from_url(os.environ["DATABASE_URL"])
    assert isinstance(engine, ReleasingPostgresEngine)
    await engine.start_connection_pool(min_size=1, max_size=1, reset=keep_session_state)  # as the app's
    yield engine
    await engine.close_connection_pool()


async def _pool_answers(engine) -> None:
    """The pool's one connection is free: a transaction gets it, and the engine has no transaction left open."""
    assert engine.current_transaction.get() is None
    async with asyncio.timeout(5), engine.transaction() as transaction:
        assert await transaction.connection.fetchval("SELECT 1") == 1


class StuckBegin(ReleasingPostgresTransaction):
    __slots__ = ()
    began = asyncio.Event()

    async def begin(self):
        type(self).began.set()
        await asyncio.Event().wait()


class FailingBegin(ReleasingPostgresTransaction):
    __slots__ = ()

    async def begin(self):
        raise ConnectionResetError("the server went away during BEGIN")


class FailingCommit(ReleasingPostgresTransaction):
    __slots__ = ()

    async def commit(self):
        await self.transaction.rollback()
        raise ConnectionResetError("the server went away during COMMIT")


class FailingRollback(ReleasingPostgresTransaction):
    __slots__ = ()

    async def rollback(self):
        raise ConnectionResetError("the server went away during ROLLBACK")


async def test_a_transaction_whose_rollback_fails_gives_its_connection_back_open_and_asyncpg_rolls_it_back(engine):
    await engine._run_in_new_connection("CREATE TABLE IF NOT EXISTS pool_test_rollback (n int)")
    try:
        with pytest.raises(ConnectionResetError, match="ROLLBACK"):
            async with FailingRollback(engine=engine) as transaction:
                await transaction.connection.execute("INSERT INTO pool_test_rollback VALUES (1)")
                raise RuntimeError("the work failed, so the transaction rolls back")
        await _pool_answers(engine)
        assert await engine._run_in_new_connection("SELECT n FROM pool_test_rollback") == []
    finally:
        await engine._run_in_new_connection("DROP TABLE pool_test_rollback")


async def test_a_transaction_whose_begin_is_cancelled_gives_its_connection_back(engine):
    StuckBegin.began = asyncio.Event()

    async def stuck():
        async with StuckBegin(engine=engine):
            pass

    task = asyncio.create_task(stuck())
    await StuckBegin.began.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    await _pool_answers(engine)


async def test_a_transaction_whose_begin_fails_gives_its_connection_back(engine):
    with pytest.raises(ConnectionResetError):
        async with FailingBegin(engine=engine):
            pass
    await _pool_answers(engine)


async def test_a_transaction_whose_commit_fails_gives_its_connection_back_and_ends(engine):
    with pytest.raises(ConnectionResetError):
        async with FailingCommit(engine=engine) as transaction:
            await transaction.connection.execute("SELECT 1")
    await _pool_answers(engine)


async def test_commits_rolls_back_and_nests_as_piccolos_transaction(engine):
    async with engine.transaction() as outer:
        await outer.connection.execute("CREATE TABLE IF NOT EXISTS pool_test_kept (n int)")
        await outer.connection.execute("DELETE FROM pool_test_kept")
        async with engine.transaction() as inner:
            assert inner is outer  # nested: the outer transaction, as in Piccolo
            await inner.connection.execute("INSERT INTO pool_test_kept VALUES (1)")
        assert engine.current_transaction.get() is outer
    assert outer._committed and engine.current_transaction.get() is None
    with pytest.raises(RuntimeError):
        async with engine.transaction() as failed:
            await failed.connection.execute("INSERT INTO pool_test_kept VALUES (2)")
            raise RuntimeError("rolled back")
    assert failed._rolled_back
    try:
        rows = await engine._run_in_new_connection("SELECT n FROM pool_test_kept ORDER BY n")
        assert [row["n"] for row in rows] == [1]
    finally:
        await engine._run_in_new_connection("DROP TABLE pool_test_kept")
    await _pool_answers(engine)
