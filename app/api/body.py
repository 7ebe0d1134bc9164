"""JSON bodies, decoded once and read strictly.

The router's `before_request` decodes the body (after the token was checked, before Litestar's own
extraction, which then reuses the decoded value), so a body that is not JSON, not UTF-8 or nested too
deeply is a 400 naming the body, never a 500. Litestar converts leniently (the string "2" becomes the
integer 2), but the contract says a totalPeople that is not a JSON integer is a 400: the same step converts
the body strictly to the handler's `data` type, naming every wrongly typed field at once; handlers keep
`data: JSONBody[...]` so the OpenAPI document describes the body, and take the strict value with
`strict_json`.
"""

from __future__ import annotations

from typing import Literal, TypeVar, get_args, get_origin

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
    """Decode a JSON body once, for every handler that takes one, and convert it strictly to the handler's
    body type (kept for `strict_json`); what cannot be decoded is a field error, and every wrongly typed
    field is named, before Litestar's own lenient conversion would stop at the first."""
    body = None if request.method == "GET" else request.route_handler.parsed_fn_signature.parameters.get("data")
    if body is None:
        return  # no API read takes a body
    try:
        parsed = await request.json()
    except SerializationException as exc:
        raise Invalid({"body": _("is not valid JSON (%(reason)s)", reason=exc.detail)}) from None
    except UnicodeDecodeError:
        raise Invalid({"body": _("is not valid UTF-8 text")}) from None
    except RecursionError:
        raise Invalid({"body": _("is nested too deeply")}) from None
    parsed = _whole_numbers_as_integers(parsed)
    # A body type may say which of its forms a body takes (POST /api/visits: a check-in, or one by pass code).
    choose = getattr(body.annotation, "strict_model", None)
    request.state.strict_body = _strictly(parsed, choose(parsed) if choose else body.annotation)


async def strict_json(request: Request, model: type[T]) -> T:
    """The body as `decode_body` converted it, without Litestar's lenient coercions (the string "2" is not 2)."""
    converted = request.state.get("strict_body")
    if isinstance(converted, model):
        return converted
    return _strictly(_whole_numbers_as_integers(await request.json()), model)


def _strictly(parsed, model: type[T]) -> T:
    try:
        return msgspec.convert(parsed, type=model, strict=True)
    except msgspec.ValidationError as exc:
        messages = _every_field_error(parsed, model) or [str(exc)]
        extra = [{"message": message, "source": "body"} for message in messages]
        raise ValidationException(detail="Invalid data", extra=extra) from None


def _every_field_error(parsed, model: type) -> list[str]:
    """msgspec stops at the first wrong field; a caller fixing a body wants them all in one answer. Only on
    the error path: each field of the object converted alone, messages with paths as msgspec writes them."""
    if not isinstance(parsed, dict) or not isinstance(model, type) or not issubclass(model, msgspec.Struct):
        return []
    messages = []
    for field in msgspec.structs.fields(model):
        if field.encode_name not in parsed:
            if field.required:
                messages.append(f"Object missing required field `{field.encode_name}`")
            continue
        try:
            msgspec.convert(parsed[field.encode_name], type=field.type, strict=True)
        except msgspec.ValidationError as exc:
            message, _at, path = str(exc).partition(" - at `$")
            if message.startswith("Invalid enum value") and (choices := _choices(field.type)):
                message += f" (one of: {', '.join(map(str, choices))})"
            messages.append(f"{message} - at `$.{field.encode_name}{path or '`'}")
    return messages


def _choices(annotation) -> tuple:
    """The values a Literal field (or a list or optional of one) takes, for the message that names them."""
    if get_origin(annotation) is Literal:
        return get_args(annotation)
    for inner in get_args(annotation):
        if choices := _choices(inner):
            return choices
    return ()
