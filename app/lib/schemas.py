"""What every feature's schemas share: documented limits, date texts, and a page of a list.

Each feature's Structs live in its own `app/domain/<feature>/schemas.py` (the kiosk and the records keep
one per concern: `board_schemas`, `gate_schemas`, `audit_schemas`, `retention_schemas`), built from
these pieces: the inputs services take, with their limits documented for the OpenAPI document, and what
services return. The API encodes them as they are (camelCase); each feature's `forms.py` builds the same
inputs from form strings.
"""

from __future__ import annotations

from typing import Annotated

import msgspec
from msgspec import Meta

from app.lib.clock import RECENT_INSTANT_PATTERN
from app.lib.text import NOT_BLANK_PATTERN

NAME_MAX = 120
UNIT_MAX = 40
SUBJECT_MAX = 200
COLOR_MAX = 40
PLATE_MAX = 20
EMAIL_MAX = 254
PHONE_MAX = 40
PEOPLE_MIN, PEOPLE_MAX = 1, 500


def documented(description: str, examples: list | None = None, **limits) -> Meta:
    """A field's limits in the OpenAPI document, checked by the services rather than by msgspec.

    The services check them so that a request learns every broken rule at once, in plain words; the
    document states them so that clients (and the fuzzer) know exactly what is accepted.
    """
    extra: dict = {"description": description, "extra": limits}
    if examples:
        extra["examples"] = examples
    return Meta(description=description, extra_json_schema=extra)


def required_text(limit: int, examples: list | None = None) -> Meta:
    return documented(
        f"Required, at most {limit} characters, not blank", examples, max_length=limit, pattern=NOT_BLANK_PATTERN
    )


def optional_text(limit: int) -> Meta:
    return documented(f"At most {limit} characters", max_length=limit)


_INSTANT_HELP = (
    "RFC 3339 date-time, from the year 2000, not in the future. The server also reads it without seconds, "
    "with a space for the T, or without an offset (then in the site's time zone)"
)
DateText = Annotated[
    str,
    documented(_INSTANT_HELP, ["2026-11-28T14:30:00-03:00"], format="date-time", pattern=RECENT_INSTANT_PATTERN),
]


def empty_or(schema: dict, description: str, examples: list) -> Meta:
    """An optional value that may also be sent as "" (meaning none): `str | None` documented as exactly that."""
    alternatives = [{"type": "string", **schema}, {"type": "string", "maxLength": 0}, {"type": "null"}]
    return documented(description, examples, one_of=None, any_of=alternatives)


class Page(msgspec.Struct):
    items: list
    next_cursor: str | None
