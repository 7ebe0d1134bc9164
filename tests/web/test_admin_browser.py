"""An administrator sets up a building in a real browser: CSV import, accounts, a token, the audit trail;
and a guard whose account is deactivated is put out of the kiosk at once."""

from __future__ import annotations

import re

import httpx

from app.db.tables import Resident
from tests.factory import PASSWORD, visit_body
from tests.web.browser import assert_accessible, screenshot, signed_in_page

CSV_WITH_A_BAD_LINE = (
    "name;unit;email;phone\nAna Lima;B-302;ana@example.com;\nBruno Costa;;bruno@example;555-0101\nCarla Dias;C-1;;\n"
)
NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"


async def test_admin_sets_up_a_building_from_csv_and_hands_out_an_account_and_a_token(browser, server, tmp_path, admin):
    context, page = await signed_in_page(browser, server, admin.actor.email, "/admin/residents")
    assert await page.locator("nav[aria-label=Administration] a").all_text_contents() == [
        "Residents",
        "Accounts",
        "API tokens",
        "Expected",
        "Do not admit",
        "Gates",
        "Reports",
        "Audit trail",
        "Deliveries",
        "Shift log",
        "Webhooks",
        "Erase data",
    ]
    await page.click("a:has-text('Import from CSV')")
    csv_file = tmp_path / "building.csv"
    csv_file.write_text(CSV_WITH_A_BAD_LINE, encoding="utf-8-sig")  # as a spreadsheet saves it
    await page.set_input_files("#f-file", str(csv_file))
    await page.click("button[value=check]")
    problems = page.locator(".problems li")
    await problems.first.wait_for()
    assert await problems.all_text_contents() == [
        "Line 3: unit is required and cannot be blank",
        "Line 3: email should look like name@example.com",
    ]
    assert await page.locator("button[value=import]").count() == 0
    assert await Resident.count() == 0
    await assert_accessible(page, "import preview with problems")
    await screenshot(page, "admin-import-problems-1280x800.png", full_page=True)

    # Fix the line where it is shown, check again, import.
    text = await page.input_value("#f-csvText")
    await page.fill("#f-csvText", text.replace("Bruno Costa;;bruno@example;", "Bruno Costa;C-101;bruno@example.com;"))
    await page.click("button[value=check]")
    await page.click("button:has-text('Import 3 residents')")
    await page.wait_for_selector("h1:has-text('3 residents imported')")
    assert await Resident.count() == 3

    # A resident account for Bruno, with a generated password shown once.
    await page.goto("/admin/accounts/new")
    await page.fill("#f-email", "bruno@example.com")
    await page.check("input[name=role][value=resident]")
    await page.fill("#f-residentQuery", "C-101")
    await page.wait_for_selector("#resident-options [role=option]")
    await page.keyboard.press("Enter")
    await page.click("button:has-text('Create account')")
    secret = page.locator("[data-secret]")
    await secret.wait_for()
    password = (await secret.text_content()).strip()
    assert len(password) >= 12
    await assert_accessible(page, "new account")

    # A token for the parcel lockers, shown once.
    await page.goto("/admin/tokens")
    await page.fill("#f-email", admin.actor.email)
    await page.fill("#f-name", "Parcel lockers")
    await page.click("button:has-text('Create token')")
    assert (await page.locator("[data-secret]").text_content()).startswith("gh_")
    await assert_accessible(page, "tokens")

    # The audit trail tells who did it, on a tablet and on a phone.
    await page.goto("/admin/audit")
    await page.wait_for_selector("td:has-text('API token issued')")
    await assert_accessible(page, "audit trail")
    for width, height in ((768, 1024), (375, 812)):
        await page.set_viewport_size({"width": width, "height": height})
        assert await page.evaluate(NO_SIDEWAYS_SCROLL), f"sideways scroll at {width}"
        await screenshot(page, f"admin-audit-{width}x{height}.png")
    assert not page.console_errors, page.console_errors

    # Bruno signs in with the password he was handed.
    phone_context, phone = await signed_in_page(browser, server, "bruno@example.com", "/me", 375, 812, password)
    assert "My visitors" in await phone.text_content("h1")
    await phone_context.close()
    await context.close()


async def test_a_deactivated_guard_is_put_out_of_the_kiosk_at_once(browser, server, factory, admin, guard):
    home = await factory.resident(name="Ana Lima", unit="B-302")
    kiosk_context, kiosk = await signed_in_page(browser, server, guard.actor.email, "/kiosk")
    await kiosk.wait_for_selector("body[data-live=connected]")  # CSP forbids evaluating a string
    office_context, office = await signed_in_page(
        browser, server, admin.actor.email, f"/admin/accounts/{guard.actor.account_id}"
    )
    office.on("dialog", lambda dialog: dialog.accept())  # "Deactivate …? They are signed out at once"
    await office.click("button:has-text('Deactivate')")
    await office.wait_for_selector("text=Account deactivated")

    # The next change on the board does not reach the guard's screen; the kiosk goes to sign-in instead.
    async with httpx.AsyncClient(base_url=server, headers=admin.headers) as api:  # through the server, which publishes
        response = await api.post("/api/visits", json=visit_body(home.id, visitorName="Maria Silva"))
        assert response.status_code == 201
    await kiosk.wait_for_url(re.compile(r"/sign-in\?next="))
    assert "Maria Silva" not in await kiosk.content()
    await kiosk.fill("#f-email", guard.actor.email)
    await kiosk.fill("#f-password", PASSWORD)
    await kiosk.press("#f-password", "Enter")
    await kiosk.wait_for_selector("text=The email or password is not right.")
    await kiosk_context.close()
    await office_context.close()
