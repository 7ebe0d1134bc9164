"""Strict JSON bodies.

Litestar converts request bodies leniently (the string "2" becomes the integer 2), but the contract
says a totalPeople that is not a JSON integer is a 400. Handlers keep `data: JSONBody[...]` so the
OpenAPI document describes the body, and re-read it strictly with this before acting on it.
"""

from __future__ import annotations

from typing import TypeVar

import msgspec
from litestar import Request
from litestar.exceptions import ValidationException

from app.services.errors import Invalid

T = TypeVar("T")


def _whole_numbers_as_integers(value):
    """JSON has one number type: 2.0 is the integer 2 to JSON Schema (and to the OpenAPI document); 2.5 is not."""
    if isinstance(value, dict):
        return {
            key: int(item) if isinstance(item, float) and item.is_integer() else item for key, item in value.items()
        }
    return value


async def strict_json(request: Request, model: type[T]) -> T:
    try:
        parsed = msgspec.json.decode(await request.body())
    except msgspec.DecodeError as exc:
        raise Invalid({"body": f"is not valid JSON ({exc})"}) from None
    try:
        return msgspec.convert(_whole_numbers_as_integers(parsed), type=model, strict=True)
    except msgspec.ValidationError as exc:
        raise ValidationException(detail="Invalid data", extra=[{"message": str(exc), "source": "body"}]) from None
