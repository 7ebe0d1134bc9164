"""Test set-up: a throwaway database, migrated once, emptied before each test, and an in-process client.

The database is a fresh SQLite file unless TEST_DATABASE_URL names another (an empty PostgreSQL
database in CI); Redis is used only when TEST_REDIS_URL names a database the tests may flush.
DATABASE_URL and REDIS_URL are never used, so tests cannot wipe real data.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import tempfile
from pathlib import Path

_tmp = Path(tempfile.mkdtemp(prefix="gatehouse-tests-"))
os.environ["DATABASE_URL"] = os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{_tmp / 'test.db'}"
os.environ.pop("REDIS_URL", None)
if os.environ.get("TEST_REDIS_URL"):
    os.environ["REDIS_URL"] = os.environ["TEST_REDIS_URL"]
os.environ.setdefault("SECRET_KEY", "test-secret-key")
os.environ.setdefault("DATA_DIR", str(_tmp))

import httpx  # noqa: E402
import pytest  # noqa: E402

from app.db.tables import Account, ApiToken, AuditEvent, BannedVisitor, ExpectedVisit, Resident, Visit  # noqa: E402
from app.main import create_app  # noqa: E402
from app.services import passwords, site  # noqa: E402
from app.settings import load_settings  # noqa: E402
from tests.factory import Factory  # noqa: E402

# Production hashing costs ~0.2 s per password; tests create many accounts.
passwords.set_iterations(1_000)


@pytest.fixture(scope="session")
async def migrated():
    from piccolo.apps.migrations.commands.forwards import run_forwards

    from app.db.lifecycle import close_database

    result = await run_forwards(app_name="gatehouse")
    assert result.success, result.message
    yield
    await close_database()


@pytest.fixture
async def db(migrated):
    for table in (AuditEvent, ApiToken, Visit, ExpectedVisit, BannedVisitor, Account, Resident):
        await table.delete(force=True)
    if os.environ.get("REDIS_URL"):
        from redis.asyncio import Redis

        async with Redis.from_url(os.environ["REDIS_URL"]) as redis:
            await redis.flushdb()
    site.configure(load_settings().timezone)
    yield


@contextlib.asynccontextmanager
async def running(app):
    """Run the app's start-up and shut-down in this test's event loop, inside one task.

    Litestar's AsyncTestClient starts the app in another thread's loop, where PostgreSQL's pool is
    unusable from the test; and the lifespan's task groups must be left by the task that entered them.
    """
    started, stop = asyncio.Event(), asyncio.Event()

    async def lifespan():
        async with app.lifespan():
            started.set()
            await stop.wait()

    task = asyncio.create_task(lifespan())
    waiter = asyncio.create_task(started.wait())
    await asyncio.wait({task, waiter}, return_when=asyncio.FIRST_COMPLETED)
    if task.done():
        waiter.cancel()
        task.result()
    try:
        yield app
    finally:
        stop.set()
        await task


@pytest.fixture
async def client(db):
    async with running(create_app(load_settings())) as app:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://testserver.local", follow_redirects=True
        ) as c:
            yield c


@pytest.fixture
async def factory(db) -> Factory:
    return Factory()
