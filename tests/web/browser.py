"""A real uvicorn server and Debian's Chromium for browser tests (skipped when Chromium is missing)."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from app.settings import PROJECT_ROOT
from tests.factory import PASSWORD

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


# uvicorn on a socket bound by the test: no other process can take the port between choosing and binding
# it, and the first request waits in the socket's backlog until the app answers, so nothing is polled.
_SERVE_ON_SOCKET = """
import socket, sys, uvicorn
config = uvicorn.Config("app.main:create_app", factory=True, log_level="warning", timeout_graceful_shutdown=1)
uvicorn.Server(config).run(sockets=[socket.socket(fileno=int(sys.argv[1]))])
"""


def start_server() -> tuple[str, subprocess.Popen]:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(128)
        port = listener.getsockname()[1]
        command = [sys.executable, "-c", _SERVE_ON_SOCKET, str(listener.fileno())]
        process = subprocess.Popen(  # noqa: S603 - fixed command
            command, cwd=PROJECT_ROOT, env=dict(os.environ), pass_fds=[listener.fileno()]
        )
    url = f"http://127.0.0.1:{port}"
    try:
        with urllib.request.urlopen(url + "/healthz", timeout=120):  # noqa: S310 - our own local server
            pass
    except Exception:
        process.kill()
        process.wait()
        raise
    return url, process


def stop_server(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


async def signed_in_page(browser, server, email, start, width=1280, height=800, password=None):
    """A new browser context signed in through the real form, landing on `start`.

    Console errors and 4xx/5xx responses (409 and 422 aside: a form's answer) are collected in page.console_errors."""
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


# Elements with a style attribute. The app never makes one (the CSP refuses inline styles); a test tool that
# left one behind would have htmx copy it onto the fields it swaps in, and the CSP refuse it there.
_STYLED = "Array.from(document.querySelectorAll('[style]'), e => e.outerHTML.slice(0, 80))"


def _screenshot_path(name: str, directory: Path | None) -> str:
    directory = directory or SCREENSHOTS
    directory.mkdir(parents=True, exist_ok=True)
    return str(directory / name)


async def screenshot(page, name: str, *, full_page: bool = False, directory: Path | None = None) -> None:
    """Save a picture in SCREENSHOTS (or `directory`), leaving the page exactly as it was.

    By default Playwright hides the caret by styling every field and leaves `style=""` on each; with
    caret="initial" it touches nothing in the page (checked, so a future Playwright cannot bring it back)."""
    await page.screenshot(path=_screenshot_path(name, directory), full_page=full_page, caret="initial")
    assert not await page.evaluate(_STYLED), f"the screenshot {name} left styles in the page"


async def assert_accessible(page, label: str) -> None:
    """axe-core's serious and critical findings; axe is loaded from our own static/ (the CSP refuses the
    inline script that add_script_tag(path=...) would make) and must leave nothing in the page."""
    await page.add_script_tag(url=AXE_URL)
    result = await page.evaluate("async () => (await axe.run(document)).violations")
    assert not await page.evaluate(_STYLED), f"{label}: axe left styles in the page"
    serious = [f"{v['id']}: {v['help']}" for v in result if v["impact"] in ("serious", "critical")]
    assert not serious, f"{label}: {serious}"
