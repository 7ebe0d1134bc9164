"""What a new user met first: the administrators' bar on one row with its pages in one menu (keyboard and
phone included), a resident's bar on one row with the account's settings in one menu, the gates' badges drawn
as the app's other badges, and the kiosk's Pass field showing its whole placeholder at 1024×768 in every
language."""

from __future__ import annotations

from playwright.async_api import expect

from app.domain.gates import service as gates
from app.domain.gates.schemas import GateInput
from app.lib.actors import SYSTEM
from tests.web.browser import assert_accessible, screenshot, signed_in_page

NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"
# The bar's pieces (brand, links, menu, language, sign out) are on one row when one line crosses them all.
ONE_ROW = """() => { const boxes = [...document.querySelector('header.topbar').children]
  .filter(e => e.getClientRects().length).map(e => e.getBoundingClientRect());
  return Math.max(...boxes.map(b => b.top)) < Math.min(...boxes.map(b => b.bottom)); }"""
MENU = "nav[aria-label=Administration] details"


async def test_the_administrators_bar_is_one_row_with_its_pages_in_one_menu(browser, server, admin):
    context, page = await signed_in_page(browser, server, admin.actor.email, "/admin/reports")
    try:
        for width, height in ((1280, 800), (1920, 1080)):
            await page.set_viewport_size({"width": width, "height": height})
            assert await page.evaluate(ONE_ROW), f"the bar wraps at {width} px"
        await page.set_viewport_size({"width": 1280, "height": 800})
        summary = page.locator(f"{MENU} > summary")
        await expect(summary).to_have_class("here")  # the current page is among the menu's
        current = page.locator(f"{MENU} a[aria-current=page]")
        await expect(current).to_have_text("Reports")
        await expect(current).to_be_hidden()

        # From the keyboard: Tab to the menu, Enter opens it, Tab reaches its links, Escape closes it.
        await summary.focus()
        await page.keyboard.press("Enter")
        await expect(page.locator(f"{MENU}[open]")).to_have_count(1)
        await expect(current).to_be_visible()
        await page.keyboard.press("Tab")
        await expect(page.locator(f"{MENU} a").first).to_be_focused()
        await assert_accessible(page, "the administration menu open")
        await screenshot(page, "admin-menu-1280x800.png")
        await page.keyboard.press("Escape")
        await expect(page.locator(f"{MENU}[open]")).to_have_count(0)
        await expect(summary).to_be_focused()

        # A click outside closes it too; choosing a page goes there and marks it.
        await summary.click()
        await page.locator("main h1").click()
        await expect(page.locator(f"{MENU}[open]")).to_have_count(0)
        await summary.click()
        await page.locator(f"{MENU} a:has-text('Gates')").click()
        await page.wait_for_url("**/admin/gates")
        await expect(page.locator(f"{MENU} a[aria-current=page]")).to_have_text("Gates")

        # On a phone the menu opens in the bar's flow, every link on screen and nothing sideways.
        await page.set_viewport_size({"width": 375, "height": 812})
        await page.locator(f"{MENU} > summary").click()
        links = page.locator(f"{MENU} a")
        assert await links.count() == 12
        for index in range(12):
            box = await links.nth(index).bounding_box()
            assert box and box["x"] >= 0 and box["x"] + box["width"] <= 375, await links.nth(index).text_content()
        assert await page.evaluate(NO_SIDEWAYS_SCROLL)
        await screenshot(page, "admin-menu-375x812.png")
        assert not page.console_errors, page.console_errors
    finally:
        await context.close()


