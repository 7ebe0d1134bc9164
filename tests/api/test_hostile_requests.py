"""Hostile or odd API requests get a clear 4xx problem, never a 500, and anonymous ones a 401 first."""

from __future__ import annotations

import logging
from uuid import uuid4

import pytest

from tests.factory import CALENDAR_EDGES, visit_body

DEEP = ("[" * 1000 + "]" * 1000).encode()
NOT_UTF8 = b'{"name": "\xff\xfe", "unit": "A-1", "visitorName": "\xc3\x28"}'
JSON = {"content-type": "application/json"}


def _writes(resident_id):
    """Every API operation that takes a body, with a valid body for it."""
    return [
        ("post", "/api/visits", visit_body(resident_id)),
        ("put", f"/api/visits/{uuid4()}", visit_body(resident_id)),
        ("post", "/api/residents", {"name": "Ana", "unit": "A-1"}),
        ("put", f"/api/residents/{resident_id}", {"name": "Ana", "unit": "A-2"}),
        (
            "post",
            "/api/expected-visits",
            {"visitorName": "Rui", "startsOn": "2030-01-01", "residentId": str(resident_id)},
        ),
        ("put", f"/api/expected-visits/{uuid4()}", {"visitorName": "Rui", "startsOn": "2030-01-01"}),
    ]


def assert_no_traceback(caplog) -> None:
    assert not [record for record in caplog.records if record.exc_info], "a traceback was logged"
    assert not [record for record in caplog.records if record.levelno >= logging.ERROR]


@pytest.mark.parametrize("body", [DEEP, NOT_UTF8], ids=["nested-1000-deep", "invalid-utf-8"])
async def test_an_undecodable_body_is_a_400_problem_naming_the_body(client, factory, caplog, body, admin):
    resident = await factory.resident()
    for method, path, _ in _writes(resident.id):
        response = await client.request(method, path, content=body, headers=admin.headers | JSON)
        assert response.status_code == 400, (method, path, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")
        assert [error["field"] for error in response.json()["errors"]] == ["body"]
    assert_no_traceback(caplog)


@pytest.mark.parametrize("body", [DEEP, NOT_UTF8, b"{not json", b'{"totalPeople": "2"}'])
async def test_anonymous_requests_get_401_whatever_their_body(client, factory, caplog, body):
    resident = await factory.resident()
    for method, path, _ in _writes(resident.id):
        for headers in ({}, {"Authorization": "Bearer gh_not-a-real-token"}):
            response = await client.request(method, path, content=body, headers=headers | JSON)
            assert response.status_code == 401, (method, path, response.text)
            assert response.headers["content-type"].startswith("application/problem+json")
            assert response.headers["www-authenticate"].startswith("Bearer")
    assert_no_traceback(caplog)


async def test_anonymous_requests_are_refused_before_the_body_is_read(client, factory):
    """An anonymous caller cannot make the server read (or wait for) a body: the 401 comes first."""
    resident = await factory.resident()
    read = []

    async def body():
        read.append(True)
        yield b"{}"

    for method, path, _ in _writes(resident.id):
        response = await client.request(method, path, content=body(), headers=JSON)
        assert response.status_code == 401
    assert read == []


async def test_a_bad_limit_from_an_anonymous_caller_is_401_not_400(client):
    assert (await client.get("/api/visits?limit=1.0")).status_code == 401


async def test_each_body_is_decoded_once(client, factory, monkeypatch, admin):
    """Litestar's decoder and msgspec's are both counted: one decode per request, for every write."""
    import msgspec
    from litestar.connection import request as litestar_request

    decodes = []
    litestar_decode, msgspec_decode = litestar_request.decode_json, msgspec.json.decode

    def counting_litestar(*args, **kwargs):
        decodes.append("litestar")
        return litestar_decode(*args, **kwargs)

    def counting_msgspec(*args, **kwargs):
        decodes.append("msgspec")
        return msgspec_decode(*args, **kwargs)

    monkeypatch.setattr(litestar_request, "decode_json", counting_litestar)
    monkeypatch.setattr(msgspec.json, "decode", counting_msgspec)
    resident = await factory.resident()
    for method, path, body in _writes(resident.id):
        decodes.clear()
        response = await client.request(method, path, json=body, headers=admin.headers)
        assert response.status_code in (200, 201, 404), (method, path, response.text)
        assert len(decodes) == 1, (method, path, decodes)


async def test_strictness_survives_decoding_once(client, factory, admin):
    resident = await factory.resident()
    response = await client.post("/api/visits", json=visit_body(resident.id, totalPeople="2"), headers=admin.headers)
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "totalPeople"
    response = await client.post("/api/visits", json=visit_body(resident.id, totalPeople=2.0), headers=admin.headers)
    assert response.status_code == 201


@pytest.mark.parametrize("value", CALENDAR_EDGES)
async def test_visit_date_filters_at_the_calendar_edges_are_field_errors(client, caplog, value, guard):
    for field in ("from", "to"):
        response = await client.get("/api/visits", params={field: value}, headers=guard.headers)
        assert response.status_code == 400, (field, value, response.text)
        assert response.json()["errors"] == [{"field": field, "message": response.json()["errors"][0]["message"]}]
        assert "out of range" in response.json()["errors"][0]["message"]
    assert_no_traceback(caplog)
