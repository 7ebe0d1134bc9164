"""The kiosk when the server cannot be reached: it says so at once, keeps what was typed, resends by itself,
records a check-in once, catches up after the stream comes back, and keeps a draft across a reload.

Requests are made to fail with Playwright's routes, so the server (and the guard's session) stay up."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from playwright.async_api import expect

from app.db.tables import ShiftNote
from app.db.tables import Visit as VisitTable
from app.lib.clock import utc_now
from tests.web.browser import signed_in_page
from tests.web.test_live_reconnect import CuttableProxy


async def pick_resident(page, typed: str = "b-30") -> None:
    await page.focus("#f-residentQuery")
    await page.keyboard.type(typed)
    await page.wait_for_selector("#resident-options [role=option]")
    await page.keyboard.press("ArrowDown")
    await page.keyboard.press("Enter")
    await expect(page.locator("#f-residentQuery")).to_have_value("Ana Lima · B-302")


async def test_a_check_in_whose_answer_is_lost_is_resent_and_recorded_once(browser, server, factory, guard):
    await factory.resident(name="Ana Lima", unit="B-302")
    context, page = await signed_in_page(browser, server, guard.actor.email, "/kiosk")
    banner = page.locator("#connection")
    await expect(banner).to_be_hidden()
    await pick_resident(page)
    await page.fill("#f-visitorName", "Maria Silva")
    await page.fill("#f-licensePlate", "kzt-4r21")

    # The first send reaches the server, which records the visit, but its answer never comes back;
    # every later send fails outright until the network is back.
    sent = asyncio.Event()

    async def lose_answers(route):
        if not sent.is_set():
            await route.fetch()
            sent.set()
        await route.abort()

    await page.route("**/kiosk/visits", lose_answers)
    await page.click("#check-in button[data-check-in]")
    await sent.wait()
    await expect(banner).to_be_visible()
    await expect(banner).to_have_attribute("role", "alert")
    await expect(banner).to_contain_text("Not connected since")
    await expect(banner).to_contain_text("check-in will be sent")
    await expect(page.locator("#f-visitorName")).to_have_value("Maria Silva")
    await expect(page.locator("#f-licensePlate")).to_have_value("kzt-4r21")
    assert await VisitTable.count() == 1

    await page.unroute("**/kiosk/visits")
    await expect(banner).to_contain_text("Connected again at")
    await expect(page.locator("#check-in .notice")).to_contain_text("Maria Silva checked in to see Ana Lima")
    await page.wait_for_selector("#board td:has-text('Maria Silva')")
    await expect(page.locator("#f-visitorName")).to_have_value("")
    assert await VisitTable.count() == 1
    await context.close()


async def test_a_check_in_held_while_the_server_is_away_keeps_the_moment_it_was_made(browser, server, factory, guard):
    await factory.resident(name="Ana Lima", unit="B-302")
    context, page = await signed_in_page(browser, server, guard.actor.email, "/kiosk")
    await pick_resident(page)
    await page.fill("#f-visitorName", "Held At The Gate")
    await page.route("**/kiosk/visits", lambda route: route.abort())
    pressed = utc_now()
    await page.click("#check-in button[data-check-in]")
    await expect(page.locator("#connection")).to_contain_text("check-in will be sent")
    await expect(page.locator("#f-arrivalDate")).not_to_have_value("")  # the moment, kept with the form
    await asyncio.sleep(3)  # the connection stays away a while

    await page.unroute("**/kiosk/visits")
    await page.wait_for_selector("#board td:has-text('Held At The Gate')")
    assert utc_now() - pressed >= timedelta(seconds=3)
    row = await VisitTable.select(VisitTable.arrival_date).first()
    assert abs(row["arrival_date"] - pressed) <= timedelta(seconds=2), (row["arrival_date"], pressed)
    await context.close()


async def test_a_slow_check_in_shows_it_is_busy_and_cannot_be_sent_twice(browser, server, factory, guard):
    await factory.resident(name="Ana Lima", unit="B-302")
    context, page = await signed_in_page(browser, server, guard.actor.email, "/kiosk")
    await pick_resident(page)
    await page.fill("#f-visitorName", "Slow Answer")
    held, release = asyncio.Event(), asyncio.Event()
    requests = []

    async def hold(route):
        requests.append(route.request)
        held.set()
        await release.wait()
        await route.continue_()

    await page.route("**/kiosk/visits", hold)
    await page.press("#f-visitorName", "Enter")
    await held.wait()
    button = page.locator("#check-in button[data-check-in]")
    await expect(button).to_be_disabled()
    await expect(button).to_have_text("Checking in…")
    await expect(page.locator("#check-in")).to_have_attribute("aria-busy", "true")
    await page.press("#f-visitorName", "Enter")  # a second send while the first is on its way
    release.set()
    await page.wait_for_selector("#board td:has-text('Slow Answer')")
    await page.unroute("**/kiosk/visits")
    assert len(requests) == 1
    assert await VisitTable.count() == 1
    await context.close()


async def test_the_draft_survives_a_reload_until_it_is_sent(browser, server, factory, guard):
    await factory.resident(name="Ana Lima", unit="B-302")
    context, page = await signed_in_page(browser, server, guard.actor.email, "/kiosk")
    await pick_resident(page)
    await page.fill("#f-visitorName", "Zoë Ñúñez")
    await page.fill("#f-vehicleColor", "Dark green")
    await page.click("[data-step='1']")
    key = await page.input_value("input[name=idempotencyKey]")

    await page.reload()
    await expect(page.locator("#f-visitorName")).to_have_value("Zoë Ñúñez")
    await expect(page.locator("#f-vehicleColor")).to_have_value("Dark green")
    await expect(page.locator("#f-totalPeople")).to_have_value("2")
    await expect(page.locator("#f-residentQuery")).to_have_value("Ana Lima · B-302")
    await expect(page.locator("input[name=idempotencyKey]")).to_have_value(key)

    await page.press("#f-visitorName", "Enter")
    await page.wait_for_selector("#board td:has-text('Zoë Ñúñez')")
    await page.reload()
    await expect(page.locator("#f-visitorName")).to_have_value("")
    await expect(page.locator("#f-totalPeople")).to_have_value("1")
    await context.close()


async def test_a_stream_the_browser_closed_catches_up_when_it_is_restarted(browser, server, factory, guard):
    resident = await factory.resident(name="Ana Lima", unit="B-302")
    proxy = CuttableProxy(server)
    through_proxy = await proxy.start()
    try:
        context, page = await signed_in_page(browser, through_proxy, guard.actor.email, "/kiosk")
        await page.wait_for_selector("body[data-live=connected]")
        refused = asyncio.Event()

        async def unavailable(route):
            refused.set()
            await route.fulfill(status=503, body="down for maintenance")

        # The stream answers 503 (the browser closes it for good), and nothing else tells the page it is back.
        await page.route("**/kiosk/events*", unavailable)
        await page.route("**/readyz", lambda route: route.abort())
        proxy.cut()
        await refused.wait()
        banner = page.locator("#connection")
        await expect(banner).to_contain_text("Not connected since")
        await factory.visit(resident.id, visitor_name="While Away", arrival_date="2026-11-28T08:00:00+00:00")

        await page.unroute("**/kiosk/events*")
        await page.wait_for_selector("#board td:has-text('While Away')")
        await expect(banner).to_contain_text("Connected again at")
        await context.close()
    finally:
        await proxy.close()


async def test_a_plain_form_sent_while_the_server_is_away_is_held_with_what_was_typed(browser, server, guard):
    proxy = CuttableProxy(server)
    through_proxy = await proxy.start()
    try:
        context, page = await signed_in_page(browser, through_proxy, guard.actor.email, "/kiosk/handover")
        await page.wait_for_selector("body[data-live=connected]")
        note = "Gate 2 barrier sticks; técnico chamado às 14h"
        await page.fill("#f-text", note)

        # The server goes away: the page's live stream breaks and nothing answers any more.
        await page.route("**/kiosk/events*", lambda route: route.abort())
        await page.route("**/readyz", lambda route: route.abort())
        await page.route("**/kiosk/handover/notes", lambda route: route.abort())
        proxy.cut()
        banner = page.locator("#connection")
        await expect(banner).to_contain_text("Not connected since")
        await page.click(".shift-note-form button[type=submit]")
        await expect(banner).to_contain_text("Not connected since")
        assert page.url.endswith("/kiosk/handover")
        await expect(page.locator("#f-text")).to_have_value(note)
        assert await ShiftNote.count() == 0

        await page.unroute("**/kiosk/events*")
        await page.unroute("**/readyz")
        await page.unroute("**/kiosk/handover/notes")
        await expect(banner).to_contain_text("Connected again at")
        await page.click(".shift-note-form button[type=submit]")
        await expect(page.locator("#shift-notes-list")).to_contain_text(note)
        await expect(page.locator("#f-text")).to_have_value("")
        assert await ShiftNote.count() == 1
        await context.close()
    finally:
        await proxy.close()
