"""A guard picks Português on the kiosk and works a check-in, a do-not-admit warning and a check-out without
meeting an English word; the choice stays with the account. Screenshots of the kiosk, a resident's page and
an admin page in each language go to docs/screenshots when SCREENSHOT_DIR asks for them."""

from __future__ import annotations

from playwright.async_api import expect

from app.db.tables import Account, Visit
from app.domain.bans import schemas as ban_schemas
from app.domain.bans import service as bans
from app.lib.actors import SYSTEM
from tests.languages import english_left
from tests.web.browser import assert_accessible, screenshot, signed_in_page

DATA = ("Ana Lima", "B-302", "Bruno Costa", "C-101", "Maria Conceição", "KZT-4R21", "Quebrou a cancela em 3 de maio")


async def _no_english(page, where: str) -> None:
    left = english_left(await page.content(), "pt_BR", DATA)
    assert not left, f"{where}: " + "; ".join(left)


async def test_a_guard_works_the_gate_in_portuguese(browser, server, factory, homes, guard):
    home, _, _, _ = homes
    await bans.add_ban(SYSTEM, ban_schemas.BanInput(reason="Quebrou a cancela em 3 de maio", license_plate="KZT-4R21"))
    context, kiosk = await signed_in_page(browser, server, guard.actor.email, "/kiosk")
    await expect(kiosk.locator("html")).to_have_attribute("lang", "en")

    await kiosk.select_option("#language-choice", "pt_BR")  # applies on choice: the page comes back in Portuguese
    await expect(kiosk.locator("html")).to_have_attribute("lang", "pt-BR")
    assert await Account.select(Account.language).where(Account.email == guard.actor.email).first() == {
        "language": "pt_BR"
    }
    await _no_english(kiosk, "the kiosk")
    await expect(kiosk.locator("#check-in button[data-check-in]")).to_have_text("Registrar entrada")

    # A banned plate: the warning and the button speak Portuguese.
    await kiosk.fill("#f-residentQuery", "B-302")
    await kiosk.wait_for_selector("#resident-options [role=option]")
    await kiosk.keyboard.press("Enter")
    await kiosk.fill("#f-visitorName", "Maria Conceição")
    await kiosk.fill("#f-licensePlate", "kzt-4r21")
    await kiosk.locator(".ban-warning").wait_for()
    await expect(kiosk.locator("#check-in button[data-check-in]")).to_have_text("Registrar entrada mesmo assim")
    await _no_english(kiosk, "the do-not-admit warning")
    await screenshot(kiosk, "pt_BR-kiosk-warning-1280x800.png")
    await kiosk.click("#check-in button[data-check-in]")  # no reason: refused, in Portuguese
    await kiosk.wait_for_selector("#f-overrideReason:focus")
    await _no_english(kiosk, "the refusal")
    await kiosk.keyboard.type("O morador desceu e autorizou")
    await kiosk.click("#check-in button[data-check-in]")
    row = kiosk.locator("#board tr", has_text="Maria Conceição")
    await row.wait_for()
    assert await Visit.count().where(Visit.visitor_name == "Maria Conceição") == 1
    await _no_english(kiosk, "the board after the check-in")
    await assert_accessible(kiosk, "kiosk in Portuguese")

    # Check out from the board: the toast is Portuguese too.
    await row.locator("button.checkout").click()
    await kiosk.wait_for_selector("#toast :text('Maria Conceição')")
    await _no_english(kiosk, "the check-out")
    assert await Visit.count().where(Visit.departure_date.is_not_null()) == 1

    # The choice is the account's: a new sign-in elsewhere speaks Portuguese from the start.
    other_context, again = await signed_in_page(browser, server, guard.actor.email, "/kiosk/visits")
    await expect(again.locator("html")).to_have_attribute("lang", "pt-BR")
    await _no_english(again, "search and history")
    assert not kiosk.console_errors, kiosk.console_errors
    await other_context.close()
    await context.close()


async def test_each_language_pictured_on_the_kiosk_a_residents_page_and_an_admin_page(
    browser, server, factory, homes, guard, admin
):
    home, resident, _, _ = homes
    for name, plate in [("João Araújo", "ABC-1D23"), ("María Núñez Peña", None), ("Chloë O'Brien", "XYZ-9876")]:
        await factory.visit(home.id, visitor_name=name, license_plate=plate, departure_date=None)
    people = [(guard, "/kiosk", "kiosk"), (resident, "/me", "resident"), (admin, "/admin/residents", "admin")]
    for language in ("en", "pt_BR", "es"):
        for caller, start, name in people:
            context, page = await signed_in_page(browser, server, caller.actor.email, start)
            await page.select_option("#language-choice", language)
            await expect(page.locator("html")).to_have_attribute("lang", language.replace("_", "-"))
            if language != "en":
                assert not english_left(await page.content(), language, DATA), (language, name)
            width, height = (375, 812) if name == "resident" else (1280, 800)
            await page.set_viewport_size({"width": width, "height": height})
            assert await page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), (language, name)
            await screenshot(page, f"{language}-{name}-{width}x{height}.png", full_page=name != "kiosk")
            await context.close()
