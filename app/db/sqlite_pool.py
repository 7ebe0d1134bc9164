"""A Piccolo SQLite engine that keeps its connections open.

Piccolo's SQLiteEngine opens a new aiosqlite connection (a thread, a file open, pragmas) for every
query outside a transaction: about 28% of the time of an API read in the profile. This engine keeps up
to `pool_size` connections per event loop and lends each to one query or one transaction at a time, so
a connection never carries two transactions at once.

Write transactions (BEGIN IMMEDIATE or EXCLUSIVE) also take a lock, one per event loop: SQLite has one
writer anyway, and writers queued on the lock hold no connection, so reads go on during a burst of
check-ins instead of waiting for a connection held by a writer asleep in SQLite's busy handler. Other
processes still meet this one through SQLite's own locking and the busy timeout.

Connections are bound to no event loop (aiosqlite creates its futures per call), but the pool's queue
and lock are, so each running loop gets its own pool; `close_connection_pool()` closes the current loop's.

This is the one module that relies on Piccolo's internals (`_run_in_new_connection`,
`_run_in_existing_connection`, SQLiteTransaction's `_parent`, `_committed`, `_rolled_back`) and on
aiosqlite's worker `_thread`; pyproject.toml pins Piccolo's minor version, and tests/unit/test_sqlite_pool.py
has a test for each of them that fails if their behaviour changes under this subclass.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import sqlite3
from typing import Any

import aiosqlite
from piccolo.engine.sqlite import SQLiteEngine, SQLiteTransaction, TransactionType, dict_factory

DEFAULT_POOL_SIZE = 4
GONE = "unable to open database file"  # what SQLite itself says when it cannot reach the file
_WRITES = (TransactionType.immediate, TransactionType.exclusive)


class _Pool:
    """Up to `size` open connections for one event loop, lent one user at a time, and its inline reader."""

    def __init__(self, engine: PooledSQLiteEngine, size: int) -> None:
        self.engine = engine
        self.slots = asyncio.Semaphore(size)
        self.idle: list[aiosqlite.Connection] = []
        self.write_lock = asyncio.Lock()
        self.closed = False
        self.stale: list[aiosqlite.Connection] = []
        self.opened = False
        self._reader: sqlite3.Connection | None = None

    def file_is_there(self) -> bool:
        """Kept connections would go on reading, and writing, a file deleted or unmounted under them, and
        what they wrote there would be lost. Answer as a new connection would: the database is away."""
        if not self.opened or self.engine.path == ":memory:" or os.path.exists(self.engine.path):
            return True  # before the first connection, SQLite itself creates the file (or says it cannot)
        if self._reader is not None:
            self._reader.close()
            self._reader = None
        self.stale, self.idle = self.stale + self.idle, []
        return False

    def reader(self) -> sqlite3.Connection:
        """A plain sqlite3 connection used on the event loop's own thread, read-only and never waiting.

        It returns rows as tuples of stored values (text for UUIDs and instants, 0/1 for booleans), without
        Piccolo's per-value Python converters: the caller converts whole pages at once (msgspec.convert).
        `query_only` refuses any write; `timeout=0` makes a busy database an immediate error (the caller
        then reads through a pooled connection instead), so the loop can never sleep in SQLite's busy handler.
        """
        if not self.file_is_there():
            raise sqlite3.OperationalError(GONE)
        if self._reader is None:
            kwargs = {**self.engine.connection_kwargs, "timeout": 0, "check_same_thread": True, "detect_types": 0}
            reader = sqlite3.connect(**kwargs)
            reader.execute("PRAGMA query_only = 1")
            self._reader = reader
            self.opened = True
        return self._reader

    async def acquire(self) -> aiosqlite.Connection:
        if not self.file_is_there():
            stale, self.stale = self.stale, []
            for connection in stale:
                await _close_quietly(connection)
            raise sqlite3.OperationalError(GONE)
        await self.slots.acquire()
        try:
            connection = self.idle.pop() if self.idle else await self.engine.open_connection()
            self.opened = True
        except BaseException:
            self.slots.release()
            raise
        return connection

    async def release(self, connection: aiosqlite.Connection, healthy: bool = True) -> None:
        """Back to the pool; a connection in an unknown state (a failed COMMIT, say) is closed instead."""
        try:
            if healthy and not self.closed:
                self.idle.append(connection)
            else:
                await _close_quietly(connection)
        finally:
            self.slots.release()

    async def close(self) -> None:
        """Close the idle connections now, and those still lent when they come back."""
        self.closed = True
        if self._reader is not None:
            self._reader.close()
            self._reader = None
        idle, self.idle = self.idle, []
        for connection in idle:
            await _close_quietly(connection)


async def _close_quietly(connection: aiosqlite.Connection) -> None:
    with contextlib.suppress(Exception):
        await connection.close()


class PooledSQLiteTransaction(SQLiteTransaction):
    """Piccolo's transaction, on a connection lent by the pool (and the write lock for IMMEDIATE/EXCLUSIVE)."""

    __slots__ = ("_pool", "_locked")

    async def __aenter__(self) -> SQLiteTransaction:
        if self._parent is not None:
            return self._parent
        self._pool: _Pool = self.engine.pool()
        self._locked = self.transaction_type in _WRITES
        if self._locked:
            await self._pool.write_lock.acquire()
        try:
            self.connection = await self._pool.acquire()
            try:
                await self.begin()
            except BaseException:
                await self._pool.release(self.connection, healthy=False)
                raise
        except BaseException:
            self._unlock()
            raise
        self.context = self.engine.current_transaction.set(self)
        return self

    async def __aexit__(self, exception_type, exception, traceback) -> bool:
        if self._parent:
            return exception is None
        healthy = False
        try:
            if exception:
                if not self._rolled_back:
                    await self.rollback()
            elif not self._committed and not self._rolled_back:
                await self.commit()
            healthy = True
        finally:
            try:
                await self._pool.release(self.connection, healthy)
            finally:
                self._unlock()
                self.engine.current_transaction.reset(self.context)
        return exception is None

    def _unlock(self) -> None:
        if self._locked:
            self._locked = False
            self._pool.write_lock.release()


