"""A real gate's day in a real browser: what the guard and the resident type, and what they are told."""

from __future__ import annotations

import re
from datetime import timedelta

import httpx
from playwright.async_api import expect

from app.db.tables import Visit
from app.domain.accounts import service as accounts
from app.domain.bans import schemas as ban_schemas
from app.domain.bans import service as bans
from app.domain.expected import schemas as expected_schemas
from app.domain.expected import service as expected
from app.domain.residents import schemas as resident_schemas
from app.domain.residents import service as residents
from app.lib import formats
from app.lib.actors import SYSTEM, Actor
from app.lib.clock import utc_now
from tests.factory import PASSWORD, visit_body
from tests.web.browser import screenshot, signed_in_page
from tests.web.test_outage_browser import pick_resident


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
    await pick_resident(kiosk)
    await kiosk.fill("#f-visitorName", "Typed Clock")
    await arrival.fill(formats.typed_clock_examples(earlier)["day_time"])
    await screenshot(kiosk, "kiosk-arrival-1024x768.png")
    await kiosk.click("#check-in button.primary[type=submit]")
    await kiosk.wait_for_selector("#board td:has-text('Typed Clock')")
    stored = await Visit.select(Visit.arrival_date).where(Visit.visitor_name == "Typed Clock").first()
    assert stored["arrival_date"] == earlier.replace(second=0)
    await context.close()


IN_VIEW = """el => { const r = el.getBoundingClientRect();
  return r.top >= 0 && r.left >= 0 && r.bottom <= window.innerHeight && r.right <= window.innerWidth; }"""


async def test_check_in_anyway_without_a_reason_says_so_beside_the_field_and_looks_different(
    browser, server, guard, homes
):
    await bans.add_ban(SYSTEM, ban_schemas.BanInput(reason="Broke the barrier on 3 May", license_plate="KZT-4R21"))
    for width, height in ((1024, 768), (1920, 1080)):
        context, kiosk = await signed_in_page(browser, server, guard.actor.email, "/kiosk", width, height)
        send = kiosk.locator("#check-in button.primary[type=submit]")
        normal = await send.evaluate("el => getComputedStyle(el).backgroundColor")
        await pick_resident(kiosk)
        await kiosk.fill("#f-visitorName", "Mario Bros")
        await kiosk.fill("#f-licensePlate", "kzt 4r21")
        await kiosk.locator(".ban-warning").wait_for()
        await expect(send).to_have_text("Check in anyway")
        await expect(send).to_have_class(re.compile(r"\boverride\b"))
        assert await send.evaluate("el => getComputedStyle(el).backgroundColor") != normal
        assert await send.evaluate(IN_VIEW), f"the override button is off screen at {width}x{height}"

        await send.click()
        error = kiosk.locator("#overrideReason-error")
        await expect(error).to_have_text("Write why the visitor may come in, or do not check them in.")
        await kiosk.wait_for_selector("#f-overrideReason:focus")
        described = await kiosk.get_attribute("#f-overrideReason", "aria-describedby")
        assert described == "override-hint overrideReason-error"
        assert await send.evaluate(IN_VIEW) and await error.evaluate(IN_VIEW)
        assert await Visit.count().where(Visit.visitor_name == "Mario Bros") == 0
        await screenshot(kiosk, f"kiosk-override-refused-{width}x{height}.png")
        await context.close()


async def test_the_resident_sees_an_override_as_a_warning_with_the_reason_live_and_in_the_history(
    browser, server, guard, homes
):
    home, resident, home_b, resident_b = homes
    await bans.add_ban(SYSTEM, ban_schemas.BanInput(reason="Stole a parcel", name="Mallory Banned"))
    phone_context, phone = await signed_in_page(browser, server, resident.actor.email, "/me", 375, 812)
    await phone.wait_for_selector("body[data-live=connected]")
    reason = "Resident came down and vouched for him"
    body = visit_body(home.id, visitorName="Mallory Banned", arrivalDate=utc_now().isoformat(), overrideReason=reason)
    async with httpx.AsyncClient(base_url=server, headers=guard.headers) as api:  # through the server, which publishes
        answer = await api.post("/api/visits", json=body)
        assert answer.status_code == 201, answer.text

    notice = phone.locator("#live-notice")
    await expect(notice).to_contain_text(f"The guard's reason: “{reason}”")
    await expect(notice).to_have_class(re.compile(r"\bwarning\b"))
    note = phone.locator("#history tr:has-text('Mallory Banned') .override-note")
    await expect(note).to_contain_text("Let in although on the do-not-admit list.")
    await expect(note).to_contain_text(reason)
    await screenshot(phone, "resident-override-375x812.png", full_page=True)
    await phone_context.close()

    # After a reload (no toast any more) the history still says it; the neighbour sees nothing of it.
    context, page = await signed_in_page(browser, server, resident.actor.email, "/me", 1280, 800)
    await expect(page.locator("#history .override-note")).to_contain_text(reason)
    await context.close()
    context, page = await signed_in_page(browser, server, resident_b.actor.email, "/me", 1280, 800)
    assert "Mallory" not in await page.content() and reason not in await page.content()
    await context.close()


