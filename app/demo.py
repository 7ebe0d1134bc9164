"""Believable demo data for a first run: residents, weeks of visits, some visitors inside now."""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Iterable
from datetime import timedelta
from operator import itemgetter
from typing import NamedTuple
from uuid import UUID

import msgspec
from piccolo.engine.sqlite import SQLiteEngine

from app.db import writes
from app.db.engine import SQLITE_BUSY_TIMEOUT_SECONDS, write_transaction
from app.db.tables import Account as AccountTable
from app.db.tables import ApiToken as ApiTokenTable
from app.db.tables import EntryRequest as EntryRequestTable
from app.db.tables import Resident as ResidentTable
from app.db.tables import Visit as VisitTable
from app.domain.accounts import service as accounts
from app.domain.bans import schemas as ban_schemas
from app.domain.bans import service as bans
from app.domain.entry_requests import schemas as entry_schemas
from app.domain.entry_requests import service as entry_requests
from app.domain.expected import schemas as expected_schemas
from app.domain.expected import service as expected
from app.domain.gates import service as gates
from app.domain.parcels import schemas as parcel_schemas
from app.domain.parcels import service as parcels
from app.domain.shift_log import schemas as shift_schemas
from app.domain.shift_log import service as shift_log
from app.lib.actors import SYSTEM, Actor
from app.lib.clock import utc_now
from app.lib.text import name_key, plate_key

DEMO_LOGINS = {
    "admin": ("admin@gatehouse.test", "gatehouse-admin"),
    "guard": ("guard@gatehouse.test", "gatehouse-guard"),
    "resident": ("resident@gatehouse.test", "gatehouse-resident"),
}
DEMO_TOKEN_NAME = "demo"  # noqa: S105 - a label, not a secret

_FIRST = (
    "Ana Bruno Carla Diego Elena Felipe Gabriela Hugo Isabel Joao "
    "Karen Luis Marta Nuno Olivia Pedro Rita Sofia Tiago Vera"
).split()
_LAST = (
    "Almeida Barros Costa Duarte Esteves Ferreira Gomes Henriques "
    "Lopes Martins Nunes Oliveira Pereira Ramos Santos Teixeira"
).split()
_SUBJECTS = [
    "Guest",
    "Guest",
    "Guest",
    "Delivery",
    "Delivery",
    "Service",
    "Ride",
    "Family dinner",
    "Plumber",
    "Cleaning",
]
_COLORS = ["White", "Black", "Silver", "Grey", "Red", "Blue", "Green", None, None]


def _name(rng: random.Random) -> str:
    return f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"


def _plate(rng: random.Random) -> str | None:
    if rng.random() < 0.3:
        return None
    letters = "ABCDEFGHJKLMNPRSTUVWXZ"
    return f"{''.join(rng.choices(letters, k=3))}-{rng.randint(0, 9)}{rng.choice(letters)}{rng.randint(10, 99)}"


