"""Stopping the real server while kiosks and residents keep their live streams open: the streams end at once,
and the server stops cleanly (no forced cancel, no traceback) instead of waiting for them."""

from __future__ import annotations

import os
import signal
import subprocess

import httpx
import pytest

from tests.pages import sign_in
from tests.serving import free_port, wait_for_startup
from tests.test_cli import GATEHOUSE


@pytest.fixture
def served(db):
    """`gatehouse serve` as an operator starts it: (its port, the process, its log as it grows)."""
    port = free_port()
    process = subprocess.Popen(  # noqa: S603 - our own command
        [GATEHOUSE, "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=dict(os.environ),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        yield port, process, wait_for_startup(process)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT])
async def test_stopping_the_server_ends_open_streams_and_it_stops_cleanly(served, guard, stop_signal):
    port, process, log = served
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
        signed_in, _ = await sign_in(client, guard.actor.email)
        assert signed_in.status_code == 303
        async with client.stream("GET", "/kiosk/events") as stream:
            lines = stream.aiter_lines()
            assert await anext(lines) == "event: ready"
            process.send_signal(stop_signal)
            rest = [line async for line in lines]
    # uvicorn raises the signal again once it has stopped, so the process may end by it.
    assert process.wait(timeout=30) in (0, -stop_signal)
    assert not any(line.startswith("event:") for line in rest), rest  # no "signed-out": the session is fine
    text = "".join(log)
    assert "Application shutdown complete" in text, text
    assert "Traceback" not in text and "CancelledError" not in text, text
