"""The pass's pages: the public page, the resident's view with Share, and the kiosk's Pass field."""

from __future__ import annotations

import html
import re

from app.domain.expected import schemas as expected_schemas
from app.domain.expected import service as expected
from app.lib import formats
from app.lib.actors import SYSTEM


async def announce(resident_id, **extra):
    data = expected_schemas.ExpectedInput(
        visitor_name="Rosa Lima", starts_on=expected.today().isoformat(), resident_id=resident_id, **extra
    )
    return await expected.announce(SYSTEM, data)


def other_code(code: str) -> str:
    return "000000" if code != "000000" else "000001"


async def test_the_public_pass_page_needs_no_sign_in_and_shows_only_the_unit(client, homes):
    home_a, _, _, _ = homes
    item = await announce(home_a.id, total_people=2)
    token = item.pass_url.rsplit("/", 1)[1]
    response = await client.get(f"/pass/{token}")
    assert response.status_code == 200
    assert "noindex" in response.headers["x-robots-tag"]
    text = response.text
    assert "Rosa Lima" in text and "B-302" in text and "Ana Lima" not in text
    assert "<svg" in text and f"{item.pass_code[:3]}&#8201;{item.pass_code[3:]}" in text
    other_last = "x" if token[-1] != "x" else "y"  # a token that differs from this one in its last character
    assert (await client.get(f"/pass/{token[:-1]}{other_last}")).status_code == 404
    assert (await client.get("/pass/short")).status_code == 404


async def test_a_used_pass_page_says_so_and_shows_no_qr_code(client, homes, guard):
    home_a, _, _, _ = homes
    item = await announce(home_a.id)
    await client.post("/api/visits", json={"passCode": item.pass_code}, headers=guard.headers)
    response = await client.get(f"/pass/{item.pass_url.rsplit('/', 1)[1]}")
    assert response.status_code == 200 and "<svg" not in response.text
    assert f"Used on {formats.day(expected.today())}: this pass no longer opens the gate." in response.text
    assert "It is your key" not in response.text


async def test_the_resident_opens_shares_and_revokes_their_pass(resident_a, homes):
    client, token = resident_a
    home_a, _, home_b, _ = homes
    mine = await announce(home_a.id, ends_on=expected.today().isoformat())
    theirs = await announce(home_b.id)
    page = await client.get(f"/me/expected/{mine.id}/pass")
    assert page.status_code == 200 and "data-share-pass" in page.text and html.escape(mine.pass_url) in page.text
    assert (await client.get(f"/me/expected/{theirs.id}/pass")).status_code == 404
    revoked = await client.post(f"/me/expected/{mine.id}/revoke-pass", data={"_csrf_token": token})
    assert revoked.status_code == 200 and "this pass no longer opens the gate" in revoked.text
    assert "data-share-pass" not in revoked.text and "data-copy-pass" not in revoked.text
    assert (await expected.get_expected(SYSTEM, mine.id)).pass_revoked_at is not None


async def test_the_kiosk_pass_field_fills_the_check_in_form(kiosk, homes):
    client, _, headers = kiosk
    home_a, _, _, _ = homes
    item = await announce(home_a.id, license_plate="ABC1D23")
    response = await client.get(f"/kiosk/pass?pass={item.pass_code}", headers=headers)
    assert response.status_code == 200
    assert 'value="Rosa Lima"' in response.text and f'value="{item.id}"' in response.text
    assert re.search(r'<button type="submit"[^>]*autofocus', response.text)
    assert 'id="pass-form"' in response.text and "hx-swap-oob" in response.text
    by_qr = await client.get("/kiosk/pass", params={"pass": item.pass_url}, headers=headers)
    assert by_qr.status_code == 200 and 'value="Rosa Lima"' in by_qr.text


