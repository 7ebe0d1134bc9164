"""Administrators' gate pages (the list with a form to add one, a gate's page to change it), and the kiosk's
choice of its gate, kept on the device in a cookie that every check-in and check-out sends."""

from __future__ import annotations

from uuid import UUID

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath

from app.domain.gates import forms as gate_forms
from app.domain.gates import service as gates
from app.domain.records import audit
from app.lib.actors import Actor
from app.lib.errors import Invalid
from app.web.forms import read_form
from app.web.render import go_to, page

COOKIE = "gatehouse_gate"
KEPT = 10 * 365 * 86400
"""A kiosk stays at its gate until someone chooses another: the choice is kept for years."""


def chosen_gate(request: Request) -> UUID | None:
    """The gate this device chose, as its cookie says (anything else: none)."""
    try:
        return UUID(request.cookies.get(COOKIE, ""))
    except ValueError:
        return None


async def kiosk_gate_id(request: Request) -> UUID | None:
    """The gate a check-in or check-out at this kiosk records: its chosen gate, or the default one."""
    return await gates.still_in_use(chosen_gate(request))


async def kiosk_gate_context(request: Request, actor: Actor) -> dict:
    """What the kiosk's header shows: its gate and the choice, when there are several gates."""
    return {"kiosk_gate": await gates.kiosk_gate(actor, chosen_gate(request)), "kiosk_path": request.url.path}


async def _index(actor: Actor, status: int = 200, **extra) -> Response:
    context = {"gates": await gates.list_gates(actor), "form": {"vehicles": "on"}, "errors": {}, "saved": ""}
    return page("admin/gates.html", status, **(context | extra))


async def _detail(actor: Actor, gate_id: UUID, status: int = 200, **extra) -> Response:
    gate = await gates.get_gate(actor, gate_id)
    context = {"gate": gate, "form": gate_forms.values_of(gate), "errors": {}, "saved": ""}
    context["history"] = await audit.history(actor, "gate", gate_id)
    return page("admin/gate.html", status, **(context | extra))


class GateAdminController(Controller):
    path = "/admin/gates"
    include_in_schema = False

    @get("/")
    async def index(self, request: Request, actor: NamedDependency[Actor]) -> Response:
        return await _index(actor, saved=request.query_params.get("saved", ""))

    @post("/")
    async def create(self, request: Request, actor: NamedDependency[Actor]) -> Response:
        form = await read_form(request)
        try:
            await gates.create_gate(actor, gate_forms.gate_input(form))
        except Invalid as exc:
            return await _index(actor, 422, form=form.fields, errors=exc.errors)
        return go_to(request, f"{self.path}?saved=added")

    @get("/{gate_id:uuid}")
    async def detail(self, request: Request, actor: NamedDependency[Actor], gate_id: FromPath[UUID]) -> Response:
        return await _detail(actor, gate_id, saved=request.query_params.get("saved", ""))

    @post("/{gate_id:uuid}")
    async def update(self, request: Request, actor: NamedDependency[Actor], gate_id: FromPath[UUID]) -> Response:
        form = await read_form(request)
        try:
            await gates.update_gate(actor, gate_id, gate_forms.gate_input(form))
        except Invalid as exc:
            return await _detail(actor, gate_id, 422, form=form.fields, errors=exc.errors)
        return go_to(request, f"{self.path}/{gate_id}?saved=saved")


class KioskGateController(Controller):
    path = "/kiosk/gate"
    include_in_schema = False

    @post("/")
    async def choose(self, request: Request, actor: NamedDependency[Actor]) -> Response:
        """Back to the kiosk page the choice was made on, with the gate kept on this device."""
        form = await read_form(request)
        back = form.text("back") if form.text("back").startswith("/kiosk") else "/kiosk"
        chosen = await gates.choose_kiosk_gate(actor, form.uuid("gateId"))  # a gate out of use: a 4xx page
        response = go_to(request, back)
        response.set_cookie(COOKIE, str(chosen.id), max_age=KEPT, path="/", httponly=True, samesite="lax")
        return response
