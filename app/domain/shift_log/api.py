"""/api/shift-notes: the shift log's notes, for guards and administrators (residents get 403)."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.status_codes import HTTP_201_CREATED

from app.api.body import strict_json
from app.api.docs import problems
from app.api.paging import LINK_HEADER_DOC, Cursor, Limit, page_response
from app.domain.shift_log import schemas as note_schemas
from app.domain.shift_log import service as shift_log
from app.lib.actors import Actor

Search = Annotated[str | None, QueryParameter(description="Words of the note or of its author's email")]
Category = Annotated[
    note_schemas.Category | None, QueryParameter(description="handover, incident, maintenance or delivery")
]


class ShiftNoteController(Controller):
    path = "/shift-notes"
    tags = ["Shift log"]

    @get(
        "/",
        operation_id="listShiftNotes",
        summary="List shift log notes",
        response_headers=LINK_HEADER_DOC,
        responses=problems(403),
    )
    async def list_notes(
        self,
        request: Request,
        actor: NamedDependency[Actor],
        limit: Limit = None,
        cursor: Cursor = None,
        q: Search = None,
        category: Category = None,
    ) -> Response[list[note_schemas.ShiftNote]]:
        """Newest first."""
        return page_response(request, await shift_log.list_notes(actor, limit, cursor, q, category))

    @get("/{note_id:uuid}", operation_id="getShiftNote", summary="Get a note", responses=problems(403, 404))
    async def get_note(self, actor: NamedDependency[Actor], note_id: FromPath[UUID]) -> note_schemas.ShiftNote:
        return await shift_log.get_note(actor, note_id)

    @post(
        "/",
        operation_id="createShiftNote",
        summary="Write a note in the shift log",
        status_code=HTTP_201_CREATED,
        responses=problems(403, 413),
    )
    async def write(
        self, request: Request, actor: NamedDependency[Actor], data: JSONBody[note_schemas.ShiftNoteInput]
    ) -> Response[note_schemas.ShiftNote]:
        data = await strict_json(request, note_schemas.ShiftNoteInput)
        note = await shift_log.write_note(actor, data)
        return Response(note, status_code=HTTP_201_CREATED, headers={"Location": f"/api/shift-notes/{note.id}"})
