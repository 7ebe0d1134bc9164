"""Creating, replacing, checking out and deleting visits, with every rule of the contract."""

from __future__ import annotations

import asyncio
from uuid import uuid4

import jsonschema_rs
import pytest

from app.db.tables import AuditEvent
from app.db.tables import Visit as VisitTable
from tests.factory import visit_body


async def test_create_returns_201_location_and_the_stored_visit(client, guard, resident):
    response = await client.post(
        "/api/visits", json=visit_body(resident.id, visitorName="  Maria   Silva "), headers=guard.headers
    )

    assert response.status_code == 201, response.text
    created = response.json()
    assert response.headers["location"] == f"/api/visits/{created['id']}"
    assert created["residentName"] == "Ana Lima"
    assert created["visitorName"] == "Maria Silva"
    assert created["licensePlate"] == "ABC-1D23"
    assert created["departureDate"] is None
    assert created["arrivalDate"] == "2026-11-01T14:30:00Z"
    fetched = await client.get(response.headers["location"], headers=guard.headers)
    assert fetched.json() == created
    row = (
        await VisitTable.select(VisitTable.plate_key, VisitTable.created_by)
        .where(VisitTable.id == created["id"])
        .first()
    )
    assert row == {"plate_key": "ABC1D23", "created_by": guard.actor.account_id}


@pytest.mark.parametrize(
    ("override", "field"),
    [
        ({"visitorName": "   "}, "visitorName"),
        ({"subject": ""}, "subject"),
        ({"totalPeople": 0}, "totalPeople"),
        ({"totalPeople": 501}, "totalPeople"),
        ({"totalPeople": "2"}, "totalPeople"),
        ({"totalPeople": 2.5}, "totalPeople"),
        ({"totalPeople": True}, "totalPeople"),
        ({"arrivalDate": "yesterday"}, "arrivalDate"),
        ({"arrivalDate": "2099-01-01T00:00:00Z"}, "arrivalDate"),
        ({"departureDate": "2026-11-01T14:00:00Z"}, "departureDate"),
        ({"departureDate": "31/12/2026"}, "departureDate"),
        ({"visitorName": "x" * 121}, "visitorName"),
        ({"subject": "x" * 201}, "subject"),
        ({"licensePlate": "x" * 21}, "licensePlate"),
        ({"vehicleColor": "x" * 41}, "vehicleColor"),
        ({"residentId": "not-a-uuid"}, "residentId"),
        ({"residentId": str(uuid4())}, "residentId"),
        ({"visitorName": None}, "visitorName"),
    ],
)
async def test_invalid_visits_get_400_naming_the_field_and_nothing_is_written(client, guard, resident, override, field):
    response = await client.post("/api/visits", json=visit_body(resident.id, **override), headers=guard.headers)

    assert response.status_code == 400, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["status"] == 400
    assert field in [error["field"] for error in problem["errors"]]
    assert all(error["message"] for error in problem["errors"])
    assert await VisitTable.count() == 0


async def test_every_field_of_the_wrong_type_is_named_in_one_answer(client, guard, resident):
    body = visit_body(resident.id, totalPeople="2", visitorName=5, licensePlate=["ABC"])
    del body["subject"]
    response = await client.post("/api/visits", json=body, headers=guard.headers)

    assert response.status_code == 400, response.text
    assert response.json()["errors"] == [
        {"field": "visitorName", "message": "must be a string"},
        {"field": "totalPeople", "message": "must be a whole number"},
        {"field": "subject", "message": "is required"},
        {"field": "licensePlate", "message": "must be a string"},
    ]
    assert await VisitTable.count() == 0


async def test_missing_required_field_is_named(client, guard, resident):
    body = visit_body(resident.id)
    del body["subject"]
    response = await client.post("/api/visits", json=body, headers=guard.headers)
    assert response.status_code == 400
    assert response.json()["errors"] == [{"field": "subject", "message": "is required"}]


