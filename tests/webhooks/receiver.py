"""A webhook receiver for the tests: an aiohttp server on 127.0.0.1 that verifies every request with the
`standardwebhooks` library, keeps what it accepted, and can be stopped and started again on its port."""

from __future__ import annotations

import asyncio
import socket

from aiohttp import web
from standardwebhooks import Webhook, WebhookVerificationError


class Receiver:
    def __init__(self) -> None:
        self.secret: str | None = None
        self.messages: list[dict] = []
        """Every verified request, in arrival order: {"id", "type", "data"} (duplicates included)."""
        self.rejected = 0
        self.status = 200
        self._arrived = asyncio.Condition()
        self._runner: web.AppRunner | None = None
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks"

    async def _handle(self, request: web.Request) -> web.Response:
        body = await request.read()
        try:
            event = Webhook(self.secret).verify(body, dict(request.headers))
        except WebhookVerificationError:
            self.rejected += 1
            return web.Response(status=400)
        if self.status >= 300:
            return web.Response(status=self.status)
        async with self._arrived:
            self.messages.append({"id": request.headers["webhook-id"], "type": event["type"], "data": event["data"]})
            self._arrived.notify_all()
        return web.Response(status=204)

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/hooks", self._handle)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", self.port, reuse_address=True).start()

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    def unique(self) -> list[dict]:
        """What a receiver that drops duplicates by webhook-id keeps, in arrival order."""
        seen: set[str] = set()
        kept = []
        for message in self.messages:
            if message["id"] not in seen:
                seen.add(message["id"])
                kept.append(message)
        return kept

    async def wait_for_total(self, count: int, within: float = 20) -> None:
        """Until `count` messages have arrived, duplicates included."""
        async with self._arrived:
            await asyncio.wait_for(self._arrived.wait_for(lambda: len(self.messages) >= count), within)

    async def wait_for(self, count: int, within: float = 20) -> list[dict]:
        """Until `count` distinct messages have arrived."""
        async with self._arrived:
            await asyncio.wait_for(self._arrived.wait_for(lambda: len(self.unique()) >= count), within)
        return self.unique()
