"""Request size limit, security headers on every kind of response, and error bodies that leak nothing."""

from __future__ import annotations

import json
import sqlite3

import pytest

from app.settings import MAX_BODY_BYTES
from tests.factory import visit_body
from tests.pages import sign_in

SECURITY_HEADERS = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "same-origin",
}
LEAKS = ("Traceback", 'File "', "SELECT", "INSERT", "UPDATE ", "sqlite", "asyncpg", "piccolo", "RuntimeError")


def assert_security_headers(response) -> None:
    for name, value in SECURITY_HEADERS.items():
        assert response.headers.get(name) == value, (response.status_code, name)
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]


def assert_no_leak(response) -> None:
    for leak in LEAKS:
        assert leak not in response.text, (response.status_code, leak, response.text[:300])


def oversized_body(resident_id) -> bytes:
    body = visit_body(resident_id, subject="x" * (MAX_BODY_BYTES + 1))
    return json.dumps(body).encode()


async def test_an_api_body_over_the_limit_is_a_413_problem(client, factory, guard):
    resident = await factory.resident()
    response = await client.post(
        "/api/visits", content=oversized_body(resident.id), headers=guard.headers | {"content-type": "application/json"}
    )
    assert response.status_code == 413
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["status"] == 413 and "64 KiB" in problem["detail"]
    assert_security_headers(response)
    assert_no_leak(response)


async def test_a_streamed_body_without_content_length_is_cut_at_the_limit_too(client, factory, guard):
    resident = await factory.resident()
    data = oversized_body(resident.id)

    async def chunks():
        for start in range(0, len(data), 8192):
            yield data[start : start + 8192]

    headers = guard.headers | {"content-type": "application/json"}
    response = await client.post("/api/visits", content=chunks(), headers=headers)
    assert "content-length" not in response.request.headers
    assert response.status_code == 413
    assert response.json()["status"] == 413


async def test_a_body_under_the_limit_is_read_and_judged_by_the_rules(client, factory, guard):
    resident = await factory.resident()
    body = visit_body(resident.id, subject="x" * (MAX_BODY_BYTES - 1024))
    response = await client.post("/api/visits", json=body, headers=guard.headers)
    assert response.status_code == 400
    assert response.json()["errors"] == [{"field": "subject", "message": "must be at most 200 characters"}]


async def test_a_form_over_the_limit_gets_a_clear_413_page(client, guard):
    _, token = await sign_in(client, guard.actor.email)
    form = {"visitor_name": "x" * (MAX_BODY_BYTES + 1), "_csrf_token": token}
    response = await client.post("/kiosk/visits", data=form, headers={"x-csrftoken": token})
    assert response.status_code == 413
    assert response.headers["content-type"].startswith("text/html")
    assert "64 KiB" in response.text and "Too much to send" in response.text
    assert_security_headers(response)
    assert_no_leak(response)


async def _break_visits(monkeypatch, error: Exception) -> None:
    from app.domain.kiosk import board
    from app.domain.visits import service as visits

    async def explode(*args, **kwargs):
        raise error

    monkeypatch.setattr(visits, "list_visits", explode)
    monkeypatch.setattr(board, "on_site", explode)


@pytest.mark.parametrize(
    "error",
    [
        RuntimeError("SELECT secret FROM internals"),
        sqlite3.OperationalError('near "SELECT": syntax error in INSERT INTO visit'),
    ],
    ids=["runtime", "sql"],
)
async def test_500s_on_api_and_pages_carry_headers_and_no_internals(client, monkeypatch, error, guard):
    await sign_in(client, guard.actor.email)
    await _break_visits(monkeypatch, error)
    api = await client.get("/api/visits", headers=guard.headers)
    page = await client.get("/kiosk")
    for response in (api, page):
        assert response.status_code == 500
        assert_security_headers(response)
        assert_no_leak(response)
    assert api.headers["content-type"].startswith("application/problem+json")
    assert page.headers["content-type"].startswith("text/html")


async def test_security_headers_and_no_internals_on_200_404_405_400(client, guard):
    responses = [
        await client.get("/api/visits", headers=guard.headers),
        await client.get("/sign-in"),
        await client.get("/api/visits/00000000-0000-4000-8000-000000000000", headers=guard.headers),
        await client.get("/no-such-page"),
        await client.patch("/api/visits", headers=guard.headers),
        await client.post("/api/visits", content=b"{not json", headers=guard.headers),
        await client.post("/api/visits", json={"totalPeople": "two"}, headers=guard.headers),
    ]
    assert [r.status_code for r in responses] == [200, 200, 404, 404, 405, 400, 400]
    for response in responses:
        assert_security_headers(response)
        assert_no_leak(response)


async def test_options_lists_every_method_of_the_address(client, guard):
    expected = {
        "/api/residents": "GET, OPTIONS, POST",
        "/api/visits": "GET, OPTIONS, POST",
        "/api/visits/00000000-0000-4000-8000-000000000000": "DELETE, GET, OPTIONS, PUT",
    }
    for path, allow in expected.items():
        response = await client.options(path, headers=guard.headers)
        assert response.status_code == 204 and response.headers["allow"] == allow, path


async def test_an_unsupported_method_on_a_probe_is_a_405_problem_with_allow(client):
    response = await client.request("TRACE", "/healthz")
    assert response.status_code == 405
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.headers["allow"] == "GET, OPTIONS"
    page = await client.request("TRACE", "/sign-in")
    assert page.status_code == 405 and "GET" in page.headers["allow"]
