"""Which errors mean "the database is away" (503, retry) and which are bugs (500)."""

from __future__ import annotations

import errno
import sqlite3

import asyncpg
import pytest

from app.db.outage import is_database_outage


def _wrapped(inner: Exception) -> Exception:
    try:
        try:
            raise inner
        except Exception as exc:
            raise RuntimeError("while reading visits") from exc
    except RuntimeError as outer:
        return outer


@pytest.mark.parametrize(
    "error",
    [
        sqlite3.OperationalError("unable to open database file"),
        sqlite3.OperationalError("database is locked"),
        sqlite3.OperationalError("disk I/O error"),
        ConnectionRefusedError(errno.ECONNREFUSED, "Connect call failed"),
        ConnectionResetError(),
        TimeoutError(),
        OSError(errno.EHOSTUNREACH, "No route to host"),
        asyncpg.exceptions.ConnectionDoesNotExistError("connection was closed in the middle of operation"),
        asyncpg.exceptions.AdminShutdownError("terminating connection due to administrator command"),
        asyncpg.exceptions.CannotConnectNowError("the database system is starting up"),
        asyncpg.exceptions.TooManyConnectionsError("sorry, too many clients already"),
        asyncpg.InterfaceError("connection is closed"),
        _wrapped(ConnectionRefusedError()),
    ],
    ids=repr,
)
def test_outages(error):
    assert is_database_outage(error)


@pytest.mark.parametrize(
    "error",
    [
        sqlite3.OperationalError("no such table: visit"),
        sqlite3.OperationalError('near "SELEC": syntax error'),
        sqlite3.IntegrityError("UNIQUE constraint failed: account.email"),
        asyncpg.exceptions.UndefinedColumnError('column "x" does not exist'),
        asyncpg.InterfaceError("cannot perform operation: another operation is in progress"),
        FileNotFoundError(errno.ENOENT, "No such file"),
        RuntimeError("a bug"),
        _wrapped(ValueError("a bug")),
    ],
    ids=repr,
)
def test_bugs(error):
    assert not is_database_outage(error)
