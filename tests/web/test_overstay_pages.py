"""Overstays on the board and the roll call (issue 7): marked in words, counted, absent when nobody overstays."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

HTMX = {"hx-request": "true"}


def hours_ago(hours: float) -> str:
    return (datetime.now(UTC) - timedelta(hours=hours)).isoformat()


def row_of(html: str, visit_id) -> str:
    match = re.search(rf'<tr id="visit-{visit_id}"[^>]*>.*?</tr>', html, re.S)
    assert match, f"no board row for {visit_id}"
    return match.group(0)


async def test_board_marks_visitors_inside_over_the_limit_in_words_and_counts_them(kiosk, factory, resident):
    client, _, _ = kiosk
    long_stay = await factory.visit(resident.id, visitor_name="Night Owl", arrival_date=hours_ago(13))
    short_stay = await factory.visit(resident.id, visitor_name="Day Tripper", arrival_date=hours_ago(11))

    html = (await client.get("/kiosk/board", headers=HTMX)).text

    over = row_of(html, long_stay.id)
    assert 'class="overstay"' in over
    for where in ("in-name", "in-since"):  # CSS shows one of the two, by screen width (the browser test checks)
        assert re.search(rf'<span class="overstay-badge {where}"[^>]*>Over 12 h<span class="visually-hidden">', over)
    under = row_of(html, short_stay.id)
    assert "overstay" not in under and "Over 12 h" not in under
    assert '<strong id="overstaying">1</strong> visit overstaying' in html
    assert "2 people inside, 2 visits, 1 overstaying." in html  # what the board announces to a screen reader


async def test_board_says_nothing_of_overstays_when_nobody_overstays(kiosk, factory, resident):
    client, _, _ = kiosk
    await factory.visit(resident.id, arrival_date=hours_ago(11.9))
    html = (await client.get("/kiosk")).text
    assert "overstay" not in html.replace("gatehouse.css", "")
    assert "Over 12 h" not in html


async def test_roll_call_marks_overstays_too(kiosk, factory, resident):
    client, _, _ = kiosk
    await factory.visit(resident.id, visitor_name="Night Owl", arrival_date=hours_ago(30))
    await factory.visit(resident.id, visitor_name="Day Tripper", arrival_date=hours_ago(1))
    html = (await client.get("/kiosk/roll-call")).text
    assert re.search(r'<tr class="overstay">\s*<td>Night Owl <span class="overstay-badge"', html)
    assert re.search(r"<tr>\s*<td>Day Tripper</td>", html)
    assert '<strong id="overstaying">1</strong> visit overstaying' in html
