"""Expected visitors: announcing on the API and pages, and checking one in at the kiosk."""

from __future__ import annotations

from datetime import timedelta

from app.db.tables import ExpectedVisit, Visit
from app.domain.expected import schemas as expected_schemas
from app.domain.expected import service as expected
from app.lib.actors import SYSTEM
from app.lib.clock import utc_now
from tests.factory import visit_body
from tests.pages import sign_in

HTMX = {"hx-request": "true"}


def day(offset: int = 0) -> str:
    return (expected.today() + timedelta(days=offset)).isoformat()


async def test_a_resident_announces_a_weekly_visitor_for_themselves(client, homes):
    home_a, resident_a, _, _ = homes
    body = {
        "visitorName": "Rosa Cleaner",
        "startsOn": day(),
        "endsOn": day(60),
        "weekdays": [4, 2, 2],
        "licensePlate": "abc-1234",
    }
    response = await client.post("/api/expected-visits", json=body, headers=resident_a.headers)
    assert response.status_code == 201, response.text
    item = response.json()
    assert response.headers["location"] == f"/api/expected-visits/{item['id']}"
    assert item["residentId"] == str(home_a.id) and item["weekdays"] == [2, 4] and item["singleDay"] is False
    assert item["licensePlate"] == "ABC-1234" and item["residentUnit"] == "B-302"


async def test_bad_announcements_name_every_field(client, homes):
    _, resident_a, home_b, _ = homes
    body = {
        "visitorName": " ",
        "startsOn": day(3),
        "endsOn": day(1),
        "totalPeople": 0,
        "residentId": str(home_b.id),
    }
    response = await client.post("/api/expected-visits", json=body, headers=resident_a.headers)
    assert response.status_code == 400
    fields = {error["field"] for error in response.json()["errors"]}
    assert fields == {"visitorName", "endsOn", "totalPeople", "residentId"}
    no_such_day = await client.post("/api/expected-visits", json=body | {"weekdays": [8]}, headers=resident_a.headers)
    assert no_such_day.status_code == 400 and no_such_day.json()["errors"][0]["field"] == "weekdays[0]"
    weekly_without_end = {"visitorName": "X", "startsOn": day(), "weekdays": [1]}
    response = await client.post("/api/expected-visits", json=weekly_without_end, headers=resident_a.headers)
    assert response.json()["errors"] == [
        {"field": "endsOn", "message": "is needed for a weekly pattern: the last day it applies"}
    ]
    past = await client.post(
        "/api/expected-visits", json={"visitorName": "X", "startsOn": day(-1)}, headers=resident_a.headers
    )
    assert past.json()["errors"] == [{"field": "startsOn", "message": "is in the past"}]


async def test_residents_see_and_change_only_their_own_and_guards_may_not_announce(client, homes, guard):
    home_a, resident_a, home_b, resident_b = homes
    theirs = await expected.announce(
        SYSTEM, expected_schemas.ExpectedInput(visitor_name="B's guest", starts_on=day(), resident_id=home_b.id)
    )
    url = f"/api/expected-visits/{theirs.id}"
    assert (await client.get(url, headers=resident_a.headers)).status_code == 404
    assert (
        await client.put(url, json={"visitorName": "x", "startsOn": day()}, headers=resident_a.headers)
    ).status_code == 404
    assert (await client.delete(url, headers=resident_a.headers)).status_code == 404
    assert (await client.get("/api/expected-visits", headers=resident_a.headers)).json() == []
    assert len((await client.get("/api/expected-visits", headers=guard.headers)).json()) == 1
    assert (
        await client.post(
            "/api/expected-visits",
            json={"visitorName": "x", "startsOn": day(), "residentId": str(home_a.id)},
            headers=guard.headers,
        )
    ).status_code == 403
    assert (await client.delete(url, headers=guard.headers)).status_code == 403
    assert (await client.delete(url, headers=resident_b.headers)).status_code == 204
    assert (await client.get(url, headers=resident_b.headers)).status_code == 404


async def test_the_list_pages_with_a_link_header(client, homes):
    home_a, resident_a, _, _ = homes
    for n in range(3):
        await expected.announce(
            SYSTEM, expected_schemas.ExpectedInput(visitor_name=f"Guest {n}", starts_on=day(), resident_id=home_a.id)
        )
    first = await client.get("/api/expected-visits?limit=2", headers=resident_a.headers)
    assert len(first.json()) == 2 and 'rel="next"' in first.headers["link"]
    url = first.headers["link"].split(">")[0].lstrip("<")
    rest = await client.get(url, headers=resident_a.headers)
    assert len(rest.json()) == 1 and "link" not in rest.headers
    names = {item["visitorName"] for item in first.json() + rest.json()}
    assert names == {"Guest 0", "Guest 1", "Guest 2"}


