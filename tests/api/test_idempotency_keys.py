"""`Idempotency-Key` on every API POST: the same key and body answer with the first response and do
nothing again; the same key with another body is 422; keys belong to the caller's account."""

from __future__ import annotations

from app.db.tables import BannedVisitor, Visit
from tests.factory import visit_body


async def test_a_post_sent_again_with_its_key_answers_the_same_and_does_nothing(client, admin):
    body = {"reason": "Threatened the staff", "name": "Carlos Mau"}
    headers = admin.headers | {"Idempotency-Key": "ban-1"}
    first = await client.post("/api/do-not-admit", json=body, headers=headers)
    again = await client.post("/api/do-not-admit", json=body, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and again.headers["location"] == first.headers["location"]
    assert again.headers["idempotent-replayed"] == "true"
    assert await BannedVisitor.count() == 1

    other = await client.post("/api/do-not-admit", json=body | {"name": "Someone Else"}, headers=headers)
    assert other.status_code == 422 and "Idempotency-Key" in other.json()["detail"]
    assert await BannedVisitor.count() == 1


async def test_keys_belong_to_the_caller_and_a_refusal_is_replayed_too(client, admin, guard):
    body = {"reason": "Rude", "name": "Someone"}
    mine = await client.post("/api/do-not-admit", json=body, headers=admin.headers | {"Idempotency-Key": "k"})
    theirs = await client.post("/api/do-not-admit", json=body, headers=guard.headers | {"Idempotency-Key": "k"})
    assert mine.status_code == 201 and theirs.status_code == 403  # the guard's own key: run, and refused
    replayed = await client.post("/api/do-not-admit", json=body, headers=guard.headers | {"Idempotency-Key": "k"})
    assert replayed.status_code == 403 and replayed.headers["content-type"].startswith("application/problem+json")


async def test_the_check_in_refuses_its_key_with_another_body(client, guard, resident):
    headers = guard.headers | {"Idempotency-Key": "visit-1"}
    first = await client.post("/api/visits", json=visit_body(resident.id), headers=headers)
    again = await client.post("/api/visits", json=visit_body(resident.id), headers=headers)
    assert first.status_code == again.status_code == 201 and again.json()["id"] == first.json()["id"]
    other = await client.post("/api/visits", json=visit_body(resident.id, visitorName="Other"), headers=headers)
    assert other.status_code == 422
    assert await Visit.count() == 1
