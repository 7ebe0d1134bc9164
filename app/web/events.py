"""Server-sent events: each open board hears about every visit change and refetches itself."""

from __future__ import annotations

from collections.abc import AsyncGenerator

from litestar import get
from litestar.channels import ChannelsPlugin
from litestar.di import NamedDependency
from litestar.response import ServerSentEvent, ServerSentEventMessage

from app.services import live
from app.services.actors import Actor

RETRY_MS = 1000
STREAM_HEADERS = {"Cache-Control": "no-store", "X-Accel-Buffering": "no"}


async def _changes(channels: ChannelsPlugin) -> AsyncGenerator[ServerSentEventMessage, None]:
    async with channels.start_subscription([live.CHANNEL]) as subscriber:
        yield ServerSentEventMessage(event="ready", data="subscribed", retry=RETRY_MS)
        async for message in subscriber.iter_events():
            yield ServerSentEventMessage(event="visits", data=message.decode())


@get("/kiosk/events", include_in_schema=False)
async def board_events(actor: NamedDependency[Actor], channels: NamedDependency[ChannelsPlugin]) -> ServerSentEvent:
    """The browser reconnects on its own; the page refetches the board on every (re)connect."""
    del actor  # only signed-in staff may listen
    return ServerSentEvent(_changes(channels), headers=STREAM_HEADERS)
