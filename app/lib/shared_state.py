"""What the workers of one site share: live-update channels, sessions and sign-in counters.

By default (one worker) sessions, sign-in counters and any other store live in files under DATA_DIR/state,
so a restart or a deploy signs no guard out, and live channels in process memory; in Redis when REDIS_URL
is set, through one client that the app opens here and closes at shutdown. The web pages, the app and the
command line all build theirs here, so none imports another's set-up.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import time
from collections.abc import AsyncGenerator, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from litestar.channels import ChannelsPlugin
from litestar.channels.backends.memory import MemoryChannelsBackend
from litestar.channels.backends.redis import RedisChannelsPubSubBackend
from litestar.stores.base import Store
from litestar.stores.file import FileStore
from litestar.stores.registry import StoreRegistry

from app.domain.accounts.sign_in import AttemptCounters
from app.lib import live
from app.settings import Settings

if TYPE_CHECKING:
    from redis.asyncio import Redis

SESSIONS_STORE = "sessions"
SIGN_IN_STORE = "sign-in"
STATE_DIR = "state"
"""Under DATA_DIR: one folder per store (`state/sessions`, `state/sign-in`), one file per key."""
SWEEP_SECONDS = 60 * 60
"""How often expired entries are deleted from the files (a read also deletes the one it finds expired)."""
KEY_PREFIX = "gatehouse"
"""Every key Gatehouse writes to Redis starts with this (sessions `gatehouse_sessions:`, counters
`gatehouse_sign-in:`, as before)."""


class StoreCounters:
    """Sign-in counters kept in a store (files under DATA_DIR), so a restart does not reset a guesser's count.

    Each value is `<count> <until>` in wall-clock seconds (a monotonic clock starts again with the process).
    One process only, as without Redis: the lock makes each check-and-count one step."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._lock = asyncio.Lock()

    async def _read(self, key: str, now: float) -> tuple[int, float]:
        value = await self.store.get(key)
        if not value:
            return 0, 0.0
        count, until = value.split()
        return (int(count), float(until)) if float(until) > now else (0, 0.0)

    async def _write(self, key: str, count: int, until: float, now: float) -> None:
        # The store's own expiry only tidies the files; `until` decides. It is whole seconds, and 0 means never.
        await self.store.set(key, f"{count} {until!r}", expires_in=max(1, int(until - now) + 1))

    async def count_unless_over(self, limits: dict[str, int], window_seconds: int) -> bool:
        async with self._lock:
            now = time.time()
            counts = {key: (await self._read(key, now))[0] for key in limits}
            if any(counts[key] >= limit for key, limit in limits.items()):
                return False
            for key, count in counts.items():
                await self._write(key, count + 1, now + window_seconds, now)
            return True

    async def take_back(self, key: str) -> None:
        async with self._lock:
            now = time.time()
            count, until = await self._read(key, now)
            if count:
                await self._write(key, count - 1, until, now)

    async def clear(self, key: str) -> None:
        async with self._lock:
            await self.store.delete(key)


_STORE_NAME = re.compile(r"[a-z0-9][a-z0-9_-]*")


@dataclass
class FileStores:
    """The stores of one process, each a folder under `root` made when first asked for (the registry's default
    factory), created readable by their owner only. `sweep` deletes what has expired in all of them."""

    root: Path
    made: dict[str, FileStore] = field(default_factory=dict)

    def __call__(self, name: str) -> FileStore:
        if not _STORE_NAME.fullmatch(name):
            raise ValueError(f"not a store name: {name!r}")
        folder = self.root / name
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        self.made[name] = FileStore(folder)
        return self.made[name]

    async def sweep(self) -> None:
        for name, store in list(self.made.items()):
            try:
                await store.delete_expired()
            except OSError:
                logging.getLogger(__name__).exception("could not delete the expired entries of store %s", name)

    async def sweep_every(self, seconds: float) -> None:
        while True:
            await asyncio.sleep(seconds)
            await self.sweep()


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
    stores: StoreRegistry
    sign_in_counters: AttemptCounters
    files: FileStores | None = None

    def hooks(self) -> tuple:
        """Start-up and shut-down hooks: publish live changes through the channels while the app runs, delete
        expired files at start-up and every hour, and close the Redis client last (Litestar runs on_shutdown
        hooks after the plugins have stopped)."""
        sweeper: list[asyncio.Task] = []

        async def start(_app) -> None:
            live.configure(self.channels.publish)
            if self.files is not None:
                await self.files.sweep()
                sweeper.append(asyncio.get_running_loop().create_task(self.files.sweep_every(SWEEP_SECONDS)))

        async def stop(_app) -> None:
            live.configure(None)
            for task in sweeper:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
            sweeper.clear()
            if self.redis is not None:
                await self.redis.aclose()

        return start, stop


def shared_state(settings: Settings) -> SharedState:
    redis = redis_client(settings)
    if redis is None:
        files = FileStores(settings.data_dir / STATE_DIR)
        registry = StoreRegistry(default_factory=files)
        counters = StoreCounters(registry.get(SIGN_IN_STORE))
        registry.get(SESSIONS_STORE)
        return SharedState(None, channels_plugin(None), registry, counters, files)
    from litestar.stores.redis import RedisStore

    # Each store under `gatehouse_<name>:` (sessions `gatehouse_sessions:`, as before).
    registry = StoreRegistry(default_factory=RedisStore(redis, namespace=KEY_PREFIX).with_namespace)
    return SharedState(redis, channels_plugin(redis), registry, RedisCounters(redis, f"{KEY_PREFIX}_sign-in"))
