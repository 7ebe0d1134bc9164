"""The Reports page: its numbers in tables beside charts drawn on the server, for each period."""

from __future__ import annotations

from datetime import timedelta

from app.lib.clock import utc_now


async def test_the_reports_page_draws_each_chart_beside_its_table(office, factory):
    client, _ = office
    home = await factory.resident()
    arrived = utc_now() - timedelta(hours=3)
    for minutes, subject in ((20, "Delivery"), (50, "Delivery"), (95, "Plumber")):
        left = arrived + timedelta(minutes=minutes)
        await factory.visit(home.id, arrival_date=arrived.isoformat(), departure_date=left.isoformat(), subject=subject)
    page = await client.get("/admin/reports")
    assert page.status_code == 200
    text = page.text
    assert text.count("<svg") == 5 and text.count("<table") == 5
    assert 'role="img"' in text and "cdn" not in text.lower()
    assert '<td>Delivery</td><td class="num">2</td>' in text
    assert "50 min" in text and "1 h 35 min" in text  # the median and the longest stay
    assert 'aria-current="page">30 days' in text
    assert ">most: 3</text>" in text  # the busiest day's visits, the top of the per-day chart
    for days in (90, 365):
        longer = await client.get(f"/admin/reports?days={days}")
        assert longer.status_code == 200 and f'aria-current="page">{days} days' in longer.text
    assert (await client.get("/admin/reports?days=nonsense")).status_code == 200


async def test_an_empty_period_says_so(office):
    client, _ = office
    page = await client.get("/admin/reports")
    assert page.status_code == 200 and "No arrivals in this period." in page.text
    assert "most:" not in page.text  # no busiest day to name (the chart's scale is 1, not a count)
