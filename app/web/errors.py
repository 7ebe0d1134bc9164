"""Errors on kiosk pages are HTML pages (or fragments for htmx), never problem+json."""

from __future__ import annotations

import logging

from litestar import Request, Response
from litestar.exceptions import HTTPException

from app.db.outage import RETRY_AFTER_SECONDS, is_database_outage
from app.db.references import IN_USE, is_reference_violation
from app.lib.errors import DomainError
from app.settings import MAX_BODY_BYTES
from app.web.auth import SignInRequired
from app.web.render import add_personal_headers, go_to, page, wants_fragment

log = logging.getLogger("gatehouse.web")

_TITLES = {
    403: "Not allowed",
    404: "Not found",
    405: "Not allowed",
    409: "Already done",
    413: "Too much to send",
    429: "Too many attempts",
}
_MESSAGES = {
    413: f"What was sent is larger than the {MAX_BODY_BYTES // 1024} KiB a form may carry. Shorten it and try again."
}
NOT_UTF8 = "What was sent is not UTF-8 text, so it could not be read. Nothing was saved; send the form again."


def error_page(request: Request, status: int, title: str, message: str) -> Response:
    template = "errors/_message.html" if wants_fragment(request) else "errors/error.html"
    return add_personal_headers(page(template, status, title=title, message=message, status=status))


def sign_in_required(request: Request, exc: SignInRequired) -> Response:
    return go_to(request, exc.next_url)


def domain_error(request: Request, exc: DomainError) -> Response:
    return error_page(request, exc.status_code, exc.title, exc.detail)


def http_error(request: Request, exc: HTTPException) -> Response:
    title = _TITLES.get(exc.status_code, "Something is not right")
    response = error_page(request, exc.status_code, title, _MESSAGES.get(exc.status_code) or str(exc.detail))
    for name, value in (exc.headers or {}).items():  # Allow on 405, Retry-After on 429
        response.headers.setdefault(name, value)
    return response


def undecodable_request(request: Request, exc: UnicodeDecodeError) -> Response:
    """A form whose text is not UTF-8 (only a hand-made request sends one): refused before any check reads it."""
    log.info("Refused %s %s: the form is not UTF-8 (%s)", request.method, request.url.path, exc.reason)
    return error_page(request, 400, "Something is not right", NOT_UTF8)


def unexpected_error(request: Request, exc: Exception) -> Response:
    if is_database_outage(exc):
        log.warning("Database unavailable on %s %s: %s", request.method, request.url.path, exc)
        response = error_page(
            request,
            503,
            "Temporarily unavailable",
            "Gatehouse cannot reach its database right now, so nothing can be looked up or saved. "
            "Everything saved before is safe. Try again in a minute; if this lasts, call the administrator.",
        )
        response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    if is_reference_violation(exc):
        log.warning("Refused by a foreign key on %s %s: %s", request.method, request.url.path, exc)
        return error_page(request, 409, _TITLES[409], IN_USE)
    log.exception("Unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return error_page(request, 500, "Something went wrong", "It has been logged. Try again in a moment.")


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
        return add_personal_headers(http_error(request, exc))

    return handle
