"""pytest-xdist's workers run at once: each needs its own PostgreSQL database and Redis database.

A worker is named gw0, gw1, ... in PYTEST_XDIST_WORKER; without xdist (`-n 0`, `-p no:xdist`) there is none
and TEST_DATABASE_URL and TEST_REDIS_URL are used as they are.
"""

from __future__ import annotations

import asyncio
import os
from urllib.parse import urlsplit, urlunsplit

import pytest

WORKER = os.environ.get("PYTEST_XDIST_WORKER")
REDIS_DATABASES = 16


def _worker_number() -> int:
    return int(WORKER.removeprefix("gw"))


def per_worker_database(url: str | None) -> str | None:
    """TEST_DATABASE_URL's database with the worker's name after it (gatehouse_ci_gw0), created empty here
    and dropped by drop_database at the end; SQLite's file is per process already."""
    if not WORKER or not url or not url.startswith("postgres"):
        return url
    parts = urlsplit(url)
    name = f"{parts.path.lstrip('/')}_{WORKER}"
    _admin(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path=f"/{name}"))


def drop_database(url: str) -> None:
    _admin(url, f'DROP DATABASE IF EXISTS "{urlsplit(url).path.lstrip("/")}" WITH (FORCE)')


def _admin(url: str, *statements: str) -> None:
    """Run statements from the server's `postgres` database (a database cannot drop itself)."""
    import asyncpg

    async def run() -> None:
        connection = await asyncpg.connect(urlunsplit(urlsplit(url)._replace(path="/postgres")))
        try:
            for statement in statements:
                await connection.execute(statement)
        finally:
            await connection.close()

    asyncio.run(run())


def per_worker_redis(url: str) -> str:
    """TEST_REDIS_URL's database number plus the worker's: /8 for gw0, /9 for gw1. Each test flushes its
    database, so two workers must never share one (Redis numbers them 0-15)."""
    if not WORKER:
        return url
    parts = urlsplit(url)
    number = int(parts.path.strip("/") or 0) + _worker_number()
    if number >= REDIS_DATABASES:
        raise pytest.UsageError(
            f"TEST_REDIS_URL={url} leaves no Redis database for worker {WORKER}: "
            f"choose a lower database number or fewer workers (-n)"
        )
    return urlunsplit(parts._replace(path=f"/{number}"))
