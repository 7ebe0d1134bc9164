"""The overstay badge on the kiosk's board in Chromium, at desktop and tablet sizes (issue 7)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.web.browser import assert_accessible, screenshot, signed_in_page


async def test_board_shows_overstaying_visitors_in_words_on_desktop_and_tablet(browser, server, factory, guard):
    resident = await factory.resident(name="Ana Lima", unit="B-302")
    other = await factory.resident(name="Bruno Costa", unit="C-101")
    now = datetime.now(UTC)
    await factory.visit(
        resident.id,
        visitor_name="Night Owl",
        total_people=2,
        vehicle_color="Grey",
        license_plate="kzt-4r21",
        arrival_date=(now - timedelta(hours=14, minutes=20)).isoformat(),
    )
    await factory.visit(other.id, visitor_name="Day Tripper", arrival_date=(now - timedelta(hours=2)).isoformat())
    context, page = await signed_in_page(browser, server, guard.actor.email, "/kiosk")

    for width, height in ((1280, 800), (768, 1024)):
        await page.set_viewport_size({"width": width, "height": height})
        badge = page.locator("#board tr.overstay .overstay-badge:visible")
        assert await badge.count() == 1, f"not exactly one visible badge at {width}x{height}"
        assert (await badge.inner_text()).startswith("Over 12 h")
        assert await page.locator("#board tr:has-text('Day Tripper') .overstay-badge").count() == 0
        assert await page.text_content("#overstaying") == "1"
        checkout = await page.locator("#board tr.overstay button.checkout").bounding_box()
        board = await page.locator("#board").bounding_box()
        overflow = checkout["x"] + checkout["width"] - (board["x"] + board["width"])
        assert overflow <= 1, f"Check out pushed {overflow:.0f}px off the board at {width}x{height}"
        await screenshot(page, f"kiosk-overstay-{width}x{height}.png", full_page=True)
    # What a screen reader gets for the row: the words, not the colour.
    row_text = await page.locator("#board tr.overstay").inner_text()
    assert "Night Owl" in row_text and row_text.count("Over 12 h") == 1

    await assert_accessible(page, "kiosk with an overstay")

    await page.goto("/kiosk/roll-call")
    assert await page.locator("tr.overstay .overstay-badge").is_visible()
    await assert_accessible(page, "roll call with an overstay")
    assert not page.console_errors, page.console_errors
    await context.close()
