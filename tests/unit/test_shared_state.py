"""Shared state (app/lib/shared_state.py): sign-in counters give the same answers in files and in Redis, under
our own keys; live channels stay within their Redis database."""

from __future__ import annotations

import asyncio
import contextlib
import os
import uuid
from dataclasses import replace
from datetime import timedelta
from urllib.parse import urlsplit

import pytest

from app.lib.shared_state import (
    SESSIONS_STORE,
    STATE_DIR,
    FileStores,
    RedisCounters,
    StoreCounters,
    channels_plugin,
    shared_state,
)
from app.settings import load_settings

LIMITS = {"account": 2, "address": 3}


@pytest.fixture(params=["files", "redis"])
async def counters(request, db, tmp_path):
    if request.param == "files":
        yield StoreCounters(FileStores(tmp_path)("sign-in"))
        return
    if not os.environ.get("REDIS_URL"):
        pytest.skip("Redis counters need TEST_REDIS_URL")
    from redis.asyncio import Redis

    async with Redis.from_url(os.environ["REDIS_URL"]) as redis:
        yield RedisCounters(redis, "gatehouse_sign-in")


async def test_counting_stops_at_the_first_limit_and_then_counts_nothing(counters):
    assert [await counters.count_unless_over(LIMITS, 60) for _ in range(3)] == [True, True, False]
    assert await counters.count_unless_over({"address": 3}, 60)  # address was counted twice, not three times
    assert not await counters.count_unless_over({"address": 3}, 60)


async def test_take_back_and_clear(counters):
    for _ in range(2):
        await counters.count_unless_over(LIMITS, 60)
    await counters.clear("account")
    await counters.take_back("address")
    await counters.take_back("nothing-counted")
    assert await counters.count_unless_over(LIMITS, 60)  # account 1 of 2, address 2 of 3
    assert await counters.count_unless_over(LIMITS, 60)  # account 2 of 2, address 3 of 3
    assert not await counters.count_unless_over({"address": 3}, 60)


async def test_counts_expire_with_their_window(counters):
    assert await counters.count_unless_over({"account": 1}, 0)
    assert await counters.count_unless_over({"account": 1}, 60)


async def test_redis_counters_use_keys_under_our_prefix(db):
    if not os.environ.get("REDIS_URL"):
        pytest.skip("needs TEST_REDIS_URL")
    from redis.asyncio import Redis

    async with Redis.from_url(os.environ["REDIS_URL"]) as redis:
        await RedisCounters(redis, "gatehouse_sign-in").count_unless_over({"failed-sign-in:1.2.3.4": 5}, 60)
        assert await redis.get("gatehouse_sign-in:failed-sign-in:1.2.3.4") == b"1"
        assert 0 < await redis.ttl("gatehouse_sign-in:failed-sign-in:1.2.3.4") <= 60


async def test_live_channels_of_one_redis_database_are_not_heard_on_another():
    """Redis pub/sub ignores the database number, so the channel names carry it: a kiosk must not hear the
    changes of a Gatehouse (another site, another test run) that uses another database of the same server."""
    if not os.environ.get("REDIS_URL"):
        pytest.skip("needs TEST_REDIS_URL")
    from redis.asyncio import Redis

    url = urlsplit(os.environ["REDIS_URL"])
    number = int(url.path.strip("/") or 0)
    other = url._replace(path=f"/{(number + 1) % 16}").geturl()
    channel = f"test-{uuid.uuid4()}"  # no kiosk of another run listens to it
    heard: asyncio.Queue[bytes] = asyncio.Queue()

    async with Redis.from_url(url.geturl()) as mine, Redis.from_url(other) as theirs:
        async with channels_plugin(mine) as ours, channels_plugin(theirs) as others:
            async with ours.start_subscription(channel) as subscriber, subscriber.run_in_background(heard.put):
                # The subscription is sent without waiting for Redis to confirm it: say hello until it is heard.
                while True:
                    await ours.wait_published(b"hello", channel)
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(heard.get(), 1)
                        break
                await others.wait_published(b"other database", channel)
                await ours.wait_published(b"fence", channel)  # Redis delivers in the order it was published
                events = []
                while not events or events[-1] != b"fence":
                    events.append(await asyncio.wait_for(heard.get(), 30))
    assert b"other database" not in events, events


async def test_without_redis_stores_are_files_under_data_dir_and_expired_ones_go_at_start_up(tmp_path):
    here, there = (
        shared_state(replace(load_settings(), redis_url=None, data_dir=tmp_path / name)) for name in ("a", "b")
    )
    await here.stores.get(SESSIONS_STORE).set("kept", "1", expires_in=60)
    await here.stores.get(SESSIONS_STORE).set("gone", "1", expires_in=timedelta(seconds=-1))
    await here.stores.get("idempotency").set("kept", "1", expires_in=60)
    assert await there.stores.get(SESSIONS_STORE).get("kept") is None  # another DATA_DIR shares nothing
    folder = tmp_path / "a" / STATE_DIR / SESSIONS_STORE
    assert len(list(folder.iterdir())) == 2 and (tmp_path / "a" / STATE_DIR / "idempotency").is_dir()

    start, stop = here.hooks()
    await start(None)
    try:
        assert len(list(folder.iterdir())) == 1 and await here.stores.get(SESSIONS_STORE).get("kept") == b"1"
    finally:
        await stop(None)
