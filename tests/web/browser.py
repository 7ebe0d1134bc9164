"""A real uvicorn server and Debian's Chromium for browser tests (skipped when Chromium is missing)."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from app.settings import PROJECT_ROOT

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE_URL = "/static/vendor/axe/axe.min.js"
# `make screenshots` points this at docs/screenshots; test runs keep theirs out of the work tree.
SCREENSHOTS = Path(os.environ.get("SCREENSHOT_DIR") or PROJECT_ROOT / "test-artifacts" / "screenshots")


def skip_without_chromium() -> None:
    """Skip without a browser, except where REQUIRE_BROWSER is set (CI), which must not pass by skipping."""
    if not Path(CHROMIUM).exists():
        message = f"No Chromium at {CHROMIUM}: apt-get install chromium, or set CHROMIUM_PATH"
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_up(url: str, process: subprocess.Popen, timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"uvicorn exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=1):  # noqa: S310 - our own local server
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("uvicorn did not start in time")


def start_server() -> tuple[str, subprocess.Popen]:
    port = free_port()
    command = [sys.executable, "-m", "uvicorn", "app.main:create_app", "--factory", "--port", str(port)]
    command += ["--host", "127.0.0.1", "--timeout-graceful-shutdown", "1", "--log-level", "warning"]
    process = subprocess.Popen(command, cwd=PROJECT_ROOT, env=dict(os.environ))  # noqa: S603 - fixed command
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(url, process)
    except Exception:
        process.kill()
        raise
    return url, process


def stop_server(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


LIVE_TIMEOUT_MS = 2000


async def signed_in_page(browser, server, email, start, width=1280, height=800, password=None):
    """A new browser context signed in through the real form, landing on `start`.

    Console errors and 4xx/5xx responses (409 and 422 aside: a form's answer) are collected in page.console_errors."""
    from tests.web.conftest import PASSWORD

    context = await browser.new_context(viewport={"width": width, "height": height}, base_url=server)
    page = await context.new_page()
    errors: list[str] = []

    def on_console(msg) -> None:
        if msg.type == "error" and "(Unprocessable" not in msg.text and "(Conflict)" not in msg.text:
            errors.append(f"{page.url} {msg.location.get('url')}:{msg.location.get('lineNumber')} {msg.text[:80]}")

    page.on("console", on_console)
    answers = (409, 422)  # a form's answer: already done, or fields to correct
    page.on(
        "response",
        lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 400 and r.status not in answers else None,
    )
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.console_errors = errors
    await page.goto(start)
    assert f"/sign-in?next={start}" in page.url
    await page.fill("#f-email", email)
    await page.fill("#f-password", password or PASSWORD)
    await page.press("#f-password", "Enter")
    await page.wait_for_url(re.compile(re.escape(start) + "$"))
    return context, page


async def assert_accessible(page, label: str) -> None:
    # From our own static/ (the CSP refuses the inline script that add_script_tag(path=...) would make).
    await page.add_script_tag(url=AXE_URL)
    result = await page.evaluate("async () => (await axe.run(document)).violations")
    await clear_test_styles(page)
    serious = [f"{v['id']}: {v['help']}" for v in result if v["impact"] in ("serious", "critical")]
    assert not serious, f"{label}: {serious}"


async def clear_test_styles(page) -> None:
    """axe and screenshots leave style="" on form fields; htmx copies that onto the fields it swaps in,
    and the CSP (rightly) refuses inline styles. Users never have it: remove it before going on."""
    await page.evaluate("document.querySelectorAll('[style=\"\"]').forEach(e => e.removeAttribute('style'))")
