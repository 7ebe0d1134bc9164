"""Passes on the API: every announcement's code, looking it up at the gate, checking in by it, revoking it."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from app.db.tables import AuditEvent, ExpectedVisit, Visit
from app.domain.bans import schemas as ban_schemas
from app.domain.bans import service as bans
from app.domain.expected import service as expected
from app.lib.actors import SYSTEM


def day(offset: int = 0) -> str:
    return (expected.today() + timedelta(days=offset)).isoformat()


async def announce(client, caller, **body) -> dict:
    response = await client.post(
        "/api/expected-visits", json={"visitorName": "Rosa Lima", "startsOn": day()} | body, headers=caller.headers
    )
    assert response.status_code == 201, response.text
    return response.json()


async def test_an_announcement_carries_its_pass(client, homes):
    _, resident_a, _, _ = homes
    item = await announce(client, resident_a, passMaxUses=3, endsOn=day(5))
    assert len(item["passCode"]) == 6 and item["passCode"].isdigit()
    assert item["passUrl"].startswith("http") and "/pass/" in item["passUrl"]
    assert len(item["passUrl"].rsplit("/", 1)[1]) >= 32
    assert item["passUses"] == 0 and item["passMaxUses"] == 3 and item["passRevokedAt"] is None
    bad = await client.post(
        "/api/expected-visits",
        json={"visitorName": "X", "startsOn": day(), "passMaxUses": 0},
        headers=resident_a.headers,
    )
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "passMaxUses"


async def test_the_gate_looks_a_pass_up_and_every_role_gets_its_answer(client, homes, guard, admin):
    _, resident_a, _, resident_b = homes
    item = await announce(client, resident_a)
    url = f"/api/passes/{item['passCode']}"
    assert (await client.get(url)).status_code == 401
    assert (await client.get(url, headers=resident_a.headers)).status_code == 403
    assert (await client.get(url, headers=resident_b.headers)).status_code == 403
    for staff in (guard, admin):
        found = await client.get(url, headers=staff.headers)
        assert found.status_code == 200 and found.json()["id"] == item["id"]
    unknown = "000000" if item["passCode"] != "000000" else "000001"
    assert (await client.get(f"/api/passes/{unknown}", headers=guard.headers)).status_code == 404


async def test_a_single_day_pass_lets_in_once_and_then_says_it_is_used_up(client, homes, guard):
    home_a, resident_a, _, _ = homes
    item = await announce(client, resident_a, totalPeople=2, licensePlate="abc1d23")
    first = await client.post("/api/visits", json={"passCode": item["passCode"]}, headers=guard.headers)
    assert first.status_code == 201, first.text
    visit = first.json()
    assert visit["residentId"] == str(home_a.id) and visit["visitorName"] == "Rosa Lima"
    assert visit["totalPeople"] == 2 and visit["licensePlate"] == "ABC1D23"
    row = await ExpectedVisit.select(ExpectedVisit.pass_uses).where(ExpectedVisit.id == item["id"]).first()
    assert row["pass_uses"] == 1
    again = await client.post("/api/visits", json={"passCode": item["passCode"]}, headers=guard.headers)
    assert again.status_code == 410 and again.json()["detail"] == "This pass is used up."
    looked = await client.get(f"/api/passes/{item['passCode']}", headers=guard.headers)
    assert looked.status_code == 410 and "used up" in looked.json()["detail"]
    assert await Visit.count() == 1


async def test_a_range_pass_lets_in_many_times_up_to_its_cap(client, homes, guard):
    _, resident_a, _, _ = homes
    item = await announce(client, resident_a, endsOn=day(3), passMaxUses=2)
    for _ in range(2):
        response = await client.post("/api/visits", json={"passCode": item["passCode"]}, headers=guard.headers)
        assert response.status_code == 201, response.text
    third = await client.post("/api/visits", json={"passCode": item["passCode"]}, headers=guard.headers)
    assert third.status_code == 410 and third.json()["detail"] == "This pass is used up."
    listed = await client.get(f"/api/expected-visits/{item['id']}", headers=resident_a.headers)
    assert listed.json()["passUses"] == 2


async def test_a_pass_for_later_or_another_weekday_is_not_valid_today(client, homes, guard):
    _, resident_a, _, _ = homes
    later = await announce(client, resident_a, startsOn=day(2))
    response = await client.post("/api/visits", json={"passCode": later["passCode"]}, headers=guard.headers)
    assert response.status_code == 410 and response.json()["detail"] == "This pass is not valid today."
    other_day = (expected.today().isoweekday() % 7) + 1
    weekly = await announce(client, resident_a, endsOn=day(30), weekdays=[other_day])
    looked = await client.get(f"/api/passes/{weekly['passCode']}", headers=guard.headers)
    assert looked.status_code == 410 and looked.json()["detail"] == "This pass is not valid today."


async def test_an_expired_pass_says_so(client, homes, guard):
    _, resident_a, _, _ = homes
    item = await announce(client, resident_a)
    await ExpectedVisit.update(
        {
            ExpectedVisit.starts_on: expected.today() - timedelta(days=3),
            ExpectedVisit.ends_on: expected.today() - timedelta(days=1),
        }
    ).where(ExpectedVisit.id == item["id"])
    looked = await client.get(f"/api/passes/{item['passCode']}", headers=guard.headers)
    assert looked.status_code == 410 and looked.json()["detail"] == "This pass has expired."


async def test_residents_and_administrators_revoke_passes_guards_may_not(client, homes, guard, admin):
    _, resident_a, _, resident_b = homes
    item = await announce(client, resident_a, endsOn=day(3))
    url = f"/api/expected-visits/{item['id']}/revoke-pass"
    assert (await client.post(url)).status_code == 401
    assert (await client.post(url, headers=resident_b.headers)).status_code == 404
    assert (await client.post(url, headers=guard.headers)).status_code == 403
    revoked = await client.post(url, headers=resident_a.headers)
    assert revoked.status_code == 200 and revoked.json()["passRevokedAt"] is not None
    assert (await client.post(url, headers=admin.headers)).status_code == 200
    refused = await client.post("/api/visits", json={"passCode": item["passCode"]}, headers=guard.headers)
    assert refused.status_code == 410 and refused.json()["detail"] == "This pass was revoked."
    by_id = await client.post(
        "/api/visits",
        json={
            "residentId": item["residentId"],
            "visitorName": "Rosa Lima",
            "totalPeople": 1,
            "subject": "Guest",
            "arrivalDate": expected.utc_now().isoformat(),
            "expectedVisitId": item["id"],
        },
        headers=guard.headers,
    )
    assert by_id.status_code == 400 and by_id.json()["errors"][0]["field"] == "expectedVisitId"
    actions = {row["action"] for row in await AuditEvent.select(AuditEvent.action)}
    assert "expected.pass_revoked" in actions


async def test_the_do_not_admit_list_still_applies_to_a_pass(client, homes, guard):
    _, resident_a, _, _ = homes
    item = await announce(client, resident_a, licensePlate="BAN0001")
    await bans.add_ban(SYSTEM, ban_schemas.BanInput(reason="Threatened the staff", license_plate="BAN0001"))
    refused = await client.post("/api/visits", json={"passCode": item["passCode"]}, headers=guard.headers)
    assert refused.status_code == 409
    assert await Visit.count() == 0
    row = await ExpectedVisit.select(ExpectedVisit.pass_uses).where(ExpectedVisit.id == item["id"]).first()
    assert row["pass_uses"] == 0
    admitted = await client.post(
        "/api/visits",
        json={"passCode": item["passCode"], "overrideReason": "Resident came down"},
        headers=guard.headers,
    )
    assert admitted.status_code == 201, admitted.text


async def test_a_wrong_code_in_a_check_in_names_the_field_and_residents_may_not(client, homes, guard):
    _, resident_a, _, _ = homes
    item = await announce(client, resident_a)
    unknown = "999999" if item["passCode"] != "999999" else "999998"
    response = await client.post("/api/visits", json={"passCode": unknown}, headers=guard.headers)
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "passCode"
    refused = await client.post("/api/visits", json={"passCode": item["passCode"]}, headers=resident_a.headers)
    assert refused.status_code == 403


@pytest.mark.parametrize("path", ["/api/passes/{code}", "visits"])
async def test_ten_wrong_codes_in_ten_minutes_wait_and_are_audited(client, homes, guard, path):
    _, resident_a, _, _ = homes
    item = await announce(client, resident_a)
    wrong = [f"{n:06d}" for n in range(20) if f"{n:06d}" != item["passCode"]][:10]

    async def attempt(code: str):
        if path == "visits":
            return await client.post("/api/visits", json={"passCode": code}, headers=guard.headers)
        return await client.get(f"/api/passes/{code}", headers=guard.headers)

    for code in wrong:
        assert (await attempt(code)).status_code in (400, 404)
    limited = await attempt(item["passCode"])
    assert limited.status_code == 429 and "Too many wrong pass codes" in limited.json()["detail"]
    actions = [row["action"] for row in await AuditEvent.select(AuditEvent.action)]
    assert "pass.guessing_limited" in actions


async def test_codes_are_unique_among_passes_in_force(client, homes, monkeypatch):
    _, resident_a, _, _ = homes
    from app.domain.passes import rules

    first = await announce(client, resident_a, endsOn=day(3))
    codes = iter([first["passCode"], first["passCode"], "424242" if first["passCode"] != "424242" else "434343"])
    monkeypatch.setattr(rules, "new_code", lambda: next(codes))
    second = await announce(client, resident_a)
    assert second["passCode"] != first["passCode"]


async def test_check_ins_racing_for_the_last_entries_get_one_each(client, homes, guard, admin):
    _, resident_a, _, _ = homes
    capped = await announce(client, resident_a, endsOn=day(3), passMaxUses=2)
    uncapped = await announce(client, resident_a, visitorName="Crew", endsOn=day(3))

    async def by_pass(code: str, caller):
        return await client.post("/api/visits", json={"passCode": code}, headers=caller.headers)

    racing = await asyncio.gather(*(by_pass(capped["passCode"], (guard, admin)[n % 2]) for n in range(5)))
    assert sorted(response.status_code for response in racing) == [201, 201, 410, 410, 410]
    crew = await asyncio.gather(*(by_pass(uncapped["passCode"], guard) for _ in range(3)))
    assert [response.status_code for response in crew] == [201, 201, 201]
    rows = await ExpectedVisit.select(ExpectedVisit.pass_uses).order_by(ExpectedVisit.created_at, ExpectedVisit.id)
    assert sorted(row["pass_uses"] for row in rows) == [2, 3]
    assert await Visit.count() == 5
