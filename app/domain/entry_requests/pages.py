"""The household's side of asking: the prompt on every resident page, one request's own page (where a
notification leads), and the signed links of notifications and emails, which answer without a session."""

from __future__ import annotations

from uuid import UUID

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath

from app.domain.entry_requests import forms as request_forms
from app.domain.entry_requests import service as entry_requests
from app.lib.actors import Actor
from app.lib.errors import Conflict, Invalid, NotFound
from app.lib.i18n import _
from app.web.auth import provide_resident_actor
from app.web.forms import read_form
from app.web.render import go_to, page, wants_fragment


async def prompt(actor: Actor, status: int = 200, **extra) -> Response:
    waiting, fresh, closed = await entry_requests.household_prompt(actor)
    context = {"waiting": waiting, "fresh": fresh, "closed": closed, "problems": {}, "typed": {}, "me": actor.email}
    return page("me/_prompt.html", status, **(context | extra))


class MyRequestsController(Controller):
    path = "/me/requests"
    include_in_schema = False
    dependencies = {"actor": Provide(provide_resident_actor)}

    @get("/prompt")
    async def prompt(self, request: Request, actor: NamedDependency[Actor]) -> Response:
        """What every resident page shows on top: visitors waiting for the household's answer."""
        if not wants_fragment(request):
            return go_to(request, "/me")
        return await prompt(actor)

    @get("/{request_id:uuid}")
    async def one(self, actor: NamedDependency[Actor], request_id: FromPath[UUID]) -> Response:
        """Where a notification leads: the request, to answer or to see who answered."""
        item = await entry_requests.get_request(actor, request_id)
        return page("me/request.html", item=item, problems={}, typed={}, me=actor.email)

    @post("/{request_id:uuid}/answer")
    async def answer(self, request: Request, actor: NamedDependency[Actor], request_id: FromPath[UUID]) -> Response:
        form = await read_form(request)
        try:
            await entry_requests.answer(actor, request_id, request_forms.answer_input(form))
        except (Invalid, Conflict) as exc:
            problem = next(iter(exc.errors.values())) if isinstance(exc, Invalid) else exc.detail
            if not wants_fragment(request):
                item = await entry_requests.get_request(actor, request_id)
                problems, typed = {request_id: problem}, {request_id: form.fields}
                return page("me/request.html", 409, item=item, problems=problems, typed=typed, me=actor.email)
            return await prompt(actor, 409, problems={request_id: problem}, typed={request_id: form.fields})
        if not wants_fragment(request):
            return go_to(request, f"/me/requests/{request_id}")
        return await prompt(actor)


class AnswerLinkController(Controller):
    """/answer/<signed token>: a notification's button POSTs here; an email's link opens the page, whose button
    POSTs. The token names the account, the request and the decision, and expires with the request."""

    path = "/answer"
    include_in_schema = False

    @get("/{token:str}")
    async def confirm(self, token: FromPath[str]) -> Response:
        try:
            actor, request_id, decision = await entry_requests.actor_of_token(token)
            item = await entry_requests.get_request(actor, request_id)
        except NotFound as exc:
            return page("me/answer_link.html", 404, item=None, problem=exc.detail, answered=False)
        return page("me/answer_link.html", item=item, decision=decision, token=token, problem=None, answered=False)

    @post("/{token:str}", exclude_from_csrf=True)
    async def answer(self, request: Request, token: FromPath[str]) -> Response:
        """The token is the authority here, not a session cookie, so there is no cross-site request to forge.
        A notification's button asks for JSON; the page's button gets the page again, with the outcome."""
        message = (await read_form(request)).optional("message")
        from_notification = "application/json" in request.headers.get("accept", "")
        via = "push" if from_notification else "email"
        try:
            item, problem, status = await entry_requests.answer_by_link(token, via, message), None, 200
        except (NotFound, Invalid, Conflict) as exc:
            item, problem, status = None, exc.detail, exc.status_code
        if from_notification:  # the service worker shows {title, body} in place of the question
            body = problem or entry_requests.outcome_words(item)
            said = {"title": _("Visitor at the gate"), "body": body, "status": item.status if item else None}
            return Response(said | {"problem": problem}, status_code=status)
        return page("me/answer_link.html", status, item=item, problem=problem, answered=item is not None)
