"""A simulated afternoon at the gate on a 1024x768 tablet, as a new guard works it: sixty check-ins with the
longest plates and colours and accented names, one server restart in the middle of typing, one outage during a
check-in, and one visitor on the do-not-admit list let in with a reason. Nothing typed is lost, no row is lost
or doubled.

The kiosk talks to the server through a proxy, so the server can be restarted behind the same address."""

from __future__ import annotations

import asyncio

from playwright.async_api import expect

from app.db.tables import Visit as VisitTable
from app.domain.bans import schemas as ban_schemas
from app.domain.bans import service as bans
from app.lib.actors import SYSTEM
from tests.web.browser import screenshot, signed_in_page, start_server, stop_server
from tests.web.test_live_reconnect import CuttableProxy

VISITS = 60
COLOUR = "Metallic midnight blue with silver stripes"[:40]
UNITS = ("B-302", "C-101", "D-1204")


def visitor(n: int) -> tuple[str, str]:
    """An accented name and a 20-character plate, typed in lower case with spaces."""
    return f"Zoë Ñúñez-O'Brien da Conceição {n:02d}", f"kzt {n:02d} abcdefghijklmn"[:20]


async def pick(page, unit: str) -> None:
    await page.fill("#f-residentQuery", unit)
    await page.wait_for_selector(f"#resident-options [role=option]:has-text('{unit}')")
    await page.keyboard.press("Enter")
    await expect(page.locator("#f-residentQuery")).to_have_value(f"{unit_names[unit]} · {unit}")


unit_names = {"B-302": "Ana Lima", "C-101": "Bruno Costa", "D-1204": "Célia Antunes"}


async def type_visit(page, n: int) -> None:
    name, plate = visitor(n)
    await pick(page, UNITS[n % len(UNITS)])
    await page.fill("#f-visitorName", name)
    await page.fill("#f-vehicleColor", COLOUR)
    await page.fill("#f-licensePlate", plate)


async def send_and_see(page, n: int) -> None:
    name, _ = visitor(n)
    await page.press("#f-licensePlate", "Enter")
    await expect(page.locator("#check-in .notice").first).to_contain_text(f"{name} checked in")
    await expect(page.locator("#board tr[data-filter]").filter(has_text=name)).to_have_count(1)


async def test_a_simulated_afternoon_loses_no_keystroke_and_no_row(browser, factory, guard):
    for unit, name in unit_names.items():
        await factory.resident(name=name, unit=unit)
    await bans.add_ban(SYSTEM, ban_schemas.BanInput(reason="Damaged the gate barrier", license_plate="BAN-0001"))
    url, process = start_server()
    proxy = CuttableProxy(url)
    through_proxy = await proxy.start()
    try:
        context, page = await signed_in_page(browser, through_proxy, guard.actor.email, "/kiosk", 1024, 768)
        await page.wait_for_selector("body[data-live=connected]")
        banner = page.locator("#connection")
        for n in range(VISITS):
            if n == 20:
                # The server restarts while the guard is typing: the session and the form outlive it.
                await pick(page, UNITS[n % len(UNITS)])
                name, plate = visitor(n)
                await page.fill("#f-visitorName", name[:10])
                stop_server(process)
                url, process = start_server()
                proxy.target_port = int(url.rsplit(":", 1)[1])
                proxy.cut()
                await page.type("#f-visitorName", name[10:])
                await page.fill("#f-vehicleColor", COLOUR)
                await page.fill("#f-licensePlate", plate)
                await send_and_see(page, n)
                await page.wait_for_selector("body[data-live=connected]")
            elif n == 40:
                # The network fails as the check-in is sent; the kiosk says so, keeps the form and resends once.
                await type_visit(page, n)
                failed = asyncio.Event()

                async def down(route):
                    failed.set()
                    await route.abort()

                await page.route("**/kiosk/visits", down)
                await page.route("**/readyz", lambda route: route.abort())
                await page.press("#f-licensePlate", "Enter")
                await failed.wait()
                await expect(banner).to_contain_text("Not connected since")
                await expect(page.locator("#f-visitorName")).to_have_value(visitor(n)[0])
                await page.unroute("**/kiosk/visits")
                await page.unroute("**/readyz")
                await expect(banner).to_contain_text("Connected again at")
                await expect(page.locator("#board tr[data-filter]").filter(has_text=visitor(n)[0])).to_have_count(1)
            else:
                await type_visit(page, n)
                await send_and_see(page, n)

        # The banned visitor: refused without a reason, let in with one.
        await pick(page, "B-302")
        await page.fill("#f-visitorName", "Mallory Banned")
        await page.fill("#f-licensePlate", "ban 0001")
        await page.locator(".ban-warning").wait_for()
        await page.click("#check-in button.primary[type=submit]")
        await expect(page.locator("#overrideReason-error")).to_be_visible()
        await page.wait_for_selector("#f-overrideReason:focus")
        await page.keyboard.type("The resident came down to the gate and vouched for him")
        await page.click("#check-in button:has-text('Check in anyway')")
        await expect(page.locator("#board tr[data-filter]").filter(has_text="Mallory Banned")).to_have_count(1)

        rows = page.locator("#board tr[data-filter]")
        await expect(rows).to_have_count(VISITS + 1)
        await screenshot(page, "kiosk-afternoon-1024x768.png")
        names = [row["visitor_name"] for row in await VisitTable.select(VisitTable.visitor_name)]
        assert len(names) == len(set(names)) == VISITS + 1
        plates = {row["license_plate"] for row in await VisitTable.select(VisitTable.license_plate)}
        assert "KZT-00-ABCDEFGHIJKLM" in plates and "BAN-0001" in plates
        expected_failures = ("net::", "Failed to fetch", "/kiosk/events", "readyz")  # the restart and the outage
        unexpected = [e for e in page.console_errors if not any(part in e for part in expected_failures)]
        assert not unexpected, unexpected
        await context.close()
    finally:
        await proxy.close()
        stop_server(process)
