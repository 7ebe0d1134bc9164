"""Every list page in Chromium with more rows than a page, on a desktop and a phone: "More" brings the
next page into the list and nothing makes the page scroll sideways."""

from __future__ import annotations

from playwright.async_api import expect

from app.domain.bans import schemas as ban_schemas
from app.domain.bans import service as bans
from app.domain.expected import schemas as expected_schemas
from app.domain.expected import service as expected
from app.domain.residents import schemas as resident_schemas
from app.domain.residents import service as residents
from app.lib.actors import SYSTEM
from tests.web.browser import screenshot, signed_in_page

NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"
# A stacked table's cell on a phone is a flex row: content that cannot wrap spills out of it, clipped.
CELLS_HOLD_THEIR_TEXT = "[...document.querySelectorAll('td')].every(td => td.scrollWidth <= td.clientWidth + 1)"
SIZES = ((1280, 800), (375, 812))
TABLE_ROWS = "tbody tr:not(.more-row)"


async def more_brings_the_next_page(page, url: str, rows: str, first: int, after: int, shot: str) -> None:
    await page.goto(url)
    size = page.viewport_size
    where = f"{url} at {size['width']}x{size['height']}"
    assert await page.locator(rows).count() == first, where
    assert await page.evaluate(NO_SIDEWAYS_SCROLL), f"{where} scrolls sideways"
    await screenshot(page, f"{shot}-top-{size['width']}x{size['height']}.png")
    await page.locator(".more-row a").click()
    await expect(page.locator(rows)).to_have_count(after)
    assert await page.evaluate(NO_SIDEWAYS_SCROLL), f"{where} scrolls sideways after More"
    assert await page.evaluate(CELLS_HOLD_THEIR_TEXT), f"{where} has a cell whose text spills out"
    await page.locator(rows).nth(first - 1).scroll_into_view_if_needed()  # where the first page ended
    await screenshot(page, f"{shot}-{size['width']}x{size['height']}.png")


def announcement(resident_id, n: int) -> expected_schemas.ExpectedInput:
    return expected_schemas.ExpectedInput(
        visitor_name=f"Guest number {n:03d} with a long family name",
        starts_on=expected.today().isoformat(),
        resident_id=resident_id,
        vehicle_color="Dark metallic grey",
        license_plate=f"KZT{n:04d}",
        note="Leave the parcel with the guard if nobody answers the intercom",
    )


async def test_admin_lists_page_on_desktop_and_phone(browser, server, factory):
    home = await factory.resident(name="Ana Lima", unit="B-302")
    admin = await factory.caller("admin")
    for n in range(120):
        await expected.announce(SYSTEM, announcement(home.id, n))
    for n in range(60):
        reason = f"Entry {n}: threatened the staff at the gate and refused to leave"
        await bans.add_ban(
            SYSTEM, ban_schemas.BanInput(reason=reason, name=f"Visitor {n:02d}", license_plate=f"BAN{n:04d}")
        )
        resident = await residents.create_resident(
            SYSTEM,
            resident_schemas.ResidentInput(
                name=f"Resident number {n:02d} with a long name",
                unit=f"T-{n:03d}",
                email=f"resident.number.{n:02d}.with.a.long.address@example-condominium.com",
                phone="+55 11 91234-5678",
            ),
        )
        await factory.caller("resident", resident_id=resident.id)
    context, page = await signed_in_page(browser, server, admin.actor.email, "/admin/residents")
    for width, height in SIZES:
        await page.set_viewport_size({"width": width, "height": height})
        await more_brings_the_next_page(page, "/admin/expected", "li.card", 50, 100, "list-admin-expected")
        await more_brings_the_next_page(page, "/admin/bans", TABLE_ROWS, 50, 60, "list-admin-bans")
        await more_brings_the_next_page(page, "/admin/residents?status=all", TABLE_ROWS, 25, 50, "list-residents")
        await more_brings_the_next_page(page, "/admin/accounts", TABLE_ROWS, 25, 50, "list-accounts")
        await more_brings_the_next_page(page, "/admin/audit", TABLE_ROWS, 50, 100, "list-audit")
        await more_brings_the_next_page(
            page, "/admin/tokens", TABLE_ROWS, 50, 61, "list-tokens"
        )  # 60 residents, 1 admin
    assert not page.console_errors, page.console_errors
    await context.close()


async def test_gate_and_resident_lists_page_on_desktop_and_phone(browser, server, factory):
    home = await factory.resident(name="Ana Lima", unit="B-302")
    guard = await factory.caller("guard")
    resident = await factory.caller("resident", resident_id=home.id)
    for n in range(60):
        day = f"2026-03-{n % 28 + 1:02d}"
        await factory.visit(
            home.id,
            visitor_name=f"Visitor number {n:02d} with a long family name",
            vehicle_color="Dark metallic grey",
            license_plate=f"KZT{n:04d}",
            arrival_date=f"{day}T10:00:00",
            departure_date=f"{day}T11:00:00",
        )
        await expected.announce(resident.actor, announcement(home.id, n))
        await bans.add_ban(resident.actor, ban_schemas.BanInput(reason=f"Entry {n}", license_plate=f"BAN{n:04d}"))
    context, page = await signed_in_page(browser, server, guard.actor.email, "/kiosk/visits")
    for width, height in SIZES:
        await page.set_viewport_size({"width": width, "height": height})
        await more_brings_the_next_page(page, "/kiosk/visits", TABLE_ROWS, 25, 50, "list-visits")
    assert not page.console_errors, page.console_errors
    await context.close()

    context, page = await signed_in_page(browser, server, resident.actor.email, "/me/expected")
    for width, height in SIZES:
        await page.set_viewport_size({"width": width, "height": height})
        await more_brings_the_next_page(page, "/me", f"#history {TABLE_ROWS}", 20, 40, "list-me-history")
        await more_brings_the_next_page(page, "/me/expected", "li.card", 50, 60, "list-me-expected")
        await more_brings_the_next_page(page, "/me/bans", TABLE_ROWS, 50, 60, "list-me-bans")
    assert not page.console_errors, page.console_errors
    await context.close()
