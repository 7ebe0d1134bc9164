"""Signing in through the real form and reading the CSRF token, for tests that use the pages."""

from __future__ import annotations

import html
import re

from tests.factory import PASSWORD

__all__ = ["PASSWORD", "csrf_from", "sign_in"]

_CSRF = re.compile(r'name="_csrf_token" value="([^"]+)"')
_NEXT = re.compile(r'name="next" value="([^"]*)"')


def csrf_from(html: str) -> str:
    match = _CSRF.search(html)
    assert match, "page has no CSRF field"
    return match.group(1)


async def sign_in(client, email: str, password: str = PASSWORD, next_url: str = "/kiosk"):
    """Post the sign-in form; returns (the response, not followed, and the CSRF token of the session)."""
    page = await client.get(f"/sign-in?next={next_url}")
    token = csrf_from(page.text)
    next_value = html.unescape(_NEXT.search(page.text).group(1))
    form = {"email": email, "password": password, "next": next_value, "_csrf_token": token}
    return await client.post("/sign-in", data=form, follow_redirects=False), token
