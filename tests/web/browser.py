"""A real uvicorn server and Debian's Chromium for browser tests (skipped when Chromium is missing)."""

from __future__ import annotations

import os
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
