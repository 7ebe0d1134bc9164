"""/api/entry-requests: asking the resident about a visitor at the gate, with the conventions of /api/visits."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from app.api.body import strict_json
from app.api.docs import problems
from app.api.paging import LINK_HEADER_DOC, Cursor, Limit, page_response
from app.domain.entry_requests import schemas
from app.domain.entry_requests import service as entry_requests
from app.lib.actors import Actor

StatusQuery = Annotated[
    schemas.Status | None,
    QueryParameter(description="pending, approved, refused, expired or cancelled, as the requests read now"),
]
_CLOSED = "The request was already answered, has expired or was withdrawn (the problem's detail says which)"


class EntryRequestController(Controller):
    path = "/entry-requests"
    tags = ["Entry requests"]

    @post(
        "/",
        operation_id="createEntryRequest",
        summary="Ask the resident about a visitor at the gate",
        description="Guards and administrators. Every active account of the resident's household is told at once "
        "(open pages, push, email); the first answer counts. Unanswered after ENTRY_APPROVAL_TIMEOUT, it reads "
        "as expired and the guard calls. 409 when the site has ENTRY_APPROVAL=off.",
        status_code=HTTP_201_CREATED,
        responses=problems(403, 409, 413),
    )
    async def ask(
        self, request: Request, actor: NamedDependency[Actor], data: JSONBody[schemas.EntryRequestInput]
    ) -> Response[schemas.EntryRequest]:
        data = await strict_json(request, schemas.EntryRequestInput)
        asked = await entry_requests.ask(actor, data)
        return Response(asked, status_code=HTTP_201_CREATED, headers={"Location": f"/api/entry-requests/{asked.id}"})

    @get(
        "/",
        operation_id="listEntryRequests",
        summary="List entry requests",
        response_headers=LINK_HEADER_DOC,
        responses=problems(),
    )
    async def list_requests(
        self,
        request: Request,
        actor: NamedDependency[Actor],
        status: StatusQuery = None,
        limit: Limit = None,
        cursor: Cursor = None,
    ) -> Response[list[schemas.EntryRequest]]:
        """Newest first; a resident's token sees only its household's."""
        return page_response(request, await entry_requests.list_requests(actor, status, limit, cursor))

    @get("/{request_id:uuid}", operation_id="getEntryRequest", summary="Get an entry request", responses=problems(404))
    async def get_request(self, actor: NamedDependency[Actor], request_id: FromPath[UUID]) -> schemas.EntryRequest:
        return await entry_requests.get_request(actor, request_id)

    @post(
        "/{request_id:uuid}/answer",
        operation_id="answerEntryRequest",
        summary="Approve or refuse, or record a call",
        description="A resident token of the household answers a pending request (`approve` or `refuse`). A guard "
        'or administrator records the outcome of a call with `"via": "phone"` (`approve`, `refuse` or '
        "`no-answer`), on a pending or expired request; without `via` a guard is refused (403).",
        status_code=HTTP_200_OK,
        responses=problems(403, 404, 409, 413, conflict=_CLOSED),
    )
    async def answer(
        self,
        request: Request,
        actor: NamedDependency[Actor],
        request_id: FromPath[UUID],
        data: JSONBody[schemas.AnswerInput],
    ) -> schemas.EntryRequest:
        data = await strict_json(request, schemas.AnswerInput)
        return await entry_requests.answer(actor, request_id, data)

    @post(
        "/{request_id:uuid}/cancel",
        operation_id="cancelEntryRequest",
        summary="Withdraw a request (the visitor left)",
        description="Any request not yet used for a check-in, whatever its answer; a guard or administrator.",
        status_code=HTTP_200_OK,
        responses=problems(403, 404, 409, conflict="The request was already withdrawn or used for a check-in"),
    )
    async def cancel(self, actor: NamedDependency[Actor], request_id: FromPath[UUID]) -> schemas.EntryRequest:
        return await entry_requests.cancel(actor, request_id)