async def test_the_gates_badges_look_like_the_apps_badges(browser, server, admin):
    await gates.create_gate(SYSTEM, GateInput(name="Pedestrian gate", vehicles=False))
    context, page = await signed_in_page(browser, server, admin.actor.email, "/admin/gates")
    try:
        badges = page.locator("table.gates .badge")
        await expect(badges).to_have_count(5)  # default; Yes / On foot only; Active twice
        styles = await badges.evaluate_all(
            """els => els.map(e => { const s = getComputedStyle(e);
                 return [e.textContent, s.borderTopStyle, s.borderRadius, s.display, s.backgroundColor]; })"""
        )
        for text, border, radius, display, background in styles:
            assert border == "none" and radius == "999px" and display == "inline", (text, border, radius, display)
            assert background != "rgb(255, 255, 255)", text
    finally:
        await context.close()


# The placeholder's words measured in the placeholder's own font, against the room inside the field.
PLACEHOLDER_FITS = """() => { const field = document.querySelector('#f-pass'); const style = getComputedStyle(field);
  const pen = document.createElement('canvas').getContext('2d');
  pen.font = getComputedStyle(field, '::placeholder').font;
  const room = field.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  return [Math.ceil(pen.measureText(field.placeholder).width), Math.floor(room), field.placeholder]; }"""


async def test_the_pass_fields_placeholder_is_whole_on_a_1024_kiosk_in_every_language(browser, server, guard):
    """And the bar is two rows at most: in Portuguese its links wrapped as a block, leaving the brand alone on a
    first row and the language and Sign out on a third, pushing the form down."""
    context, page = await signed_in_page(browser, server, guard.actor.email, "/kiosk", 1024, 768)
    height_of_bar = "document.querySelector('header.topbar').getBoundingClientRect().height"
    try:
        one_row = await page.evaluate(height_of_bar)
        for language in ("en", "pt_BR", "es"):
            await page.select_option("#language-choice", language)
            await expect(page.locator("html")).to_have_attribute("lang", language.replace("_", "-"))
            await page.evaluate("document.querySelectorAll('[data-scan]').forEach(b => b.hidden = false)")
            needed, room, words = await page.evaluate(PLACEHOLDER_FITS)
            assert needed <= room, f"{language}: {words!r} needs {needed} px of {room}"
            assert await page.evaluate(height_of_bar) < 2.2 * one_row, language
            assert await page.evaluate(NO_SIDEWAYS_SCROLL), language
    finally:
        await context.close()


async def test_a_residents_bar_is_one_row_with_the_accounts_settings_in_one_menu(browser, server, homes):
    _, resident, _, _ = homes
    context, page = await signed_in_page(browser, server, resident.actor.email, "/me/notifications")
    menu = "nav[aria-label='Your pages'] details"
    try:
        height_of_bar = "document.querySelector('header.topbar').getBoundingClientRect().height"
        for width, height in ((1280, 800), (1920, 1080)):
            await page.set_viewport_size({"width": width, "height": height})
            assert await page.evaluate(ONE_ROW), f"the bar wraps at {width} px"
        one_row = await page.evaluate(height_of_bar)
        await page.set_viewport_size({"width": 1024, "height": 768})  # a tablet: two rows at most, none sideways
        assert await page.evaluate(height_of_bar) < 2.2 * one_row and await page.evaluate(NO_SIDEWAYS_SCROLL)
        await expect(page.locator(f"{menu} > summary")).to_have_class("here")  # Notifications is in the menu
        await page.locator(f"{menu} > summary").click()
        await expect(page.locator(f"{menu} a[aria-current=page]")).to_have_text("Notifications")
        await assert_accessible(page, "the resident's account menu open")
        await screenshot(page, "resident-menu-1024x768.png")
        await page.locator(f"{menu} a:has-text('Change password')").click()
        await page.wait_for_url("**/me/password")

        await page.set_viewport_size({"width": 375, "height": 812})
        await page.locator(f"{menu} > summary").click()
        for link in await page.locator(f"{menu} a").all():
            box = await link.bounding_box()
            assert box and box["x"] >= 0 and box["x"] + box["width"] <= 375, await link.text_content()
        assert await page.evaluate(NO_SIDEWAYS_SCROLL)
        await screenshot(page, "resident-menu-375x812.png")
        assert not page.console_errors, page.console_errors
    finally:
        await context.close()
