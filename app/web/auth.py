"""Who is at the kiosk: the signed-in account, checked again on every request."""

from __future__ import annotations

from urllib.parse import quote, urlsplit

from litestar import Request

from app.api.auth import client_address
from app.services import accounts
from app.services.actors import Actor
from app.services.errors import DomainError, NotFound


class SignInRequired(Exception):
    """Raised by the actor dependency; the web router turns it into a redirect to the sign-in page."""

    def __init__(self, next_url: str) -> None:
        super().__init__(next_url)
        self.next_url = next_url


class ResidentsNotYet(DomainError):
    status_code = 403
    title = "Your page is coming"


def safe_next(next_url: str | None) -> str:
    """Only a path on this site, never another host ('//evil.example' or 'https://...')."""
    if not next_url:
        return "/kiosk"
    parts = urlsplit(next_url)
    if parts.scheme or parts.netloc or not next_url.startswith("/") or next_url.startswith("//"):
        return "/kiosk"
    if "\\" in next_url:
        return "/kiosk"
    return next_url


def sign_in_url(request: Request) -> str:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return "/sign-in?next=" + quote(target, safe="/")


async def provide_web_actor(request: Request) -> Actor:
    email = (request.session or {}).get("email")
    if not email:
        raise SignInRequired(sign_in_url(request))
    try:
        account = await accounts.find_account(email)
    except NotFound:
        request.clear_session()
        raise SignInRequired(sign_in_url(request)) from None
    if not account.active:
        request.clear_session()
        raise SignInRequired(sign_in_url(request))
    actor = Actor(
        account_id=account.id,
        email=account.email,
        role=account.role,
        resident_id=account.resident_id,
        address=client_address(request),
    )
    if not actor.is_staff:
        raise ResidentsNotYet("The resident portal is on its way; the kiosk is for guards and administrators.")
    return actor
