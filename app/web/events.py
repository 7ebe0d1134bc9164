"""Server-sent events: each open board hears about every visit change and refetches itself."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, Awaitable, Callable

from litestar import Request, get
from litestar.channels import ChannelsPlugin
from litestar.di import NamedDependency
from litestar.response import ServerSentEvent, ServerSentEventMessage

from app.services import live
from app.services.actors import Actor
from app.web.auth import session_still_valid

RETRY_MS = 1000
STREAM_HEADERS = {"Cache-Control": "no-store", "X-Accel-Buffering": "no"}


SIGNED_OUT = ServerSentEventMessage(event="signed-out", data="The session has ended.")
"""Sent instead of an event when the account may no longer listen; the page then goes to sign-in."""
CHECK_EVERY_SECONDS = 10
"""A quiet stream still re-checks its account this often, so a deactivated guard's screen clears."""
STILL_HERE = ServerSentEventMessage(comment="still here")


async def watched(
    subscriber, still_valid: Callable[[], Awaitable[bool]], every: float = CHECK_EVERY_SECONDS
) -> AsyncGenerator[bytes | None, None]:
    """A subscriber's messages, and None every `every` quiet seconds; it ends once the account may
    no longer listen. Reading goes through a queue, so waiting with a timeout never cancels the reader."""
    queue: asyncio.Queue[bytes] = asyncio.Queue()

    async def pump() -> None:
        async for message in subscriber.iter_events():
            await queue.put(message)

    reader = asyncio.create_task(pump())
    try:
        while True:
            try:
                message = await asyncio.wait_for(queue.get(), every)
            except TimeoutError:
                message = None
            if not await still_valid():
                return
            yield message
    finally:
        reader.cancel()


async def _changes(
    channels: ChannelsPlugin, still_valid: Callable[[], Awaitable[bool]]
) -> AsyncGenerator[ServerSentEventMessage, None]:
    async with channels.start_subscription([live.CHANNEL]) as subscriber:
        yield ServerSentEventMessage(event="ready", data="subscribed", retry=RETRY_MS)
        async for message in watched(subscriber, still_valid):
            yield STILL_HERE if message is None else ServerSentEventMessage(event="visits", data=message.decode())
        yield SIGNED_OUT


@get("/kiosk/events", include_in_schema=False)
async def board_events(
    request: Request, actor: NamedDependency[Actor], channels: NamedDependency[ChannelsPlugin]
) -> ServerSentEvent:
    """The browser reconnects on its own; the page refetches the board on every (re)connect."""
    del actor  # only signed-in staff may listen
    return ServerSentEvent(_changes(channels, session_still_valid(request)), headers=STREAM_HEADERS)
