"""The `gatehouse` command, run as other tooling runs it: a subprocess, exit codes and output."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from app.db.tables import Account, ApiToken, EntryRequest, Parcel, Resident, ShiftNote, Visit

GATEHOUSE = str(Path(sys.executable).with_name("gatehouse"))


def gatehouse(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [GATEHOUSE, *args], capture_output=True, text=True, timeout=120, env=os.environ.copy(), check=False
    )


def test_migrate_is_idempotent(db):
    result = gatehouse("migrate")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "The database is up to date; no migration was needed.\n"


async def test_user_create_then_duplicate_weak_and_unknown_resident_fail_with_exit_1(db, factory):
    ok = gatehouse("user", "create", "--email", "Guard@Example.com", "--password", "long-enough-pw", "--role", "guard")
    assert ok.returncode == 0, ok.stderr
    assert await Account.exists().where(Account.email == "guard@example.com")

    duplicate = gatehouse(
        "user", "create", "--email", "guard@example.COM", "--password", "long-enough-pw", "--role", "guard"
    )
    assert duplicate.returncode == 1
    assert "email is already used" in duplicate.stderr

    weak = gatehouse("user", "create", "--email", "x@example.com", "--password", "short", "--role", "guard")
    assert weak.returncode == 1
    assert "password must be at least 10 characters" in weak.stderr

    unknown = gatehouse(
        "user",
        "create",
        "--email",
        "r@example.com",
        "--password",
        "long-enough-pw",
        "--role",
        "resident",
        "--resident-id",
        "00000000-0000-4000-8000-000000000000",
    )
    assert unknown.returncode == 1
    assert "residentId no resident has this id" in unknown.stderr


async def test_token_create_prints_only_the_token_on_the_last_line_and_it_works(db, client):
    assert (
        gatehouse(
            "user", "create", "--email", "ops@example.com", "--password", "long-enough-pw", "--role", "admin"
        ).returncode
        == 0
    )
    result = gatehouse("token", "create", "--email", "ops@example.com", "--name", "integration")
    assert result.returncode == 0, result.stderr
    token = result.stdout.strip().splitlines()[-1]
    assert token.startswith("gh_") and " " not in token
    response = await client.get("/api/visits", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    stored = await ApiToken.select(ApiToken.token_hash, ApiToken.name).where(ApiToken.name == "integration").first()
    assert stored["name"] == "integration" and token not in stored["token_hash"]

    missing = gatehouse("token", "create", "--email", "nobody@example.com")
    assert missing.returncode == 1


async def test_demo_fills_an_empty_database_once_and_prints_logins_and_a_token(db, client):
    first = gatehouse("demo")
    assert first.returncode == 0, first.stderr
    assert "guard@gatehouse.test" in first.stdout
    residents, visits = await Resident.count(), await Visit.count()
    assert residents >= 20 and visits >= 100
    assert await Visit.count().where(Visit.departure_date.is_null()) >= 1
    # A shift under way: parcels on the shelf, a note for the next guard, a walk-in the household refused.
    assert await Parcel.count().where(Parcel.handed_over_at.is_null()) == 2
    assert await ShiftNote.count().where(ShiftNote.for_next_shift.eq(True)) == 1
    assert await EntryRequest.count().where(EntryRequest.status == "refused") == 1

    second = gatehouse("demo")
    assert "already has data" in second.stdout
    assert await Resident.count() == residents
    token = second.stdout.strip().splitlines()[-1]
    assert (await client.get("/api/visits", headers={"Authorization": f"Bearer {token}"})).status_code == 200


async def test_demo_says_which_community_the_passes_name(db, monkeypatch):
    monkeypatch.setenv("COMMUNITY_NAME", "Jacaranda Gardens")
    monkeypatch.setenv("COMMUNITY_ADDRESS", "1200 Jacaranda Avenue, Springfield")
    named = gatehouse("demo")
    assert named.returncode == 0, named.stderr
    community = "Jacaranda Gardens, 1200 Jacaranda Avenue, Springfield"
    assert f"Passes and emails name the community: {community}." in named.stdout
    monkeypatch.delenv("COMMUNITY_NAME")
    monkeypatch.delenv("COMMUNITY_ADDRESS")
    unnamed = gatehouse("demo")
    assert "Passes and emails name no community: set COMMUNITY_NAME and COMMUNITY_ADDRESS" in unnamed.stdout
