"""POST /api/expected-visits/{id}/email-pass: the API's door to emailing a pass, with the page's rules."""

from __future__ import annotations

from app.db.tables import Delivery
from app.domain.expected import schemas as expected_schemas
from app.domain.expected import service as expected


async def _announce(caller):
    data = expected_schemas.ExpectedInput(visitor_name="Rosa Lima", starts_on=expected.today().isoformat())
    return await expected.announce(caller.actor, data)


async def _household(factory):
    home = await factory.resident(name="Ana Lima", unit="B-302")
    return await factory.caller("resident", resident_id=home.id)


def _url(item) -> str:
    return f"/api/expected-visits/{item.id}/email-pass"


async def test_the_household_and_administrators_email_a_pass_and_the_visitor_gets_it(client, factory, mail_server):
    resident = await _household(factory)
    other_home = await factory.resident(name="Bruno Costa", unit="C-101")
    other = await factory.caller("resident", resident_id=other_home.id)
    guard, admin = await factory.caller("guard"), await factory.caller("admin")
    item = await _announce(resident)

    sent = await client.post(_url(item), json={"email": " Rosa@Example.com "}, headers=resident.headers)
    assert sent.status_code == 202, sent.text
    assert sent.json() == {"email": "rosa@example.com"}
    (queued,) = await Delivery.select(Delivery.channel, Delivery.target)
    assert queued == {"channel": "email", "target": "rosa@example.com"}, queued

    by_admin = await client.post(_url(item), json={"email": "rosa@example.com"}, headers=admin.headers)
    assert by_admin.status_code == 202, by_admin.text
    assert (await client.post(_url(item), json={"email": "r@example.com"}, headers=guard.headers)).status_code == 403
    assert (await client.post(_url(item), json={"email": "r@example.com"}, headers=other.headers)).status_code == 404
    assert (await client.post(_url(item), json={"email": "r@example.com"})).status_code == 401
    assert await Delivery.count() == 2


async def test_bad_bodies_name_the_field(client, factory, mail_server):
    resident = await _household(factory)
    item = await _announce(resident)
    for body in ({"email": "not an address"}, {"email": " "}, {"email": 7}, {}):
        answer = await client.post(_url(item), json=body, headers=resident.headers)
        assert answer.status_code == 400, (body, answer.text)
        assert answer.headers["content-type"].startswith("application/problem+json")
        assert [error["field"] for error in answer.json()["errors"]] == ["email"], body
    assert await Delivery.count() == 0


async def test_a_pass_that_no_longer_opens_the_gate_is_not_emailed(client, factory, mail_server):
    resident = await _household(factory)
    item = await _announce(resident)
    revoked = await client.post(f"/api/expected-visits/{item.id}/revoke-pass", headers=resident.headers)
    assert revoked.status_code == 200
    answer = await client.post(_url(item), json={"email": "rosa@example.com"}, headers=resident.headers)
    assert answer.status_code == 410 and answer.json()["detail"] == "This pass was revoked."
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert await Delivery.count() == 0


async def test_without_smtp_the_answer_says_so(client, factory):
    resident = await _household(factory)
    item = await _announce(resident)
    answer = await client.post(_url(item), json={"email": "rosa@example.com"}, headers=resident.headers)
    assert answer.status_code == 409 and "sends no email" in answer.json()["detail"]
    assert await Delivery.count() == 0


async def test_an_idempotency_key_sends_the_pass_once(client, factory, mail_server):
    resident = await _household(factory)
    item = await _announce(resident)
    headers = resident.headers | {"Idempotency-Key": "email-rosa-1"}
    first = await client.post(_url(item), json={"email": "rosa@example.com"}, headers=headers)
    again = await client.post(_url(item), json={"email": "rosa@example.com"}, headers=headers)
    assert first.status_code == again.status_code == 202 and first.json() == again.json()
    assert await Delivery.count() == 1
    other_body = await client.post(_url(item), json={"email": "ana@example.com"}, headers=headers)
    assert other_body.status_code == 422
