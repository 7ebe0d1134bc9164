"""Limits hold on the value that is stored: upper-casing 'ß' gives 'SS', lower-casing 'İ' gives two characters."""

from __future__ import annotations

import pytest

from app.db.tables import ExpectedVisit, Visit
from app.domain.bans import schemas as ban_schemas
from app.domain.bans import service as bans
from app.domain.expected import service as expected
from app.lib.actors import SYSTEM
from app.lib.errors import Invalid
from tests.factory import visit_body

LONG_EMAIL = "İ" * 240 + "@x.yz"


def assert_field_error(response, field: str) -> None:
    assert response.status_code == 400, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert [error["field"] for error in response.json()["errors"]] == [field]
    assert "at most" in response.json()["errors"][0]["message"]


@pytest.mark.parametrize(
    ("body", "field"),
    [({"name": "Ana", "unit": "ß" * 40}, "unit"), ({"name": "Ana", "unit": "A-1", "email": LONG_EMAIL}, "email")],
)
async def test_a_resident_too_long_once_case_mapped_is_a_field_error(client, body, field, admin):
    assert_field_error(await client.post("/api/residents", json=body, headers=admin.headers), field)
    listed = await client.get("/api/residents", headers=admin.headers)
    assert listed.json() == []


async def test_a_guards_visit_with_a_plate_too_long_once_capitalised_is_a_field_error(client, factory, guard):
    resident = await factory.resident()
    response = await client.post(
        "/api/visits", json=visit_body(resident.id, licensePlate="ß" * 20), headers=guard.headers
    )
    assert_field_error(response, "licensePlate")
    assert await Visit.count() == 0


async def test_a_residents_announcement_with_a_plate_too_long_once_capitalised_is_a_field_error(client, factory):
    resident = await factory.resident()
    caller = await factory.caller("resident", resident.id)
    body = {"visitorName": "Rui", "startsOn": expected.today().isoformat(), "licensePlate": "ß" * 20}
    assert_field_error(await client.post("/api/expected-visits", json=body, headers=caller.headers), "licensePlate")
    assert await ExpectedVisit.count() == 0


async def test_a_do_not_admit_plate_too_long_once_capitalised_is_a_field_error(factory):
    with pytest.raises(Invalid) as refused:
        await bans.add_ban(SYSTEM, ban_schemas.BanInput(reason="Drove through the gate", license_plate="ß" * 20))
    assert list(refused.value.errors) == ["licensePlate"]


async def test_a_plate_at_the_limit_once_capitalised_is_kept(client, factory, guard):
    resident = await factory.resident()
    body = visit_body(resident.id, licensePlate="ß" * 10)
    response = await client.post("/api/visits", json=body, headers=guard.headers)
    assert response.status_code == 201
    assert response.json()["licensePlate"] == "SS" * 10


async def test_a_name_whose_search_key_grows_is_kept_with_the_key_cut_to_its_column(client, factory, guard):
    resident = await factory.resident()
    response = await client.post(
        "/api/visits", json=visit_body(resident.id, visitorName="ß" * 120), headers=guard.headers
    )
    assert response.status_code == 201, response.text
    keys = await Visit.select(Visit.name_key).output(as_list=True)
    assert keys == ["ss" * 60]
