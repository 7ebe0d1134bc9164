"""Who may do what: tokens, roles and resident scoping, as the contract's table says."""

from __future__ import annotations

from uuid import uuid4

import pytest
from litestar.routes import HTTPRoute

from app.api.router import before_api_request
from app.db.tables import Account as AccountTable
from app.db.tables import ApiToken as ApiTokenTable
from app.main import create_app
from app.settings import load_settings
from tests.factory import visit_body


def test_every_api_handler_checks_the_token_first():
    """The token is checked in the API router's before_request (app/api/auth.py says why not a guard). A
    controller or handler with its own before_request would replace the router's and skip the check."""
    handlers = [
        handler
        for route in create_app(load_settings()).routes
        if isinstance(route, HTTPRoute) and route.path.startswith("/api/")
        for handler in route.route_handlers
    ]
    assert len(handlers) > 10
    assert [h for h in handlers if h.resolve_before_request() is not before_api_request] == []


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer"},
        {"Authorization": "Bearer gh_not-a-real-token"},
        {"Authorization": "Basic dXNlcjpwYXNz"},
        {"Authorization": "Token abc"},
    ],
)
async def test_missing_or_bad_token_is_401_problem(client, headers):
    response = await client.get("/api/visits", headers=headers)
    assert response.status_code == 401
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert response.json()["detail"]


async def test_revoked_token_and_inactive_account_are_refused(client, factory, guard):
    assert (await client.get("/api/visits", headers=guard.headers)).status_code == 200

    await ApiTokenTable.update({ApiTokenTable.revoked: True}).where(ApiTokenTable.account == guard.actor.account_id)
    assert (await client.get("/api/visits", headers=guard.headers)).status_code == 401

    other = await factory.caller("guard")
    await AccountTable.update({AccountTable.active: False}).where(AccountTable.id == other.actor.account_id)
    assert (await client.get("/api/visits", headers=other.headers)).status_code == 401


async def test_token_use_is_recorded(client, guard):
    await client.get("/api/visits", headers=guard.headers)
    token = (
        await ApiTokenTable.select(ApiTokenTable.last_used_at)
        .where(ApiTokenTable.account == guard.actor.account_id)
        .first()
    )
    assert token["last_used_at"] is not None


@pytest.fixture
async def world(factory, admin, guard):
    """Two residents with a visit each, and a caller of every role."""
    a, b = await factory.resident(name="Resident A"), await factory.resident(name="Resident B")
    return {
        "a": a,
        "b": b,
        "visit_a": await factory.visit(a.id),
        "visit_b": await factory.visit(b.id),
        "admin": admin,
        "guard": guard,
        "resident_a": await factory.caller("resident", resident_id=a.id),
    }


async def test_resident_sees_only_their_own_visits_and_gets_404_for_others(client, world):
    me = world["resident_a"].headers
    listed = (await client.get("/api/visits", headers=me)).json()
    assert [v["id"] for v in listed] == [str(world["visit_a"].id)]

    assert (await client.get(f"/api/visits/{world['visit_a'].id}", headers=me)).status_code == 200
    for url in (
        f"/api/visits/{world['visit_b'].id}",
        f"/api/visits/resident/{world['b'].id}",
        f"/api/visits?residentId={world['b'].id}",
        f"/api/residents/{world['b'].id}",
    ):
        response = await client.get(url, headers=me)
        assert response.status_code == 404, url

    residents = (await client.get("/api/residents", headers=me)).json()
    assert [r["id"] for r in residents] == [str(world["a"].id)]


async def test_resident_may_not_write_visits(client, world):
    me = world["resident_a"].headers
    visit_a = world["visit_a"].id
    assert (await client.post("/api/visits", json=visit_body(world["a"].id), headers=me)).status_code == 403
    assert (await client.put(f"/api/visits/{visit_a}", json=visit_body(world["a"].id), headers=me)).status_code == 403
    assert (await client.post(f"/api/visits/{visit_a}/checkout", headers=me)).status_code == 403
    assert (await client.delete(f"/api/visits/{visit_a}", headers=me)).status_code == 403


@pytest.mark.parametrize(
    ("role", "expected"), [("admin", 204), ("guard", 403), ("resident_a", 404)]
)  # B's visit: unseen by A
async def test_only_admins_delete_visits(client, world, role, expected):
    response = await client.delete(f"/api/visits/{world['visit_b'].id}", headers=world[role].headers)
    assert response.status_code == expected


@pytest.mark.parametrize(("role", "expected"), [("admin", 201), ("guard", 403), ("resident_a", 403)])
async def test_only_admins_write_residents(client, world, role, expected):
    response = await client.post("/api/residents", json={"name": "New", "unit": "Z-1"}, headers=world[role].headers)
    assert response.status_code == expected


@pytest.mark.parametrize("role", ["admin", "guard"])
async def test_staff_read_and_write_visits(client, world, role):
    headers = world[role].headers
    assert len((await client.get("/api/visits", headers=headers)).json()) == 2
    created = await client.post("/api/visits", json=visit_body(world["b"].id), headers=headers)
    assert created.status_code == 201
    visit_id = created.json()["id"]
    assert (
        await client.put(f"/api/visits/{visit_id}", json=visit_body(world["b"].id), headers=headers)
    ).status_code == 200
    assert (await client.post(f"/api/visits/{visit_id}/checkout", headers=headers)).status_code == 200
    assert (await client.get(f"/api/residents/{world['a'].id}", headers=headers)).status_code == 200


async def test_unknown_resident_id_is_404_for_staff_too(client, world):
    response = await client.get(f"/api/residents/{uuid4()}", headers=world["guard"].headers)
    assert response.status_code == 404
