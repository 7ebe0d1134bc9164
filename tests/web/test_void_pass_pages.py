"""A pass that no longer opens the gate says which state it is in, with its date, and offers nothing to share."""

from __future__ import annotations

from datetime import timedelta

from app.db.tables import ExpectedVisit
from app.domain.expected import schemas as expected_schemas
from app.domain.expected import service as expected
from app.domain.passes.pages import state_in_words
from app.domain.passes.schemas import PublicPass
from app.lib import formats
from app.lib.actors import SYSTEM
from tests.web.test_pass_pages import announce

SHARING = ("data-share-pass", "data-copy-pass", "email-pass", "revoke-pass", "It is your key")


def _token(item) -> str:
    return item.pass_url.rsplit("/", 1)[1]


async def test_a_pass_in_force_is_shared_and_is_the_visitors_key(resident_a, homes):
    client, _ = resident_a
    home_a, _, _, _ = homes
    item = await announce(home_a.id)
    page = (await client.get(f"/me/expected/{item.id}/pass")).text
    for offer in ("data-share-pass", "data-copy-pass", "revoke-pass", "It is your key"):  # email: no SMTP here
        assert offer in page, offer


async def test_a_used_pass_says_when_and_the_resident_gets_nothing_to_share(resident_a, homes, guard):
    client, _ = resident_a
    home_a, _, _, _ = homes
    item = await announce(home_a.id)
    used = await client.post("/api/visits", json={"passCode": item.pass_code}, headers=guard.headers)
    assert used.status_code == 201, used.text
    words = f"Used on {formats.day(expected.today())}: this pass no longer opens the gate."
    for url in (f"/pass/{_token(item)}", f"/me/expected/{item.id}/pass"):
        page = (await client.get(url)).text
        assert words in page, url
        for offer in SHARING:
            assert offer not in page, (url, offer)
    assert "announce the visitor again for a new pass" in (await client.get(f"/me/expected/{item.id}/pass")).text


async def test_an_expired_pass_names_its_last_day(resident_a, homes):
    client, _ = resident_a
    home_a, _, _, _ = homes
    item = await announce(home_a.id)
    last_day = expected.today() - timedelta(days=2)
    await ExpectedVisit.update({ExpectedVisit.starts_on: last_day, ExpectedVisit.ends_on: last_day}).where(
        ExpectedVisit.id == item.id
    )
    page = (await client.get(f"/me/expected/{item.id}/pass")).text
    assert f"Expired: its last day was {formats.day(last_day)}. This pass no longer opens the gate." in page
    for offer in SHARING:
        assert offer not in page, offer


async def test_a_revoked_pass_names_its_day_and_a_pass_for_a_later_day_is_still_shared(resident_a, homes):
    client, token = resident_a
    home_a, _, _, _ = homes
    item = await announce(home_a.id)
    await client.post(f"/me/expected/{item.id}/revoke-pass", data={"_csrf_token": token})
    page = (await client.get(f"/pass/{_token(item)}")).text
    assert f"Revoked on {formats.day(expected.today())}: this pass no longer opens the gate." in page
    later = await expected.announce(
        SYSTEM,
        expected_schemas.ExpectedInput(
            visitor_name="Rosa Lima",
            starts_on=(expected.today() + timedelta(days=3)).isoformat(),
            resident_id=home_a.id,
        ),
    )
    page = (await client.get(f"/me/expected/{later.id}/pass")).text
    assert "data-share-pass" in page and "no longer opens the gate" not in page


def test_a_pass_used_up_by_its_entries_says_how_many():
    used_up = PublicPass(
        code="123456",
        token="t" * 32,
        visitor_name="Rosa Lima",
        unit="B-302",
        when="",
        starts_on=expected.today(),
        ends_on=expected.today(),
        uses=3,
        max_uses=3,
        reason="used_up",
        community_name="",
        community_address="",
    )
    assert state_in_words(used_up) == "Used up: all 3 entries were made. This pass no longer opens the gate."
