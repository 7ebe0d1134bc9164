"""The SQLite engine that keeps connections: reuse, concurrency, transactions and closing.

It runs on its own temporary file, whichever database the rest of the suite uses.
"""

from __future__ import annotations

import asyncio
import sqlite3
import threading

import pytest
from piccolo.engine.sqlite import TransactionType

from app.db.engine import prepare_sqlite_file
from app.db.sqlite_pool import PooledSQLiteEngine


class CountingEngine(PooledSQLiteEngine):
    """Remembers every connection it opened."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.opened = []

    async def open_connection(self):
        connection = await super().open_connection()
        self.opened.append(connection)
        return connection


@pytest.fixture
async def engine(tmp_path):
    path = tmp_path / "pool.db"
    prepare_sqlite_file(path)
    engine = CountingEngine(path=str(path), pool_size=2, timeout=5)
    await engine.fetch("CREATE TABLE counter (id INTEGER PRIMARY KEY, n INTEGER NOT NULL)")
    await engine.fetch("INSERT INTO counter (id, n) VALUES (1, 0)")
    await engine.close_connection_pool()
    engine.opened.clear()
    yield engine
    await engine.close_connection_pool()


def _threads_alive(connections) -> list[bool]:
    return [connection._thread.is_alive() for connection in connections]


async def test_queries_reuse_kept_connections(engine):
    for _ in range(20):
        assert await engine.fetch("SELECT n FROM counter WHERE id = ?", [1]) == [{"n": 0}]
    assert len(engine.opened) <= 1


async def test_concurrent_reads_never_open_more_than_the_pool_size(engine):
    rows = await asyncio.gather(*(engine.fetch("SELECT n FROM counter") for _ in range(50)))
    assert rows == [[{"n": 0}]] * 50
    assert len(engine.opened) <= 2


async def test_concurrent_read_then_write_transactions_lose_no_update(engine):
    writers = 40
    trying, all_trying = 0, asyncio.Event()

    async def increment():
        nonlocal trying
        trying += 1
        if trying == writers:
            all_trying.set()
        async with engine.transaction(transaction_type=TransactionType.immediate):
            [row] = await engine.fetch("SELECT n FROM counter WHERE id = 1")
            await all_trying.wait()  # every other writer is trying to get in between this read and write
            await engine.fetch("UPDATE counter SET n = ? WHERE id = 1", [row["n"] + 1])

    await asyncio.gather(*(increment() for _ in range(writers)))
    assert await engine.fetch("SELECT n FROM counter") == [{"n": 40}]
    assert len(engine.opened) <= 2


async def test_reads_go_on_while_writers_queue(engine):
    """Writers waiting for the write lock hold no connection, so a read is served meanwhile."""
    inside, release = asyncio.Event(), asyncio.Event()

    async def slow_writer():
        async with engine.transaction(transaction_type=TransactionType.immediate):
            inside.set()
            await release.wait()
            await engine.fetch("UPDATE counter SET n = n + 1")

    async def writer(trying: asyncio.Event):
        trying.set()  # from here the task runs on, up to its first wait, before the test resumes
        async with engine.transaction(transaction_type=TransactionType.immediate):
            await engine.fetch("UPDATE counter SET n = n + 1")

    first = asyncio.create_task(slow_writer())
    await inside.wait()
    trying = [asyncio.Event() for _ in range(5)]
    others = [asyncio.create_task(writer(event)) for event in trying]
    # Each writer now waits for the write lock (or, were writers to take a connection before the lock, one holds
    # the pool's last connection and the read below waits for it in vain).
    await asyncio.gather(*(event.wait() for event in trying))
    assert not any(task.done() for task in others)
    assert await asyncio.wait_for(engine.fetch("SELECT n FROM counter"), 5) == [{"n": 0}]
    release.set()
    await asyncio.gather(first, *others)
    assert await engine.fetch("SELECT n FROM counter") == [{"n": 6}]


async def test_a_failed_transaction_rolls_back_and_leaves_a_clean_connection(engine):
    with pytest.raises(RuntimeError):
        async with engine.transaction(transaction_type=TransactionType.immediate):
            await engine.fetch("UPDATE counter SET n = 99")
            raise RuntimeError("boom")
    assert await engine.fetch("SELECT n FROM counter") == [{"n": 0}]
    # Were the connection returned still inside the transaction, this write would be invisible to others.
    await engine.fetch("UPDATE counter SET n = 7")
    with sqlite3.connect(engine.path) as other:
        assert other.execute("SELECT n FROM counter").fetchone() == (7,)


async def test_a_failed_statement_outside_a_transaction_keeps_the_pool_usable(engine):
    with pytest.raises(sqlite3.IntegrityError):
        await engine.fetch("INSERT INTO counter (id, n) VALUES (1, 1)")
    assert await engine.fetch("SELECT count(*) AS c FROM counter") == [{"c": 1}]


async def test_a_batch_runs_in_the_transaction_and_rolls_back_with_it(engine):
    with pytest.raises(RuntimeError, match="in a transaction"):
        await engine.execute_many("INSERT INTO counter (id, n) VALUES (?, ?)", [[2, 2]])
    async with engine.transaction(transaction_type=TransactionType.immediate):
        await engine.execute_many("INSERT INTO counter (id, n) VALUES (?, ?)", [[2, 2], [3, 3]])
        assert await engine.fetch("SELECT count(*) AS c FROM counter") == [{"c": 3}]
    with pytest.raises(sqlite3.IntegrityError):
        async with engine.transaction(transaction_type=TransactionType.immediate):
            await engine.execute_many("INSERT INTO counter (id, n) VALUES (?, ?)", [[4, 4], [1, 1]])
    assert await engine.fetch("SELECT id FROM counter ORDER BY id") == [{"id": 1}, {"id": 2}, {"id": 3}]


async def test_nested_transactions_share_the_outer_connection(engine):
    async with engine.transaction(transaction_type=TransactionType.immediate) as outer:
        async with engine.transaction(transaction_type=TransactionType.immediate) as inner:
            assert inner is outer
            await engine.fetch("UPDATE counter SET n = 3")
    assert await engine.fetch("SELECT n FROM counter") == [{"n": 3}]
    assert len(engine.opened) == 1


async def test_a_locked_database_fails_the_transaction_and_frees_its_connection_and_lock(tmp_path):
    path = tmp_path / "locked.db"
    prepare_sqlite_file(path)
    engine = PooledSQLiteEngine(path=str(path), pool_size=1, timeout=0.1)
    await engine.fetch("CREATE TABLE t (n INTEGER)")
    blocker = sqlite3.connect(path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            async with engine.transaction(transaction_type=TransactionType.immediate):
                pass
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    async with engine.transaction(transaction_type=TransactionType.immediate):
        await engine.fetch("INSERT INTO t VALUES (1)")
    assert await engine.fetch("SELECT n FROM t") == [{"n": 1}]
    await engine.close_connection_pool()


async def test_closing_stops_every_connection_thread(engine):
    await asyncio.gather(*(engine.fetch("SELECT n FROM counter") for _ in range(10)))
    assert engine.opened and all(_threads_alive(engine.opened))
    await engine.close_connection_pool()
    for connection in engine.opened:
        connection._thread.join(timeout=5)
    assert not any(_threads_alive(engine.opened))


async def test_a_connection_lent_during_close_is_closed_when_it_comes_back(engine):
    async with engine.transaction():
        await engine.fetch("SELECT n FROM counter")
        await engine.close_connection_pool()
    [connection] = engine.opened
    connection._thread.join(timeout=5)
    assert not connection._thread.is_alive()
    assert await engine.fetch("SELECT n FROM counter") == [{"n": 0}]  # a new pool opens on demand


async def test_each_event_loop_gets_its_own_pool(engine):
    """A command run with asyncio.run in another thread must not borrow this loop's connections."""
    await engine.fetch("SELECT n FROM counter")
    seen = {}

    def other_loop():
        async def work():
            seen["rows"] = await engine.fetch("SELECT n FROM counter")
            await engine.close_connection_pool()

        asyncio.run(work())

    thread = threading.Thread(target=other_loop)
    thread.start()
    thread.join(timeout=10)
    assert seen["rows"] == [{"n": 0}]
    assert len(engine.opened) == 2
    engine.opened[1]._thread.join(timeout=5)
    assert engine.opened[0]._thread.is_alive() and not engine.opened[1]._thread.is_alive()


