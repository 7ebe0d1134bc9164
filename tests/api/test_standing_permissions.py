"""Standing permissions on the API: granting, listing, reading and revoking, household by household."""

from __future__ import annotations

from datetime import timedelta

from app.db.tables import AuditEvent, StandingPermission
from app.domain.expected.service import today
from app.domain.permissions import schemas as permission_schemas
from app.domain.permissions import service as permissions
from app.lib.actors import SYSTEM

URL = "/api/standing-permissions"


def day(offset: int = 0) -> str:
    return (today() + timedelta(days=offset)).isoformat()


async def test_a_resident_grants_lists_reads_and_revokes_their_own(client, homes):
    home_a, resident_a, _, _ = homes
    body = {"kind": "person", "visitorName": "  José  da Silva ", "note": "Our gardener"}
    response = await client.post(URL, json=body, headers=resident_a.headers)
    assert response.status_code == 201, response.text
    granted = response.json()
    assert response.headers["location"] == f"{URL}/{granted['id']}"
    assert granted["residentId"] == str(home_a.id) and granted["residentName"] == "Ana Lima"
    assert granted["visitorName"] == "José da Silva" and granted["licensePlate"] is None
    assert granted["startsOn"] == day() and granted["endsOn"] == day(permission_schemas.DEFAULT_DAYS)
    plate = await client.post(
        URL,
        json={"kind": "plate", "licensePlate": "abc-1d23", "visitorName": "ignored", "endsOn": day(7)},
        headers=resident_a.headers,
    )
    assert plate.status_code == 201 and plate.json()["licensePlate"] == "ABC-1D23"
    assert plate.json()["visitorName"] is None and plate.json()["endsOn"] == day(7)
    listed = await client.get(URL, headers=resident_a.headers)
    assert {item["id"] for item in listed.json()} == {plate.json()["id"], granted["id"]}
    one = await client.get(f"{URL}/{granted['id']}", headers=resident_a.headers)
    assert one.status_code == 200 and one.json() == granted
    revoked = await client.delete(f"{URL}/{granted['id']}", headers=resident_a.headers)
    assert revoked.status_code == 204
    assert (await client.get(f"{URL}/{granted['id']}", headers=resident_a.headers)).status_code == 404
    assert [item["id"] for item in (await client.get(URL, headers=resident_a.headers)).json()] == [plate.json()["id"]]
    row = await StandingPermission.select().where(StandingPermission.id == granted["id"]).first()
    assert row["revoked_at"] is not None  # kept for the audit trail, not deleted
    actions = await AuditEvent.select(AuditEvent.action).where(AuditEvent.record_id == granted["id"])
    assert sorted(event["action"] for event in actions) == ["permission.granted", "permission.revoked"]


async def test_another_households_permission_is_not_found(client, homes):
    _, resident_a, home_b, resident_b = homes
    theirs = await permissions.grant(
        SYSTEM, permission_schemas.StandingPermissionInput(kind="deliveries", resident_id=home_b.id)
    )
    url = f"{URL}/{theirs.id}"
    assert (await client.get(url, headers=resident_a.headers)).status_code == 404
    assert (await client.delete(url, headers=resident_a.headers)).status_code == 404
    assert (await client.get(URL, headers=resident_a.headers)).json() == []
    assert (await client.get(f"{URL}?residentId={home_b.id}", headers=resident_a.headers)).status_code == 404
    assert (await client.get(url, headers=resident_b.headers)).status_code == 200
    refused = await client.post(
        URL, json={"kind": "deliveries", "residentId": str(home_b.id)}, headers=resident_a.headers
    )
    assert refused.status_code == 400 and refused.json()["errors"][0]["field"] == "residentId"


async def test_guards_read_but_may_not_grant_or_revoke_and_admins_name_the_resident(client, homes, guard, admin):
    home_a, _, home_b, _ = homes
    theirs = await permissions.grant(
        SYSTEM, permission_schemas.StandingPermissionInput(kind="deliveries", resident_id=home_b.id)
    )
    assert [item["id"] for item in (await client.get(URL, headers=guard.headers)).json()] == [str(theirs.id)]
    assert (await client.get(f"{URL}/{theirs.id}", headers=guard.headers)).status_code == 200
    for_a = {"kind": "deliveries", "residentId": str(home_a.id)}
    forbidden = await client.post(URL, json=for_a, headers=guard.headers)
    assert forbidden.status_code == 403 and forbidden.headers["content-type"] == "application/problem+json"
    assert (await client.delete(f"{URL}/{theirs.id}", headers=guard.headers)).status_code == 403
    nameless = await client.post(URL, json={"kind": "deliveries"}, headers=admin.headers)
    assert nameless.status_code == 400 and nameless.json()["errors"][0]["field"] == "residentId"
    granted = await client.post(URL, json=for_a, headers=admin.headers)
    assert granted.status_code == 201 and granted.json()["residentId"] == str(home_a.id)
    only_a = await client.get(f"{URL}?residentId={home_a.id}", headers=admin.headers)
    assert [item["id"] for item in only_a.json()] == [granted.json()["id"]]
    assert (await client.delete(f"{URL}/{theirs.id}", headers=admin.headers)).status_code == 204


async def test_bad_permissions_name_every_field_and_write_nothing(client, homes):
    _, resident_a, _, _ = homes
    body = {"kind": "person", "visitorName": "  ", "startsOn": day(2), "endsOn": day(1), "note": "x" * 301}
    response = await client.post(URL, json=body, headers=resident_a.headers)
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    assert {error["field"] for error in response.json()["errors"]} == {"visitorName", "endsOn", "note"}
    cases = [
        ({"kind": "plate", "licensePlate": "--"}, "licensePlate", "must contain a letter or a digit"),
        ({"kind": "plate"}, "licensePlate", "is required and cannot be blank"),
        ({"kind": "person", "visitorName": "?!"}, "visitorName", "must contain a letter or a digit"),
        ({"kind": "deliveries", "startsOn": day(-1)}, "startsOn", "is in the past"),
        ({"kind": "deliveries", "startsOn": "2026-02-30"}, "startsOn", "is not a date such as 2026-12-01"),
        (
            {"kind": "deliveries", "endsOn": day(permission_schemas.LONGEST_DAYS + 1)},
            "endsOn",
            "is more than a year after the first day; grant it again next year",
        ),
    ]
    for sent, field, message in cases:
        answer = await client.post(URL, json=sent, headers=resident_a.headers)
        assert answer.status_code == 400, sent
        assert answer.json()["errors"] == [{"field": field, "message": message}], sent
    unknown_kind = await client.post(URL, json={"kind": "everyone"}, headers=resident_a.headers)
    assert unknown_kind.status_code == 400 and unknown_kind.json()["errors"][0]["field"] == "kind"
    year = await client.post(
        URL, json={"kind": "deliveries", "endsOn": day(permission_schemas.LONGEST_DAYS)}, headers=resident_a.headers
    )
    assert year.status_code == 201
    assert await StandingPermission.count() == 1


async def test_the_document_states_what_each_kind_needs(client):
    document = (await client.get("/schema/openapi.json")).json()
    operation = document["paths"][URL]["post"]
    assert "contain a letter or a digit" in operation["description"]
    body = operation["requestBody"]["content"]["application/json"]["schema"]
    schema = document["components"]["schemas"][body["$ref"].rsplit("/", 1)[1]] if "$ref" in body else body
    assert schema["then"]["required"] == ["visitorName"]
    assert schema["else"]["then"]["required"] == ["licensePlate"]
