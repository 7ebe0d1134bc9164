"""Sign-in counters (app/shared_state.py): the same answers in memory and in Redis, under our own keys."""

from __future__ import annotations

import os

import pytest

from app.lib.shared_state import MemoryCounters, RedisCounters

LIMITS = {"account": 2, "address": 3}


@pytest.fixture(params=["memory", "redis"])
async def counters(request, db):
    if request.param == "memory":
        yield MemoryCounters()
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