async def test_a_new_announcement_reaches_an_open_kiosk_by_the_live_stream(browser, server, guard, homes):
    _, resident, _, _ = homes
    context, kiosk = await signed_in_page(browser, server, guard.actor.email, "/kiosk", 1024, 768)
    await kiosk.wait_for_selector("body[data-live=connected]")
    expected_today = kiosk.locator("#expected-today")
    await expect(expected_today).to_contain_text("Nobody left to expect today.")
    polls = []
    kiosk.on("request", lambda request: polls.append(request.url) if "/kiosk/expected" in request.url else None)
    body = {"visitorName": "Rosa Cleaner", "startsOn": expected.today().isoformat(), "licensePlate": "rsa 1234"}
    async with httpx.AsyncClient(base_url=server, headers=resident.headers) as api:
        answer = await api.post("/api/expected-visits", json=body)
        assert answer.status_code == 201, answer.text
        # The stream brings it: the minute's poll (every 60s) would be later than the test's wait allows.
        await expect(expected_today.locator(".expected-pick")).to_contain_text("Rosa Cleaner", timeout=20_000)
        assert polls, "the list refetched on the stream's event"
        await expect(expected_today).to_contain_text("RSA-1234")
        cancelled = await api.delete(f"/api/expected-visits/{answer.json()['id']}")
        assert cancelled.status_code == 204, cancelled.text
    await expect(expected_today).to_contain_text("Nobody left to expect today.", timeout=20_000)
    assert not kiosk.console_errors, kiosk.console_errors
    await context.close()


async def test_expected_today_shows_whole_cards_and_says_how_many_more_follow(browser, server, guard, homes):
    home, _, _, _ = homes
    for n in range(6):
        note = "Brings the long ladder for the facade of block B, and a helper" if n % 2 else None
        data = expected_schemas.ExpectedInput(
            visitor_name=f"Painter {n} Ñúñez", resident_id=home.id, starts_on=expected.today().isoformat(), note=note
        )
        await expected.announce(SYSTEM, data)
    for width, height in ((1024, 768), (375, 812)):
        context, kiosk = await signed_in_page(browser, server, guard.actor.email, "/kiosk", width, height)
        panel = kiosk.locator("#expected-today")
        await expect(panel.locator(".expected-pick:visible")).to_have_count(3)
        more = panel.locator(".expected-more summary")
        await expect(more).to_have_text("+3 more expected today")
        await more.scroll_into_view_if_needed()
        for card in await panel.locator(".expected-pick:visible").all():  # whole cards: none cut by its list
            assert await card.evaluate(WHOLE_IN_LIST), await card.text_content()
        await screenshot(kiosk, f"kiosk-expected-more-{width}x{height}.png")
        await more.click()
        await expect(panel.locator(".expected-pick:visible")).to_have_count(6)
        # A refetch (a live event) keeps it open.
        before = await panel.locator(".expected-more").element_handle()
        await kiosk.evaluate("document.body.dispatchEvent(new CustomEvent('expected-changed'))")
        await kiosk.wait_for_function("el => !el.isConnected", arg=before)  # swapped for a fresh one
        await expect(panel.locator(".expected-more")).to_have_attribute("open", "")
        await expect(panel.locator(".expected-pick:visible")).to_have_count(6)
        await context.close()


WHOLE_IN_LIST = """el => { const list = el.closest('ul').getBoundingClientRect(), r = el.getBoundingClientRect();
  return r.top >= list.top && r.bottom <= list.bottom && r.height > 0; }"""


TOP = "el => Math.round(el.getBoundingClientRect().top)"
LEFT = "el => Math.round(el.getBoundingClientRect().left)"


