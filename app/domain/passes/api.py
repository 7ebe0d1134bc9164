"""/api/passes/{code}: the gate looks a pass up; /api/expected-visits/{id}/revoke-pass and .../email-pass: its
resident revokes it or emails it to the visitor."""

from __future__ import annotations

from uuid import UUID

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_202_ACCEPTED

from app.api.body import strict_json
from app.api.docs import problems
from app.domain.expected import schemas as expected_schemas
from app.domain.passes import service as passes
from app.domain.passes.rules import Gone
from app.domain.passes.schemas import PassEmailed, PassEmailInput
from app.lib.actors import Actor


class PassController(Controller):
    path = "/passes"
    tags = ["Passes"]

    @get(
        "/{code:str}",
        operation_id="getPass",
        summary="Look up a pass by its code",
        description="The announcement whose pass has this code. 404: no pass ever had it; 410: the pass lets no one "
        "in today, and `detail` says why in words (used up, revoked, expired, not valid today). Wrong codes are "
        "counted per token and per address: after 10 in 10 minutes, 429.",
        responses=problems(403, 404, 410, 429),
    )
    async def get_pass(
        self, request: Request, actor: NamedDependency[Actor], code: FromPath[str]
    ) -> expected_schemas.Expected:
        found = await passes.find_by_code(actor, code, request.app.state.sign_in_counters)
        if found.reason is not None:
            raise Gone(found.reason)
        return found.expected


class PassRevokeController(Controller):
    path = "/expected-visits"
    tags = ["Expected visits"]

    @post(
        "/{expected_id:uuid}/revoke-pass",
        operation_id="revokePass",
        summary="Revoke an announcement's pass",
        description="Its code and QR code let no one in from now on; the announcement stays. Residents revoke "
        "their own, administrators anyone's; guards may not (403).",
        status_code=200,
        responses=problems(403, 404),
    )
    async def revoke_pass(
        self, actor: NamedDependency[Actor], expected_id: FromPath[UUID]
    ) -> expected_schemas.Expected:
        return await passes.revoke(actor, expected_id)

    @post(
        "/{expected_id:uuid}/email-pass",
        operation_id="sendPassByEmail",
        summary="Email an announcement's pass to the visitor",
        description="Queues an email with the pass's code, QR code and page to `email` (sent by the outbox, with "
        "retries): 202. Residents send their own, administrators anyone's; guards may not (403). 409: this "
        "Gatehouse sends no email (SMTP_URL is not set); 410: the pass no longer opens the gate, and `detail` "
        "says why (used up, revoked, expired).",
        status_code=HTTP_202_ACCEPTED,
        responses=problems(403, 404, 409, 410, 413, conflict="This Gatehouse sends no email (SMTP_URL is not set)"),
    )
    async def email_pass(
        self,
        request: Request,
        actor: NamedDependency[Actor],
        expected_id: FromPath[UUID],
        data: JSONBody[PassEmailInput],
    ) -> Response[PassEmailed]:
        data = await strict_json(request, PassEmailInput)
        sent_to = await passes.email_pass(actor, expected_id, data.email)
        return Response(PassEmailed(email=sent_to), status_code=HTTP_202_ACCEPTED)
