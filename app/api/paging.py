"""Keyset pages as JSON arrays, with the next page's URL in a Link header."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from litestar import Request, Response
from litestar.datastructures import ResponseHeader
from litestar.params import QueryParameter

from app.lib import schemas as models
from app.lib.errors import Invalid
from app.lib.i18n import _
from app.lib.paging import MAX_LIMIT

Limit = Annotated[
    int | None, QueryParameter(ge=1, le=MAX_LIMIT, description=f"Page size, 1 to {MAX_LIMIT}; 50 by default")
]
Cursor = Annotated[
    str | None,
    QueryParameter(
        max_length=512,
        pattern="^[A-Za-z0-9_-]*$",
        description='Opaque cursor from the previous page\'s `Link: rel="next"` header',
    ),
]

LINK_HEADER_DOC = [
    ResponseHeader(
        name="Link",
        description='`<url>; rel="next"` when there is a next page; absent on the last page',
        documentation_only=True,
    )
]


def page_response(request: Request, page: models.Page) -> Response[list[Any]]:
    headers = {}
    if page.next_cursor:
        params = [(key, value) for key, value in request.query_params.multi_items() if key != "cursor"]
        params.append(("cursor", page.next_cursor))
        headers["Link"] = f'<{request.url.path}?{urlencode(params)}>; rel="next"'
    return Response(page.items, headers=headers)


async def whole_number_limit(request: Request) -> None:
    """`limit` is an integer in the OpenAPI document; the query parser would also take "1.0" or " 1".
    Refuse what the document does not allow, as the fuzzer checks (a client sending 1.0 has a bug).
    Async on purpose: Litestar runs a sync hook in a worker thread, which cost a tenth of every API request."""
    limit = request.query_params.get("limit")
    if limit is not None and not (limit.isascii() and limit.isdigit()):
        raise Invalid({"limit": _("must be a whole number from 1 to %(max)s", max=MAX_LIMIT)})
