"""Always let in: a resident pre-approves on a phone, the kiosk shows it in green, and revoking ends it."""

from __future__ import annotations

import json

from playwright.async_api import expect

from app.db.tables import AuditEvent, StandingPermission
from tests.web.browser import assert_accessible, screenshot, signed_in_page

NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"


async def pick_resident(kiosk, query: str) -> None:
    await kiosk.fill("#f-residentQuery", query)
    await kiosk.wait_for_selector("#resident-options [role=option]")
    await kiosk.keyboard.press("Enter")


async def test_a_resident_pre_approves_on_a_phone_and_the_gate_checks_in_without_asking(browser, server, homes, guard):
    _, resident, _, _ = homes  # Ana Lima, B-302
    phone_context, phone = await signed_in_page(browser, server, resident.actor.email, "/me", 375, 812)
    await phone.click("nav a:has-text('Always let in')")
    await phone.wait_for_selector("text=Nobody is let in without asking you.")
    # Only the field the chosen kind needs is shown.
    await expect(phone.locator("#f-visitorName")).to_be_hidden()
    await phone.check("#kind-person")
    await expect(phone.locator("#f-visitorName")).to_be_visible()
    await expect(phone.locator("#f-licensePlate")).to_be_hidden()

    # A mistake is shown beside its field, and what was typed stays.
    await phone.fill("#f-note", "Our nanny")
    await phone.click("button[type=submit]:has-text('Always let in')")
    await expect(phone.locator("#visitorName-error")).to_have_text("Their name is required and cannot be blank.")
    await expect(phone.locator("#f-note")).to_have_value("Our nanny")
    await expect(phone.locator("#kind-person")).to_be_checked()
    assert await StandingPermission.count() == 0
    await phone.fill("#f-visitorName", "Rita Souza")
    assert await phone.evaluate(NO_SIDEWAYS_SCROLL)
    await assert_accessible(phone, "always let in")
    await screenshot(phone, "always-let-in-form-375x812.png", full_page=True)
    await phone.click("button[type=submit]:has-text('Always let in')")
    await phone.wait_for_selector("text=Saved: the gate lets them in without asking you.")
    await phone.check("#kind-deliveries")
    await phone.click("button[type=submit]:has-text('Always let in')")
    await expect(phone.locator(".cards .card")).to_have_count(2)
    assert await phone.evaluate(NO_SIDEWAYS_SCROLL)
    await screenshot(phone, "always-let-in-list-375x812.png", full_page=True)

    # The guard: a person typed any way, and a delivery with one tap on its quick pick.
    kiosk_context, kiosk = await signed_in_page(browser, server, guard.actor.email, "/kiosk", 1024, 768)
    await pick_resident(kiosk, "B-302")
    await kiosk.fill("#f-visitorName", "rita  SOUZA")
    line = kiosk.locator("#gate-checks .pre-approved")
    await expect(line).to_contain_text("Pre-approved by Ana Lima (person)")
    await kiosk.fill("#f-visitorName", "Speedy Courier")
    await expect(line).to_have_count(0)
    await kiosk.click(".quick-picks [data-subject='Delivery']")
    await expect(line).to_contain_text("Pre-approved by Ana Lima (deliveries)")
    await screenshot(kiosk, "kiosk-pre-approved-1024x768.png")
    await assert_accessible(kiosk, "kiosk with a pre-approval")
    await kiosk.set_viewport_size({"width": 375, "height": 812})
    await line.scroll_into_view_if_needed()
    assert await kiosk.evaluate(NO_SIDEWAYS_SCROLL)
    await screenshot(kiosk, "kiosk-pre-approved-375x812.png")
    await kiosk.set_viewport_size({"width": 1024, "height": 768})
    await kiosk.click("#check-in button[type=submit]")
    await kiosk.wait_for_selector("#board td:has-text('Speedy Courier')")
    created = await AuditEvent.select(AuditEvent.changes).where(AuditEvent.action == "visit.created").first()
    changes = created["changes"] if isinstance(created["changes"], dict) else json.loads(created["changes"])
    deliveries = await StandingPermission.select(StandingPermission.id).where(StandingPermission.kind == "deliveries")
    assert changes["standingPermissionId"] == str(deliveries[0]["id"])

    # The resident revokes the delivery permission: the gate no longer shows it.
    phone.on("dialog", lambda dialog: dialog.accept())  # "Stop letting … in without asking?"
    await phone.click(".card:has-text('Deliveries') button:has-text('Revoke')")
    await phone.wait_for_selector("text=Revoked: the gate asks you again.")
    await expect(phone.locator(".cards .card")).to_have_count(1)
    await pick_resident(kiosk, "B-302")
    await kiosk.fill("#f-visitorName", "Other Courier")
    async with kiosk.expect_response(lambda r: "/kiosk/checks" in r.url and "subject=Delivery" in r.url) as asked:
        await kiosk.click(".quick-picks [data-subject='Delivery']")
    assert "Pre-approved" not in await (await asked.value).text()
    await expect(line).to_have_count(0)
    await kiosk.fill("#f-visitorName", "Rita Souza")
    await expect(line).to_contain_text("Pre-approved by Ana Lima (person)")
    assert phone.console_errors == [] and kiosk.console_errors == []
    await phone_context.close()
    await kiosk_context.close()
