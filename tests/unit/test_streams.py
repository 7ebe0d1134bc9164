"""Event streams re-check who is listening: with each message, and on a quiet stream every few seconds."""

from __future__ import annotations

import asyncio

from app.domain.kiosk.events import watched


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


async def test_a_kiosk_page_hears_every_change_but_its_own_and_residents_never_see_the_page_id():
    import json
    from uuid import uuid4

    from app.domain.kiosk.events import _changes
    from app.lib import live

    published: list[tuple[dict, str]] = []
    live.configure(lambda event, channel: published.append((event, channel)))
    try:
        resident_id, mine, theirs = uuid4(), uuid4(), uuid4()
        with live.changes_from("page-one-1234"):
            live.visit_changed("checked-in", mine, resident_id)
        live.visit_changed("checked-in", theirs, resident_id)
    finally:
        live.configure(None)
    assert [channel for _, channel in published] == ["visits", f"resident:{resident_id}"] * 2
    assert published[0][0]["origin"] == "page-one-1234" and "origin" not in published[1][0]

    class Channels:
        def start_subscription(self, _channels):
            subscriber = FakeSubscriber()
            for event, channel in published:
                if channel == "visits":
                    subscriber.queue.put_nowait(json.dumps(event).encode())

            class Subscription:
                async def __aenter__(self):
                    return subscriber

                async def __aexit__(self, *exc):
                    return None

            return Subscription()

    async def still_valid() -> bool:
        return True

    for page, expected in (("page-one-1234", [theirs]), ("page-two-5678", [mine, theirs]), (None, [mine, theirs])):
        stream = _changes(Channels(), still_valid, page)
        assert (await anext(stream)).event == "ready"
        heard = [json.loads((await anext(stream)).data)["visitId"] for _ in expected]
        assert heard == [str(visit_id) for visit_id in expected], page
        await stream.aclose()
