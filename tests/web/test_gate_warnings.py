"""What the gate's checks say about the visitor being typed beyond the do-not-admit list: the same person
or car already inside."""

from __future__ import annotations

import html
import re
from datetime import timedelta

from app.db.tables import Visit
from app.lib import formats, i18n
from app.lib.clock import utc_now
from app.web.language import LANGUAGE_COOKIE
from tests.factory import visit_body


async def test_the_same_name_or_plate_still_inside_is_a_warning_with_the_time_and_unit(kiosk, factory, resident):
    client, _, _ = kiosk
    arrived = utc_now().replace(microsecond=0) - timedelta(minutes=5)
    await factory.visit(
        resident.id,
        visitor_name="José Álvarez",
        license_plate="BAN 0001",
        arrival_date=arrived.isoformat(),
        departure_date=None,
    )
    since = formats.time_of_day(arrived)

    for query in ({"visitorName": "jose alvarez"}, {"licensePlate": "ban0001"}, {"licensePlate": "ban-0001"}):
        checks = html.unescape((await client.get("/kiosk/checks", params=query)).text)
        assert f"already inside since {since}, visiting B-302" in checks, query
        assert "José Álvarez" in checks and "BAN-0001" in checks

    for query in ({"visitorName": "jose"}, {"licensePlate": "ban00"}, {"visitorName": "Someone Else"}):
        assert "already inside" not in (await client.get("/kiosk/checks", params=query)).text, query


async def test_a_visitor_who_left_is_not_inside_and_the_guard_may_check_in_again(kiosk, factory, resident):
    client, _, headers = kiosk
    await factory.visit(resident.id, visitor_name="Left Already", license_plate="OUT-1", departure_date=None)
    checks = await client.get("/kiosk/checks", params={"visitorName": "left already"})
    assert "already inside" in checks.text
    form = {
        "residentId": str(resident.id),
        "visitorName": "Left Already",
        "totalPeople": "1",
        "subject": "Guest",
        "licensePlate": "out 1",
    }
    answer = await client.post("/kiosk/visits", data=form, headers=headers)
    assert answer.status_code == 200 and "Left Already checked in" in answer.text
    await factory.visit(resident.id, visitor_name="Gone Home", departure_date=utc_now().isoformat())
    assert "already inside" not in (await client.get("/kiosk/checks", params={"visitorName": "gone home"})).text


async def test_a_colour_or_plate_over_its_limit_is_refused_by_name_keeping_what_was_typed(kiosk, resident):
    client, _, headers = kiosk
    form = {
        "residentId": str(resident.id),
        "visitorName": "Long Car",
        "totalPeople": "1",
        "subject": "Guest",
        "vehicleColor": "c" * 41,
        "licensePlate": "P" * 21,
    }
    answer = await client.post("/kiosk/visits", data=form, headers=headers)
    assert answer.status_code == 422
    assert 'id="vehicleColor-error">Vehicle colour must be at most 40 characters.' in answer.text
    assert 'id="licensePlate-error">Licence plate must be at most 20 characters.' in answer.text
    assert f'value="{"c" * 41}"' in answer.text and 'id="vehicleColor-count"' in answer.text


def _form(resident_id, **fields) -> dict:
    base = {"residentId": str(resident_id), "visitorName": "Clock Test", "totalPeople": "1", "subject": "Guest"}
    return base | fields


async def test_the_arrival_is_typed_in_the_sites_clock_and_read_by_the_server(kiosk, resident):
    client, _, headers = kiosk
    client.cookies.set(LANGUAGE_COOKIE, "pt_BR")
    page = (await client.get("/kiosk")).text
    assert 'id="f-arrivalDate" name="arrivalDate" type="text"' in page and "datetime-local" not in page
    two_hours_ago = utc_now() - timedelta(hours=2)
    i18n.use_language("pt_BR")
    typed = formats.typed_clock_examples(two_hours_ago)["day_time"]  # 07/12/2026 12:02
    i18n.use_language(None)
    assert re.fullmatch(r"\d\d/\d\d/\d{4} \d\d:\d\d", typed)
    answer = await client.post("/kiosk/visits", data=_form(resident.id, arrivalDate=typed), headers=headers)
    assert answer.status_code == 200, answer.text
    stored = await Visit.select(Visit.arrival_date).where(Visit.visitor_name == "Clock Test").first()
    assert stored["arrival_date"] == two_hours_ago.replace(second=0)

    wrong = await client.post("/kiosk/visits", data=_form(resident.id, arrivalDate="ontem às 3"), headers=headers)
    assert wrong.status_code == 422
    assert re.search(r'id="arrivalDate-error">Escreva uma hora como \d\d:\d\d', html.unescape(wrong.text))
    assert 'value="ontem às 3"' in html.unescape(wrong.text)


async def test_the_api_keeps_iso_8601_for_the_arrival(client, guard, resident):
    answer = await client.post("/api/visits", json=visit_body(resident.id, arrivalDate="14:30"), headers=guard.headers)
    assert answer.status_code == 400 and "arrivalDate" in answer.text
