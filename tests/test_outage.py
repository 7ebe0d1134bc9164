"""The database goes away and comes back while the server keeps running.

SQLite: the folder holding the database file disappears (an unmounted volume; file permissions
would not stop the root user the tests may run as). PostgreSQL: the app reaches the server through
a TCP proxy in this process, which is shut with every open connection cut, as a stopped server is.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import sqlite3
import tempfile
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import httpx
import pytest

from app.db import lifecycle
from app.db.engine import engine_from_url, sqlite_path
from app.db.tables import Account, ApiToken, AuditEvent, Resident, Visit
from app.main import create_app
from app.settings import load_settings
from tests.conftest import running
from tests.factory import visit_body
from tests.pages import sign_in

TABLES = (Account, ApiToken, AuditEvent, Resident, Visit)


class TcpProxy:
    """Forwards 127.0.0.1:port to the database; stop() refuses new connections and cuts the open ones."""

    def __init__(self, host: str, port: int) -> None:
        self.target = (host, port)
        self.port = 0
        self.server: asyncio.Server | None = None
        self.open: set[asyncio.StreamWriter] = set()

    async def start(self) -> None:
        self.server = await asyncio.start_server(self._relay, "127.0.0.1", self.port)
        self.port = self.server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        self.server.close()
        for writer in list(self.open):
            writer.transport.abort()
        self.open.clear()
        await self.server.wait_closed()

    async def _relay(self, client_reader, client_writer) -> None:
        try:
            server_reader, server_writer = await asyncio.open_connection(*self.target)
        except OSError:
            client_writer.transport.abort()
            return
        self.open |= {client_writer, server_writer}

        async def pipe(reader, writer):
            try:
                while data := await reader.read(65536):
                    writer.write(data)
                    await writer.drain()
            except (OSError, asyncio.CancelledError):
                pass
            finally:
                writer.transport.abort()

        await asyncio.gather(pipe(client_reader, server_writer), pipe(server_reader, client_writer))


class SqliteOutage:
    def __init__(self, source: Path) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="gatehouse-outage-")) / "volume"
        self.folder.mkdir()
        self.path = self.folder / "gatehouse.db"
        with sqlite3.connect(source) as original, sqlite3.connect(self.path) as copy:
            original.backup(copy)
        self.url = f"sqlite:///{self.path}"

    async def start(self) -> None:
        pass

    async def cut(self) -> None:
        self.folder.rename(self.folder.with_name("volume-unmounted"))

    async def restore(self) -> None:
        self.folder.with_name("volume-unmounted").rename(self.folder)

    async def close(self) -> None:
        shutil.rmtree(self.folder.parent, ignore_errors=True)


class PostgresOutage:
    def __init__(self, url: str) -> None:
        parts = urlsplit(url)
        self.proxy = TcpProxy(parts.hostname or "127.0.0.1", parts.port or 5432)
        self._parts = parts

    async def start(self) -> None:
        await self.proxy.start()
        user = f"{self._parts.username}@" if self._parts.username else ""
        if self._parts.password:
            user = f"{self._parts.username}:{self._parts.password}@"
        self.url = urlunsplit(self._parts._replace(netloc=f"{user}127.0.0.1:{self.proxy.port}"))

    async def cut(self) -> None:
        await self.proxy.stop()

    async def restore(self) -> None:
        await self.proxy.start()

    async def close(self) -> None:
        if self.proxy.server and self.proxy.server.is_serving():
            await self.proxy.stop()


@pytest.fixture
async def outage(db, monkeypatch):
    url = os.environ["DATABASE_URL"]
    database = SqliteOutage(sqlite_path(url)) if url.startswith("sqlite") else PostgresOutage(url)
    # Piccolo's PostgresEngine asks for the server version synchronously when built: build it on the
    # real address (the proxy cannot answer while this loop is blocked), then send it through the proxy.
    engine = engine_from_url(url)
    await database.start()
    if url.startswith("sqlite"):
        engine = engine_from_url(database.url)
    else:
        engine.config["dsn"] = database.url
    for table in TABLES:
        monkeypatch.setattr(table._meta, "_db", engine)
    yield database
    await database.close()


@pytest.fixture
async def outage_client(outage):
    async with running(create_app(load_settings())) as app:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver.local") as client:
            yield client


def assert_unavailable_problem(response) -> None:
    assert response.status_code == 503, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert int(response.headers["retry-after"]) > 0
    assert response.json()["status"] == 503
    for leak in ("Traceback", "SELECT", "INSERT", "sqlite", "asyncpg", "unable to open", "refused"):
        assert leak not in response.text


async def test_the_api_and_pages_say_503_while_the_database_is_away_and_recover_without_a_restart(
    outage, outage_client, factory, guard
):
    client = outage_client
    resident = await factory.resident()
    _, csrf = await sign_in(client, guard.actor.email)
    committed = []
    for n in range(5):
        response = await client.post(
            "/api/visits", json=visit_body(resident.id, visitorName=f"Before {n}"), headers=guard.headers
        )
        assert response.status_code == 201
        committed.append(response.json()["id"])
    assert (await client.get("/kiosk")).status_code == 200

    await outage.cut()

    assert_unavailable_problem(await client.get("/api/visits", headers=guard.headers))
    assert_unavailable_problem(await client.get(f"/api/visits/{committed[0]}", headers=guard.headers))
    for n in range(3):
        body = visit_body(resident.id, visitorName=f"During {n}")
        assert_unavailable_problem(await client.post("/api/visits", json=body, headers=guard.headers))
    assert_unavailable_problem(await client.post(f"/api/visits/{committed[0]}/checkout", headers=guard.headers))
    ready = await client.get("/readyz")
    assert ready.status_code == 503 and ready.headers["retry-after"]

    page = await client.get("/kiosk")
    assert page.status_code == 503
    assert page.headers["content-type"].startswith("text/html")
    assert "Temporarily unavailable" in page.text and "Traceback" not in page.text
    assert page.headers["retry-after"]
    fragment = await client.get("/kiosk/board", headers={"hx-request": "true"})
    assert fragment.status_code == 503 and "Temporarily unavailable" in fragment.text
    assert "<html" not in fragment.text
    form = {"visitor_name": "During form", "resident_id": str(resident.id), "_csrf_token": csrf}
    posted = await client.post("/kiosk/visits", data=form, headers={"x-csrftoken": csrf, "hx-request": "true"})
    assert posted.status_code == 503

    await outage.restore()

    assert (await client.get("/readyz")).status_code == 200
    after = await client.post("/api/visits", json=visit_body(resident.id, visitorName="After"), headers=guard.headers)
    assert after.status_code == 201
    listed = await client.get("/api/visits?limit=100", headers=guard.headers)
    assert listed.status_code == 200
    names = sorted(visit["visitorName"] for visit in listed.json())
    assert names == ["After", *(f"Before {n}" for n in range(5))]
    assert await Visit.count() == 6
    assert (await client.get("/kiosk")).status_code == 200
    checkout = await client.post(f"/api/visits/{committed[0]}/checkout", headers=guard.headers)
    assert checkout.status_code == 200


async def test_postgres_backends_terminated_by_an_administrator_are_replaced_without_a_500(client, factory, guard):
    if not os.environ["DATABASE_URL"].startswith("postgres"):
        pytest.skip("PostgreSQL only: SQLite has no server connections to terminate")
    resident = await factory.resident()
    first = await client.post("/api/visits", json=visit_body(resident.id), headers=guard.headers)
    assert first.status_code == 201

    await Visit.raw(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
        "WHERE datname = current_database() AND pid <> pg_backend_pid()"
    )

    statuses = []
    for _ in range(25):
        response = await client.get("/api/visits", headers=guard.headers)
        statuses.append(response.status_code)
        if response.status_code == 503:
            assert_unavailable_problem(response)
        if response.status_code == 200:
            break
    assert set(statuses) <= {200, 503} and statuses[-1] == 200, statuses
    again = await client.post("/api/visits", json=visit_body(resident.id, visitorName="Later"), headers=guard.headers)
    assert again.status_code == 201
    assert await Visit.count() == 2


async def test_stopping_does_not_wait_forever_for_a_postgres_connection_never_given_back(db, monkeypatch, caplog):
    if not os.environ["DATABASE_URL"].startswith("postgres"):
        pytest.skip("PostgreSQL only: the SQLite engine's connections are closed as they come back")
    engine = Visit._meta.db
    await lifecycle.close_database()
    await lifecycle.open_database()
    await engine.pool.acquire()  # never released
    monkeypatch.setattr(lifecycle, "POOL_CLOSE_SECONDS", 0.5)
    async with asyncio.timeout(30):
        await lifecycle.close_database()
    assert engine.pool is None
    assert "still lent after 0.5 s" in caplog.text
    await lifecycle.open_database()  # the next start gets a pool of its own, which works
    assert await engine.pool.fetchval("SELECT 1") == 1
    await lifecycle.close_database()
