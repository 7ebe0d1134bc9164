"""A kiosk whose event stream drops catches up when it comes back, without a reload.

The browser talks to the server through a small TCP proxy in this test, so the test can cut every
open connection (the event stream included) while the server, and the guard's session, stay up.
"""

from __future__ import annotations

import asyncio
from urllib.parse import urlsplit

from tests.web.browser import signed_in_page


class CuttableProxy:
    def __init__(self, target: str) -> None:
        self.target_port = urlsplit(target).port
        self.open: list[asyncio.StreamWriter] = []

    async def start(self) -> str:
        self.server = await asyncio.start_server(self._relay, "127.0.0.1", 0)
        return f"http://127.0.0.1:{self.server.sockets[0].getsockname()[1]}"

    async def _relay(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        upstream_reader, upstream_writer = await asyncio.open_connection("127.0.0.1", self.target_port)
        self.open += [writer, upstream_writer]
        await asyncio.gather(self._pipe(reader, upstream_writer), self._pipe(upstream_reader, writer))

    @staticmethod
    async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        except (ConnectionError, OSError):
            pass
        finally:
            writer.close()

    def cut(self) -> None:
        """Drop every connection now open; new ones still go through."""
        for writer in self.open:
            writer.transport.abort()
        self.open.clear()

    async def close(self) -> None:
        self.cut()
        self.server.close()
        await self.server.wait_closed()


async def test_a_board_that_lost_its_connection_catches_up(browser, server, factory, guard):
    resident = await factory.resident(name="Ana Lima", unit="B-302")
    proxy = CuttableProxy(server)
    through_proxy = await proxy.start()
    try:
        context, page = await signed_in_page(browser, through_proxy, guard.actor.email, "/kiosk")
        await page.wait_for_selector("body[data-live=connected]")

        proxy.cut()
        await page.wait_for_selector("body[data-live=reconnecting]")
        # Written straight through the service in this process: no event reaches the server's
        # channels, exactly like a change made while this kiosk could not hear it.
        await factory.visit(resident.id, visitor_name="While Away", arrival_date="2026-11-28T08:00:00+00:00")

        await page.wait_for_selector("#board td:has-text('While Away')")
        await page.wait_for_selector("body[data-live=connected]")
        await context.close()
    finally:
        await proxy.close()
