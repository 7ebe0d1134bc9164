"""`gatehouse serve --workers 2` on PostgreSQL with Redis: what one worker learns, the other knows.

Which worker accepts a connection is the kernel's choice, so the test opens connections until both
workers have some, and asks `ss` which process serves each one (the server runs as our user).
"""

from __future__ import annotations

import html
import http.client
import json
import os
import re
import subprocess
import urllib.parse
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.serving import free_port, wait_for_startup
from tests.test_cli import GATEHOUSE, gatehouse

pytestmark = pytest.mark.skipif(
    not (os.environ["DATABASE_URL"].startswith("postgres") and os.environ.get("REDIS_URL")),
    reason="several workers need PostgreSQL and Redis (TEST_DATABASE_URL, TEST_REDIS_URL)",
)
PASSWORD = "workers-password"
CSRF = re.compile(r'name="_csrf_token" value="([^"]+)"')


class Connection:
    """One kept-alive HTTP connection, so we know which worker answers it; cookies shared by a 'browser'."""

    def __init__(self, port: int, cookies: dict[str, str]) -> None:
        self.port, self.cookies = port, cookies
        self.http = http.client.HTTPConnection("127.0.0.1", port, timeout=15)
        self.http.connect()

    @property
    def worker(self) -> int:
        local = self.http.sock.getsockname()[1]
        listing = subprocess.run(
            ["ss", "-tnpH", "state", "established", f"( sport = :{self.port} and dport = :{local} )"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        return int(re.search(r"pid=(\d+)", listing).group(1))

    def send(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        self.http.request(method, path, body=body, headers=headers)
        response = self.http.getresponse()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key] = rest.split(";", 1)[0]
        return response

    def call(self, method: str, path: str, **kwargs) -> tuple[int, str]:
        response = self.send(method, path, **kwargs)
        return response.status, response.read().decode()

    def close(self) -> None:
        self.http.close()


def sign_in_attempt(port: int, cookies: dict, email: str, password: str) -> tuple[int, int]:
    """A sign-in through the real form on a fresh connection: (status, pid of the worker that answered)."""
    connection = Connection(port, cookies)
    try:
        status, page = connection.call("GET", "/sign-in")
        assert status == 200, page
        form = {
            "email": email,
            "password": password,
            "next": "",
            "_csrf_token": html.unescape(CSRF.search(page).group(1)),
        }
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        status, _ = connection.call("POST", "/sign-in", body=urllib.parse.urlencode(form).encode(), headers=headers)
        return status, connection.worker
    finally:
        connection.close()


@pytest.fixture
def two_workers(db):
    port = free_port()
    process = subprocess.Popen(  # noqa: S603 - our own command
        [GATEHOUSE, "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "2"],
        env=dict(os.environ),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_for_startup(process, workers=2)
        yield port
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def accounts() -> tuple[str, str]:
    suffix = uuid.uuid4().hex[:8]
    guard, admin = f"guard-{suffix}@example.com", f"admin-{suffix}@example.com"
    for email, role in ((guard, "guard"), (admin, "admin")):
        assert gatehouse("user", "create", "--email", email, "--password", PASSWORD, "--role", role).returncode == 0
    token = gatehouse("token", "create", "--email", admin).stdout.strip().splitlines()[-1]
    return guard, token


def read_until_event(response, wanted: str, limit: int = 200) -> str:
    """Lines of a server-sent event stream until one contains `wanted` (the socket timeout bounds the wait)."""
    seen = []
    for _ in range(limit):
        line = response.fp.readline().decode()
        seen.append(line)
        if wanted in line:
            return "".join(seen)
    raise AssertionError(f"{wanted!r} not in {''.join(seen)!r}")


def test_a_check_in_on_one_worker_reaches_kiosks_on_the_other_and_sessions_are_shared(two_workers):
    port = two_workers
    guard, token = accounts()
    browser: dict[str, str] = {}
    status, signed_in_by = sign_in_attempt(port, browser, guard, PASSWORD)
    assert status == 303

    streams: dict[int, list] = {}
    opened = []
    while len(streams) < 2 and len(opened) < 40:
        connection = Connection(port, dict(browser))
        response = connection.send("GET", "/kiosk/events", headers={"Accept": "text/event-stream"})
        assert response.status == 200, "the session made on one worker must hold on every worker"
        read_until_event(response, "subscribed")
        opened.append(connection)
        streams.setdefault(connection.worker, []).append(response)
    assert len(streams) == 2, "the kernel gave every connection to one worker"
    assert signed_in_by in streams

    api = Connection(port, {})
    resident = api.call(
        "POST",
        "/api/residents",
        body=b'{"name": "Ana Lima", "unit": "W-1"}',
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    assert resident[0] == 201, resident
    visit = {
        "residentId": json.loads(resident[1])["id"],
        "visitorName": "Maria Silva",
        "totalPeople": 1,
        "subject": "Guest",
        "arrivalDate": "2026-11-01T10:00:00Z",
    }
    status, created = api.call(
        "POST",
        "/api/visits",
        body=json.dumps(visit).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    assert status == 201, created
    visit_id = json.loads(created)["id"]
    checked_in_by = api.worker
    other = next(pid for pid in streams if pid != checked_in_by)

    for pid, responses in streams.items():
        for response in responses:
            assert visit_id in read_until_event(response, visit_id), pid
    assert streams[other], "a kiosk on the other worker heard the check-in"
    for connection in [*opened, api]:
        connection.close()


def test_sign_in_limits_hold_across_workers(two_workers):
    port = two_workers
    guard, _ = accounts()
    failures = [sign_in_attempt(port, {}, guard, "wrong-password!") for _ in range(5)]
    assert {status for status, _ in failures} == {401}

    refused_by: set[int] = set()
    attempts = 0
    while len(refused_by) < 2 and attempts < 40:
        status, pid = sign_in_attempt(port, {}, guard, PASSWORD)  # even the right password now waits
        assert status == 429
        refused_by.add(pid)
        attempts += 1
    assert len(refused_by) == 2, "both workers refuse: the five failures are counted in Redis, not per worker"


def test_parallel_wrong_passwords_over_two_workers_get_exactly_five_checks(two_workers):
    """The count is checked and raised in one step in Redis; before, 20 parallel guesses got 7 to 9 checks."""
    port = two_workers
    guard, _ = accounts()
    with ThreadPoolExecutor(20) as pool:
        results = list(pool.map(lambda _: sign_in_attempt(port, {}, guard, "wrong-password!"), range(20)))
    statuses = sorted(status for status, _ in results)
    assert statuses == [401] * 5 + [429] * 15
    assert len({pid for _, pid in results}) == 2
    assert sign_in_attempt(port, {}, guard, PASSWORD)[0] == 429
