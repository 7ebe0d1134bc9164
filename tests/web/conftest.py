"""Helpers for kiosk page tests: signing in through the real form, reading the CSRF token."""

from __future__ import annotations

import html
import re

import pytest

from tests.factory import Caller
from tests.web.browser import CHROMIUM, CHROMIUM_ARGS, skip_without_chromium, start_server, stop_server

PASSWORD = "a-long-password"
_CSRF = re.compile(r'name="_csrf_token" value="([^"]+)"')
_NEXT = re.compile(r'name="next" value="([^"]*)"')


def csrf_from(html: str) -> str:
    match = _CSRF.search(html)
    assert match, "page has no CSRF field"
    return match.group(1)


async def sign_in(client, email: str, password: str = PASSWORD, next_url: str = "/kiosk"):
    page = await client.get(f"/sign-in?next={next_url}")
    token = csrf_from(page.text)
    next_value = html.unescape(_NEXT.search(page.text).group(1))
    form = {"email": email, "password": password, "next": next_value, "_csrf_token": token}
    return await client.post("/sign-in", data=form, follow_redirects=False), token


@pytest.fixture
async def guard(factory) -> Caller:
    return await factory.caller("guard")


@pytest.fixture
async def kiosk(client, guard):
    """A client signed in as a guard; returns (client, csrf token, headers for an htmx post)."""
    response, token = await sign_in(client, guard.actor.email)
    assert response.status_code == 303
    return client, token, {"x-csrftoken": token, "hx-request": "true"}


@pytest.fixture
async def resident(factory):
    return await factory.resident(name="Ana Lima", unit="B-302")


@pytest.fixture(scope="module")
def server(migrated):
    """A real uvicorn server for one module's browser tests."""
    skip_without_chromium()
    url, process = start_server()
    yield url
    stop_server(process)


@pytest.fixture(scope="module")
async def browser(server):
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        chromium = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        await chromium.close()
