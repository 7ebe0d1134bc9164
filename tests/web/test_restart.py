"""A restart of the real server (SQLite, one process, no Redis) signs no guard out and forgets no failed sign-in:
sessions and sign-in counts are kept in files under DATA_DIR (app/lib/shared_state.py)."""

from __future__ import annotations

import os
from pathlib import Path

import httpx
import pytest

from app.domain.accounts.sign_in import MAX_FAILURES
from app.lib.shared_state import SESSIONS_STORE, STATE_DIR
from app.web.sessions import SESSION_COOKIE
from tests.pages import sign_in
from tests.web.browser import start_server, stop_server

pytestmark = pytest.mark.skipif(bool(os.environ.get("REDIS_URL")), reason="with Redis the sessions are kept there")


async def test_a_session_and_the_failed_sign_ins_outlive_a_restart(db, factory, guard):
    locked_out = await factory.caller("guard")
    url, process = start_server()
    try:
        async with httpx.AsyncClient(base_url=url, follow_redirects=True) as client:
            signed_in, _ = await sign_in(client, guard.actor.email)
            assert signed_in.status_code == 303 and signed_in.headers["location"] == "/kiosk"
            session = client.cookies[SESSION_COOKIE]
        async with httpx.AsyncClient(base_url=url, follow_redirects=True) as guesser:
            for _ in range(MAX_FAILURES):
                failed, _ = await sign_in(guesser, locked_out.actor.email, password="not-the-password")
                assert failed.status_code == 401
    finally:
        stop_server(process)
    assert list((Path(os.environ["DATA_DIR"]) / STATE_DIR / SESSIONS_STORE).iterdir())

    url, process = start_server()
    try:
        async with httpx.AsyncClient(base_url=url, cookies={SESSION_COOKIE: session}) as client:
            kiosk = await client.get("/kiosk")
            assert kiosk.status_code == 200 and 'action="/sign-out"' in kiosk.text
        async with httpx.AsyncClient(base_url=url, follow_redirects=True) as stranger:
            assert (await stranger.get("/kiosk", follow_redirects=False)).status_code == 303
            refused, _ = await sign_in(stranger, locked_out.actor.email)
            assert refused.status_code == 429
    finally:
        stop_server(process)
