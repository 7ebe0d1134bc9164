"""Parcels on the pages: receiving several at once, the waiting list, hand-over, history, the household's page."""

from __future__ import annotations

from datetime import timedelta

from app.db.tables import Gate, Parcel
from app.domain.gates import service as gates
from app.domain.gates.pages import COOKIE
from app.domain.gates.schemas import GateInput
from app.domain.parcels import service as parcels
from app.domain.parcels.schemas import HandOverInput, ParcelInput
from app.lib.actors import SYSTEM
from app.lib.clock import utc_now
from tests.pages import sign_in


def receive_form(token, resident_id, **overrides) -> dict:
    return {
        "_csrf_token": token,
        "residentId": str(resident_id),
        "residentQuery": "Ana Lima · B-302",
        "carrier": "Correios",
        "trackingNumbers": "BR111\r\n\r\nBR222\r\nBR333\r\n",
        "count": "1",
        "size": "small",
        "shelf": "A1",
        "note": "",
    } | overrides


async def test_a_guard_receives_several_parcels_in_one_go(kiosk, resident):
    client, token, _ = kiosk
    response = await client.post("/kiosk/parcels", data=receive_form(token, resident.id))
    assert response.status_code == 200 and "3 parcels received." in response.text
    assert sorted(row["tracking_number"] for row in await Parcel.select(Parcel.tracking_number)) == [
        "BR111",
        "BR222",
        "BR333",
    ]
    assert "<strong>3</strong> parcels waiting" in response.text
    counted = await client.post("/kiosk/parcels", data=receive_form(token, resident.id, trackingNumbers="", count="2"))
    assert "2 parcels received." in counted.text and await Parcel.count() == 5


async def test_parcels_received_at_a_kiosk_record_its_gate(kiosk, resident):
    client, token, _ = kiosk
    service_gate = await gates.create_gate(SYSTEM, GateInput(name="Service gate"))
    client.cookies.set(COOKIE, str(service_gate.id))
    response = await client.post("/kiosk/parcels", data=receive_form(token, resident.id))
    assert response.status_code == 200
    assert {row["gate_id"] for row in await Parcel.select(Parcel.gate_id)} == {service_gate.id}
    assert await Gate.count() == 2


async def test_bad_receive_forms_keep_what_was_typed_and_save_nothing(kiosk, resident):
    client, token, _ = kiosk
    response = await client.post(
        "/kiosk/parcels",
        data=receive_form(token, "", residentQuery="Ana", carrier=" ", shelf="<b>shelf</b>" + "x" * 40),
    )
    assert response.status_code == 422
    html = response.text
    assert 'id="residentId-error"' in html and 'id="carrier-error"' not in html  # the form's problem comes first
    assert await Parcel.count() == 0
    second = await client.post("/kiosk/parcels", data=receive_form(token, resident.id, carrier=" ", shelf="x" * 41))
    assert second.status_code == 422
    assert 'id="carrier-error"' in second.text and 'id="shelf-error"' in second.text
    assert "BR111" in second.text and await Parcel.count() == 0


async def test_overdue_is_marked_and_the_list_is_oldest_first(kiosk, resident):
    client, _, _ = kiosk
    old, new = await parcels.receive(
        SYSTEM,
        [
            ParcelInput(resident_id=resident.id, carrier="Old Carrier"),
            ParcelInput(resident_id=resident.id, carrier="New Carrier"),
        ],
    )
    await Parcel.update({Parcel.received_at: utc_now() - timedelta(days=5)}).where(Parcel.id == old.id)
    html = (await client.get("/kiosk/parcels")).text
    assert html.index("Old Carrier") < html.index("New Carrier")
    assert "1 overdue" in html and 'class="card parcel overdue"' in html


async def test_hand_over_finds_by_unit_and_tracking_and_refuses_twice(kiosk, resident, factory):
    client, token, _ = kiosk
    other = await factory.resident(name="Bruno Costa", unit="C-101")
    (mine,) = await parcels.receive(
        SYSTEM, [ParcelInput(resident_id=resident.id, carrier="Loggi", tracking_number="XY 9")]
    )
    await parcels.receive(SYSTEM, [ParcelInput(resident_id=other.id, carrier="Jadlog")])
    found = (await client.get("/kiosk/parcels?q=b-302")).text
    assert "Loggi" in found and "Jadlog" not in found
    assert "Loggi" in (await client.get("/kiosk/parcels?q=xy9")).text
    url = f"/kiosk/parcels/{mine.id}/hand-over"
    done = await client.post(url, data={"_csrf_token": token, "collectedBy": "Ana Lima"})
    assert done.status_code == 200 and "Handed over to Ana Lima." in done.text
    again = await client.post(url, data={"_csrf_token": token, "collectedBy": "Someone"})
    assert again.status_code == 409
    history = (await client.get("/kiosk/parcels/history?q=ana")).text
    assert "Ana Lima" in history and "Loggi" in history


async def test_the_household_sees_its_parcels_and_leaves_instructions(client, homes):
    home_a, caller_a, home_b, _ = homes
    (mine,) = await parcels.receive(SYSTEM, [ParcelInput(resident_id=home_a.id, carrier="Amazon")])
    (theirs,) = await parcels.receive(SYSTEM, [ParcelInput(resident_id=home_b.id, carrier="Secret Carrier")])
    response, token = await sign_in(client, caller_a.actor.email, next_url="/me")
    home = await client.get("/me")
    assert "1 parcel is waiting for you at the gatehouse" in home.text and "Secret Carrier" not in home.text
    panel = await client.get("/me/parcels/waiting", headers={"hx-request": "true"})
    assert "Amazon" in panel.text and "<html" not in panel.text
    saved = await client.post(
        f"/me/parcels/{mine.id}/instructions",
        data={"_csrf_token": token, "authorisedPerson": "Carla Souza", "leftAtDoor": "on"},
    )
    assert saved.status_code == 200 and "Carla Souza" in saved.text
    stored = await parcels.get_parcel(SYSTEM, mine.id)
    assert stored.authorised_person == "Carla Souza" and stored.left_at_door is True
    refused = await client.post(f"/me/parcels/{theirs.id}/instructions", data={"_csrf_token": token})
    assert refused.status_code == 404


async def test_the_households_collected_parcels_show_their_tracking_numbers(client, homes):
    home_a, caller_a, _, _ = homes
    collected, waiting = await parcels.receive(
        SYSTEM,
        [
            ParcelInput(resident_id=home_a.id, carrier="Correios", tracking_number="BR123456789"),
            ParcelInput(resident_id=home_a.id, carrier="Amazon", tracking_number="AMZ-555"),
        ],
    )
    await parcels.hand_over(SYSTEM, collected.id, HandOverInput(collected_by="Carla Souza"))
    await sign_in(client, caller_a.actor.email, next_url="/me")
    page = (await client.get("/me/parcels")).text
    waiting_part, collected_part = page.split("<h2>Collected</h2>")
    assert "AMZ-555" in waiting_part and "BR123456789" not in waiting_part
    assert "Correios · BR123456789" in collected_part and "Collected by Carla Souza on" in collected_part
