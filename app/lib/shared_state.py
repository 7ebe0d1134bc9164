"""What the workers of one site share: live-update channels, sessions and sign-in counters.

In process memory by default (one worker); in Redis when REDIS_URL is set, through one client that the
app opens here and closes at shutdown. The web pages, the app and the command line all build theirs
here, so none imports another's set-up.
"""

from __future__ import annotations

import time
from collections.abc import AsyncGenerator, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from litestar.channels import ChannelsPlugin
from litestar.channels.backends.memory import MemoryChannelsBackend
from litestar.channels.backends.redis import RedisChannelsPubSubBackend
from litestar.stores.base import Store
from litestar.stores.memory import MemoryStore

from app.domain.accounts.sign_in import AttemptCounters
from app.lib import live
from app.settings import Settings

if TYPE_CHECKING:
    from redis.asyncio import Redis

SESSIONS_STORE = "sessions"
KEY_PREFIX = "gatehouse"
"""Every key Gatehouse writes to Redis starts with this (sessions `gatehouse_sessions:`, counters
`gatehouse_sign-in:`, as before)."""


class MemoryCounters:
    """Sign-in counters of one process. Each step runs without awaiting, so no other request interleaves."""

    PRUNE_ABOVE = 10_000

    def __init__(self) -> None:
        self._counts: dict[str, tuple[int, float]] = {}

    def _current(self, key: str, now: float) -> int:
        count, until = self._counts.get(key, (0, 0.0))
        return count if until > now else 0

    async def count_unless_over(self, limits: dict[str, int], window_seconds: int) -> bool:
        now = time.monotonic()
        if any(self._current(key, now) >= limit for key, limit in limits.items()):
            return False
        for key in limits:
            self._counts[key] = (self._current(key, now) + 1, now + window_seconds)
        if len(self._counts) > self.PRUNE_ABOVE:
            self._counts = {key: value for key, value in self._counts.items() if value[1] > now}
        return True

    async def take_back(self, key: str) -> None:
        now = time.monotonic()
        if count := self._current(key, now):
            self._counts[key] = (count - 1, self._counts[key][1])

    async def clear(self, key: str) -> None:
        self._counts.pop(key, None)


# Check every limit, then count the attempt under each key, as one step inside Redis: with several
# workers, parallel guesses would otherwise read the same count (20 parallel wrong passwords over two
# workers got 7 to 9 checked instead of 5).
_COUNT_UNLESS_OVER = """
for i, key in ipairs(KEYS) do
  if tonumber(redis.call('GET', key) or '0') >= tonumber(ARGV[i]) then return 0 end
end
for i, key in ipairs(KEYS) do
  redis.call('INCR', key)
  redis.call('EXPIRE', key, ARGV[#KEYS + 1])
end
return 1
"""
_TAKE_BACK = """
if tonumber(redis.call('GET', KEYS[1]) or '0') > 0 then redis.call('DECR', KEYS[1]) end
"""


class RedisCounters:
    """Sign-in counters shared by every worker, under `<prefix>:<key>`."""

    def __init__(self, redis: Redis, prefix: str) -> None:
        self.redis = redis
        self.prefix = prefix

    def key(self, key: str) -> str:
        return f"{self.prefix}:{key}"

    async def count_unless_over(self, limits: dict[str, int], window_seconds: int) -> bool:
        keys = [self.key(key) for key in limits]
        return bool(await self.redis.eval(_COUNT_UNLESS_OVER, len(keys), *keys, *limits.values(), window_seconds))

    async def take_back(self, key: str) -> None:
        await self.redis.eval(_TAKE_BACK, 1, self.key(key))

    async def clear(self, key: str) -> None:
        await self.redis.delete(self.key(key))


def redis_client(settings: Settings) -> Redis | None:
    if not settings.redis_url:
        return None
    from redis.asyncio import Redis

    return Redis.from_url(settings.redis_url)


class DatabaseChannelsBackend(RedisChannelsPubSubBackend):
    """Redis pub/sub whose channels are named after the Redis database too (`gatehouse:6:visits`).

    Redis keeps pub/sub apart from the keys: a message published on one database reaches the subscribers
    on every database. With bare names, every Gatehouse on one Redis server (another site, another test run)
    heard the others' changes, and a kiosk refetched its board for visits that are not its own."""

    def __init__(self, redis: Redis) -> None:
        super().__init__(redis=redis)
        self.namespace = f"{KEY_PREFIX}:{redis.get_connection_kwargs().get('db') or 0}:"

    def named(self, channels: Iterable[str]) -> list[str]:
        return [self.namespace + channel for channel in channels]

    async def subscribe(self, channels: Iterable[str]) -> None:
        await super().subscribe(self.named(channels))

    async def unsubscribe(self, channels: Iterable[str]) -> None:
        await super().unsubscribe(self.named(channels))

    async def publish(self, data: bytes, channels: Iterable[str]) -> None:
        await super().publish(data, self.named(channels))

    async def stream_events(self) -> AsyncGenerator[tuple[str, Any], None]:
        async for channel, data in super().stream_events():
            yield channel.removeprefix(self.namespace), data


def channels_plugin(redis: Redis | None) -> ChannelsPlugin:
    if redis is not None:
        backend = DatabaseChannelsBackend(redis)
    else:
        backend = MemoryChannelsBackend()
    # Arbitrary channels: one per resident (live.resident_channel), made when first used.
    return ChannelsPlugin(
        backend=backend, channels=[live.CHANNEL], arbitrary_channels_allowed=True, subscriber_max_backlog=100
    )


@dataclass(frozen=True)
class SharedState:
    redis: Redis | None
    channels: ChannelsPlugin
    stores: dict[str, Store]
    sign_in_counters: AttemptCounters

    def hooks(self) -> tuple:
        """Start-up and shut-down hooks: publish live changes through the channels while the app runs,
        and close the Redis client last (Litestar runs on_shutdown hooks after the plugins have stopped)."""

        def start(_app) -> None:
            live.configure(self.channels.publish)

        async def stop(_app) -> None:
            live.configure(None)
            if self.redis is not None:
                await self.redis.aclose()

        return start, stop


def shared_state(settings: Settings) -> SharedState:
    redis = redis_client(settings)
    if redis is None:
        return SharedState(None, channels_plugin(None), {SESSIONS_STORE: MemoryStore()}, MemoryCounters())
    from litestar.stores.redis import RedisStore

    sessions = RedisStore(redis, namespace=f"{KEY_PREFIX}_sessions")
    return SharedState(
        redis, channels_plugin(redis), {SESSIONS_STORE: sessions}, RedisCounters(redis, f"{KEY_PREFIX}_sign-in")
    )
