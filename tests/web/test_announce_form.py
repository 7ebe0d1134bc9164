"""The announcement form offers what the API takes: a cap on the pass's entries (passMaxUses), kept through
a change and named in a sentence when it is wrong."""

from __future__ import annotations

from app.db.tables import ExpectedVisit as Expected
from app.domain.expected import service as expected


def _announcement(token: str, **fields) -> dict:
    day = expected.today().isoformat()
    return {
        "_csrf_token": token,
        "visitorName": "Rui Lima",
        "totalPeople": "1",
        "kind": "day",
        "startsOn": day,
    } | fields


async def test_a_resident_caps_the_entries_of_a_pass_and_keeps_the_cap_when_changing_it(resident_a):
    client, token = resident_a
    form = (await client.get("/me/expected/new")).text
    assert 'name="passMaxUses"' in form and "Most entries (optional)" in form

    saved = await client.post("/me/expected/new", data=_announcement(token, kind="range", passMaxUses="3"))
    assert saved.status_code in (200, 303), saved.text
    row = await Expected.select(Expected.id, Expected.pass_max_uses).first()
    assert row["pass_max_uses"] == 3

    change = (await client.get(f"/me/expected/{row['id']}")).text
    assert 'name="passMaxUses" type="number" value="3"' in change
    await client.post(f"/me/expected/{row['id']}", data=_announcement(token, kind="range", visitorName="Rui Lima Jr"))
    assert (await Expected.select(Expected.pass_max_uses).first())["pass_max_uses"] is None  # emptied: no cap


async def test_a_wrong_cap_is_named_in_a_sentence_and_nothing_is_saved(resident_a):
    client, token = resident_a
    for typed in ("0", "many"):
        refused = await client.post("/me/expected/new", data=_announcement(token, passMaxUses=typed))
        assert refused.status_code == 422, refused.text
        assert "Most entries must be a whole number from 1 to 1000." in refused.text
    assert await Expected.count() == 0
