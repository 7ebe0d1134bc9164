"""The handover page at the kiosk (notes, who is inside, overstays, overrides, refusals, parcels), writing a
note, marking the handover read; the administrators' search of the whole log."""

from __future__ import annotations

from urllib.parse import urlencode

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency

from app.domain.shift_log import forms as note_forms
from app.domain.shift_log import service as shift_log
from app.domain.shift_log.schemas import HOURS_DEFAULT, category_names
from app.lib.actors import Actor
from app.lib.errors import Invalid
from app.lib.i18n import _, ngettext
from app.lib.schemas import Page
from app.web.forms import read_form, read_query
from app.web.lists import ListTemplates, list_page
from app.web.render import go_to, page, wants_fragment

LOG = ListTemplates("shift_log/search.html", "shift_log/_results.html", "shift_log/_rows.html")
PAGE_SIZE = 50


async def handover_page(
    request: Request, actor: Actor, status: int = 200, form: dict | None = None, errors: dict | None = None
) -> Response:
    query = read_query(request, ("hours",))
    try:
        hours = note_forms.hours(query)
        handover, problems = await shift_log.handover(actor, hours), {}
    except Invalid as exc:
        handover, problems = await shift_log.handover(actor, HOURS_DEFAULT), exc.errors
    notice = ""
    if request.query_params.get("written"):
        notice = _("Note saved in the shift log.")
    elif request.query_params.get("read", "").isdigit():
        count = int(request.query_params["read"])
        notice = ngettext("Handover read: %(num)s note marked.", "Handover read: %(num)s notes marked.", count)
    # htmx refetches what changes (the live part, with the notes and the mark-read button out of band);
    # the note being typed is never swapped.
    fragment = wants_fragment(request) and status == 200
    return page(
        "shift_log/_live.html" if fragment else "shift_log/handover.html",
        status,
        oob=fragment,
        handover=handover,
        hours_errors=problems,
        hours_value=query.fields.get("hours") or str(HOURS_DEFAULT),
        form=form or note_forms.BLANK,
        errors=errors or {},
        categories=category_names(),
        notice=notice,
    )


class HandoverController(Controller):
    path = "/kiosk/handover"
    include_in_schema = False

    # A note refused by its rules leaves the browser at /notes: opened again (or after a language switch),
    # that address shows the handover too, not a "method not allowed".
    @get(["/", "/notes"])
    async def handover(self, request: Request, actor: NamedDependency[Actor]) -> Response:
        return await handover_page(request, actor)

    @post("/notes")
    async def write(self, request: Request, actor: NamedDependency[Actor]) -> Response:
        form = await read_form(request)
        try:
            await shift_log.write_note(actor, note_forms.note_input(form))
        except Invalid as exc:
            return await handover_page(request, actor, 422, form=form.fields, errors=exc.errors)
        return go_to(request, f"{self.path}?written=1")

    @post("/read")
    async def mark_read(self, request: Request, actor: NamedDependency[Actor]) -> Response:
        form = await read_form(request)
        try:
            hours = note_forms.hours(form)
        except Invalid:
            hours = HOURS_DEFAULT
        marked = await shift_log.mark_read(actor, hours)
        return go_to(request, f"{self.path}?" + urlencode({"hours": hours, "read": marked}))


class ShiftLogAdminController(Controller):
    path = "/admin/shift-log"
    include_in_schema = False

    @get("/")
    async def search(self, request: Request, actor: NamedDependency[Actor]) -> Response:
        params = read_query(request, ("q", "category")).fields

        async def fetch(cursor: str | None) -> Page:
            return await shift_log.list_notes(actor, PAGE_SIZE, cursor, params["q"], params["category"] or None)

        return await list_page(request, LOG, fetch, base=self.path, params=params, categories=category_names())
