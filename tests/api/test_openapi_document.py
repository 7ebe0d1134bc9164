"""The OpenAPI document says what the server accepts and answers: a request the document allows is one the
server can take, one it refuses is refused, every error is the problem+json the server sends, and every
operation has the id a person would write (generated clients name their methods after it)."""

from __future__ import annotations

import re
from datetime import timedelta

import jsonschema_rs
import pytest

from app.domain.expected import service as expected
from app.lib.clock import utc_now
from tests.factory import visit_body

VERBS = {
    "list",
    "get",
    "create",
    "update",
    "delete",
    "checkOut",
    "answer",
    "cancel",
    "handOver",
    "export",
    "revoke",
} | {
    "send",
    "redeliver",
    "lift",
}
PROBES = {"healthz", "readyz"}
"""The probes keep the names load balancers know them by."""
IMPOSSIBLE = "1116-42-53T45:49:95Z"


@pytest.fixture
async def document(client) -> dict:
    response = await client.get("/schema/openapi.json")
    assert response.status_code == 200
    return response.json()


def operations(document: dict):
    for path, item in document["paths"].items():
        for method, operation in item.items():
            yield path, method, operation


def validator(document: dict, schema: dict):
    """Validates as a client trusting the document would, formats included."""
    return jsonschema_rs.Draft202012Validator({**schema, "components": document["components"]}, validate_formats=True)


def body_schema(document: dict, name: str):
    return validator(document, {"$ref": f"#/components/schemas/{name}"})


async def test_operation_ids_are_the_camel_case_verbs_a_person_would_write(document):
    ids = {(path, method): operation["operationId"] for path, method, operation in operations(document)}
    assert len(set(ids.values())) == len(ids), ids
    for operation_id in ids.values():
        assert re.fullmatch(r"[a-z]+(?:[A-Z][a-z]+)*", operation_id), operation_id
        if operation_id not in PROBES:
            assert any(re.match(rf"{verb}(?![a-z])", operation_id) for verb in VERBS), operation_id
    assert {
        ids["/api/visits", "get"],
        ids["/api/visits/{visit_id}", "get"],
        ids["/api/visits", "post"],
        ids["/api/visits/{visit_id}/checkout", "post"],
        ids["/api/visits/{visit_id}", "put"],
        ids["/api/visits/{visit_id}", "delete"],
        ids["/api/residents", "get"],
        ids["/healthz", "get"],
        ids["/readyz", "get"],
    } == {
        "listVisits",
        "getVisit",
        "createVisit",
        "checkOutVisit",
        "updateVisit",
        "deleteVisit",
        "listResidents",
        "healthz",
        "readyz",
    }


async def test_every_error_answer_is_the_one_problem_schema_with_its_field_errors(document):
    problem = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
    for path, method, operation in operations(document):
        errors = {code: response for code, response in operation["responses"].items() if int(code) >= 400}
        if path.startswith("/api/"):
            assert {"400", "401", "503"} <= set(errors), (path, method)
        for code, response in errors.items():
            assert response["content"] == problem, (path, method, code)
    schema = document["components"]["schemas"]["Problem"]
    assert set(schema["required"]) == {"type", "title", "status", "detail"}
    field_errors = schema["properties"]["errors"]
    assert {"items": {"$ref": "#/components/schemas/FieldError"}, "type": "array"} in field_errors.get(
        "oneOf", [field_errors]
    )
    assert "status_code" not in str(document), "Litestar's default error schema is not what the server sends"


async def test_the_problem_schema_describes_what_the_server_sends(client, document, factory):
    admin = await factory.caller("admin")
    visited = await factory.resident()
    await factory.visit(visited.id)
    problem = body_schema(document, "Problem")
    answers = [
        await client.post("/api/visits", json={"totalPeople": "two"}, headers=admin.headers),
        await client.get("/api/visits?limit=0", headers=admin.headers),
        await client.get("/api/visits"),
        await client.get("/api/visits/8f3f537e-668c-43bb-b9f7-9984300f7ed0", headers=admin.headers),
        await client.delete(f"/api/residents/{visited.id}", headers=admin.headers),
    ]
    assert [answer.status_code for answer in answers] == [400, 400, 401, 404, 409]
    for answer in answers:
        assert answer.headers["content-type"].startswith("application/problem+json")
        assert problem.is_valid(answer.json()), answer.text
        documented = set(document["components"]["schemas"]["Problem"]["properties"])
        assert set(answer.json()) <= documented, answer.text


