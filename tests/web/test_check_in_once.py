"""A check-in sent again after its answer was lost is answered, not recorded twice (the idempotency key)."""

from __future__ import annotations

import asyncio
import re
from datetime import timedelta
from uuid import uuid4

import msgspec

from app.db.tables import AuditEvent
from app.db.tables import Visit as VisitTable
from app.domain.visits import schemas
from app.domain.visits import service as visits
from app.lib.clock import utc_now
from tests.factory import visit_body
from tests.web.test_kiosk_pages import check_in_form

KEY = re.compile(r'name="idempotencyKey" value="([^"]+)"')


async def test_each_fresh_check_in_form_carries_its_own_key(kiosk):
    client, _, _ = kiosk
    first = KEY.findall((await client.get("/kiosk")).text)
    second = KEY.findall((await client.get("/kiosk")).text)
    assert len(first) == 1 and len(second) == 1 and first != second


async def test_the_same_key_twice_records_one_visit_and_gives_the_same_answer(kiosk, resident):
    client, _, headers = kiosk
    form = check_in_form(resident.id, idempotencyKey=str(uuid4()))
    first = await client.post("/kiosk/visits", data=form, headers=headers)
    again = await client.post("/kiosk/visits", data=form, headers=headers)
    assert first.status_code == again.status_code == 200
    for answer in (first, again):
        assert "Maria Silva checked in to see Ana Lima" in answer.text
        assert answer.headers["hx-trigger"] == "visits-changed"
    assert await VisitTable.count() == 1
    assert await AuditEvent.count().where(AuditEvent.action == "visit.created") == 1
    # The answer's fresh form has a new key: the next visitor is a new check-in.
    assert KEY.search(first.text).group(1) != form["idempotencyKey"]


async def test_a_new_key_records_a_new_visit(kiosk, resident):
    client, _, headers = kiosk
    for _ in range(2):
        form = check_in_form(resident.id, idempotencyKey=str(uuid4()))
        assert (await client.post("/kiosk/visits", data=form, headers=headers)).status_code == 200
    assert await VisitTable.count() == 2


async def test_a_refused_check_in_keeps_its_key_and_records_nothing_until_it_succeeds(kiosk, resident):
    client, _, headers = kiosk
    form = check_in_form(resident.id, visitorName=" ", idempotencyKey=str(uuid4()))
    refused = await client.post("/kiosk/visits", data=form, headers=headers)
    assert refused.status_code == 422
    assert KEY.search(refused.text).group(1) == form["idempotencyKey"]
    fixed = await client.post("/kiosk/visits", data=form | {"visitorName": "Maria Silva"}, headers=headers)
    assert fixed.status_code == 200 and await VisitTable.count() == 1


async def test_the_api_honours_an_idempotency_key_header(client, guard, resident):
    headers = guard.headers | {"Idempotency-Key": str(uuid4())}
    first = await client.post("/api/visits", json=visit_body(resident.id), headers=headers)
    again = await client.post("/api/visits", json=visit_body(resident.id), headers=headers)
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert again.headers["location"] == f"/api/visits/{first.json()['id']}"
    assert await VisitTable.count() == 1
    other = await client.post("/api/visits", json=visit_body(resident.id), headers=guard.headers)
    assert other.status_code == 201 and await VisitTable.count() == 2


async def test_requests_racing_on_one_key_record_one_visit(guard, resident, db):
    key = str(uuid4())
    data = msgspec.convert(visit_body(resident.id), schemas.CheckInInput)
    made = await asyncio.gather(*(visits.create_visit(guard.actor, data, key) for _ in range(4)))
    assert len({visit.id for visit in made}) == 1
    assert await VisitTable.count() == 1


async def test_keys_older_than_a_day_are_deleted_as_new_ones_are_written(client, guard, resident):
    old_key, recent_key = str(uuid4()), str(uuid4())
    for key in (old_key, recent_key):
        headers = guard.headers | {"Idempotency-Key": key}
        response = await client.post("/api/visits", json=visit_body(resident.id), headers=headers)
        assert response.status_code == 201, response.text
    stale = (utc_now() - visits.KEY_KEPT - timedelta(minutes=1)).isoformat()
    await VisitTable.raw("UPDATE check_in_key SET created_at = {} WHERE key = {}", stale, old_key)

    newer = guard.headers | {"Idempotency-Key": str(uuid4())}
    assert (await client.post("/api/visits", json=visit_body(resident.id), headers=newer)).status_code == 201
    kept = {row["key"] for row in await VisitTable.raw("SELECT key FROM check_in_key")}
    assert old_key not in kept and recent_key in kept and len(kept) == 2
