"""A real server and Debian's Chromium for the browser tests (the role fixtures are in tests/conftest.py)."""

from __future__ import annotations

import pytest

from tests.web.browser import CHROMIUM, CHROMIUM_ARGS, skip_without_chromium, start_server, stop_server


@pytest.fixture(scope="module")
def server(migrated):
    """A real uvicorn server for one module's browser tests."""
    skip_without_chromium()
    url, process = start_server()
    yield url
    stop_server(process)


@pytest.fixture(scope="module")
async def browser(server):
    from playwright.async_api import async_playwright, expect

    # Assertions wait for their condition as long as any other wait does: a loaded machine is slow, not wrong.
    expect.set_options(timeout=30_000)
    async with async_playwright() as playwright:
        chromium = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        await chromium.close()
