"""The kiosk pages in process: check-in, the board, check-out and undo, fragments and escaping."""

from __future__ import annotations

import pytest

from app.lib import live
from app.lib.clock import utc_now
from tests.pages import csrf_from


def check_in_form(resident_id, **overrides) -> dict:
    return {
        "residentId": str(resident_id),
        "residentQuery": "Ana Lima · B-302",
        "visitorName": "Maria Silva",
        "totalPeople": "2",
        "vehicleColor": "Blue",
        "licensePlate": "abc-1d23",
        "subject": "Delivery",
        "arrivalDate": "",
    } | overrides


async def test_home_is_a_full_page_with_form_and_board_and_private_headers(kiosk, factory, resident):
    client, _, _ = kiosk
    await factory.visit(resident.id, visitor_name="Early Bird", arrival_date="2026-01-01T08:00:00+00:00")
    await factory.visit(resident.id, visitor_name="Late Comer", total_people=3)
    response = await client.get("/kiosk")
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["vary"] == "HX-Request"
    html = response.text
    assert '<form id="check-in"' in html and 'id="board"' in html and "<html" in html
    assert html.index("Late Comer") < html.index("Early Bird")  # newest first: a check-in shows at the top
    assert '<strong id="people-inside">4</strong>' in html
    assert "B-302" in html


async def test_board_url_gives_a_fragment_to_htmx_and_a_page_to_a_browser(kiosk):
    client, _, _ = kiosk
    fragment = await client.get("/kiosk/board", headers={"hx-request": "true"})
    assert "<html" not in fragment.text and "people-inside" in fragment.text
    assert fragment.headers["vary"] == "HX-Request"
    page = await client.get("/kiosk/board")
    assert "<html" in page.text and "people-inside" in page.text


async def test_check_in_returns_a_fresh_form_and_tells_the_board(kiosk, resident, monkeypatch):
    client, _, headers = kiosk
    published = []
    monkeypatch.setattr(live, "_publisher", lambda data, channel: published.append((data, channel)))
    response = await client.post("/kiosk/visits", data=check_in_form(resident.id), headers=headers)
    assert response.status_code == 200
    assert response.headers["hx-trigger"] == "visits-changed"
    assert "Maria Silva checked in to see Ana Lima" in response.text
    assert 'name="visitorName" type="text" value=""' in response.text
    assert published and published[0][0]["change"] == "checked-in" and published[0][1] == live.CHANNEL
    board = await client.get("/kiosk/board", headers={"hx-request": "true"})
    assert "Maria Silva" in board.text and "ABC-1D23" in board.text


async def test_invalid_check_in_shows_each_message_and_keeps_what_was_typed(kiosk, resident):
    client, _, headers = kiosk
    form = check_in_form(resident.id, visitorName="  ", totalPeople="many")
    response = await client.post("/kiosk/visits", data=form, headers=headers)
    assert response.status_code == 422
    html = response.text
    assert "<html" not in html
    assert 'id="visitorName-error">Visitor name is required and cannot be blank.' in html
    assert 'id="totalPeople-error">People must be a whole number' in html
    assert 'value="Blue"' in html and 'value="abc-1d23"' in html and 'value="Delivery"' in html
    assert f'value="{resident.id}"' in html


async def test_check_in_without_a_resident_says_so(kiosk):
    client, _, headers = kiosk
    response = await client.post("/kiosk/visits", data=check_in_form("", residentQuery="nobody"), headers=headers)
    assert response.status_code == 422
    assert 'id="residentId-error">Choose the resident being visited.' in response.text