async def test_every_broken_rule_is_reported_at_once(client, guard, resident):
    body = visit_body(resident.id, visitorName="", subject=" ", totalPeople=0, arrivalDate="soon")
    response = await client.post("/api/visits", json=body, headers=guard.headers)
    assert response.status_code == 400
    assert {e["field"] for e in response.json()["errors"]} == {"visitorName", "subject", "totalPeople", "arrivalDate"}


async def test_malformed_json_is_a_400_problem(client, guard):
    response = await client.post(
        "/api/visits", content=b'{"visitorName": ', headers=guard.headers | {"content-type": "application/json"}
    )
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/problem+json")


async def test_inactive_resident_cannot_be_visited(client, guard, factory):
    moved_out = await factory.resident(active=False)
    response = await client.post("/api/visits", json=visit_body(moved_out.id), headers=guard.headers)
    assert response.status_code == 400
    assert response.json()["errors"] == [{"field": "residentId", "message": "this resident is no longer active"}]


async def test_naive_times_are_taken_in_the_site_time_zone(client, guard, resident, monkeypatch):
    from zoneinfo import ZoneInfo

    from app.lib import site

    site.configure(ZoneInfo("America/Sao_Paulo"))
    response = await client.post(
        "/api/visits", json=visit_body(resident.id, arrivalDate="2026-11-01T14:30:00"), headers=guard.headers
    )
    assert response.status_code == 201
    assert response.json()["arrivalDate"] == "2026-11-01T14:30:00-03:00"
    stored = await VisitTable.select(VisitTable.arrival_date).first()
    assert stored["arrival_date"].isoformat() == "2026-11-01T17:30:00+00:00"


async def test_past_visit_with_departure_is_recorded(client, guard, resident):
    body = visit_body(resident.id, departureDate="2026-11-01T16:00:00+00:00")
    response = await client.post("/api/visits", json=body, headers=guard.headers)
    assert response.status_code == 201
    assert response.json()["departureDate"] == "2026-11-01T16:00:00Z"


async def test_put_replaces_every_field(client, guard, resident, factory):
    other = await factory.resident(name="Rui Lopes")
    created = (await client.post("/api/visits", json=visit_body(resident.id), headers=guard.headers)).json()

    replacement = visit_body(
        other.id,
        visitorName="Joana",
        totalPeople=3,
        vehicleColor=None,
        licensePlate=None,
        subject="Delivery",
        departureDate="2026-11-01T15:00:00Z",
    )
    response = await client.put(f"/api/visits/{created['id']}", json=replacement, headers=guard.headers)

    assert response.status_code == 200, response.text
    updated = response.json()
    assert updated["residentName"] == "Rui Lopes"
    assert (updated["visitorName"], updated["totalPeople"], updated["vehicleColor"], updated["licensePlate"]) == (
        "Joana",
        3,
        None,
        None,
    )
    assert updated["departureDate"] == "2026-11-01T15:00:00Z"
    assert updated["createdAt"] == created["createdAt"]


async def test_failed_put_changes_nothing(client, guard, resident):
    created = (await client.post("/api/visits", json=visit_body(resident.id), headers=guard.headers)).json()
    bad = visit_body(resident.id, visitorName="Changed", departureDate="2026-10-01T00:00:00Z")
    response = await client.put(f"/api/visits/{created['id']}", json=bad, headers=guard.headers)
    assert response.status_code == 400
    assert (await client.get(f"/api/visits/{created['id']}", headers=guard.headers)).json() == created


async def test_put_and_delete_unknown_visit_are_404(client, resident, admin):
    unknown = uuid4()
    assert (
        await client.put(f"/api/visits/{unknown}", json=visit_body(resident.id), headers=admin.headers)
    ).status_code == 404
    assert (await client.delete(f"/api/visits/{unknown}", headers=admin.headers)).status_code == 404
    assert (await client.post(f"/api/visits/{unknown}/checkout", headers=admin.headers)).status_code == 404


async def test_delete_is_204_without_body_and_the_visit_is_gone(client, factory, resident, admin):
    visit = await factory.visit(resident.id)
    response = await client.delete(f"/api/visits/{visit.id}", headers=admin.headers)
    assert response.status_code == 204
    assert response.content == b""
    assert (await client.get(f"/api/visits/{visit.id}", headers=admin.headers)).status_code == 404


