"""The kiosk's home: the check-in form, the on-site board, check-out with undo, and the roll call."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID, uuid4

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, QueryParameter

from app.domain.bans import service as bans
from app.domain.entry_requests import service as entry_requests
from app.domain.expected import service as expected
from app.domain.gates.pages import kiosk_gate_context, kiosk_gate_id
from app.domain.kiosk import board, gate, returning
from app.domain.kiosk.events import changes_from_page
from app.domain.residents import service as residents
from app.domain.visits import forms as visit_forms
from app.domain.visits import service as visits
from app.lib import site
from app.lib.actors import Actor
from app.lib.errors import Conflict, Invalid
from app.lib.i18n import N_, _
from app.web.forms import Form, read_form, read_query
from app.web.render import go_to, page, wants_fragment

VISITS_CHANGED = {"HX-Trigger": "visits-changed"}
SUBJECTS = (N_("Guest"), N_("Delivery"), N_("Service"), N_("Ride"))
"""The quick picks for a visit's subject; a pick fills the subject in the guard's language, as typing would."""


def blank_form() -> dict:
    return {"totalPeople": "1", "subject": _("Guest")}


def with_key(form: dict) -> dict:
    """The form with an idempotency key: a new one for each form not yet sent, kept while it is resent."""
    return form if form.get("idempotencyKey") else form | {"idempotencyKey": str(uuid4())}


def form_context(form: dict | None = None, errors: dict | None = None, **extra) -> dict:
    subjects = [_(subject) for subject in SUBJECTS]
    context = {"form": with_key(form or blank_form()), "errors": errors or {}, "subjects": subjects}
    defaults = {"stopped_by": [], "announced": [], "returning": [], "from_expected": None, "from_earlier": None}
    defaults |= {"inside": [], "as_of": None}
    defaults |= {"refused": False, "asked": None, "asking": site.entry_approval(), "problem": None}
    defaults["pre_approved"] = None
    return context | defaults | extra


async def waiting_context(actor: Actor, **extra) -> dict:
    """The Waiting list: requests to residents and their answers; per-card problems and typed reasons."""
    waiting = await entry_requests.waiting_at_gate(actor)
    return {"waiting": waiting, "card_errors": {}, "card_form": {}, "waiting_notice": None} | extra


async def gate_checks(actor: Actor, form: Form) -> dict:
    """The gate's checks for what the form holds, as the fragments' context."""
    return msgspec.structs.asdict(await gate.gate_checks(actor, visit_forms.gate_query(form)))


async def home_context(
    request: Request, actor: Actor, form: dict | None = None, errors: dict | None = None, **extra
) -> dict:
    return {
        "board": await board.on_site(actor),
        "expected": await expected.expected_today(actor),
        **await waiting_context(actor),
        **await kiosk_gate_context(request, actor),
        **form_context(form, errors, **extra),
    }


async def check_in_form(request: Request, actor: Actor, status: int = 200, **context) -> Response:
    """The form alone for htmx (the board refreshes itself); the whole home page otherwise."""
    if wants_fragment(request):
        return page("kiosk/_check_in.html", status, **form_context(**context))
    return page("kiosk/index.html", status, **await home_context(request, actor, **context))


async def refused_toast(actor: Actor, visit_id: UUID, refused: Conflict) -> Response:
    """A check-out or undo the board offered but the visit no longer allows (another kiosk was first): a toast
    that names the visitor, and a refetch of the board, which was out of date."""
    visit = await visits.get_visit(actor, visit_id)
    return page("kiosk/_refused.html", 409, headers=VISITS_CHANGED, visit=visit, reason=refused.detail)


class KioskController(Controller):
    path = "/kiosk"
    include_in_schema = False

    @get("/")
    async def home(self, request: Request, actor: NamedDependency[Actor]) -> Response:
        return page("kiosk/index.html", **await home_context(request, actor))

    @get("/board")
    async def board_fragment(self, request: Request, actor: NamedDependency[Actor]) -> Response:
        """Every open board refetches this on each change: the fragment reads the board and nothing else."""
        if wants_fragment(request):
            return page("kiosk/_board.html", board=await board.on_site(actor))
        return page("kiosk/index.html", **await home_context(request, actor))

    @get("/residents")
    async def resident_options(
        self, actor: NamedDependency[Actor], resident_query: Annotated[str, QueryParameter(name="residentQuery")] = ""
    ) -> Response:
        found = await residents.list_residents(actor, q=resident_query[:100], active=True, limit=8)
        return page("kiosk/_residents.html", residents=found.items, query=resident_query)

    @get("/checks")
    async def checks(self, request: Request, actor: NamedDependency[Actor]) -> Response:
        """What the gate should know about the visitor being typed: do-not-admit entries first."""
        form = read_query(request)
        return page("kiosk/_checks.html", form=form.fields, **await gate_checks(actor, form))

    @get("/expected")
    async def expected_list(self, request: Request, actor: NamedDependency[Actor]) -> Response:
        """Today's expected visitors, refreshed when visits change (a check-in takes one off)."""
        if wants_fragment(request):  # every open kiosk refetches this on each change: read only the list
            return page("kiosk/_expected.html", expected=await expected.expected_today(actor))
        return page("kiosk/index.html", **await home_context(request, actor))

    @get("/expected/{expected_id:uuid}")
    async def from_announcement(
        self, request: Request, actor: NamedDependency[Actor], expected_id: FromPath[UUID]
    ) -> Response:
        """The check-in form filled from an announcement, its Check in button focused: Enter confirms."""
        item = await expected.get_expected(actor, expected_id)
        form = Form(visit_forms.check_in_values(item, expectedVisitId=str(item.id)))
        checks = await gate_checks(actor, form)  # a banned visitor is announced too: warn at once
        return await check_in_form(
            request, actor, form=form.fields, from_expected=item, stopped_by=checks["stopped_by"]
        )

    @get("/again/{visit_id:uuid}")
    async def returning_visitor(
        self, request: Request, actor: NamedDependency[Actor], visit_id: FromPath[UUID]
    ) -> Response:
        """The check-in form filled with an earlier visitor's last details, Check in focused."""
        earlier = await returning.from_visit(actor, visit_id)
        form = Form(visit_forms.check_in_values(earlier, fromVisitId=str(visit_id)))
        checks = await gate_checks(actor, form)
        return await check_in_form(
            request, actor, form=form.fields, from_earlier=earlier, stopped_by=checks["stopped_by"]
        )

    @post("/visits")
    async def check_in(self, request: Request, actor: NamedDependency[Actor]) -> Response:
        form = await read_form(request)
        try:
            with changes_from_page(request):
                key = form.optional("idempotencyKey")
                data = msgspec.structs.replace(visit_forms.check_in_input(form), gate_id=await kiosk_gate_id(request))
                visit = await visits.create_visit(actor, data, key)
        except Invalid as exc:
            checks = await gate_checks(actor, form)
            return await check_in_form(request, actor, 422, form=form.fields, errors=exc.errors, **checks)
        except bans.Refused as refused:
            refusal = {"stopped_by": refused.bans, "refused": True, "errors": refused.field_errors}
            return await check_in_form(request, actor, 409, form=form.fields, **refusal)
        except Conflict as exc:  # ENTRY_APPROVAL=require: this visitor needs the resident's answer first
            checks = await gate_checks(actor, form)
            return await check_in_form(request, actor, 409, form=form.fields, problem=exc.detail, **checks)
        if not wants_fragment(request):
            return go_to(request, "/kiosk")
        return page("kiosk/_check_in.html", headers=VISITS_CHANGED, **form_context(checked_in=visit))

    @post("/visits/{visit_id:uuid}/check-out")
    async def check_out(self, request: Request, actor: NamedDependency[Actor], visit_id: FromPath[UUID]) -> Response:
        try:
            with changes_from_page(request):
                visit = await visits.check_out(actor, visit_id, await kiosk_gate_id(request))
        except Conflict as refused:
            if not wants_fragment(request):
                raise
            return await refused_toast(actor, visit_id, refused)
        if not wants_fragment(request):
            return go_to(request, "/kiosk")
        return page("kiosk/_checked_out.html", headers=VISITS_CHANGED, visit=visit)

    @post("/visits/{visit_id:uuid}/undo-check-out")
    async def undo_check_out(
        self, request: Request, actor: NamedDependency[Actor], visit_id: FromPath[UUID]
    ) -> Response:
        try:
            with changes_from_page(request):
                visit = await board.undo_check_out(actor, visit_id)
        except Conflict as refused:
            if not wants_fragment(request):
                raise
            return await refused_toast(actor, visit_id, refused)
        if not wants_fragment(request):
            return go_to(request, "/kiosk")
        return page("kiosk/_undone.html", headers=VISITS_CHANGED, visit=visit)

    @get("/roll-call")
    async def roll_call(self, request: Request, actor: NamedDependency[Actor]) -> Response:
        """Everyone inside, from every gate."""
        context = await kiosk_gate_context(request, actor)
        return page("kiosk/roll_call.html", board=await board.on_site(actor), **context)
