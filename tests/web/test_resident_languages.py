"""A resident reading Spanish sees their history and announcements with Spanish dates, and error pages speak
the reader's language even for an address no route answers."""

from __future__ import annotations

from datetime import timedelta

from app.domain.expected import schemas as expected_schemas
from app.domain.expected import service as expected
from app.domain.visits import schemas as visit_schemas
from app.domain.visits import service as visits
from app.lib.actors import SYSTEM

SPANISH = {"accept-language": "es-CO,es;q=0.9"}


async def test_a_spanish_reader_sees_history_and_announcements_with_spanish_dates(resident_a, homes):
    client, _ = resident_a
    home_a, _, _, _ = homes
    body = {"resident_id": home_a.id, "visitor_name": "Left Guest", "total_people": 1, "subject": "Guest"}
    await visits.create_visit(
        SYSTEM,
        visit_schemas.CheckInInput(
            **body, arrival_date="2026-01-01T10:00:00+00:00", departure_date="2026-01-01T12:00:00+00:00"
        ),
    )
    starts = expected.today()
    await expected.announce(
        SYSTEM,
        expected_schemas.ExpectedInput(
            visitor_name="Carla",
            resident_id=home_a.id,
            starts_on=starts.isoformat(),
            ends_on=(starts + timedelta(days=60)).isoformat(),
            weekdays=[2, 4],
        ),
    )
    history = (await client.get("/me", headers=SPANISH)).text
    assert '<html lang="es">' in history
    assert "1 ene 2026, 10:00" in history and "1 ene 2026, 12:00" in history
    announcements = (await client.get("/me/expected", headers=SPANISH)).text
    assert "martes y jueves" in announcements and "Tuesday" not in announcements
    form = (await client.get("/me/expected/new", headers=SPANISH)).text
    assert "miércoles" in form and "Wednesday" not in form


async def test_an_address_no_route_answers_is_a_page_in_the_readers_language(client):
    page = await client.get("/no-such-page", headers=SPANISH)
    assert page.status_code == 404 and '<html lang="es">' in page.text
    english = await client.get("/no-such-page", headers={"accept-language": "en"})
    assert '<html lang="en">' in english.text and "There is nothing at this address." in english.text
