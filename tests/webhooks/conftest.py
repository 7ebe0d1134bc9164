from __future__ import annotations

from datetime import timedelta

import pytest

from app.domain.webhooks import sender
from tests.webhooks.receiver import Receiver


@pytest.fixture
def quick_retries(monkeypatch):
    """Loopback receivers allowed, and the sender's backoff in milliseconds instead of seconds to an hour."""
    monkeypatch.setenv("WEBHOOKS_ALLOW_PRIVATE", "1")
    monkeypatch.setattr(sender, "BACKOFF_FIRST", timedelta(milliseconds=20))
    monkeypatch.setattr(sender, "BACKOFF_MAX", timedelta(milliseconds=200))


@pytest.fixture
async def receiver(quick_retries):
    standin = Receiver()
    await standin.start()
    yield standin
    await standin.stop()


async def register(client, admin, url: str, events: list[str] | None = None) -> dict:
    answer = await client.post(
        "/api/webhooks",
        json={"url": url, "events": events or ["visit.checked_in", "visit.checked_out", "visit.updated"]},
        headers=admin.headers,
    )
    assert answer.status_code == 201, answer.text
    return answer.json()
