"""Two kiosks at two gates, in Chromium at 1024×768 against a real server: each chooses its gate once, sees
the other's check-ins live, and a visitor who came in by one gate leaves by the other."""

from __future__ import annotations

from playwright.async_api import expect

from app.db.tables import Visit
from app.domain.gates import service as gates
from app.lib.actors import SYSTEM
from tests.web.browser import SCREENSHOTS, assert_accessible, screenshot, signed_in_page

WIDTH, HEIGHT = 1024, 768
NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"


async def _check_in(page, unit: str, visitor: str) -> None:
    await page.focus("#f-residentQuery")
    await page.keyboard.type(unit)
    await page.wait_for_selector("#resident-options [role=option]")
    await page.keyboard.press("ArrowDown")
    await page.keyboard.press("Enter")
    await expect(page.locator("#f-visitorName")).to_be_focused()
    await page.keyboard.type(visitor)
    await page.press("#f-visitorName", "Enter")
    await page.wait_for_selector(f"#board td:has-text('{visitor}')")


async def _choose_gate(page, name: str) -> None:
    await expect(page.locator("form.kiosk-gate.unset")).to_be_visible()
    await page.select_option("#kiosk-gate", label=name)  # applies on choice: the page comes back with it
    await expect(page.locator("form.kiosk-gate:not(.unset) #kiosk-gate option:checked")).to_have_text(name)


async def test_two_kiosks_at_two_gates_follow_each_other_and_a_visitor_leaves_by_the_other_gate(
    browser, server, factory, admin, guard
):
    await factory.resident(name="Ana Lima", unit="B-302")
    await factory.resident(name="Bruno Costa", unit="C-101")
    main_gate = (await gates.list_gates(SYSTEM))[0]

    # Before a second gate exists, a kiosk shows no gate at all.
    office_context, office = await signed_in_page(browser, server, admin.actor.email, "/admin/gates", WIDTH, HEIGHT)
    single_context, single = await signed_in_page(browser, server, guard.actor.email, "/kiosk", WIDTH, HEIGHT)
    await expect(single.locator("form.kiosk-gate")).to_have_count(0)
    await single_context.close()

    # The administrator adds the service gate, for people on foot.
    await office.fill("#f-name", "Service gate")
    await office.uncheck("#f-vehicles")
    await office.click("button:has-text('Add gate')")
    await expect(office.locator("table.gates")).to_contain_text("Service gate")
    await expect(office.locator("table.gates")).to_contain_text("On foot only")
    await assert_accessible(office, "gates")
    await screenshot(office, f"admin-gates-{WIDTH}x{HEIGHT}.png")
    service_gate = (await gates.list_gates(SYSTEM))[1]

    # Each kiosk chooses its gate once; the choice stays on the device, through reloads.
    main_context, main = await signed_in_page(browser, server, guard.actor.email, "/kiosk", WIDTH, HEIGHT)
    side_context, side = await signed_in_page(browser, server, guard.actor.email, "/kiosk", WIDTH, HEIGHT)
    await _choose_gate(main, main_gate.name)
    await _choose_gate(side, "Service gate")
    await side.reload()
    await expect(side.locator("#kiosk-gate option:checked")).to_have_text("Service gate")
    await assert_accessible(side, "kiosk at a gate")
    assert await side.evaluate(NO_SIDEWAYS_SCROLL)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    header = side.locator("header.topbar")
    await header.screenshot(path=str(SCREENSHOTS / "kiosk-gate-header-1024x768.png"), caret="initial")

    # A check-in at either gate reaches the other kiosk at once, with the gate the visitor came in by.
    await _check_in(main, "b-30", "Maria Silva")
    maria = side.locator("#board tr:has-text('Maria Silva')")
    await expect(maria).to_contain_text(main_gate.name)
    await _check_in(side, "c-10", "Joana Reis")
    joana = main.locator("#board tr:has-text('Joana Reis')")
    await expect(joana).to_contain_text("Service gate")
    await screenshot(main, f"kiosk-two-gates-{WIDTH}x{HEIGHT}.png")

    # The main gate's board filtered to the service gate shows only who came in there; every gate again shows all.
    await main.select_option("#board-gate", label="Service gate")
    await expect(main.locator("#board tr:has-text('Maria Silva')")).to_be_hidden()
    await expect(joana).to_be_visible()
    await main.select_option("#board-gate", label="Every gate")
    await expect(main.locator("#board tr:has-text('Maria Silva')")).to_be_visible()

    # Maria came in by the main gate and leaves by the service gate; the main gate's board follows.
    await side.click("#board tr:has-text('Maria Silva') button:has-text('Check out')")
    await side.wait_for_selector("#toast :text('Maria Silva checked out')")
    await expect(main.locator("#board tr:has-text('Maria Silva')")).to_have_count(0)
    row = await Visit.select(Visit.arrival_gate_id, Visit.departure_gate_id).where(Visit.visitor_name == "Maria Silva")
    assert row == [{"arrival_gate_id": main_gate.id, "departure_gate_id": service_gate.id}]

    # The roll call covers every gate; the visit's page says both gates.
    await main.goto("/kiosk/roll-call")
    await expect(main.locator("#roll-call-total")).to_have_text("1")
    await expect(main.locator("table.board")).to_contain_text("Service gate")
    await main.goto("/kiosk/visits")
    await main.click("#results a:has-text('Maria Silva')")
    await expect(main.locator(".gates-passed")).to_have_text(f"Came in by {main_gate.name} · left by Service gate")

    for name, page in (("office", office), ("main", main), ("side", side)):
        assert not page.console_errors, (name, page.console_errors)
    for context in (office_context, main_context, side_context):
        await context.close()
