"""A real gate's day in a real browser: what the guard and the resident type, and what they are told."""

from __future__ import annotations

from datetime import timedelta

from playwright.async_api import expect

from app.db.tables import Visit
from app.lib import formats
from app.lib.clock import utc_now
from tests.web.browser import screenshot, signed_in_page


async def test_colour_and_plate_say_their_limit_as_the_guard_types(browser, server, guard, homes):
    _, resident, _, _ = homes
    context, kiosk = await signed_in_page(browser, server, guard.actor.email, "/kiosk", 1024, 768)
    counter = kiosk.locator("#licensePlate-count")
    await kiosk.fill("#f-licensePlate", "ABC-1234")
    await expect(counter).to_be_hidden()
    await kiosk.fill("#f-licensePlate", "")
    await kiosk.type("#f-licensePlate", "ABCD-1234-EFGH-56")
    await expect(counter).to_have_text("17 of 20 characters")
    await kiosk.type("#f-licensePlate", "78901234")
    await expect(counter).to_have_text("Limit reached: 20")
    assert await kiosk.input_value("#f-licensePlate") == "ABCD-1234-EFGH-56789"
    await kiosk.type("#f-vehicleColor", "Metallic midnight blue with a silver st")
    await expect(kiosk.locator("#vehicleColor-count")).to_have_text("39 of 40 characters")
    await screenshot(kiosk, "kiosk-limits-1024x768.png")
    assert not kiosk.console_errors, kiosk.console_errors
    await context.close()

    phone_context, phone = await signed_in_page(browser, server, resident.actor.email, "/me/expected/new", 375, 812)
    await phone.type("#f-vehicleColor", "x" * 45)
    await expect(phone.locator("#vehicleColor-count")).to_have_text("Limit reached: 40")
    await phone.type("#f-licensePlate", "k" * 16)
    await expect(phone.locator("#licensePlate-count")).to_have_text("16 of 20 characters")
    await screenshot(phone, "announce-limits-375x812.png", full_page=True)
    await phone_context.close()


async def test_the_arrival_is_typed_as_the_site_writes_times_with_no_browser_picker(browser, server, guard, homes):
    context, kiosk = await signed_in_page(browser, server, guard.actor.email, "/kiosk", 1024, 768)
    arrival = kiosk.locator("#f-arrivalDate")
    assert await arrival.get_attribute("type") == "text"
    yesterday = formats.typed_clock_examples(utc_now() - timedelta(days=1))["day_time"].split(" ")[0]
    await expect(kiosk.locator("#arrivalDate-hint")).to_contain_text(f"another day: {yesterday}")
    earlier = utc_now() - timedelta(hours=3)
    await kiosk.fill("#f-residentQuery", "B-302")
    await kiosk.wait_for_selector("#resident-options [role=option]")
    await kiosk.keyboard.press("Enter")
    await kiosk.fill("#f-visitorName", "Typed Clock")
    await arrival.fill(formats.typed_clock_examples(earlier)["day_time"])
    await screenshot(kiosk, "kiosk-arrival-1024x768.png")
    await kiosk.click("#check-in button[type=submit]")
    await kiosk.wait_for_selector("#board td:has-text('Typed Clock')")
    stored = await Visit.select(Visit.arrival_date).where(Visit.visitor_name == "Typed Clock").first()
    assert stored["arrival_date"] == earlier.replace(second=0)
    await context.close()
