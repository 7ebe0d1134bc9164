"""Who is at the kiosk: the signed-in account, checked again on every request."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from urllib.parse import quote, urlsplit

from litestar import Request

from app.domain.accounts import service as accounts
from app.lib.actors import RESIDENT, Actor, require_admin, require_resident, require_staff
from app.lib.client import client_address
from app.lib.errors import Unauthenticated

STAFF_HOME, RESIDENT_HOME = "/kiosk", "/me"
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_URL_SAFE = "/?&=%#+,;:@!$'()*[]"
"""Kept as they are in a path and query; everything else (spaces, non-ASCII) is percent-encoded."""


class SignInRequired(Exception):
    """Raised by the actor dependency; the web router turns it into a redirect to the sign-in page."""

    def __init__(self, next_url: str) -> None:
        super().__init__(next_url)
        self.next_url = next_url


def safe_next(next_url: str | None) -> str:
    """Only a path on this site, never another host ('//evil.example', 'https://...', '/\\evil.example', or a
    tab or newline browsers would drop to make '//'); else ''. Returned percent-encoded, so it is plain ASCII
    and fits in a Location or HX-Redirect header whatever was sent."""
    if not next_url or _CONTROL.search(next_url) or "\\" in next_url:
        return ""
    encoded = quote(next_url, safe=_URL_SAFE)
    parts = urlsplit(encoded)
    if parts.scheme or parts.netloc or not encoded.startswith("/") or encoded.startswith("//"):
        return ""
    return encoded


def _resident_area(path: str) -> bool:
    return path == RESIDENT_HOME or path.startswith((RESIDENT_HOME + "?", RESIDENT_HOME + "/"))


def landing(role: str | None, next_url: str) -> str:
    """Where sign-in leads: the page asked for when this role may open it, else the role's home."""
    if role == RESIDENT:
        return next_url if _resident_area(next_url) else RESIDENT_HOME
    if next_url and (not _resident_area(next_url) or next_url.startswith("/me/password")):
        return next_url
    return STAFF_HOME


def sign_in_url(request: Request) -> str:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return "/sign-in?next=" + quote(target, safe="/")


async def provide_web_actor(request: Request) -> Actor:
    session = request.session or {}
    if not session.get("email"):
        raise SignInRequired(sign_in_url(request))
    try:
        return await accounts.actor_for_session(session["email"], session.get("epoch", 0), client_address(request))
    except Unauthenticated:
        request.clear_session()
        raise SignInRequired(sign_in_url(request)) from None


async def provide_staff_actor(request: Request) -> Actor:
    """The kiosk's pages and stream: guards and administrators only."""
    actor = await provide_web_actor(request)
    require_staff(actor, "Only guards and administrators may use the kiosk.")
    return actor


async def provide_resident_actor(request: Request) -> Actor:
    """The resident's own pages and stream: resident accounts only."""
    actor = await provide_web_actor(request)
    require_resident(actor, "Only residents may open this page.")
    return actor


async def provide_admin_actor(request: Request) -> Actor:
    """The administration pages: administrators only."""
    actor = await provide_web_actor(request)
    require_admin(actor, "Only administrators may manage the community.")
    return actor


def session_still_valid(request: Request) -> Callable[[], Awaitable[bool]]:
    """For event streams, which outlive the request that opened them: asked before each event is sent,
    so a deactivated account (or one whose password was reset) stops hearing at once."""
    session = dict(request.session or {})

    async def still_valid() -> bool:
        try:
            await accounts.actor_for_session(session.get("email", ""), session.get("epoch", 0), None)
        except Unauthenticated:
            return False
        return True

    return still_valid
