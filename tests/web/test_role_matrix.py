"""Every page and endpoint, tried as anonymous, resident A, resident B, guard and administrator.

The records in the URLs belong to resident B, so resident A's column is also the IDOR check: another
resident's ids are 'not found' on the API, never 'forbidden'. The matrix must name every route the
app has: a new route without a row here fails the test.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import httpx
import msgspec
import pytest

from app.domain.bans import schemas as ban_schemas
from app.domain.bans import service as bans
from app.domain.entry_requests import service as entry_requests
from app.domain.entry_requests.schemas import EntryRequestInput
from app.domain.expected import schemas as expected_schemas
from app.domain.expected import service as expected
from app.domain.gates import service as gates
from app.domain.notifications import service as notifications
from app.domain.notifications.schemas import SubscriptionInput
from app.domain.parcels import service as parcels
from app.domain.parcels.schemas import ParcelInput
from app.domain.permissions import schemas as permission_schemas
from app.domain.permissions import service as permissions
from app.domain.shift_log import service as shift_log
from app.domain.shift_log.schemas import ShiftNoteInput
from app.domain.webhooks import service as webhooks
from app.domain.webhooks.schemas import WebhookInput
from app.lib.actors import SYSTEM
from app.main import create_app
from app.settings import load_settings
from tests.conftest import running
from tests.factory import visit_body
from tests.notifications.standins import PushKeys
from tests.pages import csrf_from, sign_in

ROLES = ("anon", "a", "b", "guard", "admin")
OK = "ok"  # allowed: any answer but sign-in, 401, 403, 404 or a server error
STREAM = "stream"  # allowed, but an event stream never ends: only the refusals are checked here


def by_role(anon, a, b, guard, admin) -> dict:
    return dict(zip(ROLES, (anon, a, b, guard, admin), strict=True))


def staff_page(ok=200):
    return by_role(303, 403, 403, ok, ok)


def admin_page(ok=200):
    return by_role(303, 403, 403, 403, ok)


def resident_page(ok=200):
    return by_role(303, ok, ok, 403, 403)


def everyone(ok=200, anon=None):
    return by_role(ok if anon is None else anon, ok, ok, ok, ok)


@dataclass
class Row:
    method: str
    template: str
    expected: dict
    path: str = ""
    body: str = "form"  # "form" (with the CSRF token) or "json:<name of a body>"
    data: dict = field(default_factory=dict)


MATRIX = [
    # public
    Row("GET", "/healthz", everyone()),
    Row("GET", "/readyz", everyone()),
    Row("GET", "/static/css/{file_path:path}", everyone(), "/static/css/gatehouse.css"),
    Row("GET", "/static/js/{file_path:path}", everyone(), "/static/js/kiosk.js"),
    Row("GET", "/static/vendor/{file_path:path}", everyone(), "/static/vendor/htmx/htmx.min.js"),
    Row("GET", "/static/icons/{file_path:path}", everyone(), "/static/icons/icon-192.png"),
    Row("GET", "/static/favicon.svg", everyone()),
    Row("GET", "/sw.js", everyone()),
    Row("GET", "/manifest.webmanifest", everyone()),
    Row("GET", "/schema", everyone(OK)),
    Row("GET", "/schema/{path:str}", everyone(404), "/schema/no-such-page"),  # the renderer's catch-all
    Row("GET", "/schema/openapi.json", everyone()),
    Row("GET", "/schema/oauth2-redirect.html", everyone(OK)),
    Row("GET", "/sign-in", everyone(303, anon=200)),
    Row("POST", "/sign-in", everyone(401), data={"email": "nobody@example.com", "password": "not-the-password"}),
    Row("GET", "/", everyone(303)),
    # every signed-in account
    Row("GET", "/me/password", everyone(200, anon=303)),
    Row("POST", "/me/password", everyone(422, anon=303)),
    # residents' own pages
    Row("GET", "/me", resident_page()),
    Row("GET", "/me/inside", resident_page()),
    Row("GET", "/me/export", resident_page()),
    Row("GET", "/me/events", resident_page(STREAM)),
    Row("GET", "/me/expected", resident_page()),
    Row("GET", "/me/expected/new", resident_page()),
    Row("POST", "/me/expected/new", resident_page(422)),
    Row("GET", "/me/expected/{expected_id:uuid}", by_role(303, 404, 200, 403, 403)),
    Row("POST", "/me/expected/{expected_id:uuid}", by_role(303, 404, 422, 403, 403)),
    Row("GET", "/me/expected/{expected_id:uuid}/pass", by_role(303, 404, 200, 403, 403)),
    Row("POST", "/me/expected/{expected_id:uuid}/revoke-pass", by_role(303, 404, 303, 403, 403)),  # B revokes its own
    Row("POST", "/me/expected/{expected_id:uuid}/email-pass", by_role(303, 404, 409, 403, 403)),  # no SMTP_URL
    Row("GET", "/pass/{token:str}", everyone(404), "/pass/made-up-token-of-twenty-chars"),
    Row("GET", "/me/always", resident_page()),
    Row("POST", "/me/always", resident_page(303)),  # an empty form grants deliveries for 30 days from today
    Row("GET", "/me/bans", resident_page()),
    Row("POST", "/me/bans", resident_page(422)),
    Row("POST", "/me/bans/{ban_id:uuid}/lift", by_role(303, 404, 404, 403, 403)),  # the community's entry
    Row("GET", "/me/requests/prompt", by_role(303, 303, 303, 403, 403)),  # a fragment: a browser goes to /me
    Row("GET", "/me/requests/{request_id:uuid}", by_role(303, 404, 200, 403, 403)),
    Row("POST", "/me/requests/{request_id:uuid}/answer", by_role(303, 404, 409, 403, 403)),  # no decision chosen
    # signed answer links: the token is the authority, whoever sends it; a made-up one is not found
    Row("GET", "/answer/{token:str}", everyone(404), "/answer/made-up.token"),
    Row("POST", "/answer/{token:str}", everyone(404), "/answer/made-up.token"),
    Row("GET", "/me/parcels", resident_page()),
    Row("GET", "/me/parcels/waiting", by_role(303, 303, 303, 403, 403)),  # a fragment: a browser goes to the page
    Row("POST", "/me/parcels/{parcel_id:uuid}/instructions", by_role(303, 404, 303, 403, 403)),  # B's parcel
    Row("GET", "/me/notifications", resident_page()),
    Row("GET", "/me/notifications/deliveries", resident_page()),
    Row("GET", "/me/notifications/devices", resident_page()),
    Row("POST", "/me/notifications/devices", resident_page(400)),  # a form is not a subscription
    Row("POST", "/me/notifications/devices/unsubscribe", resident_page(400)),
    Row("POST", "/me/notifications/devices/{device_id:uuid}/remove", by_role(303, 404, 303, 403, 403)),  # B's
    Row("POST", "/me/notifications/email", resident_page(303)),
    Row("POST", "/me/notifications/test", resident_page(303)),
    # the kiosk
    Row("GET", "/kiosk", staff_page()),
    Row("GET", "/kiosk/board", staff_page()),
    Row("GET", "/kiosk/residents", staff_page(), "/kiosk/residents?residentQuery=a"),
    Row("GET", "/kiosk/roll-call", staff_page()),
    Row("POST", "/kiosk/gate", staff_page(400)),  # no gate chosen
    Row("GET", "/kiosk/expected", staff_page()),
    Row("GET", "/kiosk/again/{visit_id:uuid}", staff_page()),
    Row("GET", "/kiosk/expected/{expected_id:uuid}", staff_page()),
    Row("GET", "/kiosk/pass", staff_page(404), "/kiosk/pass?pass=000000"),  # no pass has this code
    Row("GET", "/kiosk/badges/{visit_id:uuid}", staff_page()),
    Row("GET", "/kiosk/leave/{visit_id:uuid}", staff_page()),
    Row("GET", "/kiosk/checks", staff_page(), "/kiosk/checks?visitorName=Someone&licensePlate=abc"),
    Row("GET", "/kiosk/events", staff_page(STREAM)),
    Row("GET", "/kiosk/visits", staff_page()),
    Row("POST", "/kiosk/visits", staff_page(422)),
    Row("GET", "/kiosk/visits/export", staff_page()),
    Row("GET", "/kiosk/visits/{visit_id:uuid}", staff_page()),
    Row("POST", "/kiosk/visits/{visit_id:uuid}", staff_page(422)),
    Row("POST", "/kiosk/visits/{visit_id:uuid}/check-out", staff_page(OK)),
    Row("POST", "/kiosk/visits/{visit_id:uuid}/undo-check-out", staff_page(OK)),
    Row("GET", "/kiosk/requests", staff_page(303)),  # a fragment: a browser goes to /kiosk
    Row("POST", "/kiosk/requests", staff_page(422)),
    Row("POST", "/kiosk/requests/{request_id:uuid}/check-in", staff_page(409)),  # no answer yet
    Row("POST", "/kiosk/requests/{request_id:uuid}/call", staff_page(409)),  # no outcome chosen
    Row("POST", "/kiosk/requests/{request_id:uuid}/cancel", staff_page(OK)),  # the guard withdraws it, then 409
    Row("GET", "/kiosk/parcels", staff_page()),
    Row("POST", "/kiosk/parcels", staff_page(422)),
    Row("POST", "/kiosk/parcels/{parcel_id:uuid}/hand-over", staff_page(422)),  # nobody named as collecting
    Row("GET", "/kiosk/parcels/history", staff_page()),
    Row("GET", "/kiosk/handover", staff_page()),
    Row("GET", "/kiosk/handover/notes", staff_page()),
    Row("POST", "/kiosk/handover/notes", staff_page(422)),
    Row("POST", "/kiosk/handover/read", staff_page(303)),
    # administration
    Row("GET", "/admin", admin_page(303)),
    Row("GET", "/admin/residents", admin_page()),
    Row("GET", "/admin/residents/export", admin_page()),
    Row("GET", "/admin/residents/new", admin_page()),
    Row("POST", "/admin/residents/new", admin_page(422)),
    Row("GET", "/admin/residents/{resident_id:uuid}", admin_page()),
    Row("POST", "/admin/residents/{resident_id:uuid}", admin_page(422)),
    Row("POST", "/admin/residents/{resident_id:uuid}/delete", admin_page(409)),  # resident B has visits
    Row("GET", "/admin/residents/import", admin_page()),
    Row("POST", "/admin/residents/import", admin_page(422)),
    Row("GET", "/admin/accounts", admin_page()),
    Row("GET", "/admin/accounts/new", admin_page()),
    Row("POST", "/admin/accounts/new", admin_page(422)),
    Row("GET", "/admin/accounts/{account_id:uuid}", admin_page()),
    Row("POST", "/admin/accounts/{account_id:uuid}/reset-password", admin_page(303)),
    Row("POST", "/admin/accounts/{account_id:uuid}/active", admin_page(303)),
    Row("GET", "/admin/tokens", admin_page()),
    Row("POST", "/admin/tokens", admin_page(422)),
    Row("POST", "/admin/tokens/{token_id:uuid}/revoke", admin_page(303)),
    Row("GET", "/admin/audit", admin_page()),
    Row("GET", "/admin/reports", admin_page()),
    Row("GET", "/admin/audit/export", admin_page()),
    Row("GET", "/admin/deliveries", admin_page()),
    Row("GET", "/admin/shift-log", admin_page()),
    Row("GET", "/admin/erase", admin_page(), "/admin/erase?plate=NOPE-1"),
    Row("POST", "/admin/erase", admin_page(422)),
    Row("GET", "/admin/expected", admin_page()),
    Row("GET", "/admin/expected/new", admin_page()),
    Row("POST", "/admin/expected/new", admin_page(422)),
    Row("GET", "/admin/expected/{expected_id:uuid}", admin_page()),
    Row("POST", "/admin/expected/{expected_id:uuid}", admin_page(422)),
    Row("GET", "/admin/expected/{expected_id:uuid}/pass", admin_page()),
    Row("POST", "/admin/expected/{expected_id:uuid}/email-pass", admin_page(409)),  # no SMTP_URL
    Row("POST", "/admin/expected/{expected_id:uuid}/revoke-pass", admin_page(303)),
    Row("GET", "/admin/gates", admin_page()),
    Row("POST", "/admin/gates", admin_page(422)),  # no name
    Row("GET", "/admin/gates/{gate_id:uuid}", admin_page()),
    Row("POST", "/admin/gates/{gate_id:uuid}", admin_page(422)),
    # the API's do-not-admit list, before the page lifts the community's entry; a resident's own entries only
    Row("GET", "/api/do-not-admit", everyone(200, anon=401)),
    Row("GET", "/api/do-not-admit/{ban_id:uuid}", by_role(401, 404, 404, 200, 200)),
    Row("POST", "/api/do-not-admit", by_role(401, 201, 201, 403, 201), body="json:ban"),
    Row("PUT", "/api/do-not-admit/{ban_id:uuid}", by_role(401, 404, 404, 403, 200), body="json:ban"),
    Row("GET", "/admin/bans", admin_page()),
    Row("POST", "/admin/bans", admin_page(422)),
    Row("POST", "/admin/bans/{ban_id:uuid}/lift", admin_page(303)),
    Row("POST", "/api/do-not-admit/{ban_id:uuid}/lift", by_role(401, 404, 404, 403, 404), body="json:none"),  # lifted
    Row("GET", "/api/audit", by_role(401, 403, 403, 403, 200)),
    Row("GET", "/admin/webhooks", admin_page()),
    Row("POST", "/admin/webhooks", admin_page(422)),
    Row("GET", "/admin/webhooks/{webhook_id:uuid}", admin_page()),
    Row("POST", "/admin/webhooks/{webhook_id:uuid}/test", admin_page(303)),
    Row("POST", "/admin/webhooks/{webhook_id:uuid}/deliveries/{delivery_id:uuid}/redeliver", admin_page(303)),
    Row("POST", "/admin/webhooks/{webhook_id:uuid}/enable", admin_page(303)),
    # the API (bearer tokens); B's records
    Row("GET", "/api/visits", everyone(200, anon=401)),
    Row("GET", "/api/visits/export", everyone(200, anon=401)),
    Row("GET", "/api/reports/visits-per-day", by_role(401, 403, 403, 403, 200)),
    Row("GET", "/api/reports/arrivals-by-hour", by_role(401, 403, 403, 403, 200)),
    Row("POST", "/api/visits", by_role(401, 403, 403, 201, 201), body="json:visit"),
    Row("GET", "/api/visits/{visit_id:uuid}", by_role(401, 404, 200, 200, 200)),
    Row("PUT", "/api/visits/{visit_id:uuid}", by_role(401, 404, 403, 200, 200), body="json:visit"),
    Row("POST", "/api/visits/{visit_id:uuid}/checkout", by_role(401, 404, 403, 200, 409), body="json:none"),
    Row("GET", "/api/visits/resident/{resident_id:uuid}", by_role(401, 404, 200, 200, 200)),
    Row("GET", "/api/expected-visits", everyone(200, anon=401)),
    Row("POST", "/api/expected-visits", by_role(401, 400, 201, 403, 201), body="json:expected"),  # for B: A is refused
    Row("GET", "/api/expected-visits/{expected_id:uuid}", by_role(401, 404, 200, 200, 200)),
    Row("PUT", "/api/expected-visits/{expected_id:uuid}", by_role(401, 404, 200, 403, 200), body="json:expected"),
    Row(
        "POST",
        "/api/expected-visits/{expected_id:uuid}/revoke-pass",
        by_role(401, 404, 200, 403, 200),
        body="json:none",
    ),
    # no email is configured here: B and the administrator are told so (409), after the roles are checked
    Row(
        "POST",
        "/api/expected-visits/{expected_id:uuid}/email-pass",
        by_role(401, 404, 409, 403, 409),
        body="json:passEmail",
    ),
    Row("GET", "/api/passes/{code:str}", by_role(401, 403, 403, 404, 404), "/api/passes/000000"),  # no such code
    Row("GET", "/api/entry-requests", everyone(200, anon=401)),
    Row("POST", "/api/entry-requests", by_role(401, 403, 403, 201, 201), body="json:entry"),
    Row("GET", "/api/entry-requests/{request_id:uuid}", by_role(401, 404, 200, 200, 200)),
    # withdrawn at the kiosk above: B's answer comes too late; staff answer only by phone
    Row("POST", "/api/entry-requests/{request_id:uuid}/answer", by_role(401, 404, 409, 403, 403), body="json:answer"),
    Row("POST", "/api/entry-requests/{request_id:uuid}/cancel", by_role(401, 404, 403, 409, 409), body="json:none"),
    Row("GET", "/api/standing-permissions", everyone(200, anon=401)),
    Row("POST", "/api/standing-permissions", by_role(401, 400, 201, 403, 201), body="json:permission"),  # for B
    Row("GET", "/api/standing-permissions/{permission_id:uuid}", by_role(401, 404, 200, 200, 200)),
    Row("GET", "/api/parcels", everyone(200, anon=401)),
    Row("POST", "/api/parcels", by_role(401, 403, 403, 201, 201), body="json:parcel"),
    Row("GET", "/api/parcels/{parcel_id:uuid}", by_role(401, 404, 200, 200, 200)),
    Row("PUT", "/api/parcels/{parcel_id:uuid}/instructions", by_role(401, 404, 200, 403, 403), body="json:wish"),
    # the guard hands it over first; the administrator's try comes too late
    Row("POST", "/api/parcels/{parcel_id:uuid}/hand-over", by_role(401, 404, 403, 200, 409), body="json:collect"),
    Row("GET", "/api/shift-notes", by_role(401, 403, 403, 200, 200)),
    Row("POST", "/api/shift-notes", by_role(401, 403, 403, 201, 201), body="json:note"),
    Row("GET", "/api/shift-notes/{note_id:uuid}", by_role(401, 403, 403, 200, 200)),
    Row("GET", "/api/gates", by_role(401, 403, 403, 200, 200)),
    Row("POST", "/api/gates", by_role(401, 403, 403, 403, 201), body="json:gate"),
    Row("GET", "/api/gates/{gate_id:uuid}", by_role(401, 403, 403, 200, 200)),
    Row("PUT", "/api/gates/{gate_id:uuid}", by_role(401, 403, 403, 403, 200), body="json:gate"),
    Row("GET", "/api/residents", everyone(200, anon=401)),
    Row("POST", "/api/residents", by_role(401, 403, 403, 403, 201), body="json:resident"),
    Row("GET", "/api/residents/{resident_id:uuid}", by_role(401, 404, 200, 200, 200)),
    Row("PUT", "/api/residents/{resident_id:uuid}", by_role(401, 404, 403, 403, 200), body="json:resident"),
    Row("DELETE", "/api/residents/{resident_id:uuid}", by_role(401, 404, 403, 403, 409), body="json:none"),
    Row("DELETE", "/api/visits/{visit_id:uuid}", by_role(401, 404, 403, 403, 204), body="json:none"),
    Row("DELETE", "/api/parcels/{parcel_id:uuid}", by_role(401, 404, 403, 403, 204), body="json:none"),
    Row("GET", "/api/webhooks", by_role(401, 403, 403, 403, 200)),
    Row("POST", "/api/webhooks", by_role(401, 403, 403, 403, 201), body="json:webhook"),
    Row("GET", "/api/webhooks/{webhook_id:uuid}", by_role(401, 403, 403, 403, 200)),
    Row("GET", "/api/webhooks/{webhook_id:uuid}/deliveries", by_role(401, 403, 403, 403, 200)),
    Row("POST", "/api/webhooks/{webhook_id:uuid}/test", by_role(401, 403, 403, 403, 202), body="json:none"),
    Row(
        "POST",
        "/api/webhooks/{webhook_id:uuid}/deliveries/{delivery_id:uuid}/redeliver",
        by_role(401, 403, 403, 403, 202),
        body="json:none",
    ),
    Row("DELETE", "/api/webhooks/{webhook_id:uuid}", by_role(401, 403, 403, 403, 204), body="json:none"),
    Row("POST", "/admin/webhooks/{webhook_id:uuid}/delete", admin_page(404)),  # deleted just above
    # B cancels the announcement; from then on it is gone for everyone (guards' 403: tests/api/test_expected.py)
    Row("DELETE", "/api/expected-visits/{expected_id:uuid}", by_role(401, 404, 204, 404, 404), body="json:none"),
    Row("POST", "/me/expected/{expected_id:uuid}/cancel", by_role(303, 404, 404, 403, 403)),  # cancelled above
    Row("POST", "/admin/expected/{expected_id:uuid}/cancel", admin_page(404)),
    # B revokes the permission; from then on it is gone for everyone (guards' 403: test_standing_permissions.py)
    Row("DELETE", "/api/standing-permissions/{permission_id:uuid}", by_role(401, 404, 204, 404, 404), body="json:none"),
    Row("POST", "/me/always/{permission_id:uuid}/revoke", by_role(303, 404, 404, 403, 403)),  # revoked above
    Row("POST", "/admin/standing-permissions/{permission_id:uuid}/revoke", admin_page(404)),
    # anyone may choose a language, signed in (their account) or not (a cookie)
    Row("POST", "/language", everyone(303), data={"language": "es", "back": "/"}),
    # last: it ends each session
    Row("POST", "/sign-out", everyone(303)),
]


def test_the_matrix_names_every_route():
    app = create_app(load_settings())
    routes = {
        (method, route.path)
        for route in app.routes
        for method in getattr(route, "methods", ())
        if method not in ("HEAD", "OPTIONS")
    }
    assert routes == {(row.method, row.template) for row in MATRIX}


@dataclass
class Person:
    client: httpx.AsyncClient
    csrf: str
    bearer: dict


@pytest.fixture
async def people(factory, homes, guard, admin, monkeypatch):
    _, caller_a, home_b, caller_b = homes
    callers = {"a": caller_a, "b": caller_b, "guard": guard, "admin": admin}
    spare = await factory.caller("guard")  # the account and token the administrator pages act on
    from app.db.tables import ApiToken

    spare_token = await ApiToken.select(ApiToken.id).where(ApiToken.account == spare.actor.account_id).first()
    visit_b = await factory.visit(home_b.id, visitor_name="Visitor of B", departure_date=None)
    announced = await expected.announce(
        SYSTEM, expected_schemas.ExpectedInput(visitor_name="Cleaner", starts_on="2999-01-01", resident_id=home_b.id)
    )
    ban = await bans.add_ban(SYSTEM, ban_schemas.BanInput(reason="Threatened the staff", license_plate="ABC-1234"))
    asked = await entry_requests.ask(
        guard.actor, EntryRequestInput(resident_id=home_b.id, visitor_name="Walk-in for B", subject="Guest")
    )
    # Before B's phone subscribes: a push queued for it would show on the deliveries page in B's English.
    (parcel,) = await parcels.receive(SYSTEM, [ParcelInput(resident_id=home_b.id, carrier="Correios")])
    note = await shift_log.write_note(guard.actor, ShiftNoteInput(text="Quiet night", for_next_shift=True))
    phone = msgspec.convert(PushKeys().subscription("https://push.example.com/b"), SubscriptionInput)
    device = await notifications.subscribe(caller_b.actor, phone, "Phone")
    permission = await permissions.grant(
        SYSTEM, permission_schemas.StandingPermissionInput(kind="deliveries", resident_id=home_b.id)
    )
    monkeypatch.setenv("WEBHOOKS_ALLOW_PRIVATE", "1")  # a closed port on this machine: nothing leaves it
    hook = await webhooks.register(SYSTEM, WebhookInput(url="http://127.0.0.1:9/hooks", events=["visit.checked_in"]))
    ids = {
        "webhook_id": hook.id,
        "delivery_id": await webhooks.send_test(SYSTEM, hook.id),
        "visit_id": visit_b.id,
        "resident_id": home_b.id,
        "account_id": spare.actor.account_id,
        "token_id": spare_token["id"],
        "ban_id": ban.id,
        "expected_id": announced.id,
        "request_id": asked.id,
        "device_id": device.id,
        "permission_id": permission.id,
        "parcel_id": parcel.id,
        "note_id": note.id,
        "gate_id": await gates.ensure_default_gate(),
    }
    async with running(create_app(load_settings())) as app:
        transport = httpx.ASGITransport(app=app)
        people = {}
        for role in ROLES:
            client = httpx.AsyncClient(transport=transport, base_url="http://testserver.local")
            if role == "anon":
                csrf, bearer = csrf_from((await client.get("/sign-in")).text), {}
            else:
                caller = callers[role]
                response, csrf = await sign_in(client, caller.actor.email)
                assert response.status_code == 303
                bearer = caller.headers
            people[role] = Person(client, csrf, bearer)
        yield people, ids, home_b
        for person in people.values():
            await person.client.aclose()


def _url(row: Row, ids: dict) -> str:
    path = row.path or row.template
    for name, value in ids.items():
        path = path.replace(f"{{{name}:uuid}}", str(value))
    return path


async def _call(person: Person, row: Row, url: str, home_b) -> httpx.Response:
    if row.template.startswith("/api"):
        kind = row.body.removeprefix("json:")
        bodies = {
            "visit": visit_body(home_b.id),
            # Not the same home for both: the PUT's resident would refuse the POST's (one name per unit)
            "resident": {"name": "Bruno Costa", "unit": "C-101" if row.method == "PUT" else "C-102"},
            "expected": {"visitorName": "Cleaner", "startsOn": "2999-01-01", "residentId": str(home_b.id)},
            "entry": {"visitorName": "Walk-in", "subject": "Guest", "residentId": str(home_b.id)},
            "answer": {"decision": "approve"},
            "passEmail": {"email": "rosa@example.com"},
            "ban": {"reason": "Rude to the guard", "name": "Someone Else"},
            "webhook": {"url": "http://127.0.0.1:9/other", "events": ["visit.checked_out"]},
            "permission": {"kind": "plate", "licensePlate": "PRM-0001", "residentId": str(home_b.id)},
            "parcel": {"residentId": str(home_b.id), "carrier": "Correios"},
            "collect": {"collectedBy": "Bruno Costa"},
            "wish": {"authorisedPerson": "Carla Souza"},
            "note": {"text": "All quiet", "category": "handover"},
            # the POST adds a gate; the PUT renames the default one
            "gate": {"name": "Main gate" if row.method == "PUT" else "Service gate", "vehicles": True},
        }
        return await person.client.request(row.method, url, headers=person.bearer, json=bodies.get(kind))
    if row.method == "GET":
        return await person.client.get(url)
    data = {"_csrf_token": person.csrf, **row.data}
    return await person.client.request(row.method, url, data=data)


def _allowed(status: int, response: httpx.Response) -> bool:
    signed_out = status == 303 and response.headers.get("location", "").startswith("/sign-in")
    return status < 500 and status not in (401, 403, 404) and not signed_out


async def test_every_route_answers_each_role_as_the_rules_say(people):
    people, ids, home_b = people
    found = []
    for row in MATRIX:
        url = _url(row, ids)
        for role in ROLES:
            expected = row.expected[role]
            if expected == STREAM:
                continue
            response = await _call(people[role], row, url, home_b)
            status = response.status_code
            if expected == OK:
                if not _allowed(status, response):
                    found.append(f"{row.method} {url} as {role}: {status}, expected to be allowed")
            elif status != expected:
                found.append(f"{row.method} {url} as {role}: {status}, expected {expected}")
            elif (
                status == 303
                and expected == 303
                and role == "anon"
                and row.template not in ("/", "/sign-in", "/language")
            ):
                if not response.headers["location"].startswith("/sign-in"):
                    found.append(f"{row.method} {url} as anon: redirected to {response.headers['location']}")
    assert not found, "\n".join(found)
