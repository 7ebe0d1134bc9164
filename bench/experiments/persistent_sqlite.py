"""Experiment, not production code: `gatehouse serve` with Piccolo's SQLiteEngine keeping one connection open.

Measures what a connection-keeping engine in app/db/engine.py would be worth. Reads outside a transaction
share one aiosqlite connection (pragmas set once) instead of a new connection and thread per query;
transactions keep Piccolo's own connection. Run it as `gatehouse serve` is run:

    taskset -c 0 .venv/bin/python bench/experiments/persistent_sqlite.py serve --port 8105
"""

from __future__ import annotations

import sys

import aiosqlite
from piccolo.engine.sqlite import SQLiteEngine, dict_factory

_connections: dict[int, aiosqlite.Connection] = {}


async def _kept_connection(self, query, args=None, query_type="generic", table=None):
    connection = _connections.get(id(self))
    if connection is None:
        connection = await aiosqlite.connect(**self.connection_kwargs)
        await connection.execute("PRAGMA foreign_keys = 1")
        connection.row_factory = dict_factory
        _connections[id(self)] = connection
    async with connection.execute(query, args or []) as cursor:
        rows = await cursor.fetchall()
    if query_type != "select":
        await connection.commit()
    return rows


SQLiteEngine._run_in_new_connection = _kept_connection

if __name__ == "__main__":
    from app.cli import main

    sys.exit(main(sys.argv[1:]))
