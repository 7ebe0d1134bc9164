"""A resident's own pages in process: role landing, scoping, paging, filters, password, headers."""

from __future__ import annotations

import pytest
from markupsafe import escape

from app.domain.accounts import service as accounts
from app.lib.errors import Unauthenticated
from tests.pages import PASSWORD, csrf_from, sign_in

HTMX = {"hx-request": "true"}


async def test_each_role_lands_on_its_own_home(client, homes, guard):
    _, caller_a, _, _ = homes
    response, token = await sign_in(client, caller_a.actor.email)  # asked for /kiosk: not theirs
    assert response.headers["location"] == "/me"
    assert (await client.get("/", follow_redirects=False)).headers["location"] == "/me"
    await client.post("/sign-out", data={"_csrf_token": token})
    response, _ = await sign_in(client, guard.actor.email, next_url="/me")
    assert response.headers["location"] == "/kiosk"
    assert (await client.get("/", follow_redirects=False)).headers["location"] == "/kiosk"


async def test_residents_get_403_on_every_kiosk_url_and_staff_on_resident_pages(client, homes, guard):
    home_a, caller_a, _, _ = homes
    visit = await _visit(home_a.id, "Maria Silva")
    await sign_in(client, caller_a.actor.email)
    kiosk_urls = ["/kiosk", "/kiosk/board", "/kiosk/visits", f"/kiosk/visits/{visit.id}", "/kiosk/roll-call"]
    kiosk_urls += ["/kiosk/residents?residentQuery=a", "/kiosk/events"]
    for url in kiosk_urls:
        assert (await client.get(url)).status_code == 403, url
    nav = (await client.get("/me")).text
    assert 'href="/kiosk' not in nav and "My visitors" in nav and "Change password" in nav
    client.cookies.clear()
    await sign_in(client, guard.actor.email)
    for url in ("/me", "/me/inside", "/me/events"):
        assert (await client.get(url)).status_code == 403, url
    assert (await client.get("/me/password")).status_code == 200


async def _visit(resident_id, name, **overrides):
    from tests.factory import Factory

    return await Factory().visit(resident_id, visitor_name=name, **overrides)


async def test_my_visitors_shows_only_my_visits_inside_and_history(resident_a, homes):
    client, _ = resident_a
    home_a, _, home_b, _ = homes
    await _visit(home_a.id, "Inside Guest", arrival_date="2026-11-01T09:00:00+00:00", license_plate="abc1d23")
    await _visit(home_a.id, "Left Guest", departure_date="2026-01-01T12:00:00+00:00")
    await _visit(home_b.id, "Someone Else")
    response = await client.get("/me")
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["vary"] == "HX-Request"
    page = response.text
    assert "Inside Guest" in page and "Left Guest" in page and "ABC1D23" in page
    assert "Someone Else" not in page and "Bruno Costa" not in page
    inside = await client.get("/me/inside", headers=HTMX)
    assert "<html" not in inside.text and "Inside Guest" in inside.text and "Left Guest" not in inside.text
    assert '<strong id="people-inside">1</strong>' in inside.text
    assert "Nov 1, " in inside.text  # an earlier day's arrival shows its date
    assert inside.headers["vary"] == "HX-Request" and inside.headers["cache-control"] == "no-store"
    fragment = await client.get("/me", headers=HTMX)
    assert "<html" not in fragment.text and "Left Guest" in fragment.text and "Someone Else" not in fragment.text


async def test_another_residents_ids_get_404_or_nothing(resident_a, homes):
    client, _ = resident_a
    _, _, home_b, _ = homes
    visit_b = await _visit(home_b.id, "Secret Guest")
    for url in (f"/me/visits/{visit_b.id}", f"/me/{visit_b.id}", f"/me/events/{home_b.id}"):
        assert (await client.get(url)).status_code == 404, url
    for url in (f"/me?residentId={home_b.id}", f"/me?resident={home_b.id}", f"/me/inside?residentId={home_b.id}"):
        response = await client.get(url, headers=HTMX)
        assert "Secret Guest" not in response.text, url
    _, caller_a, _, _ = homes
    assert (await client.get(f"/api/visits/{visit_b.id}", headers=caller_a.headers)).status_code == 404
    listed = await client.get(f"/api/visits?residentId={home_b.id}", headers=caller_a.headers)
    assert listed.status_code == 404


async def test_history_pages_with_more_and_filters_by_whole_days(resident_a, homes):
    client, _ = resident_a
    home_a, _, _, _ = homes
    for day in range(1, 26):
        await _visit(
            home_a.id,
            f"Guest {day:02d}",
            arrival_date=f"2026-10-{day:02d}T23:30:00+00:00",
            departure_date=f"2026-10-{day:02d}T23:45:00+00:00",
        )
    first = (await client.get("/me", headers=HTMX)).text
    assert "Guest 25" in first and "Guest 06" in first and "Guest 05" not in first
    more = first.split('hx-get="')[-1].split('"')[0].replace("&amp;", "&")
    assert "cursor=" in more
    second = (await client.get(more, headers=HTMX)).text
    assert "<table" not in second and "Guest 05" in second and "Guest 01" in second and "Guest 06" not in second
    assert "More" not in second
    # Date-only filters are whole days in the site's zone.
    day = (await client.get("/me?from=2026-10-10&to=2026-10-11", headers=HTMX)).text
    names = sorted(n for n in (f"Guest {d:02d}" for d in range(1, 26)) if n in day)
    assert len(names) == 2, names
    bad = await client.get("/me?from=yesterday", headers=HTMX)
    assert "Arrived from:" in bad.text  # the field named as the form labels it


