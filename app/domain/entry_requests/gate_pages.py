"""The kiosk's side of asking the resident: Ask beside Check in, and the Waiting list where answers arrive."""

from __future__ import annotations

from uuid import UUID

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath

from app.domain.bans import service as bans
from app.domain.entry_requests import forms as request_forms
from app.domain.entry_requests import service as entry_requests
from app.domain.gates.pages import kiosk_gate_id
from app.domain.kiosk import pages as kiosk_pages
from app.domain.kiosk.events import changes_from_page
from app.domain.visits import service as visits
from app.lib.actors import Actor
from app.lib.errors import Conflict, Invalid
from app.lib.i18n import _
from app.web.forms import read_form
from app.web.render import go_to, page, wants_fragment

REQUESTS_CHANGED = {"HX-Trigger": "requests-changed"}
"""After asking: the Waiting list refetches. The list's own actions answer with the list itself instead."""
CHECKED_IN = {"HX-Trigger": "visits-changed"}


def _problem(exc: Invalid | Conflict) -> str:
    if isinstance(exc, Invalid):
        return exc.errors.get("overrideReason") or next(iter(exc.errors.values()))
    return exc.detail


async def waiting_list(request: Request, actor: Actor, status: int = 200, headers=None, **extra) -> Response:
    """The Waiting list alone for htmx; the whole kiosk, with the same list, for a browser without scripts."""
    if not wants_fragment(request):
        context = await kiosk_pages.home_context(request, actor) | await kiosk_pages.waiting_context(actor, **extra)
        return page("kiosk/index.html", status, **context)
    return page("kiosk/_waiting.html", status, headers=headers, **await kiosk_pages.waiting_context(actor, **extra))


class GateRequestsController(Controller):
    path = "/kiosk/requests"
    include_in_schema = False

    @get("/")
    async def waiting(self, request: Request, actor: NamedDependency[Actor]) -> Response:
        """Every open kiosk refetches this when a request is asked or answered."""
        if not wants_fragment(request):
            return go_to(request, "/kiosk")
        return await waiting_list(request, actor)

    @post("/")
    async def ask(self, request: Request, actor: NamedDependency[Actor]) -> Response:
        """Ask from the check-in form: the request joins the Waiting list and the form is free for the next visitor."""
        form = await read_form(request)
        try:
            with changes_from_page(request):
                asked = await entry_requests.ask(actor, request_forms.request_input(form))
        except Invalid as exc:
            checks = await kiosk_pages.gate_checks(actor, form)
            return await kiosk_pages.check_in_form(request, actor, 422, form=form.fields, errors=exc.errors, **checks)
        if not wants_fragment(request):
            return go_to(request, "/kiosk")
        return page("kiosk/_check_in.html", headers=REQUESTS_CHANGED, **kiosk_pages.form_context(asked=asked))

    @post("/{request_id:uuid}/check-in")
    async def check_in(self, request: Request, actor: NamedDependency[Actor], request_id: FromPath[UUID]) -> Response:
        """One key from an approved request; a refused or unanswered one, or a banned visitor, needs a reason."""
        form = await read_form(request)
        asked = await entry_requests.get_request(actor, request_id)
        try:
            with changes_from_page(request):
                data = request_forms.check_in_input(asked, form)
                data = msgspec.structs.replace(data, gate_id=await kiosk_gate_id(request))
                visit = await visits.create_visit(actor, data)
        except (Invalid, Conflict) as exc:
            return await waiting_list(
                request, actor, 409, card_errors={asked.id: _problem(exc)}, card_form={asked.id: form.fields}
            )
        except bans.Refused as refused:
            problem = _(
                "On the do-not-admit list: %(reason)s. Give a reason to let them in.", reason=refused.bans[0].reason
            )
            return await waiting_list(
                request, actor, 409, card_errors={asked.id: problem}, card_form={asked.id: form.fields}
            )
        notice = _(
            "%(visitor)s checked in to see %(resident)s.", visitor=visit.visitor_name, resident=visit.resident_name
        )
        return await waiting_list(request, actor, headers=CHECKED_IN, waiting_notice=notice)

    @post("/{request_id:uuid}/call")
    async def record_call(
        self, request: Request, actor: NamedDependency[Actor], request_id: FromPath[UUID]
    ) -> Response:
        form = await read_form(request)
        try:
            with changes_from_page(request):
                await entry_requests.record_call(actor, request_id, request_forms.call_input(form))
        except (Invalid, Conflict) as exc:
            return await waiting_list(request, actor, 409, card_errors={request_id: _problem(exc)})
        return await waiting_list(request, actor)

    @post("/{request_id:uuid}/cancel")
    async def cancel(self, request: Request, actor: NamedDependency[Actor], request_id: FromPath[UUID]) -> Response:
        try:
            with changes_from_page(request):
                await entry_requests.cancel(actor, request_id)
        except Conflict as exc:
            return await waiting_list(request, actor, 409, card_errors={request_id: exc.detail})
        return await waiting_list(request, actor)
