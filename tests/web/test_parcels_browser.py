"""A guard at a 1024x768 kiosk logs three parcels for one resident, who sees them arrive live on a phone; the
guard hands them over; a note left for the next shift is on the handover page."""

from __future__ import annotations

from playwright.async_api import expect

from tests.web.browser import assert_accessible, screenshot, signed_in_page


async def test_parcels_reach_the_resident_live_and_are_handed_over(browser, server, homes, guard, factory):
    home, resident, _, _ = homes  # Ana Lima, B-302; the neighbour is Bruno Costa, C-101
    phone_context, phone = await signed_in_page(browser, server, resident.actor.email, "/me", 375, 812)
    kiosk_context, kiosk = await signed_in_page(browser, server, guard.actor.email, "/kiosk/parcels", 1024, 768)
    await phone.wait_for_selector("body[data-live=connected]")
    await kiosk.wait_for_selector("body[data-live=connected]")
    await expect(phone.locator("#parcels-waiting")).to_contain_text("No parcel is waiting.")

    # Three parcels in one go: the resident picker, a carrier's quick pick, three scanned tracking numbers.
    await kiosk.fill("#f-residentQuery", "B-302")
    await kiosk.wait_for_selector("#resident-options [role=option]")
    await kiosk.keyboard.press("Enter")
    await kiosk.click("[data-fill=carrier][data-value='Correios']")
    await expect(kiosk.locator("#f-carrier")).to_have_value("Correios")
    await kiosk.fill("#f-trackingNumbers", "BR100\nBR200\nBR300")
    await kiosk.select_option("#f-size", "small")
    await kiosk.fill("#f-shelf", "A1")
    await kiosk.click("button:has-text('Receive')")
    await expect(kiosk.locator("#parcel-notice")).to_have_text("3 parcels received.")
    await expect(kiosk.locator("#results .card.parcel")).to_have_count(3)
    await expect(kiosk.locator("#parcel-counts")).to_contain_text("3 parcels waiting")
    await assert_accessible(kiosk, "parcels")
    await screenshot(kiosk, "parcels-1024x768.png")

    # The resident's page shows them at once, with a notice, without a reload.
    await expect(phone.locator("#parcels-waiting")).to_contain_text("3 parcels are waiting for you at the gatehouse")
    await expect(phone.locator("#parcels-waiting .parcel-line")).to_have_count(3)
    await expect(phone.locator("#live-notice")).to_have_text("A parcel arrived for you at the gatehouse.")
    assert await phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    await screenshot(phone, "parcels-resident-375x812.png", full_page=True)

    # The guard finds them by tracking number and by unit, and hands them over; the phone follows.
    await kiosk.fill("#f-q", "br 200")
    await expect(kiosk.locator("#results .card.parcel")).to_have_count(1)
    await kiosk.fill("#f-q", "B-302")
    await expect(kiosk.locator("#results .card.parcel")).to_have_count(3)
    for remaining in (2, 1, 0):
        card = kiosk.locator("#results .card.parcel").first
        await expect(card.locator("input[name=collectedBy]")).to_have_value("Ana Lima")
        await card.locator("button:has-text('Hand over')").click()
        await expect(kiosk.locator("#results .card.parcel")).to_have_count(remaining)
    await expect(phone.locator("#parcels-waiting")).to_contain_text("No parcel is waiting.")

    # A note for the next shift is on the handover page.
    await kiosk.goto("/kiosk/handover")
    await kiosk.fill("#f-text", "Parcels for B-302 collected; shelf A1 is free.")
    await kiosk.select_option("#f-category", "delivery")
    await kiosk.check("#f-forNextShift")
    await kiosk.click("button:has-text('Save the note')")
    note = kiosk.locator("#shift-notes .shift-note.for-next")
    await expect(note).to_contain_text("Parcels for B-302 collected; shelf A1 is free.")
    await expect(note).to_contain_text("not read yet")
    await assert_accessible(kiosk, "handover")
    await screenshot(kiosk, "handover-note-1024x768.png", full_page=True)
    # The incoming guard reads it (the author's own note is not theirs to mark read).
    incoming = await factory.caller("guard")
    next_context, next_shift = await signed_in_page(browser, server, incoming.actor.email, "/kiosk/handover", 1024, 768)
    await expect(next_shift.locator("#mark-read")).to_contain_text("(1 note for me)")
    await next_shift.click("#mark-read")
    await expect(next_shift.locator("#shift-notes .shift-note.for-next")).to_contain_text(
        f"read by {incoming.actor.email}"
    )
    await expect(note).to_contain_text(f"read by {incoming.actor.email}")  # live on the first kiosk too
    assert not next_shift.console_errors, next_shift.console_errors
    await next_context.close()

    assert not phone.console_errors, phone.console_errors
    assert not kiosk.console_errors, kiosk.console_errors
    await kiosk_context.close()
    await phone_context.close()