async def test_the_announce_form_shows_only_the_fields_of_its_kind_and_lines_them_up_on_a_phone(browser, server, homes):
    _, resident, _, _ = homes
    context, phone = await signed_in_page(browser, server, resident.actor.email, "/me/expected/new", 375, 812)
    no_script = await browser.new_context(
        viewport={"width": 375, "height": 812},
        base_url=server,
        java_script_enabled=False,
        storage_state=await context.storage_state(),
    )
    bare = await no_script.new_page()
    await bare.goto("/me/expected/new")
    for page in (phone, bare):
        until, weekdays = page.locator("#f-endsOn"), page.locator("fieldset.weekdays")
        await expect(until).to_be_hidden()
        await expect(weekdays).to_be_hidden()
        await page.check("input[name=kind][value=range]")
        await expect(until).to_be_visible()
        await expect(weekdays).to_be_hidden()
        assert await page.locator("#f-startsOn").evaluate(TOP) == await until.evaluate(TOP)
        await page.check("input[name=kind][value=weekly]")
        await expect(weekdays).to_be_visible()
        assert await page.locator("#f-totalPeople").evaluate(TOP) == await page.locator("#f-vehicleColor").evaluate(TOP)
    await screenshot(phone, "announce-weekly-375x812.png", full_page=True)
    await phone.check("input[name=kind][value=day]")
    await screenshot(phone, "announce-one-day-375x812.png", full_page=True)
    await no_script.close()
    await context.close()


async def test_announcement_cards_align_their_values_and_offer_no_cancel_once_arrived(browser, server, homes, guard):
    home, resident, _, _ = homes
    today = expected.today().isoformat()
    arrived = await expected.announce(
        resident.actor,
        expected_schemas.ExpectedInput(visitor_name="Arrived Already", starts_on=today, license_plate="arr 1"),
    )
    await expected.announce(
        resident.actor,
        expected_schemas.ExpectedInput(
            visitor_name="Still Coming", starts_on=today, vehicle_color="Metallic blue", note="Rings twice"
        ),
    )
    async with httpx.AsyncClient(base_url=server, headers=guard.headers) as api:
        body = visit_body(home.id, visitorName="Arrived Already", arrivalDate=utc_now().isoformat())
        answer = await api.post("/api/visits", json=body | {"expectedVisitId": str(arrived.id)})
        assert answer.status_code == 201, answer.text

    context, page = await signed_in_page(browser, server, resident.actor.email, "/me/expected", 1280, 800)
    arrived_card = page.locator(".card:has-text('Arrived Already')")
    coming_card = page.locator(".card:has-text('Still Coming')")
    await expect(arrived_card.locator(".badge")).to_have_text("Arrived")
    await expect(arrived_card.locator("button:has-text('Cancel')")).to_have_count(0)
    await expect(coming_card.locator("button:has-text('Cancel')")).to_have_count(1)
    card_left = await coming_card.evaluate(LEFT)
    card_width = await coming_card.evaluate("el => el.getBoundingClientRect().width")
    lefts = {await dd.evaluate(LEFT) for dd in await coming_card.locator("dd").all()}
    assert len(lefts) == 1, "every value starts in one column"
    assert lefts.pop() - card_left < card_width / 4, "values start beside their labels, not halfway across"
    await screenshot(page, "announcements-1280x800.png", full_page=True)
    await context.close()


LONG_EMAIL = "maria.fernanda.albuquerque.vasconcelos@condominio-jardim-botanico-sul.example.com"
TEXT_LINES = """el => {
  // The element's text as the browser laid it out: one string per line.
  const lines = [], walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  let node, top = null;
  while ((node = walker.nextNode())) {
    for (let i = 0; i < node.length; i++) {
      const range = document.createRange(); range.setStart(node, i); range.setEnd(node, i + 1);
      const rect = range.getClientRects()[0];
      if (!rect) continue;
      if (top === null || rect.top > top + 2) { lines.push(""); top = rect.top; }
      lines[lines.length - 1] += node.data[i];
    }
  }
  return lines;
}"""


async def test_emails_in_the_audit_trail_break_after_at_or_dots_never_mid_word(browser, server, admin):
    long_admin = await accounts.create_account(SYSTEM, LONG_EMAIL, PASSWORD, "admin")
    actor = Actor(account_id=long_admin.id, email=LONG_EMAIL, role="admin")
    await residents.create_resident(actor, resident_schemas.ResidentInput(name="Zoë Ñúñez-O'Brien", unit="Torre 9"))
    context, page = await signed_in_page(browser, server, admin.actor.email, "/admin/audit", 375, 812)
    who = page.locator(f"td .who:has-text('{LONG_EMAIL[:20]}')").first
    await who.scroll_into_view_if_needed()
    lines = [line.strip() for line in await who.evaluate(TEXT_LINES) if line.strip()]
    assert "".join(lines).startswith(LONG_EMAIL), lines
    assert len(lines) > 1, "the email is wider than the phone: it must break somewhere"
    email_lines = [line for line in lines if line in LONG_EMAIL or LONG_EMAIL.endswith(line)]
    for line in email_lines[:-1]:
        assert line[-1] in "@.-", f"an email broke mid-word: {lines}"
    assert await page.evaluate(NO_SIDEWAYS_SCROLL)
    await screenshot(page, "audit-emails-375x812.png")
    await context.close()


NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"
