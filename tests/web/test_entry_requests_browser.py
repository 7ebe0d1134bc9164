"""Ask the resident, in a real browser: the guard at a 1024x768 tablet asks about a walk-in, the resident
approves on a 375x812 phone, and the guard checks the visitor in with one key; a second request goes unanswered
and the guard records the call."""

from __future__ import annotations

import re
from datetime import timedelta

from playwright.async_api import expect

from app.db.tables import EntryRequest, Resident, Visit
from app.lib.clock import utc_now
from tests.web.browser import assert_accessible, screenshot, signed_in_page


async def fill_visitor(kiosk, resident_query: str, visitor: str, plate: str = "") -> None:
    await kiosk.fill("#f-residentQuery", resident_query)
    await kiosk.wait_for_selector("#resident-options [role=option]")
    await kiosk.keyboard.press("Enter")
    await kiosk.fill("#f-visitorName", visitor)
    await kiosk.fill("#f-licensePlate", plate)


async def test_the_guard_asks_the_resident_approves_on_a_phone_and_one_key_checks_in(browser, server, homes, guard):
    home, resident, _, _ = homes
    await Resident.update({Resident.phone: "+55 11 98765-4321"}).where(Resident.id == home.id)
    phone_context, phone = await signed_in_page(browser, server, resident.actor.email, "/me", 375, 812)
    kiosk_context, kiosk = await signed_in_page(browser, server, guard.actor.email, "/kiosk", 1024, 768)
    await phone.wait_for_selector("body[data-live=connected]")
    await kiosk.wait_for_selector("body[data-live=connected]")
    await expect(kiosk.locator("#waiting")).to_be_hidden()

    await fill_visitor(kiosk, "B-302", "Zoë Ñúñez-O'Brien", "kzt4r21")
    await kiosk.click("button[data-ask]")
    await kiosk.wait_for_selector("#check-in .notice:has-text('Asking Ana Lima')")
    await expect(kiosk.locator("#f-visitorName")).to_have_value("")  # free for the next visitor
    card = kiosk.locator("#waiting .request.pending")
    await expect(card).to_contain_text("Zoë Ñúñez-O'Brien")
    await expect(card.locator(".countdown")).to_have_text(re.compile(r"^[01]:\d\d left$"))
    await screenshot(kiosk, "ask-waiting-1024x768.png")

    # Every page of the household hears it at once; the phone answers.
    prompt = phone.locator("#entry-prompt .prompt.pending")
    await expect(prompt).to_contain_text("Zoë Ñúñez-O'Brien is at the gate")
    await expect(prompt).to_contain_text("KZT4R21")
    no_sideways_scroll = "document.documentElement.scrollWidth <= window.innerWidth"
    assert await phone.evaluate(no_sideways_scroll)
    await assert_accessible(phone, "the household's prompt")
    await screenshot(phone, "ask-prompt-375x812.png")
    await phone.fill("#entry-prompt input[name=message]", "Leave the parcel at the gate")
    await phone.click("#entry-prompt button[value=approve]")
    await expect(phone.locator("#entry-prompt .prompt.approved")).to_contain_text("You answered: let in.")

    # The kiosk turns the line green, names who answered and gives Check in the focus: one key admits.
    approved = kiosk.locator("#waiting .request.approved")
    await expect(approved).to_contain_text(f"Approved by {resident.actor.email}")
    await expect(approved).to_contain_text("Leave the parcel at the gate")
    await expect(approved.locator("button[data-approved]")).to_be_focused()
    await screenshot(kiosk, "ask-approved-1024x768.png")
    await kiosk.keyboard.press("Enter")
    await kiosk.wait_for_selector("#board td:has-text('Zoë Ñúñez-O')")
    await expect(kiosk.locator("#waiting .notice")).to_contain_text("checked in to see Ana Lima")
    # The keyboard is back for the next one at once, not at the list's next 20-second refresh.
    await expect(kiosk.locator("#f-residentQuery")).to_be_focused(timeout=5000)
    await expect(kiosk.locator("#check-in .asked-note")).to_have_count(0)
    visit = await Visit.select(Visit.approval).first()
    assert '"approved"' in visit["approval"]

    # A second walk-in: nobody answers in time; the guard calls and records the outcome.
    await fill_visitor(kiosk, "B-302", "Carlos Entregas")
    await kiosk.click("button[data-ask]")
    await expect(kiosk.locator("#waiting .request.pending")).to_contain_text("Carlos Entregas")
    await EntryRequest.update({EntryRequest.expires_at: utc_now() + timedelta(seconds=2)}).where(
        EntryRequest.visitor_name == "Carlos Entregas"
    )
    # Both pages count down to the time they were given: told of the shortened one, they refetch at zero.
    for page in (kiosk, phone):
        await page.evaluate("document.body.dispatchEvent(new CustomEvent('requests-changed'))")
    unanswered = kiosk.locator("#waiting .request.expired")
    await expect(unanswered).to_contain_text("No answer.", timeout=15000)  # the countdown reached zero
    await expect(unanswered.locator("a.phone")).to_have_text("+55 11 98765-4321")
    await expect(phone.locator("#entry-prompt")).to_contain_text("Carlos Entregas: no one answered in time")
    await screenshot(kiosk, "ask-no-answer-1024x768.png")
    await unanswered.locator("input[name=message]").fill("Ana said he may come in")
    await unanswered.locator("button[value=approve]").click()
    called = kiosk.locator("#waiting .request.approved")
    await expect(called).to_contain_text("Approved by phone")
    await called.locator("button[data-approved]").click()
    await kiosk.wait_for_selector("#board td:has-text('Carlos Entregas')")
    await expect(kiosk.locator("#waiting .notice")).to_contain_text("Carlos Entregas")
    # The notice stays until the list is next fetched (every 20 s, or at the next change): nothing waits then.
    await kiosk.evaluate("document.body.dispatchEvent(new CustomEvent('requests-changed'))")
    await expect(kiosk.locator("#waiting")).to_be_hidden()

    assert not phone.console_errors, phone.console_errors
    assert not kiosk.console_errors, kiosk.console_errors
    await kiosk_context.close()
    await phone_context.close()
