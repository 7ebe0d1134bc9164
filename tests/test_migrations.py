"""Migrations upgrade a database the previous release made, with its demo data, without losing any of it.

The previous release is taken from git as it was (its own code, its own migrations), run against a
fresh database of the engine under test; then this release's `gatehouse migrate` runs on top.
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import tarfile
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from app.settings import PROJECT_ROOT

PREVIOUS_RELEASE = "1e66c9a"
"""The last commit of the first release (its four migrations and its demo data)."""
GATEHOUSE = str(Path(sys.executable).with_name("gatehouse"))

ODD_NAME = "José  O'Brien-Smith"
"""A visitor whose name key differs from the lower-cased name: accents, two spaces, punctuation."""

SEED_ODD_NAME = f"""
import asyncio, uuid
from app.db.tables import Visit

async def main():
    row = await Visit.select().first()
    row.update(id=uuid.uuid4(), visitor_name={ODD_NAME!r})
    await Visit(**row).save()

asyncio.run(main())
"""

CHECK = """
import asyncio, json
from app.domain.accounts import service as accounts
from app.domain.records import retention
from app.domain.visits import schemas as visit_schemas
from app.domain.visits import service as visits
from app.lib.actors import SYSTEM
from app.lib.text import name_key
from app.db.tables import Account, Resident, Visit

async def main():
    admin = await accounts.actor_for_password("admin@gatehouse.test", "gatehouse-admin")
    page = await visits.list_visits(SYSTEM, visit_schemas.VisitFilters(), 500)
    keys = await Visit.select(Visit.visitor_name, Visit.name_key)
    print(json.dumps({
        "residents": await Resident.count(), "accounts": await Account.count(), "visits": await Visit.count(),
        "listed": len(page.items), "admin": admin.role,
        "keys_filled": all(row["name_key"] == name_key(row["visitor_name"]) for row in keys),
        "found_by_name": len((await retention.erasure_preview(SYSTEM, name="jose o brien smith")).erasable)
        + len((await retention.erasure_preview(SYSTEM, name="jose o brien smith")).on_site),
    }))

asyncio.run(main())
"""


def _run(command: list[str], cwd: Path, url: str, pythonpath: Path = PROJECT_ROOT) -> str:
    """Run `command` with the code of `pythonpath` (this checkout by default, even where the installed
    `gatehouse` script points at another checkout's code)."""
    env = {**os.environ, "DATABASE_URL": url, "DATA_DIR": str(cwd / "data"), "PYTHONPATH": str(pythonpath)}
    env.pop("REDIS_URL", None)
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def _previous_release(into: Path) -> Path:
    archive = subprocess.run(
        ["git", "archive", PREVIOUS_RELEASE], cwd=PROJECT_ROOT, capture_output=True, timeout=60, check=False
    )
    if archive.returncode != 0:
        pytest.skip(f"git cannot give {PREVIOUS_RELEASE} here (a shallow clone?): {archive.stderr.decode()[:200]}")
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(into, filter="data")
    return into


@pytest.fixture
def empty_database(tmp_path):
    """A new, empty database of the engine the suite runs on."""
    url = os.environ["DATABASE_URL"]
    if not url.startswith("postgres"):
        yield f"sqlite:///{tmp_path / 'previous.db'}"
        return
    import asyncio

    import asyncpg

    name = f"gatehouse_upgrade_{uuid.uuid4().hex[:8]}"
    parts = urlsplit(url)
    admin_url = urlunsplit(parts._replace(path="/postgres"))

    async def admin(statement: str) -> None:
        connection = await asyncpg.connect(admin_url)
        try:
            await connection.execute(statement)
        finally:
            await connection.close()

    asyncio.run(admin(f"CREATE DATABASE {name}"))
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        asyncio.run(admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))


def test_this_release_upgrades_the_previous_releases_database_and_keeps_its_data(tmp_path, empty_database):
    old = _previous_release(tmp_path / "previous")
    seed = "import sys; from app.cli import main; sys.exit(main(sys.argv[1:]))"
    _run([sys.executable, "-c", seed, "migrate"], old, empty_database, pythonpath=old)
    _run([sys.executable, "-c", seed, "demo"], old, empty_database, pythonpath=old)
    _run([sys.executable, "-c", SEED_ODD_NAME], old, empty_database, pythonpath=old)

    out = _run([GATEHOUSE, "migrate"], tmp_path, empty_database)
    assert re.fullmatch(r"Applied \d+ migrations?; the database is up to date\.\n", out), out
    again = _run([GATEHOUSE, "migrate"], tmp_path, empty_database)
    assert again == "The database is up to date; no migration was needed.\n"

    found = json.loads(_run([sys.executable, "-c", CHECK], PROJECT_ROOT, empty_database).strip().splitlines()[-1])
    assert found == {
        "residents": 40,
        "accounts": 3,
        "visits": 407,
        "listed": 407,
        "admin": "admin",
        "keys_filled": True,
        "found_by_name": 1,
    }


def test_every_migration_applies_to_an_empty_database(tmp_path, empty_database):
    out = _run([GATEHOUSE, "migrate"], tmp_path, empty_database)
    migrations = len(list((PROJECT_ROOT / "app" / "db" / "migrations").glob("gatehouse_*.py")))
    # One true line: Piccolo's own ("13 already complete", then "13 not yet run" on an empty database) is kept back.
    assert out == f"Applied {migrations} migrations; the database is up to date.\n"


async def test_the_name_key_migration_recomputes_keys_in_batches_and_leaves_anonymised_visits(db, factory):
    import importlib

    from app.db.tables import Visit
    from app.domain.records import retention
    from app.lib.actors import SYSTEM

    migration = importlib.import_module("app.db.migrations.gatehouse_2026_11_29t22_20_00_000000")
    resident = await factory.resident()
    names = ["José Álvarez", "O'Brien-Smith", "Ana  Lopes", "plain name", "..."]
    for name in names:
        await factory.visit(resident.id, visitor_name=name, departure_date="2026-01-02T10:00:00Z")
    await Visit.raw("UPDATE visit SET name_key = lower(visitor_name)")  # what the old backfill stored
    await retention.erase(SYSTEM, name="plain name")

    assert await migration.recompute_name_keys(batch=2) == 3  # "Ana Lopes" was already right
    rows = await Visit.select(Visit.visitor_name, Visit.name_key).order_by(Visit.visitor_name)
    assert {row["visitor_name"]: row["name_key"] for row in rows} == {
        "...": None,
        "Ana Lopes": "ana lopes",
        "Anonymised visitor": None,
        "José Álvarez": "jose alvarez",
        "O'Brien-Smith": "o brien smith",
    }
    assert await migration.recompute_name_keys(batch=2) == 0


async def test_the_resident_name_key_migration_fills_every_resident_in_batches(db, factory):
    import importlib

    from app.db.tables import Resident

    migration = importlib.import_module("app.db.migrations.gatehouse_2026_11_30t01_40_01_000000")
    for name in ["João Araújo", "María Núñez", "Chloë O'Brien"]:
        await factory.resident(name=name)
    await Resident.raw("UPDATE resident SET name_key = NULL")  # residents added before the column existed

    assert await migration.fill_resident_name_keys(batch=2) == 3
    rows = await Resident.select(Resident.name, Resident.name_key)
    assert {row["name"]: row["name_key"] for row in rows} == {
        "João Araújo": "joao araujo",
        "María Núñez": "maria nunez",
        "Chloë O'Brien": "chloe o brien",
    }
    assert await migration.fill_resident_name_keys(batch=2) == 0
