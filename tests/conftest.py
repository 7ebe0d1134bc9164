"""Test set-up: a throwaway database, migrated once, emptied before each test, and an in-process client.

The database is a fresh SQLite file unless TEST_DATABASE_URL names another (an empty PostgreSQL
database in CI); Redis is used only when TEST_REDIS_URL names a database the tests may flush.
DATABASE_URL, REDIS_URL and DATA_DIR are never used, so tests cannot wipe real data. Under pytest-xdist
each worker gets its own of each (tests/workers.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
import tempfile
from pathlib import Path

from tests.workers import WORKER, drop_database, per_worker_database, per_worker_redis

# Each process has its own folder (pytest-xdist's workers too: they would otherwise inherit the first one's).
_tmp = Path(tempfile.mkdtemp(prefix="gatehouse-tests-"))
os.environ["DATABASE_URL"] = per_worker_database(os.environ.get("TEST_DATABASE_URL")) or f"sqlite:///{_tmp / 'test.db'}"
os.environ.pop("REDIS_URL", None)
if os.environ.get("TEST_REDIS_URL"):
    os.environ["REDIS_URL"] = per_worker_redis(os.environ["TEST_REDIS_URL"])
os.environ.setdefault("SECRET_KEY", "test-secret-key")
os.environ["DATA_DIR"] = str(_tmp)

import httpx  # noqa: E402
import pytest  # noqa: E402
from piccolo.table import sort_table_classes  # noqa: E402

from app.db.piccolo_app import APP_CONFIG  # noqa: E402
from app.domain.accounts import passwords  # noqa: E402
from app.lib import signing, site  # noqa: E402
from app.main import create_app  # noqa: E402
from app.settings import load_settings  # noqa: E402
from tests.factory import Caller, Factory  # noqa: E402
from tests.pages import sign_in  # noqa: E402

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
    # Every table, those that others refer to last.
    for table in reversed(sort_table_classes(APP_CONFIG.table_classes)):
        await table.delete(force=True)
    # The idempotency keys are plain tables (no Piccolo class): any table runs the statement.
    await APP_CONFIG.table_classes[0].raw("DELETE FROM check_in_key")
    await APP_CONFIG.table_classes[0].raw("DELETE FROM api_idempotency")
    if os.environ.get("REDIS_URL"):
        from redis.asyncio import Redis

        async with Redis.from_url(os.environ["REDIS_URL"]) as redis:
            await redis.flushdb()
    # Sessions and sign-in counts are kept in files under DATA_DIR (app/lib/shared_state.py): each test starts
    # with none. The store folders stay, as a running app may hold them.
    for entry in (Path(os.environ["DATA_DIR"]) / "state").glob("*/*"):
        entry.unlink(missing_ok=True)
    settings = load_settings()
    site.configure(settings.timezone)
    signing.configure(settings.secret_key)  # services sign answer links without an app, as the command line does
    # The one gate every installation has (the migration makes it; the tables were just emptied).
    from app.domain.gates.service import ensure_default_gate

    await ensure_default_gate()
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


# The people every test may need. API callers carry a token (`.headers`); the signed-in fixtures below
# share the test's one `client`, so a test uses at most one of them.


@pytest.fixture
async def admin(factory) -> Caller:
    return await factory.caller("admin")


@pytest.fixture
async def guard(factory) -> Caller:
    return await factory.caller("guard")


@pytest.fixture
async def resident(factory):
    """A household (the Resident row, not an account): Ana Lima, unit B-302."""
    return await factory.resident(name="Ana Lima", unit="B-302")


@pytest.fixture
async def homes(factory):
    """Two households, each with a resident account: (home A, caller A, home B, caller B)."""
    home_a = await factory.resident(name="Ana Lima", unit="B-302")
    home_b = await factory.resident(name="Bruno Costa", unit="C-101")
    caller_a = await factory.caller("resident", resident_id=home_a.id)
    caller_b = await factory.caller("resident", resident_id=home_b.id)
    return home_a, caller_a, home_b, caller_b


@pytest.fixture
async def kiosk(client, guard):
    """The client signed in as a guard; returns (client, csrf token, headers for an htmx post)."""
    response, token = await sign_in(client, guard.actor.email)
    assert response.status_code == 303
    return client, token, {"x-csrftoken": token, "hx-request": "true"}


@pytest.fixture
async def office(client, admin):
    """The client signed in as an administrator; returns (client, csrf token)."""
    response, token = await sign_in(client, admin.actor.email, next_url="/admin/residents")
    assert response.headers["location"] == "/admin/residents"
    return client, token


@pytest.fixture
async def resident_a(client, homes):
    """The client signed in as resident A of `homes`; returns (client, csrf token)."""
    _, caller_a, _, _ = homes
    response, token = await sign_in(client, caller_a.actor.email, next_url="/me")
    assert response.headers["location"] == "/me"
    return client, token


def pytest_sessionfinish(session):
    if WORKER and os.environ["DATABASE_URL"].startswith("postgres"):
        drop_database(os.environ["DATABASE_URL"])


@pytest.hookimpl(wrapper=True, optionalhook=True)  # pytest-timeout's hook: without it (-p no:timeout), unused
def pytest_timeout_set_timer(item, settings):
    """A test past its time limit (pyproject's `timeout`) fails with its stack; a test stuck in an await has only
    the event loop's there, so the asyncio tasks' stacks are printed with it, naming what each one waits on."""
    result = yield
    fail = signal.getsignal(signal.SIGALRM)
    if callable(fail):

        def print_tasks_then_fail(signum, frame):
            with contextlib.suppress(RuntimeError):  # no loop running: the thread stacks say it all
                for task in asyncio.all_tasks():
                    print(f"--- {task!r}", file=sys.stderr)
                    task.print_stack(file=sys.stderr)
            fail(signum, frame)

        signal.signal(signal.SIGALRM, print_tasks_then_fail)
    return result


def pytest_collection_modifyitems(items):
    """Under pytest-xdist the longest module, the fuzzing (minutes with FUZZ_CASES=200), is handed out first, then
    the browser tests, so the other workers run the rest beside them instead of one worker running the fuzzing
    alone at the end. The Makefile and CI pass --no-loadscope-reorder: xdist would otherwise order the modules
    by their number of tests, which puts the fuzzing's two last."""
    if WORKER:
        items.sort(key=lambda item: (not item.nodeid.startswith("tests/fuzz/"), "_browser.py" not in item.nodeid))
