"""Believable demo data for a first run: residents, weeks of visits, some visitors inside now."""

from __future__ import annotations

import random
from datetime import timedelta

from app.db.engine import write_transaction
from app.db.tables import Account as AccountTable
from app.db.tables import ApiToken as ApiTokenTable
from app.db.tables import Resident as ResidentTable
from app.db.tables import Visit as VisitTable
from app.services import accounts
from app.services.actors import SYSTEM
from app.services.clock import utc_now
from app.services.text import plate_key

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
                unit=f"{block}-{floor}{door:02d}",
                email=f"{name.lower().replace(' ', '.')}{index}@example.com",
                phone=f"+351 91{rng.randint(1000000, 9999999)}",
                created_at=now - timedelta(days=60),
            )
        )
    return rows


def visit_rows(rng: random.Random, resident_ids: list, count: int, days: int, on_site: int) -> list[VisitTable]:
    """`count` past visits spread over `days`, plus `on_site` visitors still inside."""
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
        plate = _plate(rng)
        rows.append(
            VisitTable(
                resident=rng.choice(resident_ids),
                visitor_name=_name(rng),
                total_people=rng.choice([1, 1, 1, 2, 2, 3, 4]),
                vehicle_color=rng.choice(_COLORS) if plate else None,
                license_plate=plate,
                plate_key=plate_key(plate),
                subject=rng.choice(_SUBJECTS),
                arrival_date=arrival,
                departure_date=min(departure, now) if departure else None,
                created_at=arrival,
                updated_at=departure or arrival,
            )
        )
    return rows


async def database_is_empty() -> bool:
    return not await ResidentTable.exists() and not await AccountTable.exists()


async def seed_demo(residents: int = 40, visits: int = 400, seed: int = 7) -> None:
    rng = random.Random(seed)  # noqa: S311 - made-up demo data, not secrets
    resident_rows = _resident_rows(rng, residents)
    async with write_transaction(VisitTable._meta.db):
        await ResidentTable.insert(*resident_rows)
        ids = [row.id for row in resident_rows]
        await VisitTable.insert(*visit_rows(rng, ids, visits, days=21, on_site=6))
    for role, (email, password) in DEMO_LOGINS.items():
        await accounts.create_account(SYSTEM, email, password, role, ids[0] if role == "resident" else None)


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
