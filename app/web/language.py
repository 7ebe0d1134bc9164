"""Which language a page speaks: the account's choice, else the language cookie, else the browser's
Accept-Language, else the site's (SITE_LANGUAGE); and the selector in every page's header."""

from __future__ import annotations

from litestar import Request, Response, post
from litestar.connection import ASGIConnection
from litestar.datastructures import Cookie
from litestar.types import ASGIApp, Receive, Scope, Send

from app.domain.accounts import service as accounts
from app.lib import i18n
from app.web.auth import provide_web_actor, safe_next
from app.web.forms import read_form
from app.web.render import go_to
from app.web.sessions import LANGUAGE_KEY, remember_language

LANGUAGE_COOKIE = "gatehouse_language"
ONE_YEAR = 365 * 24 * 60 * 60


def page_language(connection: ASGIConnection) -> str:
    session = connection.scope.get("session")
    if isinstance(session, dict) and (chosen := session.get(LANGUAGE_KEY)) in i18n.LANGUAGES:
        return chosen
    if (chosen := connection.cookies.get(LANGUAGE_COOKIE)) in i18n.LANGUAGES:
        return chosen
    return i18n.from_accept_language(connection.headers.get("accept-language")) or i18n.site_language()


def language_middleware(app: ASGIApp) -> ASGIApp:
    """Set the page's language for everything the request says (after the session middleware: it reads it)."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            i18n.use_language(page_language(ASGIConnection(scope)))
        await app(scope, receive, send)

    return middleware


@post("/language", include_in_schema=False)
async def choose_language(request: Request) -> Response:
    """Signed in, the choice is the account's (every device); before sign-in, this browser's (a cookie)."""
    form = await read_form(request)
    language = accounts.valid_language(form.text("language"))
    if (request.session or {}).get("email"):
        await accounts.set_language(await provide_web_actor(request), language)
        remember_language(request, language)
    response = go_to(request, safe_next(form.optional("back")) or "/")
    response.set_cookie(
        Cookie(key=LANGUAGE_COOKIE, value=language, max_age=ONE_YEAR, path="/", httponly=True, samesite="lax")
    )
    return response
