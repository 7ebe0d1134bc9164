"""Backups: `gatehouse backup` / `restore` on SQLite (online, verified), pg_dump / pg_restore on PostgreSQL."""

from __future__ import annotations

import asyncio
import os
import sqlite3
import subprocess
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from app.db.engine import sqlite_path
from app.db.tables import AuditEvent, Resident, Visit
from app.domain.visits import schemas as visit_schemas
from app.domain.visits import service as visits
from app.lib.actors import SYSTEM
from tests.test_cli import GATEHOUSE, gatehouse

ON_SQLITE = os.environ["DATABASE_URL"].startswith("sqlite")
sqlite_only = pytest.mark.skipif(
    not ON_SQLITE, reason="gatehouse backup/restore is for SQLite; PostgreSQL uses pg_dump"
)
postgres_only = pytest.mark.skipif(ON_SQLITE, reason="pg_dump/pg_restore need TEST_DATABASE_URL on PostgreSQL")


def count_in(path: Path, table: str = "visit") -> int:
    with sqlite3.connect(path) as connection:
        return connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608 - fixed names


async def run(*command: str, stdin: str = "") -> subprocess.CompletedProcess:
    process = await asyncio.create_subprocess_exec(
        *command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    out, err = await asyncio.wait_for(process.communicate(stdin.encode()), timeout=120)
    return subprocess.CompletedProcess(command, process.returncode, out.decode(), err.decode())


async def check_in(resident_id, name: str) -> None:
    await visits.create_visit(
        SYSTEM,
        visit_schemas.VisitInput(
            resident_id=resident_id, visitor_name=name, total_people=1, subject="Guest", arrival_date="2026-01-01T10:00"
        ),
    )


@sqlite_only
async def test_backup_is_a_consistent_verified_copy_taken_while_check_ins_go_on(db, factory, tmp_path):
    resident = await factory.resident()
    for n in range(20):
        await check_in(resident.id, f"Before {n}")
    written = 0
    stop, progress = asyncio.Event(), asyncio.Event()

    async def keep_checking_in():
        nonlocal written
        while not stop.is_set():
            await check_in(resident.id, f"During {written}")
            written += 1
            progress.set()

    async def until_written(count: int) -> None:
        while written < count:
            progress.clear()
            await progress.wait()

    writer = asyncio.create_task(keep_checking_in())
    await until_written(5)
    target = tmp_path / "copy.db"
    process = await asyncio.create_subprocess_exec(
        GATEHOUSE, "backup", str(target), stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    stdout, stderr = await process.communicate()
    during_backup = written
    await until_written(during_backup + 5)  # check-ins still work after the backup
    stop.set()
    await writer

    assert process.returncode == 0, stderr.decode()
    out = stdout.decode()
    assert f"to {target}" in out and "integrity_check on the copy: ok" in out
    copied = count_in(target)
    assert 25 <= copied <= 20 + during_backup
    assert await Visit.count() == 20 + written
    with sqlite3.connect(target) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        # a consistent instant: every visit in the copy has its audit event in the copy
        events = connection.execute("SELECT count(*) FROM audit_event WHERE action = 'visit.created'").fetchone()[0]
    assert events == copied
    assert not target.with_name("copy.db.partial").exists()

    again = gatehouse("backup", str(target))
    assert again.returncode == 1 and "already exists" in again.stderr


@sqlite_only
async def test_restore_asks_first_refuses_foreign_files_and_puts_the_backup_back(db, factory, tmp_path):
    resident = await factory.resident()
    for n in range(3):
        await check_in(resident.id, f"Kept {n}")
    target = tmp_path / "three.db"
    assert gatehouse("backup", str(target)).returncode == 0
    for n in range(2):
        await check_in(resident.id, f"Later {n}")

    declined = await run(GATEHOUSE, "restore", str(target), stdin="no\n")
    assert declined.returncode == 1 and "Nothing restored" in declined.stderr
    assert "3 visits" in declined.stdout and "5 visits" in declined.stdout
    assert await Visit.count() == 5

    not_sqlite = tmp_path / "notes.db"
    not_sqlite.write_text("not a database at all\n" * 100)
    foreign = tmp_path / "foreign.db"
    with sqlite3.connect(foreign) as connection:
        connection.execute("CREATE TABLE things (id INTEGER)")
    for bad, words in ((not_sqlite, "not a SQLite database"), (foreign, "not a Gatehouse database")):
        refused = gatehouse("restore", "--yes", str(bad))
        assert refused.returncode == 1 and words in refused.stderr, refused.stderr
        assert await Visit.count() == 5
    assert gatehouse("restore", "--yes", str(tmp_path / "missing.db")).returncode == 1

    accepted = await run(GATEHOUSE, "restore", str(target), stdin="yes\n")
    assert accepted.returncode == 0, accepted.stderr
    assert sorted(v["visitor_name"] for v in await Visit.select(Visit.visitor_name)) == ["Kept 0", "Kept 1", "Kept 2"]
    live = sqlite_path(os.environ["DATABASE_URL"])
    kept = next(live.parent.glob(f"{live.stem}.before-restore-*"))
    assert count_in(kept) == 5
    kept.unlink()
    with sqlite3.connect(live) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    await check_in(resident.id, "After restore")
    assert await Visit.count() == 4


@postgres_only
def test_backup_on_postgres_points_to_pg_dump(db):
    result = gatehouse("backup", "/tmp/never-written.db")
    assert result.returncode == 1 and "pg_dump" in result.stderr
    assert not Path("/tmp/never-written.db").exists()


@postgres_only
async def test_pg_dump_and_pg_restore_round_trip_as_the_readme_says(db, factory, tmp_path):
    resident = await factory.resident()
    for n in range(7):
        await check_in(resident.id, f"Dumped {n}")
    url = os.environ["DATABASE_URL"]
    dump = tmp_path / "gatehouse.dump"
    assert (await run("pg_dump", "-Fc", "-d", url, "-f", str(dump))).returncode == 0

    name = f"gatehouse_restore_{uuid.uuid4().hex[:10]}"
    parts = urlsplit(url)
    restored_url = urlunsplit(parts._replace(path=f"/{name}"))
    admin = urlunsplit(parts._replace(path="/postgres"))
    assert (await run("psql", "-q", "-d", admin, "-c", f"CREATE DATABASE {name}")).returncode == 0
    try:
        restored = await run("pg_restore", "--no-owner", "--exit-on-error", "-d", restored_url, str(dump))
        assert restored.returncode == 0, restored.stderr
        query = (
            "SELECT (SELECT count(*) FROM visit), (SELECT count(*) FROM resident), (SELECT count(*) FROM audit_event)"
        )
        counts = (await run("psql", "-tA", "-d", restored_url, "-c", query)).stdout.strip()
    finally:
        await run("psql", "-q", "-d", admin, "-c", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    assert counts == f"7|{await Resident.count()}|{await AuditEvent.count()}"