async def test_a_one_day_announcement_is_used_up_a_weekly_one_stays(client, homes, guard):
    home_a, _, home_b, _ = homes
    once = await expected.announce(
        SYSTEM, expected_schemas.ExpectedInput(visitor_name="Maria Silva", starts_on=day(), resident_id=home_a.id)
    )
    weekly = await expected.announce(
        SYSTEM,
        expected_schemas.ExpectedInput(
            visitor_name="Rosa Cleaner",
            starts_on=day(-0),
            ends_on=day(30),
            weekdays=[expected.today().isoweekday()],
            resident_id=home_a.id,
        ),
    )
    now = {"arrivalDate": utc_now().isoformat()}
    first = await client.post(
        "/api/visits", json=visit_body(home_a.id, expectedVisitId=str(once.id)) | now, headers=guard.headers
    )
    assert first.status_code == 201, first.text
    again = await client.post(
        "/api/visits", json=visit_body(home_a.id, expectedVisitId=str(once.id)) | now, headers=guard.headers
    )
    assert again.status_code == 400 and again.json()["errors"] == [
        {"field": "expectedVisitId", "message": "has already been used"}
    ]
    wrong_home = await client.post(
        "/api/visits", json=visit_body(home_b.id, expectedVisitId=str(weekly.id)) | now, headers=guard.headers
    )
    assert wrong_home.json()["errors"] == [{"field": "expectedVisitId", "message": "is for another resident"}]
    for _ in range(2):
        ok = await client.post(
            "/api/visits", json=visit_body(home_a.id, expectedVisitId=str(weekly.id)) | now, headers=guard.headers
        )
        assert ok.status_code == 201
    rows = await Visit.select(Visit.expected_visit).where(Visit.expected_visit.is_not_null())
    assert sorted(str(r["expected_visit"]) for r in rows) == sorted([str(once.id), str(weekly.id), str(weekly.id)])
    assert (await ExpectedVisit.select(ExpectedVisit.used_at).where(ExpectedVisit.id == weekly.id).first())[
        "used_at"
    ] is None


async def test_expected_today_follows_the_weekdays_and_leaves_out_who_already_came(db, factory):
    home = await factory.resident()
    today = expected.today()
    other_day = today.isoweekday() % 7 + 1
    not_today = await expected.announce(
        SYSTEM,
        expected_schemas.ExpectedInput(
            visitor_name="Not Today", starts_on=day(), ends_on=day(14), weekdays=[other_day], resident_id=home.id
        ),
    )
    later = await expected.announce(
        SYSTEM, expected_schemas.ExpectedInput(visitor_name="Later", starts_on=day(1), resident_id=home.id)
    )
    range_ = await expected.announce(
        SYSTEM,
        expected_schemas.ExpectedInput(
            visitor_name="Staying Guest", starts_on=day(), ends_on=day(3), resident_id=home.id
        ),
    )
    names = [item.visitor_name for item in await expected.expected_today(SYSTEM)]
    assert names == ["Staying Guest"]
    await factory.visit(
        home.id, visitor_name="Staying Guest", arrival_date=utc_now().isoformat(), expected_visit_id=range_.id
    )
    assert await expected.expected_today(SYSTEM) == []
    del not_today, later


async def test_the_kiosk_lists_fills_and_checks_in_an_expected_visitor(client, homes, guard):
    home_a, _, _, _ = homes
    item = await expected.announce(
        SYSTEM,
        expected_schemas.ExpectedInput(
            visitor_name="Maria Silva",
            starts_on=day(),
            resident_id=home_a.id,
            total_people=3,
            license_plate="KZT-4R21",
            note="Bringing the cake",
        ),
    )
    _, token = await sign_in(client, guard.actor.email)
    home = await client.get("/kiosk")
    assert (
        "Expected today" in home.text
        and f'href="/kiosk/expected/{item.id}"' in home.text
        and "Bringing the cake" in home.text
    )

    form = await client.get(f"/kiosk/expected/{item.id}", headers=HTMX)
    assert f'name="expectedVisitId" value="{item.id}"' in form.text and 'value="Maria Silva"' in form.text
    assert 'value="3"' in form.text and 'value="KZT-4R21"' in form.text
    assert 'class="primary" autofocus' in form.text  # Enter confirms

    typed = await client.get("/kiosk/checks?visitorName=mar", headers=HTMX)
    assert f"/kiosk/expected/{item.id}" in typed.text
    assert f"/kiosk/expected/{item.id}" not in (await client.get("/kiosk/checks?visitorName=bru", headers=HTMX)).text

    fields = {
        "_csrf_token": token,
        "residentId": str(home_a.id),
        "residentQuery": "Ana Lima · B-302",
        "visitorName": "Maria Silva",
        "totalPeople": "2",  # one stayed home: the guard corrects the party
        "subject": "Guest",
        "licensePlate": "KZT-4R21",
        "expectedVisitId": str(item.id),
    }
    done = await client.post("/kiosk/visits", data=fields, headers=HTMX | {"x-csrftoken": token})
    assert done.status_code == 200 and "Maria Silva checked in" in done.text
    visit = await Visit.select().where(Visit.expected_visit == item.id).first()
    assert visit["total_people"] == 2
    assert f"/kiosk/expected/{item.id}" not in (await client.get("/kiosk/expected", headers=HTMX)).text


async def test_the_board_points_out_a_visitor_still_inside_after_their_announced_days(db, factory):
    from app.domain.kiosk import board

    home = await factory.resident()
    item = await expected.announce(
        SYSTEM,
        expected_schemas.ExpectedInput(
            visitor_name="Staying Guest", starts_on=day(), ends_on=day(2), resident_id=home.id
        ),
    )
    visit = await factory.visit(
        home.id, visitor_name="Staying Guest", arrival_date=utc_now().isoformat(), expected_visit_id=item.id
    )
    assert visit.id not in (await board.on_site(SYSTEM)).overstays
    yesterday = expected.today() - timedelta(days=1)
    await ExpectedVisit.update({ExpectedVisit.ends_on: yesterday}).where(ExpectedVisit.id == item.id)
    reason = (await board.on_site(SYSTEM)).overstays[visit.id]
    assert reason.code == "past-announcement" and reason.label == "Past announced day"


async def test_a_name_of_punctuation_alone_is_still_announced(client, homes):
    _, resident_a, _, _ = homes
    response = await client.post(
        "/api/expected-visits", json={"visitorName": "[", "startsOn": day()}, headers=resident_a.headers
    )
    assert response.status_code == 201, response.text