async def test_checkout_sets_departure_now_then_409(client, guard, resident, factory):
    visit = await factory.visit(resident.id)
    response = await client.post(f"/api/visits/{visit.id}/checkout", headers=guard.headers)
    assert response.status_code == 200
    assert response.json()["departureDate"] is not None

    again = await client.post(f"/api/visits/{visit.id}/checkout", headers=guard.headers)
    assert again.status_code == 409
    assert again.json()["detail"] == "This visitor has already left."


async def test_concurrent_checkouts_of_one_visit_exactly_one_wins(client, guard, resident, factory):
    visit = await factory.visit(resident.id)
    responses = await asyncio.gather(
        *[client.post(f"/api/visits/{visit.id}/checkout", headers=guard.headers) for _ in range(20)]
    )
    codes = sorted(r.status_code for r in responses)
    assert codes == [200] + [409] * 19
    departures = {r.json()["departureDate"] for r in responses if r.status_code == 200}
    stored = await VisitTable.select(VisitTable.departure_date).where(VisitTable.id == visit.id).first()
    assert len(departures) == 1 and stored["departure_date"] is not None


async def test_one_hundred_concurrent_check_ins_all_land(client, guard, resident):
    responses = await asyncio.gather(
        *[
            client.post("/api/visits", json=visit_body(resident.id, visitorName=f"Visitor {n}"), headers=guard.headers)
            for n in range(100)
        ]
    )
    assert [r.status_code for r in responses].count(201) == 100, {r.status_code: r.text for r in responses}
    assert await VisitTable.count() == 100


async def test_concurrent_updates_of_one_visit_never_mix_two_requests_fields(client, guard, resident, factory):
    visit = await factory.visit(resident.id)
    bodies = [
        visit_body(
            resident.id, visitorName=f"Name {n}", vehicleColor=f"Colour {n}", licensePlate=f"P-{n}", totalPeople=n + 1
        )
        for n in range(20)
    ]
    responses = await asyncio.gather(
        *[client.put(f"/api/visits/{visit.id}", json=body, headers=guard.headers) for body in bodies]
    )
    assert [r.status_code for r in responses] == [200] * 20
    row = await VisitTable.select().where(VisitTable.id == visit.id).first()
    n = int(row["visitor_name"].removeprefix("Name "))
    assert (row["vehicle_color"], row["license_plate"], row["total_people"]) == (f"Colour {n}", f"P-{n}", n + 1)
    changes = await AuditEvent.count().where(AuditEvent.record_id == visit.id, AuditEvent.action == "visit.updated")
    assert changes == 20  # each update recorded once, none lost


async def test_api_writes_announce_each_change_to_open_kiosks_and_the_resident(client, resident, admin):
    from app.lib import live

    published: list[tuple[str, dict]] = []
    live.configure(lambda event, channel: published.append((channel, event)))
    try:
        created = (await client.post("/api/visits", json=visit_body(resident.id), headers=admin.headers)).json()
        await client.put(f"/api/visits/{created['id']}", json=visit_body(resident.id), headers=admin.headers)
        await client.post(f"/api/visits/{created['id']}/checkout", headers=admin.headers)
        await client.delete(f"/api/visits/{created['id']}", headers=admin.headers)
        await client.post("/api/visits", json=visit_body(resident.id, visitorName=""), headers=admin.headers)
    finally:
        live.configure(None)
    # (An assertion inside the publisher could never fail the test: publishing swallows every error.)
    heard = [event for channel, event in published if channel == live.CHANNEL]
    assert [event["change"] for event in heard] == ["checked-in", "updated", "checked-out", "deleted"]
    assert {event["visitId"] for event in heard} == {created["id"]}
    own_channel = live.resident_channel(resident.id)
    assert [(channel, event) for channel, event in published if channel != live.CHANNEL] == [
        (own_channel, event) for event in heard
    ]


