"""Is this exception the database being away (stopped, unreachable, its file gone), not a bug?

Those become 503 with Retry-After on the API and a "temporarily unavailable" page, instead of a 500:
the request may simply be retried, and nothing was half-written (the transaction never committed).
"""

from __future__ import annotations

import errno
import socket
import sqlite3

import asyncpg

RETRY_AFTER_SECONDS = 5

# SQLite's words for a file it cannot reach or lock; "no such table" and syntax errors stay bugs (500).
_SQLITE_OUTAGES = (
    "unable to open database file",
    "disk i/o error",
    "database is locked",
    "readonly database",
    "database or disk is full",
)
_UNREACHABLE = {errno.ENETUNREACH, errno.EHOSTUNREACH, errno.ENETDOWN, errno.EHOSTDOWN}
_POSTGRES_OUTAGES = (
    asyncpg.PostgresConnectionError,  # connection refused by the server, or lost mid-query
    asyncpg.exceptions.OperatorInterventionError,  # shutting down, terminated by an administrator
    asyncpg.exceptions.InsufficientResourcesError,  # too many connections
)


def _is_outage_itself(exc: BaseException) -> bool:
    if isinstance(exc, sqlite3.OperationalError):
        return any(words in str(exc).lower() for words in _SQLITE_OUTAGES)
    if isinstance(exc, _POSTGRES_OUTAGES):
        return True
    if isinstance(exc, asyncpg.InterfaceError):  # "connection is closed", "pool is closed"
        return "closed" in str(exc).lower()
    if isinstance(exc, ConnectionError | TimeoutError | socket.gaierror):  # refused, reset, timed out, no such host
        return True
    return type(exc) is OSError and exc.errno in _UNREACHABLE


def is_database_outage(exc: BaseException) -> bool:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if _is_outage_itself(current):
            return True
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return False