def _resident_rows(rng: random.Random, count: int) -> list[ResidentTable]:
    now = utc_now()
    rows = []
    for index in range(count):
        block, floor, door = "ABCD"[index % 4], 1 + (index // 4) % 12, 1 + index // 48
        name = _name(rng)
        rows.append(
            ResidentTable(
                name=name,
                name_key=name_key(name),
                unit=f"{block}-{floor}{door:02d}",
                email=f"{name.lower().replace(' ', '.')}{index}@example.com",
                phone=f"+351 91{rng.randint(1000000, 9999999)}",
                created_at=now - timedelta(days=60),
            )
        )
    return rows


def visit_rows(
    rng: random.Random, resident_ids: list, count: int, days: int, on_site: int, gate_id=None
) -> list[VisitTable]:
    """`count` past visits spread over `days`, plus `on_site` visitors still inside, all by `gate_id`."""
    now = utc_now()
    rows = []
    for index in range(count + on_site):
        inside = index >= count
        arrival = (
            now - timedelta(minutes=rng.randint(5, 300))
            if inside
            else now - timedelta(seconds=rng.randint(3600, days * 86400))
        )
        departure = None if inside else arrival + timedelta(minutes=rng.randint(5, 240))
        plate, visitor = _plate(rng), _name(rng)
        rows.append(
            VisitTable(
                resident=rng.choice(resident_ids),
                visitor_name=visitor,
                name_key=name_key(visitor),
                total_people=rng.choice([1, 1, 1, 2, 2, 3, 4]),
                vehicle_color=rng.choice(_COLORS) if plate else None,
                license_plate=plate,
                plate_key=plate_key(plate),
                subject=rng.choice(_SUBJECTS),
                arrival_date=arrival,
                departure_date=min(departure, now) if departure else None,
                created_at=arrival,
                updated_at=departure or arrival,
                arrival_gate_id=gate_id,
                departure_gate_id=None if inside else gate_id,
            )
        )
    return rows


async def database_is_empty() -> bool:
    return not await ResidentTable.exists() and not await AccountTable.exists()


async def seed_demo(residents: int = 40, visits: int = 400, seed: int = 7) -> None:
    rng = random.Random(seed)  # noqa: S311 - made-up demo data, not secrets
    resident_rows = _resident_rows(rng, residents)
    gate_id = await gates.ensure_default_gate()
    async with write_transaction(VisitTable._meta.db):
        await ResidentTable.insert(*resident_rows)
        ids = [row.id for row in resident_rows]
        await VisitTable.insert(*visit_rows(rng, ids, visits, days=21, on_site=6, gate_id=gate_id))
    made = {}
    for role, (email, password) in DEMO_LOGINS.items():
        made[role] = await accounts.create_account(
            SYSTEM, email, password, role, ids[0] if role == "resident" else None
        )
    await _seed_gate_lists(ids)
    await _seed_shift(ids, accounts.actor_of(made["guard"]))


async def _seed_shift(resident_ids: list, guard: Actor) -> None:
    """A shift under way, so the handover and a household's page show their parts working: parcels on the
    shelf, a note for the next shift, and a walk-in a household refused on the phone (another household than
    the demo resident's, whose page would open on it)."""
    shelf = [
        parcel_schemas.ParcelInput(resident_id=resident_ids[0], carrier="Correios", shelf="A2"),
        parcel_schemas.ParcelInput(resident_id=resident_ids[3], carrier="Mercado Livre", tracking_number="ML4471"),
    ]
    for parcel in shelf:  # a delivery is for one household
        await parcels.receive(guard, [parcel])
    note = "The pedestrian gate's lock sticks after the rain; maintenance comes tomorrow at 9."
    await shift_log.write_note(guard, shift_schemas.ShiftNoteInput(text=note, for_next_shift=True))
    visitor = entry_schemas.EntryRequestInput(
        resident_id=resident_ids[2], visitor_name="Vendedor de planos", subject="Sales"
    )
    asked = await entry_requests.ask(guard, visitor)
    refusal = entry_schemas.AnswerInput(
        decision="refuse", message="Not expecting anyone; do not let him in", via="phone"
    )
    await entry_requests.record_call(guard, asked.id, refusal)
    # Earlier in the shift: on the handover, but past the kiosk's Waiting list, which a first look should see clear.
    earlier = utc_now() - entry_requests.WAITING_WINDOW - timedelta(hours=1)
    await EntryRequestTable.update(
        {
            EntryRequestTable.asked_at: earlier,
            EntryRequestTable.answered_at: earlier,
            EntryRequestTable.expires_at: earlier,
        }
    ).where(EntryRequestTable.id == asked.id)


async def _seed_gate_lists(resident_ids: list) -> None:
    """Something under Expected today and on the do-not-admit list, so a first look shows them working."""
    today = expected.today()
    announcements = [
        expected_schemas.ExpectedInput(
            visitor_name="Rosa Almeida", starts_on=today.isoformat(), note="Cleaner, has a key"
        ),
        expected_schemas.ExpectedInput(
            visitor_name="Tiago Ferreira", starts_on=today.isoformat(), total_people=3, license_plate="TFR-2024"
        ),
    ]
    for number, announcement in enumerate(announcements):
        await expected.announce(SYSTEM, msgspec.structs.replace(announcement, resident_id=resident_ids[number]))
    await bans.add_ban(
        SYSTEM, ban_schemas.BanInput(reason="Damaged the gate barrier (demo entry)", license_plate="BAN-0001")
    )


async def rotate_demo_token() -> str | None:
    """A fresh demo token for the demo admin, revoking the previous one; None if there is no demo admin."""
    email = DEMO_LOGINS["admin"][0]
    if not await AccountTable.exists().where(AccountTable.email == email):
        return None
    admin = await accounts.find_account(email)
    await ApiTokenTable.update({ApiTokenTable.revoked: True}).where(
        ApiTokenTable.account == admin.id, ApiTokenTable.name == DEMO_TOKEN_NAME
    )
    return (await accounts.issue_token(SYSTEM, email, DEMO_TOKEN_NAME)).token


# Bulk seeding, for benchmarks and for trying Gatehouse at the size of years of history.
# One request or one ORM object per row would take an hour for a million visits; these write
# plain tuples: executemany in one SQLite transaction, or PostgreSQL's COPY.

VISITS_PER_DAY = 300
"""A busy estate: a million visits are about nine years of history."""
BULK_ON_SITE = 30
_RESIDENT_COLUMNS = ("id", "name", "name_key", "unit", "email", "phone", "active", "created_at")
PARCELS_PER_VISIT = 10
"""One parcel for every ten visits: a million visits come with 100k parcels."""
BULK_PARCELS_WAITING = 60
"""Parcels still on the shelf, at every size (a few of them overdue); the rest were handed over."""
_PARCEL_COLUMNS = (
    "id",
    "resident",
    "carrier",
    "tracking_number",
    "tracking_key",
    "size",
    "shelf",
    "note",
    "received_at",
    "handed_over_at",
    "collected_by",
    "collected_key",
    "left_at_door",
)
_CARRIERS = ("Correios", "Mercado Livre", "Amazon", "DHL", "Loggi")
REQUESTS_PER_VISIT = 20
"""One walk-in asked about for every twenty visits: a million visits come with 50k answered requests."""
BULK_REFUSED_RECENTLY = 12
"""Requests refused in the last day, at every size: the handover lists them (the rest are older)."""
_REQUEST_COLUMNS = (
    "id",
    "resident",
    "visitor_name",
    "name_key",
    "total_people",
    "subject",
    "status",
    "asked_at",
    "expires_at",
    "answered_at",
    "answered_by_email",
    "via",
)
_BATCH = 50_000


def _uuid(rng: random.Random) -> UUID:
    return UUID(int=rng.getrandbits(128), version=4)


def bulk_resident_tuples(rng: random.Random, count: int) -> list[tuple]:
    created = utc_now() - timedelta(days=60)
    rows = []
    for index in range(count):
        block, floor, door = "ABCD"[index % 4], 1 + (index // 4) % 12, 1 + index // 48
        name = _name(rng)
        email = f"{name.lower().replace(' ', '.')}{index}@example.com"
        phone = f"+351 91{rng.randint(1000000, 9999999)}"
        rows.append((_uuid(rng), name, name_key(name), f"{block}-{floor}{door:02d}", email, phone, True, created))
    return rows


def bulk_visit_tuples(
    rng: random.Random, resident_ids: list, count: int, on_site: int = BULK_ON_SITE, gate_id: UUID | None = None
):
    """`count` visits in batches: all but `on_site` have left; history spreads at VISITS_PER_DAY, all by
    `gate_id`. Each is a tuple of writes.VISIT_COLUMNS, the columns a check-in writes: every column of the table."""
    as_written = itemgetter(*writes.VISIT_COLUMNS)
    now = utc_now()
    span = max(21 * 86400, count * 86400 // VISITS_PER_DAY)
    past = max(0, count - on_site)
    batch = []
    for index in range(count):
        inside = index >= past
        if inside:
            arrival = now - timedelta(seconds=rng.randint(300, 5 * 3600))
            departure = None
        else:
            arrival = now - timedelta(seconds=rng.randint(3600, span))
            departure = min(arrival + timedelta(seconds=rng.randint(300, 4 * 3600)), now)
        plate, visitor = _plate(rng), _name(rng)
        visit = {
            "id": _uuid(rng),
            "resident": rng.choice(resident_ids),
            "visitor_name": visitor,
            "total_people": rng.choice((1, 1, 1, 2, 2, 3, 4)),
            "vehicle_color": rng.choice(_COLORS) if plate else None,
            "license_plate": plate,
            "plate_key": plate_key(plate),
            "name_key": name_key(visitor),
            "subject": rng.choice(_SUBJECTS),
            "arrival_date": arrival,
            "departure_date": departure,
            "departure_automatic": False,
            "created_at": arrival,
            "updated_at": departure or arrival,
            "created_by": None,
            "expected_visit": None,
            "approval": None,
            "arrival_gate_id": gate_id,
            "departure_gate_id": None if inside else gate_id,
        }
        batch.append(as_written(visit))
        if len(batch) >= _BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def bulk_parcel_tuples(rng: random.Random, residents: list[tuple], count: int, waiting: int = BULK_PARCELS_WAITING):
    """`count` parcels, all but `waiting` handed over within two days of arriving, spread like the visits."""
    now = utc_now()
    span = max(21 * 86400, count * PARCELS_PER_VISIT * 86400 // VISITS_PER_DAY)
    rows = []
    for index in range(count):
        resident = rng.choice(residents)
        tracking = f"BR{rng.randint(10**8, 10**9 - 1)}"
        if index >= count - waiting:
            received, handed, collector = now - timedelta(seconds=rng.randint(600, 5 * 86400)), None, None
        else:
            received = now - timedelta(seconds=rng.randint(3 * 86400, span))
            handed, collector = received + timedelta(seconds=rng.randint(600, 2 * 86400)), resident[1]
        rows.append(
            (
                _uuid(rng),
                resident[0],
                rng.choice(_CARRIERS),
                tracking,
                tracking,
                rng.choice(("envelope", "small", "medium", "large")),
                f"{'ABC'[index % 3]}{1 + index % 6}",
                None,
                received,
                handed,
                collector,
                name_key(collector) if collector else None,
                False,
            )
        )
    return rows


def bulk_request_tuples(rng: random.Random, residents: list[tuple], count: int, recent: int = BULK_REFUSED_RECENTLY):
    """`count` answered entry requests: approved, one in ten refused, spread like the visits; the last `recent`
    refused within the last day but before the kiosk's Waiting list (entry_requests.WAITING_WINDOW), so a first
    look at the kiosk is clear while the handover has its refusals to list."""
    now = utc_now()
    span = max(21 * 86400, count * REQUESTS_PER_VISIT * 86400 // VISITS_PER_DAY)
    newest = int(entry_requests.WAITING_WINDOW.total_seconds()) + 600
    rows = []
    for index in range(count):
        resident = rng.choice(residents)
        visitor = _name(rng)
        lately = index >= count - recent
        asked = now - timedelta(seconds=rng.randint(newest, 86400 if lately else span))
        refused = lately or rng.random() < 0.1
        answered = asked + timedelta(seconds=rng.randint(20, 240))
        status, via = ("refused", "phone") if refused else ("approved", rng.choice(("app", "push", "phone")))
        rows.append(
            (
                _uuid(rng),
                resident[0],
                visitor,
                name_key(visitor),
                rng.choice((1, 1, 2, 3)),
                rng.choice(_SUBJECTS),
                status,
                asked,
                asked + timedelta(minutes=5),
                answered,
                resident[4],
                via,
            )
        )
    return rows


def _insert_sql(table: str, columns: tuple[str, ...]) -> str:
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"  # noqa: S608


class BulkTable(NamedTuple):
    """A table to fill, its columns, and its rows in batches (one list, or a generator of them for the visits)."""

    name: str
    columns: tuple[str, ...]
    batches: Iterable[list[tuple]]


def _sqlite_bulk(path: str, tables: list[BulkTable]) -> None:
    """One transaction; Piccolo's sqlite3 adapters (UUID and datetime to text) apply as for its own writes."""
    with sqlite3.connect(path, timeout=SQLITE_BUSY_TIMEOUT_SECONDS) as connection:
        connection.execute("PRAGMA synchronous=OFF")
        connection.execute("PRAGMA cache_size=-262144")
        # Building an index once over sorted rows is far cheaper than updating it a million times.
        indexes = connection.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'visit' AND sql IS NOT NULL"
        ).fetchall()
        for name, _ in indexes:
            connection.execute(f'DROP INDEX "{name}"')
        for table in tables:
            for batch in table.batches:
                connection.executemany(_insert_sql(table.name, table.columns), batch)
        for _, sql in indexes:
            connection.execute(sql)
        connection.execute("ANALYZE")
    connection.close()


async def _postgres_bulk(dsn: str, tables: list[BulkTable]) -> None:
    import asyncpg

    connection = await asyncpg.connect(dsn)
    try:
        async with connection.transaction():
            for table in tables:
                for batch in table.batches:
                    await connection.copy_records_to_table(table.name, records=batch, columns=table.columns)
        # VACUUM as autovacuum soon would: it marks the pages all-visible, so index-only scans (the Reports'
        # aggregates) read the index alone, as they will on a live database.
        for table in tables:
            await connection.execute(f"VACUUM ANALYZE {table.name}")
    finally:
        await connection.close()


async def seed_bulk(visits: int, residents: int = 2000, seed: int = 7) -> None:
    """`visits` visits over `residents` residents, BULK_ON_SITE of them inside now, a parcel for every
    PARCELS_PER_VISIT visits (BULK_PARCELS_WAITING of them waiting), an answered entry request for every
    REQUESTS_PER_VISIT visits (BULK_REFUSED_RECENTLY of them refused in the last day), and the demo logins."""
    rng = random.Random(seed)  # noqa: S311 - made-up demo data, not secrets
    resident_rows = bulk_resident_tuples(rng, residents)
    ids = [row[0] for row in resident_rows]
    visit_batches = bulk_visit_tuples(rng, ids, visits, gate_id=await gates.ensure_default_gate())
    parcel_rows = bulk_parcel_tuples(rng, resident_rows, max(visits // PARCELS_PER_VISIT, BULK_PARCELS_WAITING))
    request_rows = bulk_request_tuples(rng, resident_rows, max(visits // REQUESTS_PER_VISIT, BULK_REFUSED_RECENTLY))
    tables = [
        BulkTable("resident", _RESIDENT_COLUMNS, [resident_rows]),
        BulkTable("visit", writes.VISIT_COLUMNS, visit_batches),
        BulkTable("parcel", _PARCEL_COLUMNS, [parcel_rows]),
        BulkTable("entry_request", _REQUEST_COLUMNS, [request_rows]),
    ]
    engine = VisitTable._meta.db
    if isinstance(engine, SQLiteEngine):
        _sqlite_bulk(engine.path, tables)
    else:
        await _postgres_bulk(engine.config["dsn"], tables)
    for role, (email, password) in DEMO_LOGINS.items():
        await accounts.create_account(SYSTEM, email, password, role, ids[0] if role == "resident" else None)
    await _seed_gate_lists(ids)
