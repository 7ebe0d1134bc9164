"""The handover follows the gate live, in Chromium at 1024×768 against a real server: a note written, a visitor
checked in and out, a parcel received and handed over at another kiosk (or through the API) reach an open
handover page without a reload, and what the guard is typing there stays. Printing leaves out "Note saved"."""

from __future__ import annotations

import httpx
from playwright.async_api import expect

from tests.factory import visit_body
from tests.web.browser import screenshot, signed_in_page

WIDTH, HEIGHT = 1024, 768


async def test_an_open_handover_follows_notes_visits_and_parcels_from_another_kiosk(browser, server, factory, guard):
    home = await factory.resident(name="Ana Lima", unit="B-302")
    other_guard = await factory.caller("guard")
    reading_context, reading = await signed_in_page(
        browser, server, guard.actor.email, "/kiosk/handover", WIDTH, HEIGHT
    )
    writing_context, writing = await signed_in_page(
        browser, server, other_guard.actor.email, "/kiosk/handover", WIDTH, HEIGHT
    )
    await expect(reading.locator("body[data-live=connected]")).to_have_count(1)
    await reading.fill("#f-text", "Half-typed note")  # must survive every live refresh below

    # A note the other guard leaves for the next shift appears, and the button counts it for this guard.
    await writing.fill("#f-text", "Gate 2 barrier sticks")
    await writing.check("#f-forNextShift")
    await writing.click("button:has-text('Save the note')")
    await expect(writing.locator("p.notice[role=status]")).to_have_text("Note saved in the shift log.")
    await expect(reading.locator("#shift-notes")).to_contain_text("Gate 2 barrier sticks")
    await expect(reading.locator("#mark-read")).to_contain_text("(1 note for me)")
    await expect(writing.locator("#mark-read")).not_to_contain_text("for me")

    # A visitor checked in at the other kiosk is still inside; checked out, gone.
    await writing.goto("/kiosk")
    await writing.focus("#f-residentQuery")
    await writing.keyboard.type("b-30")
    await writing.wait_for_selector("#resident-options [role=option]")
    await writing.keyboard.press("ArrowDown")
    await writing.keyboard.press("Enter")
    await writing.fill("#f-visitorName", "Maria Silva")
    await writing.press("#f-visitorName", "Enter")
    await writing.wait_for_selector("#board td:has-text('Maria Silva')")
    inside = reading.locator("section[aria-labelledby=inside-title]")
    await expect(inside).to_contain_text("Maria Silva")
    await writing.click("#board tr:has-text('Maria Silva') button:has-text('Check out')")
    await expect(inside).not_to_contain_text("Maria Silva")

    # A parcel received through the API is waiting; handed over, it is not.
    parcels = reading.locator("section[aria-labelledby=handover-parcels-title]")
    async with httpx.AsyncClient(base_url=server, headers=other_guard.headers, timeout=30) as api:
        body = {"residentId": str(home.id), "carrier": "Loggi", "shelf": "C3", "size": "small"}
        received = await api.post("/api/parcels", json=body)
        assert received.status_code == 201, received.text
        await expect(parcels).to_contain_text("Loggi")
        await expect(parcels.locator(".parcel-counts")).to_contain_text("1 parcel waiting")
        parcel_id = received.json()["id"]
        handed = await api.post(f"/api/parcels/{parcel_id}/hand-over", json={"collectedBy": "Ana Lima"})
        assert handed.status_code == 200, handed.text
        await expect(parcels.locator(".parcel-counts")).to_contain_text("0 parcels waiting")
        # A visitor checked in through the API reaches the handover too.
        arrived = await api.post("/api/visits", json=visit_body(home.id, visitorName="Rui Lopes"))
        assert arrived.status_code == 201, arrived.text
    await expect(inside).to_contain_text("Rui Lopes")

    await expect(reading.locator("#f-text")).to_have_value("Half-typed note")
    await screenshot(reading, f"handover-live-{WIDTH}x{HEIGHT}.png")

    # Marking the handover read reaches the other page; the saved-note banner stays off paper.
    await reading.click("#mark-read")
    await expect(reading.locator("p.notice[role=status]")).to_contain_text("1 note marked")
    await expect(writing.locator("body")).to_be_visible()
    await writing.goto("/kiosk/handover")
    await expect(writing.locator("#shift-notes")).to_contain_text(f"read by {guard.actor.email}")
    await reading.fill("#f-text", "Printed after this")
    await reading.click("button:has-text('Save the note')")
    notice = reading.locator("p.notice[role=status]")
    await expect(notice).to_be_visible()
    await reading.emulate_media(media="print")
    await expect(notice).to_be_hidden()
    await expect(reading.locator("#shift-notes")).to_be_visible()
    await reading.emulate_media(media="screen")

    for name, page in (("reading", reading), ("writing", writing)):
        assert not page.console_errors, (name, page.console_errors)
    for context in (reading_context, writing_context):
        await context.close()
