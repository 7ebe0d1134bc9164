"""Problem details everywhere, security headers on every response, the OpenAPI document, probes."""

from __future__ import annotations

import pytest


async def test_unknown_path_and_method_are_problem_json_with_security_headers(client):
    for response in (await client.get("/api/nothing-here"), await client.patch("/api/visits")):
        assert response.status_code in (404, 405)
        assert response.headers["content-type"].startswith("application/problem+json")
        assert response.json()["status"] == response.status_code
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
        assert response.headers["x-content-type-options"] == "nosniff"


async def test_unexpected_errors_are_500_problems_without_internals(client, monkeypatch, guard):
    from app.domain.visits import service as visits

    async def explode(*args, **kwargs):
        raise RuntimeError("SELECT secret FROM internals")

    monkeypatch.setattr(visits, "list_visits", explode)
    response = await client.get("/api/visits", headers=guard.headers)
    assert response.status_code == 500
    assert response.headers["content-type"].startswith("application/problem+json")
    assert "SELECT" not in response.text and "Traceback" not in response.text
    assert response.headers["x-content-type-options"] == "nosniff"


async def test_openapi_documents_every_operation_its_codes_and_the_bearer_scheme(client):
    document = (await client.get("/schema/openapi.json")).json()
    scheme = document["components"]["securitySchemes"]["bearerToken"]
    assert scheme.pop("description") and scheme == {"type": "http", "scheme": "bearer"}
    expected = {
        ("/api/visits", "get"): {"200", "400", "401", "404"},
        ("/api/visits", "post"): {"201", "400", "401", "403"},
        ("/api/visits/{visit_id}", "get"): {"200", "401", "404"},
        ("/api/visits/{visit_id}", "put"): {"200", "400", "401", "403", "404"},
        ("/api/visits/{visit_id}", "delete"): {"204", "401", "403", "404"},
        ("/api/visits/{visit_id}/checkout", "post"): {"200", "401", "403", "404", "409"},
        ("/api/visits/resident/{resident_id}", "get"): {"200", "400", "401", "404"},
        ("/api/residents", "get"): {"200", "400", "401"},
        ("/api/residents", "post"): {"201", "400", "401", "403"},
        ("/api/residents/{resident_id}", "delete"): {"204", "401", "403", "404", "409"},
    }
    for (path, method), codes in expected.items():
        operation = document["paths"][path][method]
        assert codes <= set(operation["responses"]), (path, method, operation["responses"].keys())
        assert operation["security"] == [{"bearerToken": []}]
    visit_schema = document["components"]["schemas"]["Visit"]["properties"]
    assert {"residentId", "residentName", "arrivalDate", "departureDate", "createdAt"} <= set(visit_schema)


async def test_swagger_ui_is_served_from_our_own_static_files(client):
    page = await client.get("/schema")
    assert page.status_code == 200
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in page.text
    assert "cdn." not in page.text


async def test_healthz_needs_no_auth(client):
    response = await client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


async def test_readyz_is_200_when_the_database_answers_and_503_when_not(client, monkeypatch):
    assert (await client.get("/readyz")).status_code == 200

    from app.db.tables import Visit

    async def broken(*args, **kwargs):
        raise OSError("connection refused")

    monkeypatch.setattr(Visit, "raw", broken)
    response = await client.get("/readyz")
    assert response.status_code == 503
    assert response.headers["retry-after"]
    assert response.headers["content-type"].startswith("application/problem+json")


@pytest.mark.parametrize("path", ["/healthz", "/api/visits", "/schema/openapi.json"])
async def test_security_headers_on_every_response(client, path):
    response = await client.get(path)
    assert response.headers["referrer-policy"] == "same-origin"
    assert "default-src 'self'" in response.headers["content-security-policy"]