class PooledSQLiteEngine(SQLiteEngine):
    """SQLiteEngine whose queries and transactions borrow kept-open connections (see the module docstring)."""

    __slots__ = ("pool_size", "_pools")

    def __init__(self, path: str = "piccolo.sqlite", pool_size: int = DEFAULT_POOL_SIZE, **kwargs: Any) -> None:
        super().__init__(path=path, **kwargs)
        self.pool_size = pool_size
        self._pools: dict[asyncio.AbstractEventLoop, _Pool] = {}

    async def open_connection(self) -> aiosqlite.Connection:
        """A new connection with the pragmas set once (Piccolo sets foreign_keys before every query).

        Its worker thread is a daemon: a command that forgets close_connection_pool() still exits (SQLite's
        journal makes that as safe as any process exit) instead of waiting forever on a kept connection.
        """
        connection = aiosqlite.connect(**self.connection_kwargs)
        thread = getattr(connection, "_thread", None)
        if thread is not None:
            thread.daemon = True
        await connection
        try:
            connection.row_factory = dict_factory  # type: ignore[assignment]
            await connection.execute("PRAGMA foreign_keys = 1")
            # A statement that fires a trigger (the roll-up's on visit) keeps a statement journal; in a
            # temporary file it cost every check-in ~36 us, in memory nothing measurable.
            await connection.execute("PRAGMA temp_store = MEMORY")
        except BaseException:
            await _close_quietly(connection)
            raise
        return connection

    def pool(self) -> _Pool:
        loop = asyncio.get_running_loop()
        pool = self._pools.get(loop)
        if pool is None or pool.closed:
            for old in [known for known in self._pools if known.is_closed()]:
                del self._pools[old]
            pool = self._pools[loop] = _Pool(self, self.pool_size)
        return pool

    async def start_connection_pool(self, **_: Any) -> None:
        """Connections open when first needed; this is here so both engines start and stop alike."""

    async def close_connection_pool(self) -> None:
        """Close this event loop's connections (app shutdown, the end of a CLI command)."""
        pool = self._pools.pop(asyncio.get_running_loop(), None)
        if pool is not None:
            await pool.close()

    def transaction(
        self, transaction_type: TransactionType = TransactionType.deferred, allow_nested: bool = True
    ) -> PooledSQLiteTransaction:
        return PooledSQLiteTransaction(engine=self, transaction_type=transaction_type, allow_nested=allow_nested)

    async def fetch(self, sql: str, args: list | tuple = ()) -> list[dict]:
        """Run one statement with parameters (in the current transaction, if any) and return its rows."""
        current = self.current_transaction.get()
        if current is not None:
            return await current.connection.execute_fetchall(sql, args)
        pool = self.pool()
        connection = await pool.acquire()
        healthy = False
        try:
            rows = await connection.execute_fetchall(sql, args)
            healthy = True
        except sqlite3.Error:
            healthy = True  # a failed statement in autocommit mode leaves no transaction behind
            raise
        finally:
            await pool.release(connection, healthy)
        return rows  # type: ignore[return-value]

    async def execute_many(self, sql: str, rows: list) -> None:
        """The statement once for each row of parameters, in the current transaction, in one hand-over to its
        connection's thread: a batch holds the write lock for one thread switch, not one per row."""
        current = self.current_transaction.get()
        if current is None:
            raise RuntimeError("execute_many runs in a transaction (write_transaction, row_by_row)")
        async with current.connection.executemany(sql, rows):
            pass

    async def read(self, sql: str, args: list | tuple = ()) -> list[tuple]:
        """A short indexed read (a row by key, a page by index): inline on the loop's thread when it can be.

        Rows are tuples in column order, of stored values (see `reader`) or, in a transaction or when the
        file is busy, of values Piccolo's converters already made: convert them with msgspec (strict=False)
        and both come out the same.

        Under WAL a reader never waits for the writer, and such a read takes microseconds, less than handing
        it to an aiosqlite thread and back (two thread switches and the GIL, a fifth of the time of an API
        read in the profile). In a transaction it uses the transaction's connection, so it sees its writes.
        Never use it for a query that may scan: it holds up every other request while it runs.
        """
        current = self.current_transaction.get()
        if current is not None:
            return [tuple(row.values()) for row in await current.connection.execute_fetchall(sql, args)]
        try:
            return self.pool().reader().execute(sql, args).fetchall()
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc):
                raise
        # The file is busy (not in WAL mode, or being recovered): wait in a thread instead.
        return [tuple(row.values()) for row in await self.fetch(sql, args)]

    async def _run_in_new_connection(self, query: str, args=None, query_type: str = "generic", table=None):
        if query_type == "insert" and self.get_version_sync() < 3.35:  # no RETURNING: Piccolo's own way
            return await super()._run_in_new_connection(query, args, query_type, table)
        return await self.fetch(query, args or [])

    async def _run_in_existing_connection(self, connection, query: str, args=None, query_type="generic", table=None):
        if query_type == "insert" and self.get_version_sync() < 3.35:
            return await super()._run_in_existing_connection(connection, query, args, query_type, table)
        return await connection.execute_fetchall(query, args or [])
