"""The resident's "Always let in" page: adding, errors beside the fields, revoking, households apart."""

from __future__ import annotations

import re
from datetime import timedelta

from app.domain.expected.service import today
from app.domain.permissions import schemas as permission_schemas
from app.domain.permissions import service as permissions
from app.lib.actors import SYSTEM
from tests.pages import sign_in

REVOKE = re.compile(r'action="/me/always/([0-9a-f-]{36})/revoke"')


async def test_a_resident_adds_and_revokes_from_their_page(resident_a, homes):
    client, token = resident_a
    home_a, caller_a, _, _ = homes
    me = await client.get("/me")
    assert 'href="/me/always"' in me.text  # reachable from the resident's pages
    page = await client.get("/me/always")
    assert page.status_code == 200 and "Nobody is let in without asking you." in page.text
    assert f'value="{today().isoformat()}"' in page.text  # the period starts today by default
    form = {"_csrf_token": token, "kind": "person", "visitorName": "Rita Souza", "licensePlate": "NOT-KEPT"}
    form |= {"startsOn": today().isoformat(), "endsOn": (today() + timedelta(days=10)).isoformat(), "note": "Nanny"}
    added = await client.post("/me/always", data=form, follow_redirects=False)
    assert added.status_code == 303 and added.headers["location"] == "/me/always?done=granted"
    listed = (await client.get("/me/always?done=granted")).text
    assert "Saved: the gate lets them in without asking you." in listed
    assert "Rita Souza" in listed and "Nanny" in listed and "NOT-KEPT" not in listed
    (granted,) = (await permissions.list_permissions(caller_a.actor)).items
    assert granted.kind == "person" and granted.ends_on == today() + timedelta(days=10)
    assert REVOKE.findall(listed) == [str(granted.id)]
    revoked = await client.post(f"/me/always/{granted.id}/revoke", data={"_csrf_token": token}, follow_redirects=False)
    assert revoked.headers["location"] == "/me/always?done=revoked"
    after = (await client.get("/me/always")).text
    assert "Rita Souza" not in after and "Nobody is let in without asking you." in after
    assert (await permissions.list_permissions(caller_a.actor)).items == []


async def test_errors_show_beside_the_fields_and_keep_what_was_typed(resident_a):
    client, token = resident_a
    form = {"_csrf_token": token, "kind": "plate", "licensePlate": "", "note": "Blue van <b>", "endsOn": "2020-01-01"}
    response = await client.post("/me/always", data=form)
    assert response.status_code == 422
    page = response.text
    assert "Check the highlighted fields: nothing was saved." in page
    assert 'id="licensePlate-error">Licence plate is required and cannot be blank.' in page
    assert 'id="endsOn-error">Until is before the first day.' in page
    assert 'value="plate" id="kind-plate" checked' in page  # the chosen kind stays chosen
    assert "Blue van &lt;b&gt;" in page  # kept, and escaped


async def test_another_households_permission_cannot_be_revoked_and_staff_are_refused(client, homes, guard):
    _, caller_a, home_b, _ = homes
    theirs = await permissions.grant(
        SYSTEM, permission_schemas.StandingPermissionInput(kind="deliveries", resident_id=home_b.id)
    )
    _, token = await sign_in(client, caller_a.actor.email, next_url="/me")
    page = await client.get("/me/always")
    assert str(theirs.id) not in page.text
    refused = await client.post(f"/me/always/{theirs.id}/revoke", data={"_csrf_token": token})
    assert refused.status_code == 404
    assert (await permissions.get_permission(SYSTEM, theirs.id)).id == theirs.id
    client.cookies.clear()
    await sign_in(client, guard.actor.email)
    assert (await client.get("/me/always")).status_code == 403


async def test_administrators_see_and_revoke_a_residents_permissions_on_their_page(office, homes):
    client, token = office
    home_a, _, home_b, _ = homes
    plate = await permissions.grant(
        SYSTEM,
        permission_schemas.StandingPermissionInput(kind="plate", license_plate="qrs-7788", resident_id=home_a.id),
    )
    await permissions.grant(
        SYSTEM, permission_schemas.StandingPermissionInput(kind="person", visitor_name="B Guest", resident_id=home_b.id)
    )
    page = (await client.get(f"/admin/residents/{home_a.id}")).text
    assert "QRS-7788" in page and "B Guest" not in page
    assert f'action="/admin/standing-permissions/{plate.id}/revoke"' in page
    revoked = await client.post(
        f"/admin/standing-permissions/{plate.id}/revoke", data={"_csrf_token": token}, follow_redirects=False
    )
    assert revoked.headers["location"] == f"/admin/residents/{home_a.id}?saved=revoked#always-title"
    after = (await client.get(f"/admin/residents/{home_a.id}?saved=revoked")).text
    assert "Revoked: the gate asks the resident again." in after and "QRS-7788" not in after
    assert "This resident lets nobody in without asking." in after
