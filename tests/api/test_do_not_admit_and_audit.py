"""/api/do-not-admit with the rules and roles of its pages, and /api/audit for administrators, keyset paged."""

from __future__ import annotations


async def test_an_administrator_adds_changes_and_lifts_an_entry(client, admin, guard):
    added = await client.post(
        "/api/do-not-admit", json={"reason": "Threatened the staff", "licensePlate": "abc-1234"}, headers=admin.headers
    )
    assert added.status_code == 201, added.text
    ban = added.json()
    assert ban["licensePlate"] == "ABC-1234" and added.headers["location"] == f"/api/do-not-admit/{ban['id']}"
    listed = await client.get("/api/do-not-admit", headers=guard.headers)
    assert [entry["id"] for entry in listed.json()] == [ban["id"]]

    changed = await client.put(
        f"/api/do-not-admit/{ban['id']}",
        json={"reason": "Threatened the staff twice", "name": "Carlos Mau"},
        headers=admin.headers,
    )
    assert changed.status_code == 200 and changed.json()["name"] == "Carlos Mau"
    assert changed.json()["licensePlate"] is None

    refused = await client.post(f"/api/do-not-admit/{ban['id']}/lift", headers=guard.headers)
    assert refused.status_code == 403
    lifted = await client.post(f"/api/do-not-admit/{ban['id']}/lift", headers=admin.headers)
    assert lifted.status_code == 204
    assert (await client.get("/api/do-not-admit", headers=admin.headers)).json() == []
    assert (await client.get(f"/api/do-not-admit/{ban['id']}", headers=admin.headers)).status_code == 404


async def test_bad_entries_name_their_fields_and_residents_keep_to_their_unit(client, admin, homes):
    _, caller_a, home_b, caller_b = homes
    bad = await client.post("/api/do-not-admit", json={"reason": " ", "expiresAt": "2000-01-01"}, headers=admin.headers)
    assert bad.status_code == 400
    assert {"reason", "name", "expiresAt"} <= {error["field"] for error in bad.json()["errors"]}
    theirs = await client.post("/api/do-not-admit", json={"reason": "Noisy", "name": "Ex"}, headers=caller_b.headers)
    assert theirs.status_code == 201 and theirs.json()["residentId"] == str(home_b.id)
    ban_id = theirs.json()["id"]
    assert (await client.get(f"/api/do-not-admit/{ban_id}", headers=caller_a.headers)).status_code == 404
    assert (await client.post(f"/api/do-not-admit/{ban_id}/lift", headers=caller_a.headers)).status_code == 404
    assert (await client.get("/api/do-not-admit", headers=caller_a.headers)).json() == []


async def test_the_audit_trail_is_paged_and_filtered_for_administrators(client, admin, guard):
    for n in range(5):
        answer = await client.post(
            "/api/do-not-admit", json={"reason": "x", "name": f"Person {n}"}, headers=admin.headers
        )
        assert answer.status_code == 201
    assert (await client.get("/api/audit", headers=guard.headers)).status_code == 403
    first = await client.get("/api/audit", params={"action": "ban.added", "limit": 3}, headers=admin.headers)
    assert first.status_code == 200 and len(first.json()) == 3
    assert first.json()[0]["action"] == "ban.added" and first.json()[0]["recordType"] == "ban"
    following = first.links["next"]["url"]
    second = await client.get(following, headers=admin.headers)
    seen = [event["id"] for event in first.json() + second.json()]
    assert len(seen) == len(set(seen)) == 5
    bad = await client.get("/api/audit", params={"action": "no.such"}, headers=admin.headers)
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "action"
