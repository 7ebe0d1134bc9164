"""How the API is described in the OpenAPI document: every error as the problem+json it is."""

from __future__ import annotations

from typing import Annotated

import msgspec
from litestar.openapi.datastructures import ResponseSpec
from msgspec import UNSET, Meta, UnsetType

from app.api.problems import PROBLEM_JSON
from app.domain.bans.schemas import Ban


class FieldError(msgspec.Struct):
    field: Annotated[str, Meta(description="The field as the client named it (`body` for the body as a whole)")]
    message: Annotated[str, Meta(description="What is wrong with it, in plain words (in the `Accept-Language`)")]


class Problem(msgspec.Struct, rename="camel"):
    """RFC 9457 problem details, the body of every error answer (`application/problem+json`). `title`, `detail`
    and each error's `message` are in the first language of `Accept-Language` that Gatehouse speaks (en, pt-BR,
    es), else the site's; every other field and value is the same in every language."""

    type: Annotated[str, Meta(description="Always `about:blank`: the status says what kind of problem it is")]
    title: Annotated[str, Meta(description="The status in words, such as `Invalid data`")]
    status: Annotated[int, Meta(description="The HTTP status code")]
    detail: Annotated[str, Meta(description="What went wrong and how to proceed, in plain words")]
    errors: Annotated[
        list[FieldError] | UnsetType, Meta(description="On 400: each invalid field and what is wrong with it")
    ] = UNSET
    do_not_admit: Annotated[
        list[Ban] | UnsetType,
        Meta(description="On a refused check-in (409): the do-not-admit entries the visitor matches"),
    ] = UNSET
    references: Annotated[
        dict[str, int] | UnsetType,
        Meta(
            description="On a refused delete (409): how many records of each kind still refer to the record, "
            "such as `visits`, `announcements`, `doNotAdmitEntries`, `accounts`"
        ),
    ] = UNSET


_MEANINGS = {
    400: "Invalid data or a broken business rule; `errors` names each field",
    401: "No valid Bearer token",
    403: "The token's role may not do this",
    404: "No such record, or not visible to this token",
    409: "Conflicts with the record's current state",
    410: "The pass lets no one in now; `detail` says why in words (used up, revoked, expired, not valid today)",
    413: "The body is larger than the server accepts",
    429: "Too many wrong pass codes from this token or address; wait and try again",
    503: "The database is not answering; retry after `Retry-After` seconds (nothing was saved)",
}


def problems(*codes: int, conflict: str | None = None) -> dict[int, ResponseSpec]:
    """The error answers of an API operation: 400 (every API request may carry an invalid `limit`), 401 and 503
    always, and `codes`. `conflict` says when a 409 happens."""
    meanings = {**_MEANINGS, 409: conflict or _MEANINGS[409]}
    return {
        code: ResponseSpec(
            data_container=Problem, description=meanings[code], media_type=PROBLEM_JSON, generate_examples=False
        )
        for code in sorted({400, 401, 503, *codes})
    }
