"""A resident's own pages: who is inside for them now and their visit history, and its live stream."""

from __future__ import annotations

import json
from collections.abc import AsyncGenerator, Awaitable, Callable
from uuid import UUID

from litestar import Controller, Request, Response, get
from litestar.channels import ChannelsPlugin
from litestar.di import NamedDependency, Provide
from litestar.response import ServerSentEvent, ServerSentEventMessage, Stream

from app.domain.kiosk.events import RETRY_MS, SIGNED_OUT, STILL_HERE, STREAM_HEADERS, watched
from app.domain.visits import export as visit_export
from app.domain.visits import mine as my_visits
from app.domain.visits.schemas import VisitFilters
from app.lib import live
from app.lib.actors import Actor
from app.lib.downloads import csv_download
from app.lib.schemas import Page
from app.web.auth import provide_resident_actor, session_still_valid
from app.web.forms import read_query
from app.web.lists import ListTemplates, list_page
from app.web.render import page, wants_fragment

PAGE_SIZE = 20
FILTER_KEYS = ("from", "to")
HISTORY = ListTemplates("me/index.html", "me/_history.html", "me/_rows.html")


async def history_page(request: Request, actor: Actor) -> Response:
    """The history list; the whole page also shows who is inside now."""
    params = read_query(request, FILTER_KEYS).fields

    async def fetch(cursor: str | None) -> Page:
        return await my_visits.history(actor, params["from"], params["to"], PAGE_SIZE, cursor)

    async def inside() -> dict:
        return {"inside": await my_visits.inside_now(actor)}

    return await list_page(request, HISTORY, fetch, base="/me", params=params, whole_page=inside)


async def _notices(
    channels: ChannelsPlugin, actor: Actor, still_valid: Callable[[], Awaitable[bool]]
) -> AsyncGenerator[ServerSentEventMessage, None]:
    async with channels.start_subscription([live.resident_channel(actor.resident_id)]) as subscriber:
        yield ServerSentEventMessage(event="ready", data="subscribed", retry=RETRY_MS)
        async for message in watched(subscriber, still_valid):
            if message is None:
                yield STILL_HERE
                continue
            event = json.loads(message)
            if "requestId" in event:  # someone at the gate is waiting for the household's answer
                yield ServerSentEventMessage(event="requests", data=event["change"])
                continue
            notice = await my_visits.notice(actor, event["change"], UUID(event["visitId"]))
            # An override is a warning (kiosk.js styles it and keeps it), not news like an arrival.
            warning = event["change"] == "admitted-despite-ban"
            yield ServerSentEventMessage(event="visits-warning" if warning else "visits", data=notice)
        if not live.server_stopping():
            yield SIGNED_OUT


class MyVisitsController(Controller):
    path = "/me"
    include_in_schema = False
    dependencies = {"actor": Provide(provide_resident_actor)}

    @get("/")
    async def my_visits(self, request: Request, actor: NamedDependency[Actor]) -> Response:
        return await history_page(request, actor)

    @get("/export")
    async def export(self, request: Request, actor: NamedDependency[Actor]) -> Stream:
        """The household's own visits in the history's dates, as a spreadsheet."""
        params = read_query(request, FILTER_KEYS).fields
        filters = VisitFilters(arrived_from=params["from"] or None, arrived_to=params["to"] or None)
        return csv_download(await visit_export.export_visits(actor, filters), visit_export.COLUMNS, "my-visits")

    @get("/inside")
    async def inside(self, request: Request, actor: NamedDependency[Actor]) -> Response:
        """The live part alone, for htmx; a browser gets the whole page."""
        if not wants_fragment(request):
            return await history_page(request, actor)
        return page("me/_inside.html", inside=await my_visits.inside_now(actor))

    @get("/events")
    async def events(
        self, request: Request, actor: NamedDependency[Actor], channels: NamedDependency[ChannelsPlugin]
    ) -> ServerSentEvent:
        """Only this resident's channel: another resident's changes never reach this stream."""
        return ServerSentEvent(_notices(channels, actor, session_still_valid(request)), headers=STREAM_HEADERS)
