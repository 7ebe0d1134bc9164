"""Every error becomes application/problem+json (RFC 9457), with field errors listed by name."""

from __future__ import annotations

import logging
import re
from typing import Any

import msgspec
from litestar import Request, Response
from litestar.exceptions import HTTPException, ValidationException
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR

from app.db.outage import RETRY_AFTER_SECONDS, is_database_outage
from app.db.references import IN_USE, is_reference_violation
from app.domain.bans import service as bans
from app.lib import i18n
from app.lib.errors import DomainError, InUse, Invalid
from app.lib.i18n import N_, _
from app.settings import MAX_BODY_BYTES

log = logging.getLogger("gatehouse.errors")
PROBLEM_JSON = "application/problem+json"
_MSGSPEC_PATH = re.compile(r" - at `\$\.?([^`]*)`$")


def problem(
    status: int,
    title: str,
    detail: str,
    errors: list[dict[str, str]] | None = None,
    headers: dict | None = None,
    extra: dict[str, Any] | None = None,
) -> Response[dict[str, Any]]:
    body: dict[str, Any] = {"type": "about:blank", "title": title, "status": status, "detail": detail}
    if errors:
        body["errors"] = errors
    body.update(extra or {})
    return Response(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def use_callers_language(request: Request) -> None:
    """Problems raised before the API's guard chose the language (an unknown address, a method the address
    does not take, a body too large) still speak the caller's Accept-Language; after it, this changes nothing."""
    i18n.use_language(i18n.from_accept_language(request.headers.get("accept-language")))


def domain_error_handler(request: Request, exc: DomainError) -> Response:
    use_callers_language(request)
    errors = None
    if isinstance(exc, Invalid):
        errors = [{"field": field, "message": message} for field, message in exc.errors.items()]
    headers = {"WWW-Authenticate": 'Bearer realm="gatehouse"'} if exc.status_code == 401 else None
    extra = None
    if isinstance(exc, bans.Refused):  # the entries, so a client can show the guard why
        extra = {"doNotAdmit": [msgspec.to_builtins(ban) for ban in exc.bans]}
    elif isinstance(exc, InUse):  # what keeps the record, counted by kind
        extra = {"references": exc.references}
    return problem(exc.status_code, exc.title, exc.detail, errors, headers, extra)


_MISSING = re.compile(r"^Object missing required field `([^`]+)`$")
_WRONG_TYPE = re.compile(r"^Expected `([a-z]+)(?: \| null)?`, got `[a-z]+`$")
_UUID_EXAMPLE = "8f3f537e-668c-43bb-b9f7-9984300f7ed0"
_TYPE_NAMES = {
    "int": N_("must be a whole number"),
    "str": N_("must be a string"),
    "bool": N_("must be true or false"),
    "object": N_("must be a JSON object"),
    "array": N_("must be a JSON array"),
    "float": N_("must be a number"),
    "uuid": N_("must be a UUID such as %(example)s"),
    "datetime": N_("must be a date and time written as a string, such as %(example)s"),
    "date": N_("must be a day written as a string, such as %(example)s"),
    "time": N_("must be a time of day written as a string, such as %(example)s"),
    "null": N_("must be null"),
}
_TYPE_EXAMPLES = {"uuid": _UUID_EXAMPLE, "datetime": "2026-11-28T14:30:00Z", "date": "2026-11-28", "time": "14:30:00"}
_BAD_TEXT_OF_TYPE = re.compile(r"^Invalid (?:UUID|RFC3339 encoded (datetime|date|time))$")
_NOT_A_CHOICE = re.compile(r"^Invalid enum value .+?(?: \(one of: (.+)\))?$")
_BOUND = re.compile(r"^Expected `(?:int|float)(?: \| null)?` (>=|<=|>|<) (-?[0-9.]+)$")
_BOUNDS = {
    ">=": N_("must be at least %(limit)s"),
    "<=": N_("must be at most %(limit)s"),
    ">": N_("must be more than %(limit)s"),
    "<": N_("must be less than %(limit)s"),
}
_TOO_LONG = re.compile(r"^Expected `str(?: \| null)?` of length <= ([0-9]+)$")
_NOT_MATCHING = re.compile(r"^Expected `str(?: \| null)?` matching regex ")


def _public_name(request: Request, key: str) -> str:
    """Query parameters are reported under their Python name; give the name the client used."""
    parameter = request.route_handler.parsed_fn_signature.parameters.get(key)
    definition = getattr(parameter, "kwarg_definition", None)
    return getattr(definition, "name", None) or key


def _wrong_kind() -> str:
    """Any other value of the wrong kind (a type msgspec names that is not one of _TYPE_NAMES)."""
    return _("is not of the kind this field takes (see the field in /schema/openapi.json)")


def _field_error(request: Request, item: dict[str, Any]) -> dict[str, str]:
    """Turn msgspec's "Expected `int`, got `str` - at `$.totalPeople`" into a field name and a plain message
    (in the caller's language; a message of msgspec's that is not recognised stays as msgspec wrote it)."""
    message = str(item["message"]) if "message" in item else _("is not valid")
    field = _public_name(request, str(item.get("key") or ""))
    if match := _MSGSPEC_PATH.search(message):
        field = match.group(1) or field
        message = message[: match.start()]
    if match := _MISSING.match(message):
        field, message = match.group(1), _("is required")
    elif match := _WRONG_TYPE.match(message):
        kind = match.group(1)
        message = _(_TYPE_NAMES[kind], example=_TYPE_EXAMPLES.get(kind, "")) if kind in _TYPE_NAMES else _wrong_kind()
    elif match := _BAD_TEXT_OF_TYPE.match(message):
        kind = match.group(1) or "uuid"
        message = _(_TYPE_NAMES[kind], example=_TYPE_EXAMPLES[kind])
    elif match := _NOT_A_CHOICE.match(message):
        choices = match.group(1)
        message = (
            _("must be one of %(choices)s", choices=choices) if choices else _("is not one of the values it takes")
        )
    elif message.startswith("Expected `"):
        message = _wrong_kind()
    elif match := _BOUND.match(message):
        message = _(_BOUNDS[match.group(1)], limit=match.group(2))
    elif match := _TOO_LONG.match(message):
        message = _("must be at most %(limit)s characters", limit=match.group(1))
    elif _NOT_MATCHING.match(message):
        message = _("is not in the expected format")
    elif field == "data":  # the handler's body argument, when nothing usable was sent
        message = _("is required: send a JSON object")
    return {"field": field if field and field != "data" else "body", "message": message}


def validation_error_handler(request: Request, exc: ValidationException) -> Response:
    use_callers_language(request)
    extra = exc.extra if isinstance(exc.extra, list) else []
    errors = [_field_error(request, item) for item in extra if isinstance(item, dict)]
    if errors:
        detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors)
    else:
        detail = str(exc.detail)
    return problem(400, _("Invalid data"), detail, errors or [{"field": "body", "message": str(exc.detail)}])


