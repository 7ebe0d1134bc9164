"""Email end to end: the sender hands the notice to an aiosmtpd server over SMTP; the test reads what arrived."""

from __future__ import annotations

from app.db.engine import write_transaction
from app.db.tables import Account, Delivery
from app.domain.notifications import sender, service
from app.domain.notifications.schemas import Notice, NoticeAction
from app.lib.i18n import _


def request_notice(account_id) -> Notice:
    return Notice(
        title=_("Test notification from Gatehouse"),
        body='Maria <script>alert("x")</script> & Co. is at the gate',
        url="/me/requests/7",
        actions=[
            NoticeAction(action="approve", title="Approve", url="/answers/tok-approve"),
            NoticeAction(action="refuse", title="Refuse", url="/answers/tok-refuse"),
        ],
    )


async def queue(resident_id) -> int:
    async with write_transaction(Delivery._meta.db):
        return await service.notify_household(resident_id, request_notice)


async def test_each_account_gets_an_email_in_its_language_with_absolute_links(household, mail_server):
    home, (first, second) = household

    assert await queue(home.id) == 2  # no push devices: one email each
    assert await sender.send_due() == 2

    received = {recipients[0]: message for recipients, message in mail_server.inbox.messages}
    assert sorted(received) == sorted([first.actor.email, second.actor.email])
    english, portuguese = received[first.actor.email], received[second.actor.email]
    assert english["Subject"] == "Test notification from Gatehouse"
    assert portuguese["Subject"] == "Notificação de teste do Gatehouse"
    assert portuguese["Content-Language"] == "pt-BR"
    assert english["From"].addresses[0].domain == "127.0.0.1"

    text = english.get_body(("plain",)).get_content()
    assert "Approve: http://127.0.0.1:8000/answers/tok-approve" in text
    assert "Refuse: http://127.0.0.1:8000/answers/tok-refuse" in text
    assert "Open Gatehouse: http://127.0.0.1:8000/me/requests/7" in text
    assert "http://127.0.0.1:8000/me/notifications" in text
    html = english.get_body(("html",)).get_content()
    assert '<a href="http://127.0.0.1:8000/answers/tok-approve">Approve</a>' in html
    assert "<script>" not in html
    assert "Maria &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; Co." in html
    assert '<html lang="en">' in html
    portuguese_text = portuguese.get_body(("plain",)).get_content()
    assert "Abrir o Gatehouse: http://127.0.0.1:8000/me/requests/7" in portuguese_text

    statuses = await Delivery.select(Delivery.status, Delivery.channel, Delivery.target)
    assert {(row["status"], row["channel"]) for row in statuses} == {("sent", "email")}


async def test_email_off_for_an_account_sends_it_none(household, mail_server):
    home, (first, second) = household
    await service.set_email_notices(second.actor, False)

    assert await queue(home.id) == 1
    await sender.send_due()

    assert [recipients for recipients, _message in mail_server.inbox.messages] == [[first.actor.email]]
    assert (await Account.select(Account.email_notices).where(Account.id == second.actor.account_id).first()) == {
        "email_notices": False
    }


async def test_no_smtp_url_queues_no_email(household):
    home, _callers = household
    assert await queue(home.id) == 0
    assert await Delivery.count() == 0


async def test_a_refused_recipient_fails_for_good(household, mail_server):
    home, (first, _second) = household

    async def refuse(server, session, envelope, address, rcpt_options):
        return "550 No such mailbox"

    mail_server.inbox.handle_RCPT = refuse
    await queue(home.id)
    await sender.send_due()

    rows = await Delivery.select(Delivery.status, Delivery.last_error)
    assert {row["status"] for row in rows} == {"failed"}
    assert all("550" in row["last_error"] for row in rows)
