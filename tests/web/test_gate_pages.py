"""Several gates on the pages: the administrators' gate pages, the kiosk's gate kept on the device, and each
visit's gates on the board, the roll call, the history and the visit's page. One gate: nothing new shows."""

from __future__ import annotations

from app.db.tables import Visit
from app.domain.gates import schemas as gate_schemas
from app.domain.gates import service as gates
from app.domain.gates.pages import COOKIE
from app.lib.actors import SYSTEM
from tests.web.test_kiosk_pages import check_in_form


async def _two_gates() -> tuple[gate_schemas.Gate, gate_schemas.Gate]:
    main = (await gates.list_gates(SYSTEM))[0]
    side = await gates.create_gate(SYSTEM, gate_schemas.GateInput(name="Service gate", vehicles=False))
    return main, side


async def test_a_single_gate_installation_sees_nothing_new_at_the_kiosk(kiosk, factory, resident):
    client, _, headers = kiosk
    await factory.visit(resident.id, visitor_name="Walker")
    for url in ("/kiosk", "/kiosk/roll-call", "/kiosk/visits"):
        html = (await client.get(url)).text
        assert "kiosk-gate" not in html and "gate-name" not in html and "data-board-gate" not in html, url
    visit = (await client.get("/kiosk/visits")).text
    assert "Came in by" not in visit
    response = await client.post("/kiosk/visits", data=check_in_form(resident.id), headers=headers)
    assert response.status_code == 200
    (row,) = await Visit.select(Visit.arrival_gate_id).where(Visit.visitor_name == "Maria Silva")
    assert row["arrival_gate_id"] == (await gates.list_gates(SYSTEM))[0].id


async def test_a_kiosk_chooses_its_gate_once_and_records_it_on_check_in_and_check_out(kiosk, resident):
    client, token, headers = kiosk
    main, side = await _two_gates()
    home = (await client.get("/kiosk")).text
    assert "Choose this kiosk's gate" in home and 'class="kiosk-gate unset"' in home
    form = {"_csrf_token": token, "gateId": str(side.id), "back": "/kiosk/roll-call"}
    chosen = await client.post("/kiosk/gate", data=form, follow_redirects=False)
    assert chosen.status_code == 303 and chosen.headers["location"] == "/kiosk/roll-call"
    assert client.cookies.get(COOKIE) == str(side.id)
    home = (await client.get("/kiosk")).text
    assert "This kiosk's gate" in home and f'<option value="{side.id}" selected>Service gate</option>' in home

    await client.post("/kiosk/visits", data=check_in_form(resident.id), headers=headers)
    visit = (await Visit.select(Visit.id, Visit.arrival_gate_id).where(Visit.visitor_name == "Maria Silva"))[0]
    assert visit["arrival_gate_id"] == side.id
    board = (await client.get("/kiosk/board", headers={"hx-request": "true"})).text
    assert f'data-gate="{side.id}"' in board and '<span class="gate-name">Service gate</span>' in board

    client.cookies.set(COOKIE, str(main.id))  # the same guard at the other gate's kiosk
    left = await client.post(f"/kiosk/visits/{visit['id']}/check-out", data={}, headers=headers)
    assert left.status_code == 200
    (row,) = await Visit.select(Visit.departure_gate_id).where(Visit.id == visit["id"])
    assert row["departure_gate_id"] == main.id
    page = (await client.get(f"/kiosk/visits/{visit['id']}")).text
    assert "Came in by Service gate · left by Main gate" in page
    history = (await client.get("/kiosk/visits")).text
    assert (
        '<span class="gate-name">Service gate</span>' in history
        and '<span class="gate-name">Main gate</span>' in history
    )


async def test_the_board_filters_by_gate_and_the_roll_call_covers_every_gate(kiosk, factory, resident):
    client, _, _ = kiosk
    main, side = await _two_gates()
    await factory.visit(resident.id, visitor_name="By the main gate")
    await factory.visit(resident.id, visitor_name="By the service gate", gate_id=side.id)
    home = (await client.get("/kiosk")).text
    assert "data-board-gate" in home and f'<option value="{side.id}">Service gate</option>' in home
    roll_call = (await client.get("/kiosk/roll-call")).text
    assert "By the main gate" in roll_call and "By the service gate" in roll_call
    assert "<td>Service gate</td>" in roll_call and "<td>Main gate</td>" in roll_call


async def test_a_gate_taken_out_of_use_sends_the_kiosk_to_the_default_and_asks_again(kiosk, resident):
    client, token, headers = kiosk
    main, side = await _two_gates()
    await gates.create_gate(SYSTEM, gate_schemas.GateInput(name="Pedestrian gate"))
    client.cookies.set(COOKIE, str(side.id))
    await gates.update_gate(SYSTEM, side.id, gate_schemas.GateInput(name="Service gate", active=False))
    assert 'class="kiosk-gate unset"' in (await client.get("/kiosk")).text
    await client.post("/kiosk/visits", data=check_in_form(resident.id), headers=headers)
    (row,) = await Visit.select(Visit.arrival_gate_id).where(Visit.visitor_name == "Maria Silva")
    assert row["arrival_gate_id"] == main.id
    refused = await client.post("/kiosk/gate", data={"_csrf_token": token, "gateId": str(side.id)})
    assert refused.status_code == 400 and "no longer in use" in refused.text


async def test_administrators_add_rename_and_close_gates_on_their_pages(office):
    client, token = office
    page = await client.get("/admin/gates")
    assert page.status_code == 200 and "Main gate" in page.text
    blank = await client.post("/admin/gates", data={"_csrf_token": token, "name": " ", "vehicles": "on"})
    assert blank.status_code == 422 and 'id="name-error"' in blank.text
    form = {"_csrf_token": token, "name": "Side <b>gate</b>"}
    added = await client.post("/admin/gates", data=form, follow_redirects=False)
    assert added.status_code == 303 and added.headers["location"] == "/admin/gates?saved=added"
    listing = (await client.get("/admin/gates?saved=added")).text
    assert "Side &lt;b&gt;gate&lt;/b&gt;" in listing and "On foot only" in listing
    main = (await gates.list_gates(SYSTEM))[0]
    closed = await client.post(
        f"/admin/gates/{main.id}",
        data={"_csrf_token": token, "name": "Main gate", "activeShown": "1", "vehicles": "on"},
        follow_redirects=False,
    )
    assert closed.status_code == 303
    assert (await gates.list_gates(SYSTEM))[0].active is False
    side = (await gates.list_gates(SYSTEM))[1]
    last = await client.post(f"/admin/gates/{side.id}", data={"_csrf_token": token, "name": "Side", "activeShown": "1"})
    assert last.status_code == 422 and 'id="active-error"' in last.text and 'value="Side"' in last.text
    detail = (await client.get(f"/admin/gates/{side.id}")).text
    assert "Gate added" in detail and "The default gate" in detail
