"""How errors look in the OpenAPI document, so each operation lists the codes it can answer."""

from __future__ import annotations

import msgspec
from litestar.openapi.datastructures import ResponseSpec

from app.api.problems import PROBLEM_JSON
from app.services.ban_schemas import Ban


class FieldError(msgspec.Struct):
    field: str
    message: str


class ProblemDetails(msgspec.Struct):
    type: str
    title: str
    status: int
    detail: str
    errors: list[FieldError] | None = None
    do_not_admit: list[Ban] | None = msgspec.field(default=None, name="doNotAdmit")


_MEANINGS = {
    400: "Invalid data or a broken business rule; `errors` names each field",
    401: "No valid Bearer token",
    403: "The token's role may not do this",
    404: "No such record, or not visible to this token",
    409: "Conflicts with the record's current state (a check-in: the visitor is on the do-not-admit list)",
    503: "The database is not answering; retry after `Retry-After` seconds (nothing was saved)",
}


def problems(*codes: int) -> dict[int, ResponseSpec]:
    return {
        code: ResponseSpec(
            data_container=ProblemDetails, description=_MEANINGS[code], media_type=PROBLEM_JSON, generate_examples=False
        )
        for code in (401, 503, *codes)
    }
