"""JSON bodies, decoded once and read strictly.

The router's `before_request` decodes the body (after the token was checked, before Litestar's own
extraction, which then reuses the decoded value), so a body that is not JSON, not UTF-8 or nested too
deeply is a 400 naming the body, never a 500. Litestar converts leniently (the string "2" becomes the
integer 2), but the contract says a totalPeople that is not a JSON integer is a 400: handlers keep
`data: JSONBody[...]` so the OpenAPI document describes the body, and convert the same decoded value
strictly with `strict_json` before acting on it.
"""

from __future__ import annotations

from typing import TypeVar

import msgspec
from litestar import Request
from litestar.exceptions import SerializationException, ValidationException

from app.lib.errors import Invalid
from app.lib.i18n import _

T = TypeVar("T")


def _whole_numbers_as_integers(value):
    """JSON has one number type: 2.0 is the integer 2 to JSON Schema (and to the OpenAPI document); 2.5 is not."""
    if isinstance(value, dict):
        return {
            key: int(item) if isinstance(item, float) and item.is_integer() else item for key, item in value.items()
        }
    return value


async def decode_body(request: Request) -> None:
    """Decode a JSON body once, for every handler that takes one; what cannot be decoded is a field error."""
    if request.method == "GET" or "data" not in request.route_handler.parsed_fn_signature.parameters:
        return  # no API read takes a body
    try:
        await request.json()
    except SerializationException as exc:
        raise Invalid({"body": _("is not valid JSON (%(reason)s)", reason=exc.detail)}) from None
    except UnicodeDecodeError:
        raise Invalid({"body": _("is not valid UTF-8 text")}) from None
    except RecursionError:
        raise Invalid({"body": _("is nested too deeply")}) from None


async def strict_json(request: Request, model: type[T]) -> T:
    """The body decoded by `decode_body`, converted to `model` without Litestar's lenient coercions."""
    parsed = await request.json()
    try:
        return msgspec.convert(_whole_numbers_as_integers(parsed), type=model, strict=True)
    except msgspec.ValidationError as exc:
        raise ValidationException(detail="Invalid data", extra=[{"message": str(exc), "source": "body"}]) from None
