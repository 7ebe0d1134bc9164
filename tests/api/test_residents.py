"""/api/residents: create, read, list with search and paging, replace, delete or deactivate."""

from __future__ import annotations

import pytest


async def test_create_read_and_replace_a_resident(client, admin):
    body = {"name": " Ana  Costa ", "unit": "b-302", "email": "Ana@Example.com", "phone": "+351 910 000 000"}
    created = await client.post("/api/residents", json=body, headers=admin.headers)
    assert created.status_code == 201, created.text
    resident = created.json()
    assert created.headers["location"] == f"/api/residents/{resident['id']}"
    assert (resident["name"], resident["unit"], resident["email"], resident["active"]) == (
        "Ana Costa",
        "B-302",
        "ana@example.com",
        True,
    )

    replaced = await client.put(
        f"/api/residents/{resident['id']}",
        json={"name": "Ana Costa", "unit": "B-303", "active": False},
        headers=admin.headers,
    )
    assert replaced.status_code == 200
    assert (replaced.json()["unit"], replaced.json()["email"], replaced.json()["active"]) == ("B-303", None, False)
    fetched = await client.get(f"/api/residents/{resident['id']}", headers=admin.headers)
    assert fetched.json() == replaced.json()


async def test_the_same_name_in_the_same_unit_is_refused_naming_the_resident_there(client, admin, resident):
    duplicate = await client.post("/api/residents", json={"name": "ANA lima", "unit": "b-302"}, headers=admin.headers)
    assert duplicate.status_code == 409
    assert duplicate.json()["errors"] == [{"field": "name", "message": "Ana Lima already lives in B-302"}]
    other = await client.post("/api/residents", json={"name": "Ana Lima", "unit": "B-303"}, headers=admin.headers)
    assert other.status_code == 201
    moved = await client.put(
        f"/api/residents/{other.json()['id']}", json={"name": "Ana Lima", "unit": "B-302"}, headers=admin.headers
    )
    assert moved.status_code == 409 and "already lives in B-302" in moved.text
    kept = await client.put(
        f"/api/residents/{resident.id}", json={"name": "Ana Lima", "unit": "B-302", "phone": "1"}, headers=admin.headers
    )
    assert kept.status_code == 200


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": " ", "unit": "A-1"}, "name"),
        ({"name": "Ana", "unit": ""}, "unit"),
        ({"name": "Ana", "unit": "A-1", "email": "not-an-email"}, "email"),
        ({"name": "x" * 121, "unit": "A-1"}, "name"),
        ({"name": "Ana", "unit": "A-1", "active": "yes"}, "active"),
        ({"unit": "A-1"}, "name"),
    ],
)
async def test_invalid_residents_get_400_naming_the_field(client, admin, body, field):
    response = await client.post("/api/residents", json=body, headers=admin.headers)
    assert response.status_code == 400
    assert field in [e["field"] for e in response.json()["errors"]]


async def test_list_searches_name_or_unit_and_pages_by_name(client, admin, factory):
    for name, unit in [
        ("Carla Dias", "C-101"),
        ("Ana Costa", "A-101"),
        ("Bruno Reis", "B-202"),
        ("Ana Lopes", "A-102"),
    ]:
        await factory.resident(name=name, unit=unit)

    first = await client.get("/api/residents?limit=3", headers=admin.headers)
    assert [r["name"] for r in first.json()] == ["Ana Costa", "Ana Lopes", "Bruno Reis"]
    next_url = first.headers["link"].split(">")[0][1:]
    second = await client.get(next_url, headers=admin.headers)
    assert [r["name"] for r in second.json()] == ["Carla Dias"]
    assert "link" not in second.headers

    by_unit = await client.get("/api/residents?q=a-10", headers=admin.headers)
    assert [r["unit"] for r in by_unit.json()] == ["A-101", "A-102"]
    by_name = await client.get("/api/residents?q=REIS", headers=admin.headers)
    assert [r["name"] for r in by_name.json()] == ["Bruno Reis"]


async def test_active_filter(client, admin, factory):
    await factory.resident(name="Gone", active=False)
    await factory.resident(name="Here")
    response = await client.get("/api/residents?active=true", headers=admin.headers)
    assert [r["name"] for r in response.json()] == ["Here"]


async def test_resident_with_visits_is_deactivated_not_deleted(client, admin, factory):
    visited = await factory.resident()
    await factory.visit(visited.id)
    response = await client.delete(f"/api/residents/{visited.id}", headers=admin.headers)
    assert response.status_code == 409
    assert "deactivate" in response.json()["detail"]

    unvisited = await factory.resident()
    assert (await client.delete(f"/api/residents/{unvisited.id}", headers=admin.headers)).status_code == 204
    assert (await client.get(f"/api/residents/{unvisited.id}", headers=admin.headers)).status_code == 404
    assert (await client.delete(f"/api/residents/{unvisited.id}", headers=admin.headers)).status_code == 404
