"""Errors on kiosk pages are HTML pages (or fragments for htmx), never problem+json."""

from __future__ import annotations

import logging

from litestar import Request, Response
from litestar.config.csrf import CSRFConfig
from litestar.exceptions import HTTPException
from litestar.types import Empty
from litestar.utils.scope.state import ScopeState

from app.db.outage import RETRY_AFTER_SECONDS, is_database_outage
from app.db.references import IN_USE, is_reference_violation
from app.lib import i18n
from app.lib.errors import DomainError
from app.lib.i18n import N_, _
from app.settings import MAX_BODY_BYTES
from app.web.auth import SignInRequired
from app.web.language import page_language
from app.web.render import add_personal_headers, go_to, page, wants_fragment

log = logging.getLogger("gatehouse.web")

_TITLES = {
    403: N_("Not allowed"),
    404: N_("Not found"),
    405: N_("Not allowed"),
    409: N_("Already done"),
    413: N_("Too much to send"),
    429: N_("Too many attempts"),
}
SOMETHING_WRONG = N_("Something is not right")
# Litestar's own details ("Not Found", "CSRF token verification failed") are English for developers: the page
# says what happened in the reader's language instead.
_MESSAGES = {
    400: N_("This address or form could not be read. Go back, reload the page and try again."),
    403: N_("This form has expired or did not come from this page. Reload the page and try again."),
    404: N_("There is nothing at this address."),
    405: N_("This address does not accept that method."),
}
NOT_UTF8 = N_("What was sent is not UTF-8 text, so it could not be read. Nothing was saved; send the form again.")


def _message(status: int, detail: str) -> str:
    if status == 413:
        return _(
            "What was sent is larger than the %(size)s KiB a form may carry. Shorten it and try again.",
            size=MAX_BODY_BYTES // 1024,
        )
    return _(_MESSAGES[status]) if status in _MESSAGES else detail


def error_page(request: Request, status: int, title: str, message: str) -> Response:
    template = "errors/_message.html" if wants_fragment(request) else "errors/error.html"
    return add_personal_headers(page(template, status, title=title, message=message, status=status))


def sign_in_required(request: Request, exc: SignInRequired) -> Response:
    return go_to(request, exc.next_url)


def domain_error(request: Request, exc: DomainError) -> Response:
    return error_page(request, exc.status_code, exc.title, exc.detail)  # both translated when raised


def http_error(request: Request, exc: HTTPException) -> Response:
    title = _(_TITLES.get(exc.status_code, SOMETHING_WRONG))
    response = error_page(request, exc.status_code, title, _message(exc.status_code, str(exc.detail)))
    for name, value in (exc.headers or {}).items():  # Allow on 405, Retry-After on 429
        response.headers.setdefault(name, value)
    return response


def undecodable_request(request: Request, exc: UnicodeDecodeError) -> Response:
    """A form whose text is not UTF-8 (only a hand-made request sends one): refused before any check reads it."""
    log.info("Refused %s %s: the form is not UTF-8 (%s)", request.method, request.url.path, exc.reason)
    return error_page(request, 400, _(SOMETHING_WRONG), _(NOT_UTF8))


def unexpected_error(request: Request, exc: Exception) -> Response:
    if is_database_outage(exc):
        log.warning("Database unavailable on %s %s: %s", request.method, request.url.path, exc)
        response = error_page(
            request,
            503,
            _("Temporarily unavailable"),
            _(
                "Gatehouse cannot reach its database right now, so nothing can be looked up or saved. "
                "Everything saved before is safe. Try again in a minute; if this lasts, call the administrator."
            ),
        )
        response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    if is_reference_violation(exc):
        log.warning("Refused by a foreign key on %s %s: %s", request.method, request.url.path, exc)
        return error_page(request, 409, _(_TITLES[409]), _(IN_USE))
    log.exception("Unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return error_page(request, 500, _("Something went wrong"), _("It has been logged. Try again in a moment."))


WEB_EXCEPTION_HANDLERS = {
    SignInRequired: sign_in_required,
    DomainError: domain_error,
    HTTPException: http_error,
    UnicodeDecodeError: undecodable_request,
    Exception: unexpected_error,
}


def pages_or_api(api_handler):
    """For errors raised before any route matched (unknown address): HTML, except under /api and /schema."""

    def handle(request: Request, exc: HTTPException) -> Response:
        if request.url.path.startswith(("/api", "/schema", "/healthz", "/readyz")):
            return api_handler(request, exc)
        i18n.use_language(page_language(request))  # no route, so the pages' language middleware did not run
        _keep_csrf_token(request)
        return add_personal_headers(http_error(request, exc))

    return handle


def _keep_csrf_token(request: Request) -> None:
    """No route, so the CSRF middleware did not run either: the page's forms (the language) carry the token of
    the reader's cookie, as on every other page, instead of none (which their post would refuse)."""
    state = ScopeState.from_scope(request.scope)
    cookie = request.cookies.get(CSRFConfig.cookie_name)
    if cookie and state.csrf_token is Empty:
        state.csrf_token = cookie
