"""`gatehouse serve` trusts X-Forwarded-* only from the proxies named in FORWARDED_ALLOW_IPS (none by default).

Run as a real server: what is tested is how uvicorn is started, which an in-process client never sees.
"""

from __future__ import annotations

import os
import subprocess
import sys

import httpx
import pytest

from app.db.tables import AuditEvent
from app.domain.accounts.sign_in import MAX_FAILURES
from app.settings import PROJECT_ROOT
from tests.pages import csrf_from
from tests.serving import free_port, wait_for_startup
from tests.web.browser import stop_server


@pytest.fixture
def serve(db):
    """Start `gatehouse serve` (this checkout's code) with extra environment; stopped after the test."""
    processes = []

    def start(**env: str) -> str:
        port = free_port()
        command = [sys.executable, "-m", "app.cli", "serve", "--host", "127.0.0.1", "--port", str(port)]
        environment = {key: value for key, value in os.environ.items() if key != "FORWARDED_ALLOW_IPS"} | env
        process = subprocess.Popen(  # noqa: S603 - fixed command
            command, cwd=PROJECT_ROOT, env=environment, stderr=subprocess.PIPE, text=True
        )
        processes.append(process)
        wait_for_startup(process)
        return f"http://127.0.0.1:{port}"

    yield start
    for process in processes:
        stop_server(process)


def _wrong_sign_ins(url: str, email: str, count: int) -> list[httpx.Response]:
    """Each attempt claims to come from another address, and over https."""
    responses = []
    with httpx.Client(base_url=url, timeout=30) as client:
        token = csrf_from(client.get("/sign-in").text)
        for n in range(count):
            headers = {"x-forwarded-for": f"203.0.113.{n + 1}", "x-forwarded-proto": "https"}
            form = {"email": email, "password": "wrong-password", "next": "", "_csrf_token": token}
            responses.append(client.post("/sign-in", data=form, headers=headers))
    return responses


async def test_by_default_a_client_cannot_pick_its_own_address_or_scheme(serve, guard):
    responses = _wrong_sign_ins(serve(), guard.actor.email, MAX_FAILURES + 1)
    assert [r.status_code for r in responses] == [401] * MAX_FAILURES + [429]
    assert all("strict-transport-security" not in r.headers for r in responses)
    addresses = await AuditEvent.select(AuditEvent.address).where(AuditEvent.action == "account.sign_in_failed")
    assert {row["address"] for row in addresses} == {"127.0.0.1"}


async def test_behind_a_configured_proxy_the_forwarded_address_and_scheme_count(serve, guard):
    responses = _wrong_sign_ins(serve(FORWARDED_ALLOW_IPS="127.0.0.1"), guard.actor.email, MAX_FAILURES + 1)
    assert [r.status_code for r in responses] == [401] * (MAX_FAILURES + 1)
    assert all(r.headers["strict-transport-security"].startswith("max-age=") for r in responses)
    addresses = await AuditEvent.select(AuditEvent.address).where(AuditEvent.action == "account.sign_in_failed")
    assert {row["address"] for row in addresses} == {f"203.0.113.{n + 1}" for n in range(MAX_FAILURES + 1)}


def test_forwarded_allow_ips_is_a_list_of_addresses_or_networks(monkeypatch):
    from app.settings import SettingsError, load_settings

    monkeypatch.delenv("FORWARDED_ALLOW_IPS", raising=False)
    assert load_settings().forwarded_allow_ips is None
    monkeypatch.setenv("FORWARDED_ALLOW_IPS", " 127.0.0.1 , 10.0.0.0/8,::1 ")
    assert load_settings().forwarded_allow_ips == "127.0.0.1,10.0.0.0/8,::1"
    monkeypatch.setenv("FORWARDED_ALLOW_IPS", "*")
    assert load_settings().forwarded_allow_ips == "*"
    for wrong in ("proxy.internal", "10.0.0.0/33", "127.0.0.1;10.0.0.1"):
        monkeypatch.setenv("FORWARDED_ALLOW_IPS", wrong)
        with pytest.raises(SettingsError, match="FORWARDED_ALLOW_IPS"):
            load_settings()


def test_serve_refuses_a_proxy_setting_it_cannot_use():
    environment = os.environ | {"FORWARDED_ALLOW_IPS": "proxy.internal"}
    result = subprocess.run(  # noqa: S603 - fixed command
        [sys.executable, "-m", "app.cli", "serve", "--port", "1"],
        cwd=PROJECT_ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1
    assert "FORWARDED_ALLOW_IPS: 'proxy.internal' is not an IP address or network" in result.stderr
