"""The write baseline: a bare Litestar handler that checks a visitor in with one INSERT in a transaction.

It writes to the same `visit` table of the same database as the Gatehouse server beside it, with the same
drivers Gatehouse uses (aiosqlite on one kept connection in WAL mode; asyncpg through a pool), and answers
201 with the posted body. What POST /api/visits costs above it is Gatehouse's own work: the token, the
do-not-admit match, the resident check, validation, reading the visit back, the audit entry, the live event.
BENCH_DATABASE_URL names the database (sqlite:///path or postgresql://...).
"""

from __future__ import annotations

import asyncio
import os
from datetime import UTC, datetime
from uuid import UUID, uuid4

import msgspec
from litestar import Litestar, Request, Response, post

COLUMNS = (
    "id, resident, visitor_name, total_people, vehicle_color, license_plate, plate_key, name_key, subject, "
    "arrival_date, departure_date, departure_automatic, created_at, updated_at"
)


class CheckIn(msgspec.Struct, rename="camel"):
    resident_id: str
    visitor_name: str
    subject: str
    arrival_date: datetime
    total_people: int = 1
    vehicle_color: str | None = None
    license_plate: str | None = None
    departure_date: datetime | None = None


def _values(visit: CheckIn) -> tuple:
    now = datetime.now(UTC)
    plate = visit.license_plate
    key = "".join(ch for ch in plate.upper() if ch.isalnum()) if plate else None
    return (
        uuid4(),
        UUID(visit.resident_id),
        visit.visitor_name,
        visit.total_people,
        visit.vehicle_color,
        plate,
        key,
        visit.visitor_name.lower(),
        visit.subject,
        visit.arrival_date,
        visit.departure_date,
        False,
        now,
        now,
    )


def _sqlite_value(value):
    """As Piccolo stores them: UUIDs as text, instants as ISO 8601 text in UTC."""
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(microsecond=0).isoformat(" ")
    return value


class SQLiteWriter:
    def __init__(self, path: str):
        self.path, self.lock, self.connection = path, asyncio.Lock(), None

    async def start(self) -> None:
        import aiosqlite

        self.connection = await aiosqlite.connect(self.path, timeout=30, isolation_level=None)
        await self.connection.execute("PRAGMA journal_mode=WAL")

    async def insert(self, values: tuple) -> None:
        placeholders = ", ".join("?" for _ in values)
        stored = tuple(_sqlite_value(v) for v in values)
        async with self.lock:
            await self.connection.execute("BEGIN IMMEDIATE")
            try:
                await self.connection.execute(f"INSERT INTO visit ({COLUMNS}) VALUES ({placeholders})", stored)  # noqa: S608
            except BaseException:
                await self.connection.execute("ROLLBACK")
                raise
            await self.connection.execute("COMMIT")

    async def stop(self) -> None:
        await self.connection.close()


class PostgresWriter:
    def __init__(self, url: str):
        self.url, self.pool = url, None

    async def start(self) -> None:
        import asyncpg

        self.pool = await asyncpg.create_pool(self.url, min_size=1, max_size=10)

    async def insert(self, values: tuple) -> None:
        placeholders = ", ".join(f"${n}" for n in range(1, len(values) + 1))
        async with self.pool.acquire() as connection, connection.transaction():
            await connection.execute(f"INSERT INTO visit ({COLUMNS}) VALUES ({placeholders})", *values)  # noqa: S608

    async def stop(self) -> None:
        await self.pool.close()


def create_app() -> Litestar:
    url = os.environ["BENCH_DATABASE_URL"]
    writer = SQLiteWriter(url.removeprefix("sqlite:///")) if url.startswith("sqlite") else PostgresWriter(url)
    decoder = msgspec.json.Decoder(CheckIn)

    @post("/api/visits")
    async def check_in(request: Request) -> Response[bytes]:
        body = await request.body()
        visit = decoder.decode(body)
        await writer.insert(_values(visit))
        return Response(body, status_code=201, media_type="application/json")

    return Litestar(
        route_handlers=[check_in], on_startup=[writer.start], on_shutdown=[writer.stop], openapi_config=None
    )
