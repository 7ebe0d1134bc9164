"""Parcels on the API: who may receive, see, hand over, instruct and delete; the rules of each."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from app.db.tables import AuditEvent, Delivery, Parcel
from app.domain.parcels import service as parcels
from app.domain.parcels.schemas import ParcelInput
from app.lib.actors import SYSTEM
from app.lib.clock import utc_now


def body(resident_id, **overrides) -> dict:
    return {"residentId": str(resident_id), "carrier": "Correios", "trackingNumber": "BR 123 456 789", **overrides}


async def test_a_guard_receives_a_parcel_and_the_household_is_told(client, homes, guard):
    home_a, resident_a, _, _ = homes
    response = await client.post(
        "/api/parcels", json=body(home_a.id, size="large", shelf="B2", note="Fragile"), headers=guard.headers
    )
    assert response.status_code == 201, response.text
    parcel = response.json()
    assert response.headers["location"] == f"/api/parcels/{parcel['id']}"
    assert parcel["residentUnit"] == "B-302" and parcel["size"] == "large" and parcel["shelf"] == "B2"
    assert parcel["waiting"] is True and parcel["overdue"] is False and parcel["receivedBy"] == guard.actor.email
    events = await AuditEvent.select().where(AuditEvent.record_id == parcel["id"])
    assert [event["action"] for event in events] == ["parcel.received"]
    mine = await client.get("/api/parcels", headers=resident_a.headers)
    assert [item["id"] for item in mine.json()] == [parcel["id"]]


async def test_a_parcel_records_the_gate_that_received_it(client, homes, guard, admin):
    home_a, _, _, _ = homes
    (default_gate,) = (await client.get("/api/gates", headers=guard.headers)).json()
    service = await client.post("/api/gates", json={"name": "Service gate"}, headers=admin.headers)
    service_gate = service.json()["id"]

    by_default = await client.post("/api/parcels", json=body(home_a.id), headers=guard.headers)
    at_service = await client.post("/api/parcels", json=body(home_a.id, gateId=service_gate), headers=guard.headers)
    assert by_default.json()["gateId"] == default_gate["id"]
    assert at_service.json()["gateId"] == service_gate
    events = await AuditEvent.select().where(AuditEvent.record_id == at_service.json()["id"])
    assert service_gate in events[0]["changes"]

    unknown = await client.post(
        "/api/parcels", json=body(home_a.id, gateId="00000000-0000-0000-0000-000000000000"), headers=guard.headers
    )
    assert unknown.status_code == 400 and unknown.json()["errors"][0]["field"] == "gateId"
    assert await Parcel.count() == 2


async def test_bad_parcels_name_every_field(client, homes, guard):
    home_a, _, _, _ = homes
    response = await client.post(
        "/api/parcels", json=body(home_a.id, carrier=" ", size="huge", shelf="x" * 41), headers=guard.headers
    )
    assert response.status_code == 400
    assert {error["field"] for error in response.json()["errors"]} == {"carrier", "size", "shelf"}
    unknown = await client.post(
        "/api/parcels", json=body("00000000-0000-0000-0000-000000000000"), headers=guard.headers
    )
    assert unknown.status_code == 400 and unknown.json()["errors"][0]["field"] == "residentId"
    assert await Parcel.count() == 0


async def test_residents_may_not_receive_and_see_only_their_own_household(client, homes, guard):
    home_a, resident_a, home_b, resident_b = homes
    assert (await client.post("/api/parcels", json=body(home_a.id), headers=resident_a.headers)).status_code == 403
    (theirs,) = await parcels.receive(SYSTEM, [ParcelInput(resident_id=home_b.id, carrier="DHL")])
    url = f"/api/parcels/{theirs.id}"
    assert (await client.get(url, headers=resident_a.headers)).status_code == 404
    assert (await client.get(url, headers=resident_b.headers)).status_code == 200
    assert (await client.get("/api/parcels", headers=resident_a.headers)).json() == []
    hand = await client.post(f"{url}/hand-over", json={"collectedBy": "Ana"}, headers=resident_a.headers)
    assert hand.status_code == 404
    own = await client.post(f"{url}/hand-over", json={"collectedBy": "Bruno"}, headers=resident_b.headers)
    assert own.status_code == 403
    assert len((await client.get("/api/parcels", headers=guard.headers)).json()) == 1


async def test_a_parcel_is_handed_over_once(client, homes, guard, admin):
    home_a, _, _, _ = homes
    (parcel,) = await parcels.receive(SYSTEM, [ParcelInput(resident_id=home_a.id, carrier="Amazon")])
    url = f"/api/parcels/{parcel.id}/hand-over"
    blank = await client.post(url, json={"collectedBy": "  "}, headers=guard.headers)
    assert blank.status_code == 400 and blank.json()["errors"][0]["field"] == "collectedBy"
    first = await client.post(url, json={"collectedBy": "Ana Lima"}, headers=guard.headers)
    assert first.status_code == 200, first.text
    assert first.json()["collectedBy"] == "Ana Lima" and first.json()["waiting"] is False
    again = await client.post(url, json={"collectedBy": "Someone Else"}, headers=admin.headers)
    assert again.status_code == 409 and "Ana Lima" in again.json()["detail"]
    assert (await client.get(f"/api/parcels/{parcel.id}", headers=guard.headers)).json()["collectedBy"] == "Ana Lima"


async def test_two_kiosks_handing_over_at_once_one_wins(homes, guard, admin):
    home_a, _, _, _ = homes
    (parcel,) = await parcels.receive(SYSTEM, [ParcelInput(resident_id=home_a.id, carrier="Amazon")])
    results = await asyncio.gather(
        parcels.hand_over(guard.actor, parcel.id, parcels.HandOverInput(collected_by="Ana")),
        parcels.hand_over(admin.actor, parcel.id, parcels.HandOverInput(collected_by="Bruno")),
        return_exceptions=True,
    )
    won = [result for result in results if not isinstance(result, Exception)]
    lost = [result for result in results if isinstance(result, parcels.Conflict)]
    assert len(won) == 1 and len(lost) == 1
    events = await AuditEvent.select().where(AuditEvent.action == "parcel.handed_over")
    assert len(events) == 1


async def test_the_household_authorises_someone_or_asks_for_the_door(client, homes, guard):
    home_a, resident_a, _, resident_b = homes
    (parcel,) = await parcels.receive(SYSTEM, [ParcelInput(resident_id=home_a.id, carrier="UPS")])
    url = f"/api/parcels/{parcel.id}/instructions"
    wish = {"authorisedPerson": "Carla Souza", "leftAtDoor": True}
    assert (await client.put(url, json=wish, headers=resident_b.headers)).status_code == 404
    assert (await client.put(url, json=wish, headers=guard.headers)).status_code == 403
    too_long = await client.put(url, json={"authorisedPerson": "x" * 121}, headers=resident_a.headers)
    assert too_long.status_code == 400 and too_long.json()["errors"][0]["field"] == "authorisedPerson"
    done = await client.put(url, json=wish, headers=resident_a.headers)
    assert done.status_code == 200 and done.json()["authorisedPerson"] == "Carla Souza"
    assert done.json()["leftAtDoor"] is True
    await parcels.hand_over(guard.actor, parcel.id, parcels.HandOverInput(collected_by="Carla Souza"))
    late = await client.put(url, json=wish, headers=resident_a.headers)
    assert late.status_code == 409


async def test_only_administrators_delete(client, homes, guard, admin):
    home_a, resident_a, _, _ = homes
    (parcel,) = await parcels.receive(SYSTEM, [ParcelInput(resident_id=home_a.id, carrier="UPS")])
    url = f"/api/parcels/{parcel.id}"
    assert (await client.delete(url, headers=resident_a.headers)).status_code == 403
    assert (await client.delete(url, headers=guard.headers)).status_code == 403
    assert (await client.delete(url, headers=admin.headers)).status_code == 204
    assert (await client.get(url, headers=admin.headers)).status_code == 404
    assert await AuditEvent.count().where(AuditEvent.action == "parcel.deleted") == 1


async def test_lists_page_search_and_filter(client, homes, guard):
    home_a, _, home_b, _ = homes
    for n in range(3):
        await parcels.receive(SYSTEM, [ParcelInput(resident_id=home_a.id, carrier="DHL", tracking_number=f"TRK-{n}")])
    (other,) = await parcels.receive(SYSTEM, [ParcelInput(resident_id=home_b.id, carrier="FedEx")])
    await parcels.hand_over(guard.actor, other.id, parcels.HandOverInput(collected_by="Bruno Costa"))
    first = await client.get("/api/parcels?limit=2&waiting=true", headers=guard.headers)
    assert len(first.json()) == 2 and 'rel="next"' in first.headers["link"]
    rest = await client.get(first.headers["link"].split(">")[0].lstrip("<"), headers=guard.headers)
    assert len(rest.json()) == 1 and "link" not in rest.headers
    by_tracking = await client.get("/api/parcels?q=trk 1", headers=guard.headers)
    assert [item["trackingNumber"] for item in by_tracking.json()] == ["TRK-1"]
    by_unit = await client.get("/api/parcels?q=C-101", headers=guard.headers)
    assert [item["id"] for item in by_unit.json()] == [str(other.id)]
    handed = await client.get("/api/parcels?waiting=false", headers=guard.headers)
    assert [item["collectedBy"] for item in handed.json()] == ["Bruno Costa"]
    bad = await client.get("/api/parcels?cursor=nope", headers=guard.headers)
    assert bad.status_code == 400


async def test_overdue_parcels_are_reminded_once(homes):
    home_a, resident_a, _, _ = homes
    (parcel,) = await parcels.receive(SYSTEM, [ParcelInput(resident_id=home_a.id, carrier="DHL")])
    await Parcel.update({Parcel.received_at: utc_now() - timedelta(days=4)}).where(Parcel.id == parcel.id)
    assert (await parcels.get_parcel(SYSTEM, parcel.id)).overdue is True
    queued = await Delivery.count()
    assert await parcels.send_reminders() == 1
    assert await parcels.send_reminders() == 0
    assert await AuditEvent.count().where(AuditEvent.action == "parcel.reminded") == 1
    assert await Delivery.count() >= queued


async def test_retention_and_erasure_clear_who_collected(homes, guard):
    from app.domain.records import retention

    home_a, _, _, _ = homes
    old, recent = await parcels.receive(
        SYSTEM,
        [
            ParcelInput(resident_id=home_a.id, carrier="DHL", tracking_number="OLD-1", note="Left with Zé"),
            ParcelInput(resident_id=home_a.id, carrier="DHL", tracking_number="NEW-1"),
        ],
    )
    await parcels.hand_over(guard.actor, old.id, parcels.HandOverInput(collected_by="Carla Souza"))
    await parcels.hand_over(guard.actor, recent.id, parcels.HandOverInput(collected_by="José Pereira"))
    await Parcel.update({Parcel.handed_over_at: utc_now() - timedelta(days=40)}).where(Parcel.id == old.id)
    assert (await retention.purge_preview(SYSTEM, 30)).parcels == 1
    assert (await retention.purge(SYSTEM, 30)).parcels == 1
    cleared = await parcels.get_parcel(SYSTEM, old.id)
    assert (cleared.collected_by, cleared.tracking_number, cleared.note, cleared.carrier) == (None, None, None, "DHL")
    trail = await AuditEvent.select(AuditEvent.changes).where(
        AuditEvent.record_id == old.id, AuditEvent.action == "parcel.handed_over"
    )
    assert "Carla" not in str(trail)
    assert (await retention.erasure_preview(SYSTEM, name="jose pereira")).parcels == 1
    assert (await retention.erase(SYSTEM, name="JOSE PEREIRA")).parcels == 1
    assert (await parcels.get_parcel(SYSTEM, recent.id)).collected_by is None


async def test_the_household_is_told_through_the_outbox(homes, guard):
    import msgspec

    from app.domain.notifications import service as notifications
    from app.domain.notifications.schemas import SubscriptionInput
    from tests.notifications.standins import PushKeys

    home_a, resident_a, _, resident_b = homes
    phone = msgspec.convert(PushKeys().subscription("https://push.example.com/a"), SubscriptionInput)
    await notifications.subscribe(resident_a.actor, phone, "Phone")
    await parcels.receive(
        guard.actor,
        [ParcelInput(resident_id=home_a.id, carrier="DHL"), ParcelInput(resident_id=home_a.id, carrier="UPS")],
    )
    rows = await Delivery.select(Delivery.account, Delivery.payload)
    assert [row["account"] for row in rows] == [resident_a.actor.account_id]  # one notice for both, not B's
    payload = rows[0]["payload"]
    assert "2 parcels are waiting for you at the gatehouse" in str(payload) and "/me/parcels" in str(payload)