async def test_inline_reads_open_no_thread_and_see_committed_writes(engine):
    assert await engine.read("SELECT n FROM counter WHERE id = ?", [1]) == [(0,)]
    async with engine.transaction(transaction_type=TransactionType.immediate):
        await engine.fetch("UPDATE counter SET n = 5")
    assert await engine.read("SELECT n FROM counter") == [(5,)]
    assert len(engine.opened) == 1  # only the transaction's


async def test_inline_reads_in_a_transaction_see_its_own_writes(engine):
    async with engine.transaction(transaction_type=TransactionType.immediate):
        await engine.fetch("UPDATE counter SET n = 9")
        assert await engine.read("SELECT n FROM counter") == [(9,)]
        assert engine.pool().reader().execute("SELECT n FROM counter").fetchall() == [(0,)]


async def test_inline_reads_refuse_to_write(engine):
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        await engine.read("UPDATE counter SET n = 1")


async def test_inline_read_of_a_busy_file_waits_in_a_thread_instead(tmp_path):
    """Without WAL a writer blocks readers: the inline reader gives up at once and a pooled connection waits."""
    path = tmp_path / "journal.db"
    engine = CountingEngine(path=str(path), pool_size=1, timeout=5)
    await engine.fetch("CREATE TABLE t (n INTEGER)")
    await engine.fetch("INSERT INTO t VALUES (1)")
    [pooled] = engine.opened
    loop, started = asyncio.get_running_loop(), asyncio.Event()
    await pooled.set_trace_callback(lambda _sql: loop.call_soon_threadsafe(started.set))
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("BEGIN EXCLUSIVE")
    writer.execute("UPDATE t SET n = 2")

    read = asyncio.create_task(engine.read("SELECT n FROM t"))
    on_pooled = asyncio.create_task(started.wait())
    await asyncio.wait({read, on_pooled}, return_when=asyncio.FIRST_COMPLETED)
    assert not read.done(), read.result()  # neither failed nor read around the writer: it waits on the pooled one
    writer.execute("COMMIT")
    writer.close()
    assert await read == [(2,)]
    await engine.close_connection_pool()


