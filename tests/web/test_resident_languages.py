"""A resident reading Spanish sees their history and announcements with Spanish dates, and error pages speak
the reader's language even for an address no route answers."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.domain.expected import schemas as expected_schemas
from app.domain.expected import service as expected
from app.domain.visits import schemas as visit_schemas
from app.domain.visits import service as visits
from app.lib.actors import SYSTEM
from tests.catalogs import fresh_catalogs, use_catalogs  # noqa: F401 - a fixture
from tests.pages import csrf_from

SPANISH = {"accept-language": "es-CO,es;q=0.9"}
INSIDE = '<strong id="people-inside">%(count)s</strong> person inside for you'
CATALOG = {
    INSIDE: {
        "plural": '<strong id="people-inside">%(count)s</strong> people inside for you',
        "pt_BR": ['<strong id="people-inside">%(count)s</strong> pessoa no local visitando você']
        + ['<strong id="people-inside">%(count)s</strong> pessoas no local visitando você'] * 2,
        "es": ['<strong id="people-inside">%(count)s</strong> persona en el conjunto de visita para usted']
        + ['<strong id="people-inside">%(count)s</strong> personas en el conjunto de visita para usted'] * 2,
    },
    "Every %(weekdays)s until %(day)s": {
        "pt_BR": "Toda semana (%(weekdays)s) até %(day)s",
        "es": "Cada semana (%(weekdays)s) hasta el %(day)s",
    },
}


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


async def test_the_language_can_be_changed_from_an_address_no_route_answers(client):
    await client.get("/sign-in")  # a page sets the CSRF cookie, as any visit before the mistyped address does
    missing = await client.get("/kiosk/no-such-page")
    assert missing.status_code == 404
    token = csrf_from(missing.text)
    form = {"_csrf_token": token, "language": "es", "back": "/kiosk/no-such-page"}
    changed = await client.post("/language", data=form, follow_redirects=False)
    assert changed.status_code == 303 and changed.headers["location"] == "/kiosk/no-such-page", changed.text


@pytest.fixture
def catalogs(monkeypatch, tmp_path, fresh_catalogs):  # noqa: F811 - the fixture imported above
    use_catalogs(monkeypatch, tmp_path, CATALOG)


async def _inside_now(home_id, people: int) -> None:
    arrival = (expected.today() - timedelta(days=1)).isoformat() + "T10:00:00+00:00"
    body = {"resident_id": home_id, "visitor_name": "Party", "total_people": people, "subject": "Guest"}
    await visits.create_visit(SYSTEM, visit_schemas.CheckInInput(**body, arrival_date=arrival))


@pytest.mark.parametrize(
    ("language", "one", "two"),
    [
        ("en", "1</strong> person inside for you", "2</strong> people inside for you"),
        ("pt-BR", "1</strong> pessoa no local visitando você", "2</strong> pessoas no local visitando você"),
        ("es", "1</strong> persona en el conjunto", "2</strong> personas en el conjunto"),
    ],
)
async def test_people_inside_is_a_real_plural_in_each_language(resident_a, homes, catalogs, language, one, two):
    client, _ = resident_a
    home_a = homes[0]
    await _inside_now(home_a.id, 1)
    assert one in (await client.get("/me/inside", headers={"hx-request": "true", "accept-language": language})).text
    await _inside_now(home_a.id, 1)
    assert two in (await client.get("/me/inside", headers={"hx-request": "true", "accept-language": language})).text


async def test_a_weekly_announcement_reads_as_one_translated_sentence(resident_a, homes, catalogs):
    client, _ = resident_a
    starts = expected.today()
    await expected.announce(
        SYSTEM,
        expected_schemas.ExpectedInput(
            visitor_name="Carla",
            resident_id=homes[0].id,
            starts_on=starts.isoformat(),
            ends_on=(starts + timedelta(days=60)).isoformat(),
            weekdays=[2, 4],
        ),
    )
    page = (await client.get("/me/expected", headers={"accept-language": "pt-BR"})).text
    assert "Toda semana (terça-feira e quinta-feira) até " in page
