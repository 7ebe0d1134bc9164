"""Parcels at the kiosk (receive, the waiting list, hand over, history) and a household's own parcels."""

from __future__ import annotations

from urllib.parse import urlencode
from uuid import UUID

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath

from app.domain.gates.pages import kiosk_gate_id
from app.domain.kiosk.events import changes_from_page
from app.domain.parcels import forms as parcel_forms
from app.domain.parcels import service as parcels
from app.domain.parcels.schemas import CARRIERS, size_names
from app.lib.actors import Actor
from app.lib.errors import Conflict, Invalid
from app.lib.i18n import _, ngettext
from app.lib.schemas import Page
from app.web.auth import provide_resident_actor
from app.web.forms import read_form, read_query
from app.web.lists import ListTemplates, list_page
from app.web.render import go_to, page, wants_fragment

PAGE_SIZE = 50
WAITING = ListTemplates("parcels/kiosk.html", "parcels/_waiting.html", "parcels/_waiting_rows.html")
HISTORY = ListTemplates("parcels/history.html", "parcels/_history.html", "parcels/_history_rows.html")


def _form_fields(errors: dict) -> dict:
    """The service names one parcel's field; the form has one box for every tracking number."""
    if "trackingNumber" in errors:
        errors = {**errors, "trackingNumbers": errors["trackingNumber"]}
    return errors


async def waiting_page(
    request: Request, actor: Actor, status: int = 200, form: dict | None = None, errors: dict | None = None, **extra
) -> Response:
    """Receive beside the parcels waiting (oldest first), found by unit, name or tracking number."""
    params = read_query(request, ("q",)).fields

    async def fetch(cursor: str | None) -> Page:
        return await parcels.list_parcels(actor, PAGE_SIZE, cursor, waiting=True, q=params["q"])

    return await list_page(
        request,
        WAITING,
        fetch,
        base="/kiosk/parcels",
        params=params,
        status_code=status,
        summary=await parcels.summary(actor),
        form=form or parcel_forms.BLANK,
        form_errors=_form_fields(errors or {}),
        carriers=CARRIERS,
        sizes=size_names(),
        **extra,
    )


class KioskParcelsController(Controller):
    path = "/kiosk/parcels"
    include_in_schema = False

    @get("/")
    async def waiting(self, request: Request, actor: NamedDependency[Actor]) -> Response:
        received = request.query_params.get("received", "")
        notice = ""
        if received.isdigit():
            notice = ngettext("%(num)s parcel received.", "%(num)s parcels received.", int(received))
        elif request.query_params.get("handed"):
            notice = _("Handed over to %(who)s.", who=request.query_params.get("handed"))
        return await waiting_page(request, actor, notice=notice)

    @post("/")
    async def receive(self, request: Request, actor: NamedDependency[Actor]) -> Response:
        form = await read_form(request)
        try:
            with changes_from_page(request):
                inputs = parcel_forms.parcel_inputs(form)
                received = await parcels.receive(actor, inputs, await kiosk_gate_id(request))
        except Invalid as exc:
            return await waiting_page(request, actor, 422, form=form.fields, errors=exc.errors)
        return go_to(request, f"/kiosk/parcels?received={len(received)}")

    @post("/{parcel_id:uuid}/hand-over")
    async def hand_over(self, request: Request, actor: NamedDependency[Actor], parcel_id: FromPath[UUID]) -> Response:
        form = await read_form(request)
        try:
            with changes_from_page(request):
                parcel = await parcels.hand_over(actor, parcel_id, parcel_forms.hand_over_input(form))
        except Invalid as exc:
            problem = next(iter(exc.errors.values()))
            return await waiting_page(request, actor, 422, card_errors={parcel_id: problem})
        except Conflict as exc:
            return await waiting_page(request, actor, 409, card_errors={parcel_id: exc.detail})
        if wants_fragment(request):
            return await waiting_page(request, actor, notice=_("Handed over to %(who)s.", who=parcel.collected_by))
        return go_to(request, "/kiosk/parcels?" + urlencode({"handed": parcel.collected_by or ""}))

    @get("/history")
    async def history(self, request: Request, actor: NamedDependency[Actor]) -> Response:
        params = read_query(request, ("q",)).fields

        async def fetch(cursor: str | None) -> Page:
            return await parcels.list_parcels(actor, PAGE_SIZE, cursor, q=params["q"])

        return await list_page(
            request, HISTORY, fetch, base="/kiosk/parcels/history", params=params, sizes=size_names()
        )


class MyParcelsController(Controller):
    path = "/me/parcels"
    include_in_schema = False
    dependencies = {"actor": Provide(provide_resident_actor)}

    @get("/")
    async def mine(self, request: Request, actor: NamedDependency[Actor]) -> Response:
        saved = _("Saved: the gatehouse sees your instructions.") if request.query_params.get("saved") else ""
        return await _my_page(actor, notice=saved)

    @get("/waiting")
    async def waiting(self, request: Request, actor: NamedDependency[Actor]) -> Response:
        """The "Parcels waiting" panel alone, refetched live; a browser gets the whole page."""
        if not wants_fragment(request):
            return go_to(request, self.path)
        return page("parcels/_mine_waiting.html", waiting=await parcels.waiting_for_household(actor))

    @post("/{parcel_id:uuid}/instructions")
    async def instructions(
        self, request: Request, actor: NamedDependency[Actor], parcel_id: FromPath[UUID]
    ) -> Response:
        form = await read_form(request)
        try:
            await parcels.set_instructions(actor, parcel_id, parcel_forms.instructions_input(form))
        except Invalid as exc:
            return await _my_page(actor, 422, card_errors={parcel_id: next(iter(exc.errors.values()))})
        except Conflict as exc:
            return await _my_page(actor, 409, card_errors={parcel_id: exc.detail})
        return go_to(request, f"{self.path}?saved=1")


async def _my_page(actor: Actor, status: int = 200, **extra) -> Response:
    waiting = await parcels.waiting_for_household(actor)
    collected = (await parcels.list_parcels(actor, 20, waiting=False)).items
    return page("parcels/mine.html", status, waiting=waiting, collected=collected, sizes=size_names(), **extra)