async def test_the_kiosk_says_in_words_why_a_pass_is_refused_and_waits_after_ten_wrong_codes(kiosk, homes, guard):
    client, _, headers = kiosk
    home_a, _, _, _ = homes
    item = await announce(home_a.id)
    unknown = await client.get(f"/kiosk/pass?pass={other_code(item.pass_code)}", headers=headers)
    assert unknown.status_code == 404 and "No pass has this code." in unknown.text
    await client.post("/api/visits", json={"passCode": item.pass_code}, headers=guard.headers)
    used = await client.get(f"/kiosk/pass?pass={item.pass_code}", headers=headers)
    assert used.status_code == 410 and "This pass is used up." in used.text
    for _ in range(9):
        await client.get(f"/kiosk/pass?pass={other_code(item.pass_code)}", headers=headers)
    waiting = await client.get(f"/kiosk/pass?pass={item.pass_code}", headers=headers)
    assert waiting.status_code == 429 and "Too many wrong pass codes" in waiting.text
    assert re.search(r'id="f-pass"[^>]*disabled', waiting.text)


async def test_a_badge_shows_the_unit_not_the_resident_and_its_qr_opens_the_check_out(kiosk, homes, guard):
    client, token, headers = kiosk
    home_a, _, _, _ = homes
    item = await announce(home_a.id, license_plate="ABC1D23", total_people=2)
    visit = (await client.post("/api/visits", json={"passCode": item.pass_code}, headers=guard.headers)).json()
    badge = await client.get(f"/kiosk/badges/{visit['id']}?size=4x3")
    assert badge.status_code == 200
    text = badge.text
    assert "Rosa Lima" in text and "B-302" in text and "ABC1D23" in text and "Ana Lima" not in text
    assert "badge-4x3" in text and "<svg" in text
    assert "badge-62mm" in (await client.get(f"/kiosk/badges/{visit['id']}?size=nonsense")).text
    scanned = await client.get(
        "/kiosk/pass", params={"pass": f"http://x.example/kiosk/leave/{visit['id']}"}, headers=headers
    )
    assert scanned.status_code == 200
    assert re.search(rf'formaction="/kiosk/visits/{visit["id"]}/check-out"[^>]*autofocus', scanned.text, re.S)
    left = await client.post(f"/kiosk/visits/{visit['id']}/check-out", data={"_csrf_token": token}, headers=headers)
    assert left.status_code == 200
    again = await client.get(f"/kiosk/leave/{visit['id']}", headers=headers)
    assert again.status_code == 409 and "Rosa Lima has already left." in again.text
    badge_url = f"http://x.example/kiosk/leave/{visit['id']}"
    scanned_again = await client.get("/kiosk/pass", params={"pass": badge_url}, headers=headers)
    assert scanned_again.status_code == 409 and "Rosa Lima has already left." in scanned_again.text
    assert f"/kiosk/visits/{visit['id']}/check-out" not in scanned_again.text


async def test_an_administrator_opens_and_revokes_a_households_pass(office, homes):
    client, token = office
    home_a, _, _, _ = homes
    item = await announce(home_a.id)
    page = await client.get(f"/admin/expected/{item.id}/pass")
    assert page.status_code == 200 and f'action="/admin/expected/{item.id}/revoke-pass"' in page.text
    revoked = await client.post(f"/admin/expected/{item.id}/revoke-pass", data={"_csrf_token": token})
    assert revoked.status_code == 200 and "Revoked on " in revoked.text and "revoke-pass" not in revoked.text
    listed = await client.get("/admin/expected")
    assert f"/admin/expected/{item.id}/pass" in listed.text and "Pass revoked" in listed.text


async def test_with_several_gates_a_pass_checks_in_by_the_gate_given_and_the_badge_names_it(kiosk, homes, guard):
    from app.domain.gates import schemas as gate_schemas
    from app.domain.gates import service as gates

    client, _, _ = kiosk
    home_a, _, _, _ = homes
    service_gate = await gates.create_gate(SYSTEM, gate_schemas.GateInput(name="Service gate"))
    item = await announce(home_a.id)
    body = {"passCode": item.pass_code, "gateId": str(service_gate.id)}
    visit = (await client.post("/api/visits", json=body, headers=guard.headers)).json()
    assert visit["arrivalGateId"] == str(service_gate.id)
    badge = await client.get(f"/kiosk/badges/{visit['id']}")
    assert "Service gate" in badge.text
