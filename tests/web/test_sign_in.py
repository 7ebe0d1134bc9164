"""Signing in and out: redirects, fresh session ids, rate limits, roles and cookie flags."""

from __future__ import annotations

import asyncio
import re

from app.domain.accounts.sign_in import MAX_FAILURES
from app.web.sessions import SESSION_COOKIE
from tests.pages import PASSWORD, csrf_from, sign_in


async def test_anonymous_kiosk_visit_goes_to_sign_in_and_comes_back(client, guard):
    response = await client.get("/kiosk/visits?q=abc", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/sign-in?next=/kiosk/visits%3Fq%3Dabc"
    response, _ = await sign_in(client, guard.actor.email, next_url="/kiosk/visits%3Fq%3Dabc")
    assert response.headers["location"] == "/kiosk/visits?q=abc"


async def test_htmx_requests_are_sent_to_sign_in_with_hx_redirect(client):
    response = await client.get("/kiosk/board", headers={"hx-request": "true"})
    assert response.status_code == 200
    assert response.headers["hx-redirect"] == "/sign-in?next=/kiosk/board"


async def test_next_never_leaves_the_site(client, guard):
    for target in ("//evil.example/x", "https://evil.example/", "/\\evil.example"):
        response, _ = await sign_in(client, guard.actor.email, next_url=target)
        assert response.headers["location"] == "/kiosk"
        await client.post("/sign-out", data={"_csrf_token": csrf_from((await client.get("/kiosk")).text)})


async def test_sign_in_issues_a_new_session_id_and_a_planted_one_is_worthless(client, guard):
    client.cookies.set(SESSION_COOKIE, "planted-by-an-attacker")
    response, _ = await sign_in(client, guard.actor.email)
    issued = response.cookies.get(SESSION_COOKIE)
    assert issued and issued != "planted-by-an-attacker"
    assert (await client.get("/kiosk")).status_code == 200
    client.cookies.clear()
    client.cookies.set(SESSION_COOKIE, "planted-by-an-attacker")
    assert (await client.get("/kiosk", follow_redirects=False)).status_code == 303


async def test_a_second_sign_in_replaces_the_session_and_deletes_the_old_one(client, guard):
    first, token = await sign_in(client, guard.actor.email)
    old_id = first.cookies[SESSION_COOKIE]
    form = {"email": guard.actor.email, "password": PASSWORD, "_csrf_token": token}
    second = await client.post("/sign-in", data=form, follow_redirects=False)
    assert second.cookies[SESSION_COOKIE] != old_id
    client.cookies.clear()
    client.cookies.set(SESSION_COOKIE, old_id)
    assert (await client.get("/kiosk", follow_redirects=False)).status_code == 303


async def test_sign_out_deletes_the_session(client, guard):
    response, token = await sign_in(client, guard.actor.email)
    session_id = response.cookies[SESSION_COOKIE]
    out = await client.post("/sign-out", data={"_csrf_token": token}, follow_redirects=False)
    assert out.status_code == 303 and out.headers["location"] == "/sign-in"
    client.cookies.clear()
    client.cookies.set(SESSION_COOKIE, session_id)
    assert (await client.get("/kiosk", follow_redirects=False)).status_code == 303


async def test_session_cookie_is_httponly_and_samesite_lax(client, guard):
    response, _ = await sign_in(client, guard.actor.email)
    cookie = next(c for c in response.headers.get_list("set-cookie") if c.startswith(SESSION_COOKIE))
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Secure" not in cookie


async def test_cookies_are_secure_over_https(guard):
    from litestar.testing import AsyncTestClient

    from app.main import create_app

    async with AsyncTestClient(app=create_app(), base_url="https://testserver.local") as https_client:
        response, _ = await sign_in(https_client, guard.actor.email)
    cookies = response.headers.get_list("set-cookie")
    assert cookies and all("; Secure" in c for c in cookies)


async def test_wrong_password_shows_the_form_again(client, guard):
    response, _ = await sign_in(client, guard.actor.email, password="not-the-password")
    assert response.status_code == 401
    assert "The email or password is not right." in response.text
    assert 'value="' + guard.actor.email + '"' in response.text
    # The email was right more often than not: the guard retypes the password, so the focus goes there.
    assert re.search(r'<input id="f-password"[^>]* autofocus>', response.text)
    assert not re.search(r'<input id="f-email"[^>]* autofocus', response.text)
    first = await client.get("/sign-in")
    assert re.search(r'<input id="f-email"[^>]* autofocus', first.text)


async def test_repeated_failures_are_refused_with_429_even_with_the_right_password(client, guard):
    for _ in range(MAX_FAILURES):
        response, _ = await sign_in(client, guard.actor.email, password="wrong-password")
        assert response.status_code == 401
    response, _ = await sign_in(client, guard.actor.email, password=PASSWORD)
    assert response.status_code == 429
    assert "text/html" in response.headers["content-type"]


async def test_residents_land_on_their_own_page_and_the_kiosk_refuses_them(client, factory):
    home = await factory.resident()
    caller = await factory.caller("resident", resident_id=home.id)
    response, _ = await sign_in(client, caller.actor.email)
    assert response.headers["location"] == "/me"
    response = await client.get("/kiosk")
    assert response.status_code == 403
    assert "text/html" in response.headers["content-type"]
    assert "Only guards and administrators" in response.text


async def test_form_posts_without_csrf_token_are_refused(kiosk, resident):
    client, _, _ = kiosk
    response = await client.post("/kiosk/visits", data={"residentId": str(resident.id), "visitorName": "X"})
    assert response.status_code == 403
    response = await client.post("/sign-out")
    assert response.status_code == 403


async def test_the_api_needs_no_csrf_token(client, factory, resident):
    caller = await factory.caller("guard")
    body = {
        "residentId": str(resident.id),
        "visitorName": "Via API",
        "totalPeople": 1,
        "subject": "Guest",
        "arrivalDate": "2026-11-01T10:00:00+00:00",
    }
    response = await client.post("/api/visits", json=body, headers=caller.headers)
    assert response.status_code == 201


async def test_parallel_guesses_cannot_slip_past_the_limit(client, guard):
    page = await client.get("/sign-in")
    token = csrf_from(page.text)
    form = {"email": guard.actor.email, "password": "wrong-password", "next": "/kiosk", "_csrf_token": token}
    responses = await asyncio.gather(
        *[client.post("/sign-in", data=form, follow_redirects=False) for _ in range(3 * MAX_FAILURES)]
    )
    codes = [r.status_code for r in responses]
    assert codes.count(401) == MAX_FAILURES
    assert codes.count(429) == 2 * MAX_FAILURES


async def test_anonymous_pages_store_no_session(client):
    for path in ("/sign-in", "/kiosk"):
        response = await client.get(path, follow_redirects=False)
        assert "gatehouse_session" not in response.headers.get("set-cookie", ""), path
    assert "gatehouse_session" not in client.cookies


async def test_one_guard_locked_out_does_not_lock_out_the_next_kiosk(client, factory, guard):
    for _ in range(MAX_FAILURES + 1):
        await sign_in(client, guard.actor.email, password="wrong-password")
    colleague = await factory.caller("guard")
    response, _ = await sign_in(client, colleague.actor.email)
    assert response.status_code == 303
