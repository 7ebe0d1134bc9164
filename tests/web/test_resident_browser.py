"""A resident on a phone watches a visitor arrive live while a guard checks them in elsewhere."""

from __future__ import annotations

from tests.web.browser import LIVE_TIMEOUT_MS, SCREENSHOTS, assert_accessible, signed_in_page


async def check_in(page, resident_query: str, visitor: str, plate: str = "") -> None:
    await page.goto("/kiosk")
    await page.fill("#f-residentQuery", resident_query)
    await page.wait_for_selector("#resident-options [role=option]")
    await page.keyboard.press("Enter")
    await page.fill("#f-visitorName", visitor)
    await page.fill("#f-licensePlate", plate)
    await page.press("#f-visitorName", "Enter")
    await page.wait_for_selector(f"#board td:has-text('{visitor}')")


async def test_resident_sees_a_visitor_arrive_live_on_a_phone(browser, server, factory):
    home = await factory.resident(name="Ana Lima", unit="B-302")
    neighbour = await factory.resident(name="Bruno Costa", unit="C-101")
    resident = await factory.caller("resident", resident_id=home.id)
    guard = await factory.caller("guard")
    await factory.visit(home.id, visitor_name="Old Friend", departure_date="2026-01-01T12:00:00+00:00")
    await factory.visit(home.id, visitor_name="<script>alert(1)</script>", arrival_date="2026-11-28T08:00:00+00:00")

    phone_context, phone = await signed_in_page(browser, server, resident.actor.email, "/me", 375, 812)
    kiosk_context, kiosk = await signed_in_page(browser, server, guard.actor.email, "/kiosk")
    await phone.wait_for_selector("body[data-live=connected]")  # CSP forbids evaluating a string
    assert await phone.locator("nav a").all_text_contents() == [
        "My visitors",
        "Expected",
        "Do not admit",
        "Change password",
    ]

    # A neighbour's visitor never reaches this resident's page.
    await check_in(kiosk, "C-101", "Neighbour Guest")
    await check_in(kiosk, "B-302", "Maria Silva", "kzt-4r21")
    await phone.wait_for_selector("#inside .card:has-text('Maria Silva')", timeout=LIVE_TIMEOUT_MS)
    await phone.wait_for_selector("#live-notice:has-text('Maria Silva just arrived')", timeout=LIVE_TIMEOUT_MS)
    assert await phone.get_attribute("#live-notice", "aria-live") == "polite"
    await phone.wait_for_selector("#history td:has-text('Maria Silva')", timeout=LIVE_TIMEOUT_MS)
    content = await phone.content()
    assert "Neighbour Guest" not in content and "Bruno Costa" not in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content
    assert await phone.text_content("#people-inside") == "2"

    no_sideways_scroll = "document.documentElement.scrollWidth <= window.innerWidth"
    assert await phone.evaluate(no_sideways_scroll)
    await assert_accessible(phone, "my visitors")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    await phone.screenshot(path=str(SCREENSHOTS / "resident-375x812.png"), full_page=True)
    await phone.set_viewport_size({"width": 1280, "height": 800})
    await phone.screenshot(path=str(SCREENSHOTS / "resident-1280x800.png"))

    # Checking out from the kiosk leaves the resident's list too.
    await kiosk.click("#board tr:has-text('Maria Silva') button:has-text('Check out')")
    await phone.wait_for_selector("#live-notice:has-text('Maria Silva just left')", timeout=LIVE_TIMEOUT_MS)
    await phone.wait_for_selector("#inside .card:has-text('Maria Silva')", state="detached", timeout=LIVE_TIMEOUT_MS)

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
    await phone.screenshot(path=str(SCREENSHOTS / "resident-password-375x812.png"))

    del neighbour
    assert not phone.console_errors, phone.console_errors
    assert not kiosk.console_errors, kiosk.console_errors
    await kiosk_context.close()
    await phone_context.close()
