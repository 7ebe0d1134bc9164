"""A resident on a phone watches a visitor arrive live while a guard checks them in elsewhere."""

from __future__ import annotations

from playwright.async_api import expect

from tests.web.browser import assert_accessible, screenshot, signed_in_page


async def check_in(page, resident_query: str, visitor: str, plate: str = "") -> None:
    await page.goto("/kiosk")
    await page.fill("#f-residentQuery", resident_query)
    await page.wait_for_selector("#resident-options [role=option]")
    await page.keyboard.press("Enter")
    await page.fill("#f-visitorName", visitor)
    await page.fill("#f-licensePlate", plate)
    await page.press("#f-visitorName", "Enter")
    await page.wait_for_selector(f"#board td:has-text('{visitor}')")


async def test_resident_sees_a_visitor_arrive_live_on_a_phone(browser, server, factory, homes, guard):
    home, resident, _, _ = homes  # the neighbour is Bruno Costa, C-101
    await factory.visit(home.id, visitor_name="Old Friend", departure_date="2026-01-01T12:00:00+00:00")
    await factory.visit(home.id, visitor_name="<script>alert(1)</script>", arrival_date="2026-11-28T08:00:00+00:00")

    phone_context, phone = await signed_in_page(browser, server, resident.actor.email, "/me", 375, 812)
    kiosk_context, kiosk = await signed_in_page(browser, server, guard.actor.email, "/kiosk")
    await phone.wait_for_selector("body[data-live=connected]")  # CSP forbids evaluating a string
    pages = ["My visitors", "Expected", "Parcels", "Always let in", "Do not admit"]
    assert await phone.locator("nav > a").all_text_contents() == pages
    assert await phone.locator("nav details.nav-menu a").all_text_contents() == ["Notifications", "Change password"]

    # A neighbour's visitor never reaches this resident's page.
    await check_in(kiosk, "C-101", "Neighbour Guest")
    await check_in(kiosk, "B-302", "Maria Silva", "kzt-4r21")
    await phone.wait_for_selector("#inside .card:has-text('Maria Silva')")
    await phone.wait_for_selector("#live-notice:has-text('Maria Silva just arrived')")
    assert await phone.get_attribute("#live-notice", "aria-live") == "polite"
    await phone.wait_for_selector("#history td:has-text('Maria Silva')")
    content = await phone.content()
    assert "Neighbour Guest" not in content and "Bruno Costa" not in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content
    await expect(phone.locator("#people-inside")).to_have_text("2")

    no_sideways_scroll = "document.documentElement.scrollWidth <= window.innerWidth"
    assert await phone.evaluate(no_sideways_scroll)
    await assert_accessible(phone, "my visitors")
    await screenshot(phone, "resident-375x812.png", full_page=True)
    await phone.set_viewport_size({"width": 1280, "height": 800})
    await screenshot(phone, "resident-1280x800.png")

    # Checking out from the kiosk leaves the resident's list too.
    await kiosk.click("#board tr:has-text('Maria Silva') button:has-text('Check out')")
    await phone.wait_for_selector("#live-notice:has-text('Maria Silva just left')")
    await phone.wait_for_selector("#inside .card:has-text('Maria Silva')", state="detached")

    await phone.click("nav details.nav-menu > summary")  # the account's settings are in one menu
    await phone.click("nav a:has-text('Change password')")
    await phone.wait_for_selector("#change-password")
    await assert_accessible(phone, "change password")
    await phone.fill("#f-currentPassword", "wrong-password")
    await phone.fill("#f-newPassword", "short")
    await phone.fill("#f-repeatPassword", "short")
    await phone.click("button:has-text('Change password')")
    await phone.wait_for_selector("#currentPassword-error")
    await assert_accessible(phone, "change password with errors")
    await phone.set_viewport_size({"width": 375, "height": 812})
    await screenshot(phone, "resident-password-375x812.png")

    assert not phone.console_errors, phone.console_errors
    assert not kiosk.console_errors, kiosk.console_errors
    await kiosk_context.close()
    await phone_context.close()