async def test_impossible_date_times_are_outside_the_document_and_refused_by_the_server(client, document, factory):
    resident = await factory.resident()
    guard = await factory.caller("guard")
    check_in = body_schema(document, "CheckInInput")
    good = visit_body(resident.id, arrivalDate=(utc_now() - timedelta(hours=1)).isoformat())
    assert check_in.is_valid(good)
    for field in ("arrivalDate", "departureDate"):
        for value in (IMPOSSIBLE, "2026-02-30T10:00:00Z", "2026-11-28T10:00:00.1234567Z"):
            body = good | {field: value}
            assert not check_in.is_valid(body), (field, value)
            response = await client.post("/api/visits", json=body, headers=guard.headers)
            assert response.status_code == 400, (field, value, response.text)
            assert field in {error["field"] for error in response.json()["errors"]}
    assert check_in.is_valid(good | {"departureDate": ""}) and check_in.is_valid(good | {"departureDate": None})


async def test_impossible_filter_dates_are_outside_the_document_and_refused_by_the_server(client, document, factory):
    guard = await factory.caller("guard")
    parameters = {p["name"]: p["schema"] for p in document["paths"]["/api/visits"]["get"]["parameters"]}
    for name in ("from", "to"):
        schema = validator(document, parameters[name])
        for value in ("2026-11-28", "2026-11-28T14:30:00Z", ""):
            assert schema.is_valid(value), (name, value)
        for value in (IMPOSSIBLE, "2026-02-30", "2026-13-01"):
            assert not schema.is_valid(value), (name, value)
            response = await client.get("/api/visits", params={name: value}, headers=guard.headers)
            assert response.status_code == 400, (name, value, response.text)


async def test_a_weekly_announcement_without_a_last_day_is_outside_the_document_and_refused(client, document, factory):
    home = await factory.resident()
    admin = await factory.caller("admin")
    announcement = body_schema(document, "ExpectedInput")
    today = expected.today()
    one_day = {"visitorName": "Rosa Cleaner", "startsOn": today.isoformat(), "residentId": str(home.id)}
    weekly = one_day | {"weekdays": [2, 4]}
    for body in (weekly, weekly | {"endsOn": None}, weekly | {"endsOn": ""}):
        assert not announcement.is_valid(body), body
        response = await client.post("/api/expected-visits", json=body, headers=admin.headers)
        assert response.status_code == 400, response.text
        assert "endsOn" in {error["field"] for error in response.json()["errors"]}
    for body in (one_day, one_day | {"weekdays": []}, weekly | {"endsOn": (today + timedelta(days=30)).isoformat()}):
        assert announcement.is_valid(body), body
        response = await client.post("/api/expected-visits", json=body, headers=admin.headers)
        assert response.status_code == 201, response.text
    assert not announcement.is_valid(one_day | {"startsOn": IMPOSSIBLE[:10]})


async def test_rules_the_schema_cannot_state_are_in_the_operation_descriptions(document):
    """An administrator must name the resident of an announcement; a resident's token may leave it out, so the
    schema cannot require it: the operation says so."""
    for method in ("post", "put"):
        description = document["paths"]["/api/expected-visits" + ("/{expected_id}" if method == "put" else "")][method][
            "description"
        ]
        assert "administrator's token must give `residentId`" in description
        assert "`startsOn` is not in the past" in description
    for path, method in (("/api/visits", "post"), ("/api/visits/{visit_id}", "put")):
        assert "not in the future" in document["paths"][path][method]["description"]