# --- What the engine relies on in Piccolo (pinned to 1.38 in pyproject.toml) and aiosqlite ----------------
# One test per Piccolo method it overrides or state it reads: each fails if Piccolo's behaviour under the
# subclass changes, rather than the subclass silently falling back to a connection per query.


class SpyingEngine(CountingEngine):
    """Records which of the overridden entry points Piccolo called, and with what."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.calls = []

    async def _run_in_new_connection(self, query, args=None, query_type="generic", table=None):
        self.calls.append(("new", query_type, table))
        return await super()._run_in_new_connection(query, args, query_type, table)

    async def _run_in_existing_connection(self, connection, query, args=None, query_type="generic", table=None):
        self.calls.append(("existing", query_type, table, connection))
        return await super()._run_in_existing_connection(connection, query, args, query_type, table)


@pytest.fixture
async def spying(tmp_path):
    from piccolo.columns import Integer
    from piccolo.table import Table

    path = tmp_path / "spy.db"
    prepare_sqlite_file(path)
    engine = SpyingEngine(path=str(path), pool_size=2, timeout=5)

    class Counter(Table, db=engine):
        n = Integer()

    await Counter.create_table()
    engine.calls.clear()
    engine.opened.clear()
    yield engine, Counter
    await engine.close_connection_pool()


async def test_piccolo_runs_queries_outside_a_transaction_through__run_in_new_connection(spying):
    engine, Counter = spying
    inserted = await Counter.insert(Counter(n=1))  # RETURNING gives the new primary key back
    assert [row["id"] for row in inserted] == [1]
    assert await Counter.select(Counter.n) == [{"n": 1}]
    assert [call[:2] for call in engine.calls] == [("new", "insert"), ("new", "generic")]
    assert engine.calls[0][2] is Counter
    assert engine.opened == []  # both on the connection kept since create_table, none opened per query


async def test_piccolo_runs_queries_in_a_transaction_through__run_in_existing_connection(spying):
    engine, Counter = spying
    async with engine.transaction(transaction_type=TransactionType.immediate) as transaction:
        await Counter.insert(Counter(n=2))
        assert await Counter.count() == 1
    assert [call[0] for call in engine.calls] == ["existing", "existing"]
    assert all(call[3] is transaction.connection for call in engine.calls)
    assert await Counter.count() == 1  # committed on leaving


async def test_piccolo_runs_ddl_through_the_same_two_methods(spying):
    engine, Counter = spying
    await engine.run_ddl("CREATE TABLE other (id INTEGER PRIMARY KEY)")
    async with engine.transaction(transaction_type=TransactionType.immediate):
        await engine.run_ddl("DROP TABLE other")
    assert [call[0] for call in engine.calls] == ["new", "existing"]


async def test_piccolos_transaction_state_is_what_the_pooled_transaction_reads(spying):
    """PooledSQLiteTransaction reads _parent, _committed and _rolled_back, which Piccolo's __init__, commit()
    and rollback() set: a transaction committed or rolled back by hand must not be ended twice."""
    engine, Counter = spying
    async with engine.transaction(transaction_type=TransactionType.immediate) as transaction:
        await Counter.insert(Counter(n=3))
        await transaction.commit()
        assert transaction._committed and not transaction._rolled_back
    async with engine.transaction(transaction_type=TransactionType.immediate) as transaction:
        await Counter.insert(Counter(n=4))
        await transaction.rollback()
        assert transaction._rolled_back
    async with engine.transaction() as outer:
        assert engine.transaction()._parent is outer
    assert await Counter.select(Counter.n) == [{"n": 3}]
    assert engine.opened == []  # the kept connection went back to the pool in a clean state each time


async def test_aiosqlite_connections_still_expose_their_worker_thread(engine):
    """open_connection marks it a daemon so a command that forgets to close the pool still exits."""
    connection = await engine.open_connection()
    try:
        assert isinstance(connection._thread, threading.Thread) and connection._thread.daemon
    finally:
        await connection.close()