@pytest.mark.parametrize("body", [b"", b"{", b"[1,", b"\xff\xfe", b"null"])
async def test_unreadable_bodies_are_400_problems_naming_the_body(client, guard, body):
    headers = guard.headers | {"content-type": "application/json"}
    response = await client.post("/api/visits", content=body, headers=headers)
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert [e["field"] for e in problem["errors"]] == ["body"]
    assert "'data'" not in problem["detail"]


@pytest.mark.parametrize("date", ["0001-01-01T00:00:00Z", "0001-01-01T00:00:00+01:00", "1999-12-31T23:59:59Z"])
async def test_far_off_arrivals_are_400_not_500(client, guard, resident, date):
    response = await client.post("/api/visits", json=visit_body(resident.id, arrivalDate=date), headers=guard.headers)
    assert response.status_code == 400
    assert [e["field"] for e in response.json()["errors"]] == ["arrivalDate"]


async def test_nul_bytes_never_reach_the_database(client, guard, resident):
    response = await client.post(
        "/api/visits", json=visit_body(resident.id, visitorName="A\u0000nn"), headers=guard.headers
    )
    assert response.status_code == 201
    assert response.json()["visitorName"] == "Ann"
    assert (await client.get("/api/visits", params={"q": "\u0000Ann"}, headers=guard.headers)).status_code == 200


async def test_what_the_openapi_document_promises_is_what_is_accepted(client, factory, guard, admin):
    """Findings of the schemathesis run, kept as plain tests."""
    resident = await factory.resident()

    whole = await client.post("/api/visits", json=visit_body(resident.id, totalPeople=3.0), headers=guard.headers)
    assert whole.status_code == 201 and whole.json()["totalPeople"] == 3
    fraction = await client.post("/api/visits", json=visit_body(resident.id, totalPeople=2.5), headers=guard.headers)
    assert fraction.status_code == 400 and fraction.json()["errors"][0]["field"] == "totalPeople"

    refused = {
        "visitorName": "a" + " " * 120,  # the limit counts what is sent, as the document says
        "arrivalDate": "2026-11-01",  # a date-time is required; a bare date was read as midnight
    }
    for field, value in refused.items():
        response = await client.post(
            "/api/visits", json=visit_body(resident.id, **{field: value}), headers=guard.headers
        )
        assert response.status_code == 400, (field, response.text)
        assert response.json()["errors"][0]["field"] == field
    padded = await client.post(
        "/api/residents", json={"name": "Ana", "unit": "B-1", "email": " ana@example.com"}, headers=admin.headers
    )
    assert padded.status_code == 400 and padded.json()["errors"] == [
        {"field": "email", "message": "should look like name@example.com"}
    ]
    empty = await client.post("/api/residents", json={"name": "Ana", "unit": "B-1", "email": ""}, headers=admin.headers)
    assert empty.status_code == 201 and empty.json()["email"] is None


async def test_an_empty_departure_means_still_inside_as_the_document_says(client, factory, guard):
    resident = await factory.resident()
    response = await client.post("/api/visits", json=visit_body(resident.id, departureDate=""), headers=guard.headers)
    assert response.status_code == 201 and response.json()["departureDate"] is None
    document = (await client.get("/schema/openapi.json")).json()
    departure = document["components"]["schemas"]["VisitInput"]["properties"]["departureDate"]
    assert jsonschema_rs.Draft202012Validator(departure, validate_formats=True).is_valid("")


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("es", "no es una fecha y hora ISO 8601"),
        ("pt-BR", "não é uma data e hora ISO 8601"),
        (None, "is not an ISO 8601 date-time"),
    ],
)
async def test_a_time_in_another_shape_is_explained_in_the_callers_language(client, guard, resident, language, message):
    headers = {**guard.headers, **({"Accept-Language": language} if language else {})}
    response = await client.post("/api/visits", json=visit_body(resident.id, arrivalDate="28/11/2026"), headers=headers)
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert [error["field"] for error in errors] == ["arrivalDate"]
    assert errors[0]["message"].startswith(message), errors
