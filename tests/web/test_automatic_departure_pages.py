"""Automatic departures (issue 7) say so wherever a departure is shown: search, a visit, a resident's history."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from app.domain.kiosk import sweep
from app.lib.actors import SYSTEM
from tests.pages import sign_in

CUTOFF = datetime(2026, 1, 2, 0, 0, tzinfo=UTC)


async def test_an_automatic_departure_says_so_in_search_history_and_on_the_visit_page(kiosk, factory, resident):
    client, _, _ = kiosk
    forgotten = await factory.visit(resident.id, visitor_name="Night Owl", arrival_date="2026-01-01T10:00:00+00:00")
    by_guard = await factory.visit(resident.id, visitor_name="Day Tripper", arrival_date="2026-01-01T11:00:00+00:00")
    await client.post(f"/kiosk/visits/{by_guard.id}/check-out", headers=kiosk[2])
    await sweep.sweep(SYSTEM, CUTOFF)

    rows = (await client.get("/kiosk/visits?status=left")).text
    night = re.search(r"Night Owl.*?</tr>", rows, re.S).group(0)
    day = re.search(r"Day Tripper.*?</tr>", rows, re.S).group(0)
    assert re.search(r"Jan 2, 2026, 12:00\u202fAM <span class=\"automatic\"[^>]*>\(automatic\)</span>", night)
    assert "(automatic)" not in day

    detail = (await client.get(f"/kiosk/visits/{forgotten.id}")).text
    assert "left Jan 2, 2026, 12:00\u202fAM <span" in detail and "(automatic)</span>" in detail
    assert "Visit checked out automatically (end-of-day sweep)</strong>" in detail
    assert "(automatic)" not in (await client.get(f"/kiosk/visits/{by_guard.id}")).text


async def test_a_resident_sees_which_departures_were_automatic(client, factory):
    home = await factory.resident(name="Ana Lima", unit="B-302")
    caller = await factory.caller("resident", resident_id=home.id)
    await factory.visit(home.id, visitor_name="Night Owl", arrival_date="2026-01-01T10:00:00+00:00")
    await sweep.sweep(SYSTEM, CUTOFF)
    await sign_in(client, caller.actor.email, next_url="/me")
    html = (await client.get("/me")).text
    assert re.search(r'data-label="Left">Jan 2, 2026, 12:00\u202fAM <span class="automatic"[^>]*>\(automatic\)', html)
