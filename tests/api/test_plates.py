"""Licence plates in one canonical form: stored and shown the same however they were typed, found by the key."""

from __future__ import annotations

import pytest

from app.db.migrations.gatehouse_2026_12_07t07_30_00_000000 import canonical_plates
from app.db.tables import BannedVisitor, ExpectedVisit, Visit
from app.domain.bans import schemas as ban_schemas
from app.domain.bans import service as bans
from app.domain.expected import service as expected
from app.lib.actors import SYSTEM
from app.lib.text import canonical_plate, plate_key
from tests.factory import visit_body

TYPED = ["ban 0001", "BAN-0001", " Ban -- 0001 ", "BAN.0001", "ban_0001"]


@pytest.mark.parametrize("typed", TYPED)
def test_every_spelling_has_one_canonical_form_with_the_same_key(typed):
    assert canonical_plate(typed) == "BAN-0001"
    assert plate_key(canonical_plate(typed)) == plate_key(typed) == "BAN0001"


def test_a_plate_without_separators_stays_one_group_and_nothing_is_none():
    assert canonical_plate("abc1d23") == "ABC1D23"
    assert canonical_plate("---") is None and canonical_plate(None) is None


async def test_visits_are_stored_and_listed_canonically_and_searched_by_the_key(client, guard, resident):
    for typed in TYPED:
        created = await client.post(
            "/api/visits", json=visit_body(resident.id, licensePlate=typed), headers=guard.headers
        )
        assert created.status_code == 201, created.text
        assert created.json()["licensePlate"] == "BAN-0001"
    found = await client.get("/api/visits", params={"q": "ban 00"}, headers=guard.headers)
    assert [item["licensePlate"] for item in found.json()] == ["BAN-0001"] * len(TYPED)


async def test_announcements_and_bans_store_the_canonical_form(client, homes):
    home_a, resident_a, _, _ = homes
    body = {"visitorName": "Rosa", "startsOn": expected.today().isoformat(), "licensePlate": "ban 0001"}
    announced = await client.post("/api/expected-visits", json=body, headers=resident_a.headers)
    assert announced.status_code == 201, announced.text
    assert announced.json()["licensePlate"] == "BAN-0001"
    ban = await bans.add_ban(SYSTEM, ban_schemas.BanInput(reason="Broke the barrier", license_plate="ban  0001"))
    assert ban.license_plate == "BAN-0001"
    assert [b.id for b in await bans.matching(None, "BAN0001", None)] == [ban.id]


async def test_the_board_shows_one_form_for_plates_typed_two_ways(kiosk, factory, resident):
    client, _, _ = kiosk
    await factory.visit(resident.id, visitor_name="First Car", license_plate="BAN 0001", departure_date=None)
    await factory.visit(resident.id, visitor_name="Second Car", license_plate="ban-0001", departure_date=None)
    board = (await client.get("/kiosk/board")).text
    assert board.count('<span class="plate-tag">BAN-0001</span>') == 2 and "BAN 0001" not in board


async def test_the_migration_rewrites_plates_stored_as_typed(factory, resident):
    visit = await factory.visit(resident.id, license_plate="abc1d23")
    await Visit.update({Visit.license_plate: "ABC 1D23"}).where(Visit.id == visit.id)
    ban = await bans.add_ban(SYSTEM, ban_schemas.BanInput(reason="x", license_plate="KZT4R21"))
    await BannedVisitor.update({BannedVisitor.license_plate: "KZT  4R21"}).where(BannedVisitor.id == ban.id)

    assert await canonical_plates(Visit, batch=1) == 1
    assert await canonical_plates(BannedVisitor) == 1 and await canonical_plates(ExpectedVisit) == 0
    assert await Visit.select(Visit.license_plate, Visit.plate_key).where(Visit.id == visit.id).first() == {
        "license_plate": "ABC-1D23",
        "plate_key": "ABC1D23",
    }
    stored = await BannedVisitor.select(BannedVisitor.license_plate).where(BannedVisitor.id == ban.id).first()
    assert stored == {"license_plate": "KZT-4R21"}