def http_error_handler(request: Request, exc: HTTPException) -> Response:
    use_callers_language(request)
    if exc.status_code == 400:  # Litestar could not read the body at all
        message = _("is not valid JSON (%(reason)s)", reason=exc.detail)
        return problem(400, _("Invalid data"), f"body: {message}", [{"field": "body", "message": message}])
    title = _TITLES.get(exc.status_code, N_("Error"))
    generic = not exc.detail or exc.detail.lower() == title.lower() or exc.status_code in _DETAILS
    detail = _(_DETAILS.get(exc.status_code, title), kib=MAX_BODY_BYTES // 1024) if generic else exc.detail
    return problem(exc.status_code, _(title), detail, headers=exc.headers)


def undecodable_request_handler(request: Request, exc: UnicodeDecodeError) -> Response:
    """Text that is not UTF-8 where the request must carry text: the caller's mistake, logged without a trace."""
    log.info("Refused %s %s: not UTF-8 (%s)", request.method, request.url.path, exc.reason)
    use_callers_language(request)
    message = _("is not valid UTF-8 text")
    return problem(400, _("Invalid data"), f"body: {message}", [{"field": "body", "message": message}])


def unexpected_error_handler(request: Request, exc: Exception) -> Response:
    use_callers_language(request)
    if is_database_outage(exc):
        log.warning("Database unavailable on %s %s: %s", request.method, request.url.path, exc)
        return problem(
            503,
            _("Service unavailable"),
            _("The database is not answering; nothing was saved by this request. Try again shortly."),
            headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
        )
    if is_reference_violation(exc):
        log.warning("Refused by a foreign key on %s %s: %s", request.method, request.url.path, exc)
        return problem(409, _("Conflict"), _(IN_USE))
    log.exception("Unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return problem(
        HTTP_500_INTERNAL_SERVER_ERROR,
        _("Internal server error"),
        _("Something went wrong on our side; it has been logged. Try again."),
    )


_TITLES = {
    400: N_("Bad request"),
    401: N_("Unauthorized"),
    403: N_("Forbidden"),
    404: N_("Not found"),
    405: N_("Method not allowed"),
    409: N_("Conflict"),
    410: N_("Gone"),
    413: N_("Request entity too large"),
    415: N_("Unsupported media type"),
    429: N_("Too many requests"),
    500: N_("Internal server error"),
    503: N_("Service unavailable"),
}
_DETAILS = {
    404: N_("There is nothing at this address."),
    405: N_("This address does not accept that method."),
    413: N_("The request body is larger than the %(kib)s KiB this server accepts."),
}

EXCEPTION_HANDLERS = {
    DomainError: domain_error_handler,
    ValidationException: validation_error_handler,
    HTTPException: http_error_handler,
    UnicodeDecodeError: undecodable_request_handler,
    Exception: unexpected_error_handler,
}
