"""The guard's kiosk in Chromium against a real server: the scenario from issue 3, keyboard first."""

from __future__ import annotations

import re

from playwright.async_api import expect

from app.web.sessions import SESSION_COOKIE
from tests.pages import PASSWORD
from tests.web.browser import assert_accessible, screenshot, signed_in_page


async def new_kiosk(browser, server, email, width=1280, height=800):
    return await signed_in_page(browser, server, email, "/kiosk", width, height)


async def test_guard_checks_visitors_in_and_out_while_a_second_kiosk_follows(browser, server, factory, guard):
    await factory.resident(name="Ana Lima", unit="B-302")
    await factory.resident(name="Bruno Costa", unit="C-101")
    context, page = await new_kiosk(browser, server, guard.actor.email)
    other_context, other = await new_kiosk(browser, server, guard.actor.email)
    await assert_accessible(page, "kiosk")

    # Keyboard only: pick the resident with arrows + Enter, leave the name blank, submit.
    await page.focus("#f-residentQuery")
    await page.keyboard.type("b-30")
    await page.wait_for_selector("#resident-options [role=option]")
    await page.keyboard.press("ArrowDown")
    await page.keyboard.press("Enter")
    await expect(page.locator("#f-residentQuery")).to_have_value("Ana Lima · B-302")
    await expect(page.locator("#f-visitorName")).to_be_focused()
    await page.fill("#f-vehicleColor", "Silver")
    await page.fill("#f-licensePlate", "kzt-4r21")
    await page.press("#f-licensePlate", "Enter")
    await page.wait_for_selector("#visitorName-error")
    assert "is required" in await page.text_content("#visitorName-error")
    assert await page.input_value("#f-licensePlate") == "kzt-4r21"
    assert await page.input_value("#f-vehicleColor") == "Silver"
    await expect(page.locator("#f-visitorName")).to_be_focused()  # htmx focuses it after settling
    await screenshot(page, "kiosk-error-1280x800.png")

    await page.keyboard.type("Maria Silva")
    await page.press("#f-visitorName", "Enter")
    await page.wait_for_selector("#board td:has-text('Maria Silva')")
    await expect(page.locator("#f-visitorName")).to_have_value("")
    await expect(page.locator("#f-residentQuery")).to_be_focused()
    await expect(page.locator("#people-inside")).to_have_text("1")
    await other.wait_for_selector("#board td:has-text('Maria Silva')")
    assert "KZT-4R21" in await page.text_content("#board")

    await page.set_viewport_size({"width": 1280, "height": 800})
    await screenshot(page, "kiosk-1280x800.png")
    await page.set_viewport_size({"width": 768, "height": 1024})
    await screenshot(page, "kiosk-768x1024.png", full_page=True)

    # Search by a plate fragment.
    await page.goto("/kiosk/visits")
    await page.fill("#f-q", "4r2")
    await page.wait_for_selector("#results td:has-text('Maria Silva')")
    await assert_accessible(page, "search")
    await screenshot(page, "search-768x1024.png")
    await page.click("#results a:has-text('Maria Silva')")
    await page.wait_for_selector("#edit-visit")
    assert await page.input_value("#f-licensePlate") == "KZT-4R21"
    await assert_accessible(page, "visit detail")

    # Roll call shows one person; check out from the second kiosk's board; both follow.
    await page.goto("/kiosk/roll-call")
    assert await page.text_content("#roll-call-total") == "1"
    await assert_accessible(page, "roll call")
    await other.click("#board button:has-text('Check out')")
    await other.wait_for_selector("#toast :text('Maria Silva checked out')")
    await other.wait_for_selector("#board .empty")
    await page.reload()
    assert await page.text_content("#roll-call-total") == "0"

    assert not page.console_errors, page.console_errors
    assert not other.console_errors, other.console_errors
    await other_context.close()
    await context.close()


async def test_planted_session_cookie_is_not_kept_and_posts_need_csrf(browser, server, guard):
    host = server.removeprefix("http://").split(":")[0]
    context = await browser.new_context(base_url=server)
    await context.add_cookies([{"name": SESSION_COOKIE, "value": "planted", "domain": host, "path": "/"}])
    page = await context.new_page()
    await page.goto("/sign-in")
    await assert_accessible(page, "sign-in")
    await page.fill("#f-email", guard.actor.email)
    await page.fill("#f-password", PASSWORD)
    await page.click("button:has-text('Sign in')")
    await page.wait_for_url(re.compile(r"/kiosk$"))
    cookies = {c["name"]: c["value"] for c in await context.cookies()}
    assert cookies[SESSION_COOKIE] != "planted"
    await assert_accessible(page, "kiosk after sign-in")
    # The error state, checked by axe.
    await page.click("button:has-text('Check in')")
    await page.wait_for_selector("#visitorName-error")
    await assert_accessible(page, "kiosk showing errors")

    response = await page.request.post("/kiosk/visits", form={"visitorName": "No Token"})
    assert response.status == 403
    await context.close()


async def test_a_screenshot_leaves_nothing_that_htmx_would_copy_into_a_swapped_form(browser, server, guard, tmp_path):
    """The newcomer's failure (issue 13): Playwright's default screenshot left style="" on every field, htmx
    copied it onto the fields of the form it swapped in, and the CSP refused it: console errors."""
    context, page = await new_kiosk(browser, server, guard.actor.email)
    await page.focus("#f-visitorName")
    await screenshot(page, "kiosk.png", directory=tmp_path)
    await screenshot(page, "kiosk-full.png", full_page=True, directory=tmp_path)
    await page.click("#check-in button[data-check-in]")  # nothing filled in: the form comes back with errors
    await page.wait_for_selector("#visitorName-error")


async def test_the_kiosk_that_checks_a_visitor_in_refetches_its_board_once(browser, server, factory):
    """Its answer's HX-Trigger refreshes it; its live stream leaves out the change it made itself.

    A later change from elsewhere is the fence: one stream delivers in order, so once the board shows it,
    any event of the kiosk's own check-in has arrived too."""
    import httpx

    from tests.factory import visit_body

    guard = await factory.caller("guard")
    resident = await factory.resident(name="Ana Lima", unit="B-302")
    context, page = await new_kiosk(browser, server, guard.actor.email)
    await page.wait_for_selector("body[data-live=connected]", state="attached")
    board_requests, reconnects = [], []
    page.on("request", lambda r: board_requests.append(r.url) if "/kiosk/board" in r.url else None)
    page.on("request", lambda r: reconnects.append(r.url) if "/kiosk/events" in r.url else None)

    await page.focus("#f-residentQuery")
    await page.keyboard.type("b-30")
    await page.wait_for_selector("#resident-options [role=option]")
    await page.keyboard.press("ArrowDown")
    await page.keyboard.press("Enter")
    await page.keyboard.type("Maria Silva")
    await page.press("#f-visitorName", "Enter")
    await page.wait_for_selector("#board td:has-text('Maria Silva')")

    async with httpx.AsyncClient(base_url=server, headers=guard.headers) as api:
        fence = await api.post("/api/visits", json=visit_body(resident.id, visitorName="Fence Visitor"))
        assert fence.status_code == 201, fence.text
    await page.wait_for_selector("#board td:has-text('Fence Visitor')")

    # One for its own check-in, one for the fence, and one for each time the stream had to reconnect
    # (the page cannot know what it missed meanwhile).
    assert len(board_requests) == 2 + len(reconnects), (board_requests, reconnects)
    assert not page.console_errors, page.console_errors
    await context.close()