async def test_visitor_names_are_escaped(resident_a, homes):
    client, _ = resident_a
    home_a, _, _, _ = homes
    await _visit(home_a.id, "<script>alert(1)</script>")
    for url in ("/me", "/me/inside"):
        text = (await client.get(url, headers=HTMX if url != "/me" else {})).text
        assert "<script>alert(1)" not in text and "&lt;script&gt;alert(1)" in text, url


async def _change(client, token, current, new, repeat=None, htmx=True):
    form = {"currentPassword": current, "newPassword": new, "repeatPassword": new if repeat is None else repeat}
    headers = {"x-csrftoken": token, **HTMX} if htmx else {}
    return await client.post("/me/password", data={**form, "_csrf_token": token}, headers=headers)


async def test_password_change_checks_current_length_and_repeat(resident_a, homes):
    client, token = resident_a
    _, caller_a, _, _ = homes
    page = await client.get("/me/password")
    assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
    token = csrf_from(page.text)
    wrong = await _change(client, token, "not-my-password", "a-new-long-password")
    assert wrong.status_code == 422 and "is not your current password" in wrong.text and "<html" not in wrong.text
    short = await _change(client, token, PASSWORD, "short")
    assert short.status_code == 422 and "at least 10 characters" in short.text
    mismatch = await _change(client, token, PASSWORD, "a-new-long-password", "another-long-password")
    assert mismatch.status_code == 422 and "does not match" in mismatch.text
    assert 'value="a-new' not in mismatch.text  # passwords are never sent back
    done = await _change(client, token, PASSWORD, "a-new-long-password")
    assert done.status_code == 200 and "Your password has been changed" in done.text
    assert (await client.get("/me")).status_code == 200  # still signed in
    await accounts.actor_for_password(caller_a.actor.email, "a-new-long-password")
    with pytest.raises(Unauthenticated):
        await accounts.actor_for_password(caller_a.actor.email, PASSWORD)


async def test_password_change_needs_csrf(resident_a, homes):
    client, _ = resident_a
    _, caller_a, _, _ = homes
    form = {"currentPassword": PASSWORD, "newPassword": "a-new-long-password", "repeatPassword": "a-new-long-password"}
    response = await client.post("/me/password", data=form)
    assert response.status_code == 403
    await accounts.actor_for_password(caller_a.actor.email, PASSWORD)  # unchanged


async def test_guards_may_change_their_password_too(kiosk):
    client, token, _ = kiosk
    response = await _change(client, token, PASSWORD, "a-guards-new-password", htmx=False)
    assert response.status_code == 200 and "<html" in response.text and "Check in" in response.text


PARTY_NAMES = [f"María-José Ñúñez de la Concepción-O'Brien Zoë Ångström Müller nº {i:02d}" for i in range(1, 50)] + [
    '<b>Zoë</b> & "Ångström" Ñúñez de la Concepción-O\'Brien Müller-Lüdenscheidt'
]


async def test_a_party_inside_is_three_cards_and_one_list_so_the_history_stays_near(resident_a, homes):
    client, _ = resident_a
    home_a, _, _, _ = homes
    await _visit(
        home_a.id,
        "Already Left",
        arrival_date="2026-11-02T09:00:00+00:00",
        departure_date="2026-11-02T12:00:00+00:00",
    )
    for i, name in enumerate(PARTY_NAMES):
        await _visit(
            home_a.id,
            name,
            arrival_date=f"2026-11-01T{10 + i // 60:02d}:{i % 60:02d}:00+00:00",
            total_people=2 if i == 10 else 1,
        )
    for url, headers in (("/me", {}), ("/me/inside", HTMX)):
        text = (await client.get(url, headers=headers)).text
        for name in PARTY_NAMES:  # every visitor, escaped, on the page: the folded ones too
            assert str(escape(name)) in text, (url, name)
        assert "<b>Zoë</b>" not in text
        assert text.count('class="card"') == 3, url
        assert '<strong id="people-inside">51</strong>' in text
    page = (await client.get("/me")).text
    before_history = page.split('id="history-title"')[0]
    cards, folded = before_history.split('<details class="more inside-more"')
    assert "and 47 more visitors inside (48 people)" in folded and "Already Left" not in before_history
    assert f"{escape(PARTY_NAMES[2])}</strong>" in cards  # the oldest three
    assert f"{escape(PARTY_NAMES[3])}</strong>" in folded
    # Between the panel's heading and the history's: three cards, then one folded line per other visit.
    assert '<details class="more inside-more" id="inside-more" data-keep-open>' in before_history  # closed
    assert folded.count('<li id="inside-') == 47 and folded.count("<dl") == 0
    assert "Already Left" in page.split('id="history-title"')[1]  # the history's newest arrival


async def test_up_to_four_inside_are_all_cards_as_before(resident_a, homes):
    client, _ = resident_a
    home_a, _, _, _ = homes
    await _visit(home_a.id, "Ana Inside")
    await _visit(home_a.id, "Bruno Inside", license_plate="abc1d23")
    text = (await client.get("/me/inside", headers=HTMX)).text
    assert text.count('class="card"') == 2 and "<details" not in text
    assert "Ana Inside" in text and "ABC1D23" in text and '<strong id="people-inside">2</strong>' in text
    await _visit(home_a.id, "Carla Inside")
    await _visit(home_a.id, "Diego Inside")
    text = (await client.get("/me/inside", headers=HTMX)).text
    assert text.count('class="card"') == 4 and "<details" not in text  # folding one visit would save nothing
    await _visit(home_a.id, "Elena Inside")
    text = (await client.get("/me/inside", headers=HTMX)).text
    summary = text.split('id="inside-more-toggle">')[1].split("</summary>")[0]
    assert text.count('class="card"') == 3 and summary.strip() == "and 2 more visitors inside"  # one person each
