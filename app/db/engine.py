"""Build the Piccolo engine from DATABASE_URL and open transactions the right way for it."""

from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path
from urllib.parse import unquote, urlsplit

from asyncpg.exceptions import DeadlockDetectedError
from piccolo.engine.base import Engine
from piccolo.engine.sqlite import SQLiteEngine, TransactionType

from app.db.postgres_pool import ReleasingPostgresEngine
from app.db.sqlite_pool import PooledSQLiteEngine

SQLITE_BUSY_TIMEOUT_SECONDS = 30


def sqlite_path(url: str) -> Path:
    """`sqlite:///relative.db` and `sqlite:////absolute.db`, as SQLAlchemy spells them."""
    return Path(unquote(url.removeprefix("sqlite:///")))


def engine_from_url(url: str) -> Engine:
    scheme = urlsplit(url).scheme
    if scheme == "sqlite":
        path = sqlite_path(url)
        path.parent.mkdir(parents=True, exist_ok=True)
        prepare_sqlite_file(path)
        return PooledSQLiteEngine(path=str(path), timeout=SQLITE_BUSY_TIMEOUT_SECONDS)
    if scheme in {"postgres", "postgresql"}:
        return ReleasingPostgresEngine(config={"dsn": url.replace("postgres://", "postgresql://", 1)})
    raise ValueError(f"DATABASE_URL: unsupported scheme {scheme!r} (use sqlite:/// or postgresql://)")


def create_private(path: Path) -> None:
    """Create the file readable and writable by its owner only (0600), unless it exists. SQLite gives a
    database's -wal, -shm and journal files the mode of the database, so they follow."""
    os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))


def prepare_sqlite_file(path: Path) -> None:
    """A new database is private (visitors' names and plates); WAL lets readers go on while one writer
    writes, and it is a property of the file, so it is set once."""
    create_private(path)
    with sqlite3.connect(path, timeout=SQLITE_BUSY_TIMEOUT_SECONDS) as connection:
        connection.execute("PRAGMA journal_mode=WAL")
    connection.close()


def write_transaction(engine: Engine):
    """A transaction for read-then-write work.

    SQLite's default DEFERRED transaction upgrades its read lock to a write lock
    late and fails with "database is locked" under concurrent writers; IMMEDIATE
    takes the write lock up front and waits on the busy timeout instead.
    """
    if isinstance(engine, SQLiteEngine):
        return engine.transaction(transaction_type=TransactionType.immediate)
    return engine.transaction()


def row_by_row(engine: Engine):
    """Around one-row writes that need not be atomic together (a batch's outcomes): on SQLite one write
    transaction, a single wait for the write lock instead of one per row; on PostgreSQL none, so that no
    transaction holds one row's lock while it waits for another's (a deadlock with a cascading delete)."""
    if isinstance(engine, SQLiteEngine):
        return write_transaction(engine)
    return contextlib.nullcontext()


async def retried_on_deadlock(work, attempts: int = 3):
    """`await work()`, again when PostgreSQL ended it to break a deadlock (it rolled the transaction back):
    for a change that locks many rows in an order another task cannot share (a cascading delete)."""
    for _ in range(attempts - 1):
        try:
            return await work()
        except DeadlockDetectedError:
            continue
    return await work()
