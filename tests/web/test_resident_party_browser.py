"""A party inside for one household: on a phone the history stays near, and the folded list stays open live."""

from __future__ import annotations

import httpx
from playwright.async_api import expect

from tests.factory import visit_body
from tests.web.browser import assert_accessible, screenshot, signed_in_page

GUESTS = [f"María-José Ñúñez de la Concepción-O'Brien Zoë Ångström Müller nº {i:02d}" for i in range(1, 50)]
GUESTS.append("<img src=x> Björn Þórsson & Søren Kierkegård de Albuquerque Cavalcânti")


async def test_fifty_inside_leave_the_history_near_and_every_name_a_tap_away(browser, server, factory, homes, guard):
    home, resident, _, _ = homes
    for i, name in enumerate(GUESTS):
        await factory.visit(home.id, visitor_name=name, arrival_date=f"2026-11-28T{8 + i // 60:02d}:{i % 60:02d}:00Z")

    context, phone = await signed_in_page(browser, server, resident.actor.email, "/me", 375, 812)
    await phone.wait_for_selector("body[data-live=connected]")
    more = phone.locator("#inside-more")
    await expect(phone.locator("#inside .card")).to_have_count(3)
    await expect(more.locator("summary")).to_have_text("and 47 more visitors inside")
    await expect(more.locator("li").first).to_be_hidden()  # folded until asked
    history_top = await phone.evaluate("document.getElementById('history-title').getBoundingClientRect().top")
    assert history_top < 2 * 812, history_top  # 50 cards put it 17 screens down
    assert await phone.evaluate("document.documentElement.scrollWidth") == 375
    await screenshot(phone, "resident-party-375x812.png", full_page=True)

    await more.locator("summary").click()
    await expect(more.locator("li")).to_have_count(47)
    for name in GUESTS[3:]:
        await expect(more.locator("li", has_text=name)).to_be_visible()
    assert await phone.evaluate("document.documentElement.scrollWidth") == 375
    await assert_accessible(phone, "a party inside, unfolded")

    # A guard checks one more in: the live refresh brings the new arrival and leaves the list open, focus kept.
    before = await more.element_handle()
    async with httpx.AsyncClient(base_url=server, headers=guard.headers) as api:
        arrived = await api.post(
            "/api/visits", json=visit_body(home.id, visitorName="Late Guest Ōtomo", arrivalDate="2026-11-28T12:00:00Z")
        )
        assert arrived.status_code == 201, arrived.text
    await phone.wait_for_function("el => !el.isConnected", arg=before)
    await expect(more.locator("summary")).to_have_text("and 48 more visitors inside (49 people)")
    await expect(more).to_have_attribute("open", "")
    await expect(more.locator("li", has_text="Late Guest Ōtomo")).to_be_visible()
    assert await phone.evaluate("document.activeElement.id") == "inside-more-toggle"
    assert not phone.console_errors, phone.console_errors
    await context.close()
