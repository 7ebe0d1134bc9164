"""Event streams re-check who is listening: with each message, and on a quiet stream every few seconds."""

from __future__ import annotations

import asyncio

from app.web.events import watched


class FakeSubscriber:
    def __init__(self) -> None:
        self.queue: asyncio.Queue[bytes] = asyncio.Queue()

    async def iter_events(self):
        while True:
            yield await self.queue.get()


async def test_messages_pass_through_and_a_quiet_stream_still_checks():
    subscriber, checks = FakeSubscriber(), []

    async def still_valid() -> bool:
        checks.append(1)
        return True

    stream = watched(subscriber, still_valid, every=0.05)
    await subscriber.queue.put(b"one")
    assert await anext(stream) == b"one"
    assert await anext(stream) is None  # nothing came: a heartbeat, after a check
    assert len(checks) == 2
    await stream.aclose()


async def test_the_stream_ends_once_the_account_may_no_longer_listen():
    subscriber, allowed = FakeSubscriber(), [True]

    async def still_valid() -> bool:
        return allowed[0]

    stream = watched(subscriber, still_valid, every=0.05)
    await subscriber.queue.put(b"before")
    assert await anext(stream) == b"before"
    allowed[0] = False
    await subscriber.queue.put(b"after")
    assert [message async for message in stream] == []  # 'after' is never delivered
