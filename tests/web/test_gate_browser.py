"""The gate knows who is coming, who must not enter, and who has been here before: in a real browser."""

from __future__ import annotations

from playwright.async_api import expect

from app.db.tables import AuditEvent, Visit
from app.domain.bans import schemas as ban_schemas
from app.domain.bans import service as bans
from app.domain.expected import service as expected
from app.lib.actors import SYSTEM
from tests.web.browser import assert_accessible, screenshot, signed_in_page

NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"


async def test_announce_on_a_phone_then_one_key_check_in_a_banned_plate_and_a_returning_visitor(
    browser, server, factory, homes, guard
):
    home, resident, _, _ = homes
    await factory.visit(
        home.id, visitor_name="Carlos Souza", license_plate="QRS-7788", vehicle_color="Red", subject="Service"
    )
    await bans.add_ban(SYSTEM, ban_schemas.BanInput(reason="Broke the barrier on 3 May", license_plate="KZT-4R21"))

    # The resident announces a cleaner who comes every week on today's weekday.
    phone_context, phone = await signed_in_page(browser, server, resident.actor.email, "/me", 375, 812)
    await phone.click("nav a:has-text('Expected')")
    await phone.click("a:has-text('Announce a visitor')")
    await phone.fill("#f-visitorName", "Rosa Cleaner")
    await phone.check("input[name=kind][value=weekly]")
    today = expected.today()
    await phone.fill("#f-startsOn", today.isoformat())
    await phone.fill("#f-endsOn", today.replace(year=today.year + 1).isoformat())
    await phone.check(f"input[name=weekdays][value='{today.isoweekday()}']")
    await phone.fill("#f-note", "Has a key to the service door")
    await assert_accessible(phone, "announce a visitor")
    assert await phone.evaluate(NO_SIDEWAYS_SCROLL)
    await screenshot(phone, "resident-announce-375x812.png", full_page=True)
    await phone.click("button:has-text('Announce')")
    await phone.wait_for_selector("text=Announced: the gate will see it on the day.")
    assert "Rosa Cleaner" in await phone.text_content(".cards")

    # The guard sees her under Expected today: one tap fills the form, Enter confirms.
    kiosk_context, kiosk = await signed_in_page(browser, server, guard.actor.email, "/kiosk")
    await kiosk.click(".expected-pick:has-text('Rosa Cleaner')")
    await kiosk.wait_for_selector("#check-in .expected-note")
    await kiosk.wait_for_selector("#check-in button[data-check-in]:focus:has-text('Check in')")
    await kiosk.keyboard.press("Enter")
    await kiosk.wait_for_selector("#board td:has-text('Rosa Cleaner')")
    await kiosk.wait_for_selector("#expected-today:has-text('Nobody left to expect today.')")
    assert await Visit.count().where(Visit.expected_visit.is_not_null()) == 1

    # A banned plate typed in lower case with a dash: the warning comes before anything is sent.
    await kiosk.fill("#f-residentQuery", "B-302")
    await kiosk.wait_for_selector("#resident-options [role=option]")
    await kiosk.keyboard.press("Enter")
    await kiosk.fill("#f-visitorName", "Mario Bros")
    await kiosk.fill("#f-licensePlate", "kzt-4r21")
    warning = kiosk.locator(".ban-warning")
    await warning.wait_for()
    assert "Broke the barrier on 3 May" in await warning.text_content()
    await assert_accessible(kiosk, "kiosk with a do-not-admit warning")
    await screenshot(kiosk, "kiosk-banned-1280x800.png")
    await kiosk.click("#check-in button[data-check-in]")  # no reason: refused, nothing written
    await kiosk.wait_for_selector("#check-in button:has-text('Check in anyway')")
    assert await Visit.count().where(Visit.visitor_name == "Mario Bros") == 0
    await kiosk.wait_for_selector(
        "#f-overrideReason:focus"
    )  # the guard writes why, or stops (htmx focuses after settling)
    await kiosk.keyboard.type("Resident came down and vouched for him")
    await kiosk.click("#check-in button:has-text('Check in anyway')")
    await kiosk.wait_for_selector("#board td:has-text('Mario Bros')")
    override = await AuditEvent.select().where(AuditEvent.action == "visit.ban_overridden").first()
    assert "Resident came down and vouched for him" in str(override["changes"])

    # A regular: three characters of the plate bring back his last details.
    await kiosk.fill("#f-licensePlate", "qrs")
    await kiosk.click(".returning-pick:has-text('Carlos Souza')")
    await kiosk.wait_for_selector("#f-visitorName[value='Carlos Souza']")
    await expect(kiosk.locator("#f-vehicleColor")).to_have_value("Red")
    await expect(kiosk.locator("#f-subject")).to_have_value("Service")
    await expect(kiosk.locator("#check-in button[data-check-in]")).to_be_focused()
    await kiosk.keyboard.press("Enter")
    await kiosk.wait_for_selector("#board td:has-text('Carlos Souza')")
    await kiosk.set_viewport_size({"width": 768, "height": 1024})
    assert await kiosk.evaluate(NO_SIDEWAYS_SCROLL)
    await screenshot(kiosk, "kiosk-expected-768x1024.png")

    # The resident's page says the banned visitor was let in.
    await phone.goto("/me")
    assert "Mario Bros" in await phone.text_content("#inside")
    assert not kiosk.console_errors, "\n".join(kiosk.console_errors)
    assert not phone.console_errors, phone.console_errors
    await kiosk_context.close()
    await phone_context.close()
