"""The webhooks' administration page: register (the secret shown once), the log, Send test event, Redeliver,
and an endpoint disabled after a day of failures showing why."""

from __future__ import annotations

import re
from datetime import timedelta

from app.db.tables import WebhookDelivery, WebhookEndpoint
from app.domain.webhooks import sender
from tests.factory import visit_body
from tests.webhooks.test_delivery import _until, all_sent

_SECRET = re.compile(r"data-secret>([^<]+)<")
_ENDPOINT = re.compile(r'href="/admin/webhooks/([0-9a-f-]{36})"')


async def _register(client, csrf, url: str):
    form = {
        "_csrf_token": csrf,
        "url": url,
        "description": "Barrier",
        "events": ["visit.checked_in", "visit.checked_out"],
    }
    return await client.post("/admin/webhooks", data=form)


async def test_register_shows_the_secret_once_and_refuses_bad_addresses(office, monkeypatch):
    client, csrf = office
    refused = await _register(client, csrf, "ftp://example.com/hook")
    assert refused.status_code == 422 and 'value="ftp://example.com/hook"' in refused.text
    private = await _register(client, csrf, "http://127.0.0.1:9/hook")
    assert private.status_code == 422  # this server's own host, without WEBHOOKS_ALLOW_PRIVATE=1
    no_events = await client.post("/admin/webhooks", data={"_csrf_token": csrf, "url": "https://example.com/x"})
    assert no_events.status_code == 422 and "Choose at least one event." in no_events.text

    page = await _register(client, csrf, "https://example.com/gatehouse")
    assert page.status_code == 201
    secret = _SECRET.search(page.text).group(1)
    assert secret.startswith("whsec_")
    assert "Registered: events will be sent to https://example.com/gatehouse. Its signing secret" in page.text
    again = await client.get("/admin/webhooks")
    assert secret not in again.text and "https://example.com/gatehouse" in again.text
    assert await WebhookEndpoint.count() == 1


async def test_the_log_shows_a_test_event_and_redelivers_it(office, receiver):
    client, csrf = office
    page = await _register(client, csrf, receiver.url)
    receiver.secret = _SECRET.search(page.text).group(1)
    endpoint_id = _ENDPOINT.search(page.text).group(1)
    tested = await client.post(f"/admin/webhooks/{endpoint_id}/test", data={"_csrf_token": csrf})
    assert tested.status_code == 200 and "A test event is on its way" in tested.text
    [message] = await receiver.wait_for(1)
    assert message["type"] == "webhook.test"
    await _until(all_sent)
    log = await client.get(f"/admin/webhooks/{endpoint_id}")
    assert "delivered" in log.text and message["id"] in log.text
    delivery = await WebhookDelivery.select(WebhookDelivery.id).first()
    redelivered = await client.post(
        f"/admin/webhooks/{endpoint_id}/deliveries/{delivery['id']}/redeliver", data={"_csrf_token": csrf}
    )
    assert redelivered.status_code == 200
    await receiver.wait_for_total(2)
    assert [m["id"] for m in receiver.messages] == [message["id"]] * 2  # the same webhook-id: a duplicate


async def test_an_endpoint_failing_for_a_day_is_disabled_with_the_reason(
    office, receiver, guard, resident, monkeypatch
):
    client, csrf = office
    receiver.status = 500
    page = await _register(client, csrf, receiver.url)
    receiver.secret = _SECRET.search(page.text).group(1)
    endpoint_id = _ENDPOINT.search(page.text).group(1)
    answer = await client.post("/api/visits", json=visit_body(resident.id), headers=guard.headers)
    assert answer.status_code == 201

    async def failing_since():
        row = await WebhookEndpoint.select(WebhookEndpoint.failing_since).first()
        return row["failing_since"]

    await _until(failing_since)
    later = (await failing_since()) + timedelta(days=1, minutes=1)
    real_now = sender.now
    monkeypatch.setattr(sender, "now", lambda: later)  # a day of failures later

    async def disabled():
        row = await WebhookEndpoint.select(WebhookEndpoint.enabled).first()
        return not row["enabled"]

    await _until(disabled)
    shown = await client.get(f"/admin/webhooks/{endpoint_id}")
    assert "Disabled after a day of failed deliveries" in shown.text and "answered 500" in shown.text
    receiver.status = 200
    monkeypatch.setattr(sender, "now", real_now)
    enabled = await client.post(f"/admin/webhooks/{endpoint_id}/enable", data={"_csrf_token": csrf})
    assert enabled.status_code == 200 and "receives events again" in enabled.text
    await client.post("/api/visits", json=visit_body(resident.id, visitorName="After"), headers=guard.headers)
    [message] = await receiver.wait_for(1)
    assert message["type"] == "visit.checked_in" and message["data"]["visitorName"] == "After"
