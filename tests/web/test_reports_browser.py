"""The Reports page in a real browser: accessible, its charts drawn, and the whole of it printed on one page."""

from __future__ import annotations

import random
import re
from datetime import timedelta

from playwright.async_api import expect

from app.lib.clock import utc_now
from tests.web.browser import assert_accessible, screenshot, signed_in_page

SUBJECTS = ("Guest", "Delivery", "Plumber", "Cleaner", "Family")
WHOLE_TABLES = "[...document.querySelectorAll('.report-table')].every(box => box.scrollHeight <= box.clientHeight)"


async def _a_month_at_the_gate(factory) -> None:
    """About a hundred visits over the last four weeks, busiest in the late afternoon and on Saturdays."""
    rng = random.Random(19)  # noqa: S311 - made-up visits
    homes = [await factory.resident() for _ in range(4)]
    now = utc_now()
    for _ in range(100):
        day = rng.randint(1, 27)
        hour = rng.choice((9, 10, 12, 14, 16, 17, 17, 18, 18, 19))
        arrival = (now - timedelta(days=day)).replace(hour=hour, minute=rng.randint(0, 59))
        if arrival.weekday() == 5:
            arrival = arrival.replace(hour=17)
        left = arrival + timedelta(minutes=rng.choice((8, 20, 35, 50, 75, 140, 300)))
        await factory.visit(
            rng.choice(homes).id,
            arrival_date=arrival.isoformat(),
            departure_date=left.isoformat(),
            subject=rng.choice(SUBJECTS),
        )


async def test_the_reports_page_reads_and_prints_on_one_page(browser, server, admin, factory):
    await _a_month_at_the_gate(factory)
    context, page = await signed_in_page(browser, server, admin.actor.email, "/admin/reports")
    try:
        assert await page.locator("svg.chart").count() == 5
        assert await page.locator("svg.chart rect").count() > 168  # the heat map's cells and the bars
        await assert_accessible(page, "reports")
        await screenshot(page, "reports-1280x800.png", full_page=True)
        # No table hides rows in a scroll box: a short one is whole beside its chart, a long one (the month's
        # days, the 24 hours) opens whole under its summary.
        assert await page.evaluate(WHOLE_TABLES), "a table scrolls inside a box"
        long_tables = page.locator("details.report-more")
        assert await long_tables.count() == 2
        days = long_tables.first
        await days.locator("summary").click()
        await expect(days.locator("tbody tr")).to_have_count(30)
        assert await page.evaluate(WHOLE_TABLES)
        await page.emulate_media(media="print")
        pdf = await page.pdf(format="A4", print_background=True)
        pages = len(re.findall(rb"/Type\s*/Page(?!s)", pdf))
        assert pages == 1, f"the report prints on {pages} pages"
        await page.emulate_media(media="screen")
        await page.click("a:has-text('365 days')")
        await page.wait_for_url("**/admin/reports?days=365")
        assert await page.locator("svg.chart").count() == 5
        assert not page.console_errors
    finally:
        await context.close()
