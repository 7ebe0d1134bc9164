"""Server-sent events: each open board hears about every visit change and refetches itself."""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import AsyncGenerator, Awaitable, Callable
from typing import Annotated

from litestar import Request, get
from litestar.channels import ChannelsPlugin
from litestar.di import NamedDependency
from litestar.params import QueryParameter
from litestar.response import ServerSentEvent, ServerSentEventMessage

from app.lib import live
from app.lib.actors import Actor
from app.web.auth import session_still_valid

RETRY_MS = 1000
PAGE_HEADER = "X-Kiosk-Page"
"""Sent by kiosk.js with every htmx request: the id of the open kiosk page, also given to its stream."""
_PAGE_ID = re.compile(r"[A-Za-z0-9-]{8,64}")


def page_id(value: str | None) -> str | None:
    """A kiosk page's id as kiosk.js makes it (random), or None for anything else."""
    return value if value and _PAGE_ID.fullmatch(value) else None


def changes_from_page(request: Request):
    """Mark the changes this request makes as made by its kiosk page (see live.changes_from)."""
    return live.changes_from(page_id(request.headers.get(PAGE_HEADER)))


def _made_by(message: bytes, page: str | None) -> bool:
    return page is not None and json.loads(message).get("origin") == page


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
    no longer listen, or when the server stops. Reading goes through a queue, so waiting with a timeout
    never cancels the reader."""
    queue: asyncio.Queue[bytes] = asyncio.Queue()

    async def pump() -> None:
        async for message in subscriber.iter_events():
            await queue.put(message)

    reader = asyncio.create_task(pump())
    live.open_streams.add(queue)
    try:
        while not live.server_stopping():
            try:
                async with asyncio.timeout(every):  # not wait_for: it can swallow the stream's cancel
                    message = await queue.get()
            except TimeoutError:
                message = None
            if message == live.STOP or not await still_valid():
                return
            yield message
    finally:
        live.open_streams.discard(queue)
        reader.cancel()


async def _changes(
    channels: ChannelsPlugin, still_valid: Callable[[], Awaitable[bool]], page: str | None = None
) -> AsyncGenerator[ServerSentEventMessage, None]:
    """Every visit change, but those `page` made itself: it refreshed from its own answer already."""
    async with channels.start_subscription([live.CHANNEL]) as subscriber:
        yield ServerSentEventMessage(event="ready", data="subscribed", retry=RETRY_MS)
        async for message in watched(subscriber, still_valid):
            if message is None:
                yield STILL_HERE
            elif not _made_by(message, page):
                yield ServerSentEventMessage(event=live.event_name(message), data=message.decode())
        if not live.server_stopping():
            yield SIGNED_OUT


@get("/kiosk/events", include_in_schema=False)
async def board_events(
    request: Request,
    actor: NamedDependency[Actor],
    channels: NamedDependency[ChannelsPlugin],
    kiosk_page: Annotated[str | None, QueryParameter(name="kioskPage")] = None,
) -> ServerSentEvent:
    """The browser reconnects on its own; the page refetches the board on every (re)connect."""
    del actor  # only signed-in staff may listen
    changes = _changes(channels, session_still_valid(request), page_id(kiosk_page))
    return ServerSentEvent(changes, headers=STREAM_HEADERS)