async def test_plain_form_post_redirects_back_to_the_kiosk(kiosk, resident):
    client, token, _ = kiosk
    form = check_in_form(resident.id) | {"_csrf_token": token}
    response = await client.post("/kiosk/visits", data=form, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/kiosk"


async def test_user_values_are_escaped_everywhere(kiosk, resident):
    client, _, headers = kiosk
    evil = "<script>alert(1)</script>"
    await client.post("/kiosk/visits", data=check_in_form(resident.id, visitorName=evil), headers=headers)
    for url in ("/kiosk", "/kiosk/roll-call", "/kiosk/visits?q=alert"):
        html = (await client.get(url)).text
        assert evil not in html, url
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html, url


async def test_check_out_removes_the_row_and_offers_undo(kiosk, factory, resident):
    client, _, headers = kiosk
    visit = await factory.visit(resident.id, visitor_name="Short Stay", total_people=2)
    response = await client.post(f"/kiosk/visits/{visit.id}/check-out", headers=headers)
    assert response.status_code == 200
    assert "Short Stay checked out" in response.text and "undo-check-out" in response.text
    assert "Short Stay" not in (await client.get("/kiosk/roll-call")).text
    undo = await client.post(f"/kiosk/visits/{visit.id}/undo-check-out", headers=headers)
    assert undo.status_code == 200 and "back on the board" in undo.text
    assert "Short Stay" in (await client.get("/kiosk/roll-call")).text


async def test_only_the_guard_who_checked_out_can_undo_and_only_a_check_out(kiosk, factory, resident):
    from app.domain.kiosk import board
    from app.domain.visits import service as visits
    from app.lib.errors import Conflict

    client, _, headers = kiosk
    other_guard = (await factory.caller("guard")).actor
    visit = await factory.visit(resident.id)
    await visits.check_out(other_guard, visit.id)
    refused = await client.post(f"/kiosk/visits/{visit.id}/undo-check-out", headers=headers)
    assert refused.status_code == 409

    recorded_with_departure = await factory.visit(resident.id, departure_date="2026-01-01T12:00:00+00:00")
    with pytest.raises(Conflict):
        await board.undo_check_out(other_guard, recorded_with_departure.id)


async def test_checking_out_twice_shows_an_html_message(kiosk, factory, resident):
    client, _, headers = kiosk
    visit = await factory.visit(resident.id)
    await client.post(f"/kiosk/visits/{visit.id}/check-out", headers=headers)
    again = await client.post(f"/kiosk/visits/{visit.id}/check-out", headers=headers)
    assert again.status_code == 409
    assert "text/html" in again.headers["content-type"]
    assert "already left" in again.text
    # The kiosk's toast names the visitor and closes, and the board that offered the check-out refetches.
    assert visit.visitor_name in again.text and "data-dismiss-toast" in again.text
    assert again.headers["HX-Trigger"] == "visits-changed"


async def test_missing_pages_are_html(kiosk):
    client, _, _ = kiosk
    response = await client.get("/kiosk/visits/00000000-0000-0000-0000-000000000000")
    assert response.status_code == 404
    assert "text/html" in response.headers["content-type"] and "No visit with this id." in response.text


async def test_roll_call_counts_everyone_inside(kiosk, factory, resident):
    client, _, _ = kiosk
    await factory.visit(resident.id, total_people=3)
    await factory.visit(resident.id, total_people=2)
    left = await factory.visit(resident.id, total_people=9)
    await factory.visit(resident.id, total_people=9, departure_date="2026-01-01T11:00:00+00:00")
    del left
    response = await client.get("/kiosk/roll-call")
    assert '<strong id="roll-call-total">14</strong>' in response.text


async def test_counts_on_the_board_are_real_plurals(kiosk, factory, resident):
    client, _, _ = kiosk
    now = utc_now().isoformat()  # nobody overstaying: the summary then has two parts
    await factory.visit(resident.id, total_people=1, arrival_date=now)
    one = (await client.get("/kiosk/board", headers={"hx-request": "true"})).text
    assert 'data-summary="1 person inside, 1 visit."' in one
    assert '<strong id="people-inside">1</strong> person inside' in one and "1 person · since" in one
    await factory.visit(resident.id, total_people=4, arrival_date=now)
    five = (await client.get("/kiosk/board", headers={"hx-request": "true"})).text
    assert 'data-summary="5 people inside, 2 visits."' in five
    assert "4 people · since" in five
    roll_call = (await client.get("/kiosk/roll-call")).text
    assert '<strong id="roll-call-total">5</strong> people in 2 visits' in roll_call


async def test_the_kiosk_script_reads_its_words_from_the_page(kiosk):
    """kiosk.js cannot translate: the button's two labels and the board's announcement come in the page."""
    client, _, _ = kiosk
    html = (await client.get("/kiosk")).text
    assert 'data-check-in="Check in" data-check-in-anyway="Check in anyway"' in html
    assert 'id="board-announce" class="visually-hidden" aria-live="polite" data-prefix="Board updated:"' in html


async def test_resident_picker_finds_by_name_or_unit_and_only_active(kiosk, factory, resident):
    client, _, _ = kiosk
    await factory.resident(name="Gone Away", unit="Z-900", active=False)
    by_unit = await client.get("/kiosk/residents?residentQuery=b-30", headers={"hx-request": "true"})
    assert f'data-value="{resident.id}"' in by_unit.text
    by_name = await client.get("/kiosk/residents?residentQuery=lima")
    assert "Ana Lima" in by_name.text
    inactive = await client.get("/kiosk/residents?residentQuery=Z-900")
    assert "No active resident matches" in inactive.text


async def test_every_form_carries_a_csrf_token(kiosk, factory, resident):
    client, _, _ = kiosk
    await factory.visit(resident.id)
    html = (await client.get("/kiosk")).text
    assert html.count('name="_csrf_token"') >= 3
    assert 'hx-headers:inherited=\'{"x-csrftoken": "' + csrf_from(html) in html


async def test_unknown_addresses_are_html_pages_but_stay_json_under_api(client):
    page = await client.get("/kiosk/no-such-page")
    assert page.status_code == 404 and "text/html" in page.headers["content-type"]
    assert "content-security-policy" in page.headers
    api = await client.get("/api/no-such-thing")
    assert api.status_code == 404 and api.headers["content-type"].startswith("application/problem+json")
