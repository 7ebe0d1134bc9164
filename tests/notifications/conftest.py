from __future__ import annotations

import dataclasses

import pytest

from app.db.tables import Account
from app.domain.notifications import channels as channel_setup
from app.domain.notifications import service
from app.settings import SmtpServer, load_settings
from tests.notifications.standins import MailServer, PushService


@pytest.fixture
async def push_service():
    async with PushService() as standin:
        yield standin


@pytest.fixture
def local_endpoints(monkeypatch):
    """The stand-in listens on http://127.0.0.1, which the service refuses from browsers (see endpoint_problem)."""
    monkeypatch.setattr(service, "endpoint_problem", lambda endpoint: None)


@pytest.fixture
def mail_server():
    """An aiosmtpd server, and the site's channels pointed at it (SMTP_URL=smtp://127.0.0.1:<port>)."""
    with MailServer() as server:
        settings = dataclasses.replace(load_settings(), smtp=SmtpServer(host="127.0.0.1", port=server.port))
        channel_setup.configure(settings)
        yield server
    channel_setup.configure(load_settings())


@pytest.fixture
async def household(factory):
    """A household with two resident accounts, the second reading Portuguese: (resident, [caller, caller])."""
    home = await factory.resident(name="Ana Lima", unit="B-302")
    first = await factory.caller("resident", resident_id=home.id)
    second = await factory.caller("resident", resident_id=home.id)
    await Account.update({Account.language: "pt_BR"}).where(Account.id == second.actor.account_id)
    return home, [first, second]
