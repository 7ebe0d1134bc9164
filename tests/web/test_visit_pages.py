"""Search, history with keyset paging, and correcting a visit on its page."""

from __future__ import annotations

import re

from app.domain.kiosk import board
from app.domain.visits.forms import visit_input
from app.lib.errors import Invalid
from app.web.forms import Form


async def test_search_by_plate_fragment_and_name(kiosk, factory, resident):
    client, _, _ = kiosk
    await factory.visit(resident.id, visitor_name="Paulo Reis", license_plate="xyz-9k88")
    await factory.visit(resident.id, visitor_name="Other Person", license_plate="AAA1111")
    by_plate = await client.get("/kiosk/visits?q=9K8", headers={"hx-request": "true"})
    assert "<html" not in by_plate.text and "Paulo Reis" in by_plate.text and "Other Person" not in by_plate.text
    by_name = await client.get("/kiosk/visits?q=paulo")
    assert "<html" in by_name.text and "Paulo Reis" in by_name.text and "Other Person" not in by_name.text


async def test_history_pages_with_a_more_link_and_keyset_cursor(kiosk, factory, resident):
    client, _, _ = kiosk
    for day in range(1, 31):
        await factory.visit(resident.id, visitor_name=f"Guest {day:02d}", arrival_date=f"2026-01-{day:02d}T10:00:00")
    first = await client.get("/kiosk/visits?status=all")
    assert "Guest 30" in first.text and "Guest 06" in first.text and "Guest 05" not in first.text
    more = re.search(r'hx-get="(/kiosk/visits\?[^"]+)"', first.text).group(1).replace("&amp;", "&")
    assert "cursor=" in more
    rows = await client.get(more, headers={"hx-request": "true"})
    assert "<table" not in rows.text and "Guest 05" in rows.text and "Guest 01" in rows.text
    assert "Guest 06" not in rows.text and "More" not in rows.text


async def test_history_filters_by_dates_resident_and_status(kiosk, factory, resident):
    client, _, _ = kiosk
    other = await factory.resident(name="Bruno Costa", unit="C-101")
    await factory.visit(resident.id, visitor_name="In Range", arrival_date="2026-02-10T09:00:00")
    await factory.visit(resident.id, visitor_name="Too Early", arrival_date="2026-02-01T09:00:00")
    await factory.visit(other.id, visitor_name="Other Home", arrival_date="2026-02-10T10:00:00")
    await factory.visit(
        resident.id,
        visitor_name="Already Left",
        arrival_date="2026-02-10T11:00:00",
        departure_date="2026-02-10T12:00:00",
    )
    url = f"/kiosk/visits?from=2026-02-05&to=2026-02-10&residentId={resident.id}&status=inside"
    html = (await client.get(url)).text
    assert "In Range" in html
    assert not any(name in html for name in ("Too Early", "Other Home", "Already Left"))
    left = (await client.get("/kiosk/visits?status=left")).text
    assert "Already Left" in left and "In Range" not in left


async def test_bad_filter_values_are_shown_not_crashed(kiosk):
    client, _, _ = kiosk
    response = await client.get("/kiosk/visits?from=yesterday")
    assert response.status_code == 200 and "Arrived from: is not an ISO 8601" in response.text


async def test_visit_page_corrects_a_visit_with_the_same_rules(kiosk, factory, resident):
    client, _, headers = kiosk
    visit = await factory.visit(resident.id, visitor_name="Typo Nmae", arrival_date="2026-03-01T10:00:00")
    page = await client.get(f"/kiosk/visits/{visit.id}")
    assert page.status_code == 200 and 'value="Typo Nmae"' in page.text and 'value="2026-03-01T10:00:00"' in page.text
    form = {
        "residentId": str(resident.id),
        "visitorName": "Typo Name",
        "totalPeople": "1",
        "subject": "Guest",
        "arrivalDate": "2026-03-01T10:00",
        "departureDate": "2026-03-01T09:00",
    }
    bad = await client.post(f"/kiosk/visits/{visit.id}", data=form, headers=headers)
    assert bad.status_code == 422 and "cannot be before the arrival" in bad.text and 'value="Typo Name"' in bad.text
    good = await client.post(f"/kiosk/visits/{visit.id}", data=form | {"departureDate": ""}, headers=headers)
    assert good.status_code == 200 and "Saved." in good.text
    assert "Typo Name" in (await client.get("/kiosk/visits?q=typo")).text
    history = (await client.get(f"/kiosk/visits/{visit.id}")).text
    assert "Visit corrected" in history and "Visitor: Typo Nmae → Typo Name" in history


def test_form_conversion_reports_every_problem_with_api_field_names():
    try:
        visit_input(Form({"residentId": "x", "totalPeople": "two", "visitorName": "", "subject": ""}))
    except Invalid as exc:
        assert set(exc.errors) == {"residentId", "totalPeople", "visitorName", "subject"}
    else:
        raise AssertionError("expected Invalid")


def test_form_conversion_takes_a_blank_arrival_as_now():
    data = visit_input(
        Form({"residentId": "8f3f537e-668c-43bb-b9f7-9984300f7ed0", "visitorName": "A", "subject": "Guest"})
    )
    from datetime import UTC, datetime

    arrival = datetime.fromisoformat(data.arrival_date)
    assert data.total_people == 1
    assert abs((datetime.now(UTC) - arrival).total_seconds()) < 5


def test_time_inside_reads_like_a_guard_would_say_it():
    from datetime import datetime, timedelta

    now = datetime(2026, 1, 1, 12, 0)
    assert board.time_inside(now - timedelta(seconds=20), now) == "just now"
    assert board.time_inside(now - timedelta(minutes=45), now) == "45 min"
    assert board.time_inside(now - timedelta(hours=2, minutes=15), now) == "2 h 15 min"
    assert board.time_inside(now - timedelta(days=3, hours=4), now) == "3 d 4 h"
