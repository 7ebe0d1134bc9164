"""The resident's Notifications page, the devices endpoint, administrators' deliveries, and the app shell."""

from __future__ import annotations

import msgspec

from app.db.tables import Delivery, PushSubscription
from app.domain.notifications import service
from app.domain.notifications.schemas import SubscriptionInput
from tests.notifications.standins import PushKeys
from tests.pages import sign_in

PHONE = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Mobile Safari/537.36"
)
ENDPOINT = "https://fcm.googleapis.com/fcm/send/abc123"


def subscription(endpoint: str = ENDPOINT) -> dict:
    return PushKeys().subscription(endpoint)


async def test_the_page_shows_the_channels_and_a_device_subscribes_and_unsubscribes(resident_a):
    client, token = resident_a
    page = await client.get("/me/notifications")
    assert page.status_code == 200
    assert page.headers["cache-control"] == "no-store"
    text = page.text
    assert 'href="/me/notifications" aria-current="page"' in text
    assert 'rel="manifest" href="/manifest.webmanifest"' in text
    assert "data-vapid-key=" in text and "Push on this device" in text
    assert "No device receives push notifications yet." in text
    assert "sends no email" in text  # no SMTP_URL here

    body = subscription()
    headers = {"x-csrftoken": token, "user-agent": PHONE}
    created = await client.post("/me/notifications/devices", json=body, headers=headers)
    assert created.status_code == 201
    assert created.json()["label"] == "Chrome on Android"
    again = await client.post("/me/notifications/devices", json=body, headers=headers)  # the same browser
    assert again.json()["id"] == created.json()["id"]
    assert await PushSubscription.count() == 1
    devices = await client.get("/me/notifications/devices", headers={"hx-request": "true"})
    assert f'data-endpoint="{ENDPOINT}"' in devices.text and "Chrome on Android" in devices.text

    gone = await client.post("/me/notifications/devices/unsubscribe", json=body, headers=headers)
    assert gone.json() == {"removed": True}
    assert await PushSubscription.count() == 0


async def test_a_subscription_needs_the_csrf_token_and_a_public_https_endpoint(resident_a):
    client, token = resident_a
    assert (await client.post("/me/notifications/devices", json=subscription())).status_code == 403
    for endpoint in ("http://push.example.com/x", "https://127.0.0.1/x", "https://10.0.0.5/x", "https://localhost/x"):
        answer = await client.post(
            "/me/notifications/devices", json=subscription(endpoint), headers={"x-csrftoken": token}
        )
        assert answer.status_code == 400, endpoint
        assert "endpoint" in answer.text
    broken = subscription() | {"keys": {"p256dh": "bm90IGEga2V5", "auth": "c2hvcnQ"}}
    answer = await client.post("/me/notifications/devices", json=broken, headers={"x-csrftoken": token})
    assert answer.status_code == 400
    assert "keys.p256dh" in answer.text and "keys.auth" in answer.text
    answer = await client.post("/me/notifications/devices", content=b"{not json", headers={"x-csrftoken": token})
    assert answer.status_code == 400
    assert await PushSubscription.count() == 0


async def test_another_households_device_is_not_found(resident_a, homes):
    client, token = resident_a
    _, _, _, caller_b = homes
    theirs = await service.subscribe(caller_b.actor, msgspec.convert(subscription(), SubscriptionInput), "Phone")
    answer = await client.post(f"/me/notifications/devices/{theirs.id}/remove", data={"_csrf_token": token})
    assert answer.status_code == 404
    assert await PushSubscription.count() == 1
    gone = await client.post(
        "/me/notifications/devices/unsubscribe", json=subscription(), headers={"x-csrftoken": token}
    )
    assert gone.json() == {"removed": False}
    assert await PushSubscription.count() == 1


async def test_removing_my_device_and_email_choice_and_a_test(resident_a, homes):
    client, token = resident_a
    _, caller_a, _, _ = homes
    mine = await service.subscribe(caller_a.actor, msgspec.convert(subscription(), SubscriptionInput), "Phone")

    tested = await client.post("/me/notifications/test", data={"_csrf_token": token})
    assert tested.status_code == 200
    assert "A test was queued for 1 device or address" in tested.text
    assert "Test notification from Gatehouse" in tested.text
    row = await Delivery.select(Delivery.channel, Delivery.target).first()
    assert row == {"channel": "push", "target": str(mine.id)}

    removed = await client.post(f"/me/notifications/devices/{mine.id}/remove", data={"_csrf_token": token})
    assert "The device was removed" in removed.text
    assert await PushSubscription.count() == 0
    nothing = await client.post("/me/notifications/test", data={"_csrf_token": token})
    assert "Nothing was sent" in nothing.text

    await service.set_email_notices(caller_a.actor, True)
    off = await client.post("/me/notifications/email", data={"_csrf_token": token, "email": "off"})
    assert "Email notices are off." in off.text


async def test_staff_cannot_open_the_residents_page(client, guard):
    await sign_in(client, guard.actor.email)
    assert (await client.get("/me/notifications")).status_code == 403


async def test_administrators_see_every_delivery_newest_first(client, admin, homes):
    _, caller_a, _, caller_b = homes
    for caller in (caller_a, caller_b):
        await service.subscribe(
            caller.actor, msgspec.convert(subscription(f"{ENDPOINT}{caller.actor.email}"), SubscriptionInput), "Phone"
        )
        await service.send_test(caller.actor)
    await sign_in(client, admin.actor.email, next_url="/admin/deliveries")
    page = await client.get("/admin/deliveries")
    assert page.status_code == 200
    assert 'href="/admin/deliveries" aria-current="page"' in page.text
    assert page.text.index(caller_b.actor.email) < page.text.index(caller_a.actor.email)
    assert "Test notification from Gatehouse" in page.text
    assert "Push" in page.text


async def test_residents_and_guards_cannot_see_deliveries(client, homes, guard):
    _, caller_a, _, _ = homes
    await sign_in(client, caller_a.actor.email)
    assert (await client.get("/admin/deliveries")).status_code == 403
    client.cookies.clear()
    await sign_in(client, guard.actor.email)
    assert (await client.get("/admin/deliveries")).status_code == 403


async def test_the_service_worker_and_manifest_are_served_from_the_root(client):
    worker = await client.get("/sw.js")
    assert worker.status_code == 200
    assert worker.headers["content-type"].startswith("text/javascript")
    assert worker.headers["service-worker-allowed"] == "/"
    assert "notificationclick" in worker.text
    assert "worker-src 'self'" in worker.headers["content-security-policy"]
    manifest = await client.get("/manifest.webmanifest")
    assert manifest.headers["content-type"].startswith("application/manifest+json")
    data = manifest.json()
    assert data["start_url"] == "/me" and data["display"] == "standalone"
    sizes = {(icon["sizes"], icon.get("purpose", "any")) for icon in data["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= sizes
    for icon in data["icons"]:
        image = await client.get(icon["src"])
        assert image.status_code == 200 and image.content.startswith(b"\x89PNG")
        width = int.from_bytes(image.content[16:20], "big")
        assert f"{width}x{width}" == icon["sizes"]
