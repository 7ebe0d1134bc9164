"""Schemathesis against the app's own OpenAPI document: every operation, every check, a fixed seed.

The app runs in a real uvicorn process (as the browser tests do): an in-process ASGI client would run
it in another event loop, where PostgreSQL's pool cannot be used. Requests carry an admin's bearer
token, so every operation is reachable; the ignored_auth check sends them without it too.

Some rules no schema can state: a visit's resident must exist and be active, its times cannot be in
the future, departure follows arrival, and a cursor must be one the server issued. Cases that
Schemathesis generates as *valid* get real values there (an active resident's id, recent times, an
issued cursor), as its documentation advises for identifiers; every other part of them, and every
invalid case, is sent as generated, and every check runs on every response.
"""

from __future__ import annotations

import json
import os
import re
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, settings

from app.settings import PROJECT_ROOT
from tests.test_cli import gatehouse
from tests.web.browser import start_server, stop_server

CASES_PER_OPERATION = int(os.environ.get("FUZZ_CASES", "25"))
"""25 in every test run; `make fuzz` (run by .ci/run on both engines) sets 200."""
SEED = 20261128
generated: Counter[str] = Counter()


LOOPBACK_HOOK = "http://127.0.0.1:9/fuzz"
"""Every webhook the fuzzer registers: a closed port of this machine."""


@pytest.fixture(scope="module")
def fuzz_server(migrated):
    os.environ["WEBHOOKS_ALLOW_PRIVATE"] = "1"  # the server may register LOOPBACK_HOOK
    try:
        url, process = start_server()
    finally:
        os.environ.pop("WEBHOOKS_ALLOW_PRIVATE", None)
    yield url
    stop_server(process)


@pytest.fixture(scope="module")
def admin_token(fuzz_server) -> str:
    email = f"fuzz-{uuid.uuid4().hex[:8]}@example.com"
    created = gatehouse("user", "create", "--email", email, "--password", "fuzzing-password", "--role", "admin")
    assert created.returncode == 0, created.stderr
    issued = gatehouse("token", "create", "--email", email, "--name", "fuzz")
    assert issued.returncode == 0, issued.stderr
    return issued.stdout.strip().splitlines()[-1]


class RealData:
    """Values only the server can make valid, fetched (or made) through the API itself."""

    def __init__(self, url: str, token: str) -> None:
        self.url = url
        self.http = requests.Session()
        self.http.headers["Authorization"] = f"Bearer {token}"
        for n in range(2):
            resident = self._post("/api/residents", {"name": f"Fuzz Resident {n}", "unit": f"F-{n}"})
            for m in range(2):
                self._post(
                    "/api/visits",
                    realistic_visit(
                        {"visitorName": f"Fuzz Visitor {n}{m}", "totalPeople": 1, "subject": "Guest"}, resident["id"]
                    ),
                )
        self.cursors = {path: self._cursor(path) for path in ("/api/visits", "/api/residents")}

    def _post(self, path: str, body: dict) -> dict:
        response = self.http.post(self.url + path, json=body, timeout=30)
        assert response.status_code == 201, response.text
        return response.json()

    def _cursor(self, path: str) -> str:
        link = self.http.get(f"{self.url}{path}?limit=1", timeout=30).headers["Link"]
        return re.search(r"cursor=([A-Za-z0-9_-]+)", link).group(1)

    def pass_code(self) -> str:
        """A new pass for an active resident (the fuzzer deactivates residents as it goes), valid for a month."""
        month = realistic_announcement({"visitorName": "Fuzz Pass", "endsOn": "x"}, self.active_resident())
        return self._post("/api/expected-visits", month)["passCode"]

    def active_resident(self) -> str:
        """Checked at each use: the fuzzer itself deactivates and deletes residents as it goes."""
        found = self.http.get(f"{self.url}/api/residents?active=true&limit=1", timeout=30).json()
        if found:
            return found[0]["id"]
        return self._post("/api/residents", {"name": "Fuzz Resident", "unit": "F-9"})["id"]

    def make_valid(self, case) -> None:
        if isinstance(case.body, dict) and isinstance(case.body.get("url"), str) and "://" in case.body["url"]:
            case.body["url"] = LOOPBACK_HOOK  # whatever the case, nothing the sender posts leaves this machine
        if case.meta is None or not case.meta.generation.mode.is_positive:
            return
        if case.path == "/api/passes/{code}":
            case.path_parameters["code"] = self.pass_code()
        if isinstance(case.body, dict) and case.body.get("passCode") is not None:
            realistic_pass_check_in(case.body, self.pass_code())
        if isinstance(case.body, dict) and case.path.startswith("/api/do-not-admit"):
            case.body.update(name="Fuzz Banned", residentId=None, expiresAt=None)
        elif isinstance(case.body, dict) and "kind" in case.body:
            realistic_permission(case.body, self.active_resident())
        elif isinstance(case.body, dict) and "startsOn" in case.body:
            realistic_announcement(case.body, self.active_resident())
        elif (
            isinstance(case.body, dict)
            and case.path.startswith(("/api/entry-requests", "/api/parcels"))
            and "residentId" in case.body
        ):
            case.body["residentId"] = self.active_resident()
        elif isinstance(case.body, dict) and "residentId" in case.body and "visitorName" in case.body:
            realistic_visit(case.body, self.active_resident())
        elif isinstance(case.body, dict) and case.path.startswith("/api/gates") and "name" in case.body:
            case.body["name"] = f"Fuzz gate {uuid.uuid4().hex[:8]}"  # gates' names are unique
        if isinstance(case.body, dict) and case.body.get("gateId") is not None:
            case.body["gateId"] = self.active_gate()
        if case.query:
            if case.query.get("cursor"):
                case.query["cursor"] = self.cursors["/api/residents" if "residents" in case.path else "/api/visits"]
            for key, days in (("from", 30), ("to", 0)):
                if case.query.get(key):
                    case.query[key] = (datetime.now(UTC) - timedelta(days=days)).date().isoformat()

    def active_gate(self) -> str:
        """Checked at each use too: the fuzzer takes gates out of use (never the last one)."""
        return next(gate["id"] for gate in self.http.get(f"{self.url}/api/gates", timeout=30).json() if gate["active"])


def realistic_announcement(body: dict, resident_id: str) -> dict:
    """Today onwards, for an active resident; weekdays only with a last day, as the rules ask."""
    today = datetime.now(UTC).date()
    body["residentId"] = resident_id
    body["startsOn"] = today.isoformat()
    if body.get("endsOn") is not None or body.get("weekdays"):
        body["endsOn"] = (today + timedelta(days=30)).isoformat()
    return body


def realistic_permission(body: dict, resident_id: str) -> dict:
    """An announcement's period, and a name or plate with a letter in it where the kind needs one."""
    realistic_announcement(body, resident_id)
    if body.get("kind") == "person":
        body["visitorName"] = "Fuzz Friend"
    elif body.get("kind") == "plate":
        body["licensePlate"] = "FUZ-0001"
    return body


def realistic_pass_check_in(body: dict, code: str) -> dict:
    """The real pass, and the fields a pass leaves to its announcement left out where the rules need real ones."""
    for field in ("residentId", "expectedVisitId", "entryRequestId", "departureDate"):
        body.pop(field, None)
    body["passCode"] = code
    if body.get("arrivalDate") is not None:
        body["arrivalDate"] = (datetime.now(UTC).replace(microsecond=0) - timedelta(hours=2)).isoformat()
    return body


def realistic_visit(body: dict, resident_id: str) -> dict:
    now = datetime.now(UTC).replace(microsecond=0)
    body.pop("expectedVisitId", None)  # an announcement's id only the server can make (tests/api/test_expected.py)
    body.pop("entryRequestId", None)  # likewise a request's (tests/api/test_entry_requests.py)
    body["residentId"] = resident_id
    body["arrivalDate"] = (now - timedelta(hours=2)).isoformat()
    if body.get("departureDate") is not None:
        body["departureDate"] = (now - timedelta(hours=1)).isoformat()
    return body


@pytest.fixture(scope="module")
def real_data(fuzz_server, admin_token) -> RealData:
    return RealData(fuzz_server, admin_token)


@pytest.fixture(scope="module")
def api_schema(fuzz_server, admin_token):
    schema = schemathesis.openapi.from_url(f"{fuzz_server}/schema/openapi.json")
    schema.config.update(base_url=fuzz_server, headers={"Authorization": f"Bearer {admin_token}"})
    schema.config.generation.update(max_examples=CASES_PER_OPERATION)
    schema.config.seed = SEED
    return schema


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@pytest.mark.timeout(1800)  # every operation's cases in one test: minutes with FUZZ_CASES=200
@settings(
    max_examples=CASES_PER_OPERATION,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.function_scoped_fixture],
    database=None,
)
def test_every_operation_meets_its_schema(case, real_data):
    generated[case.operation.label] += 1
    real_data.make_valid(case)
    case.call_and_validate()


def test_each_operation_got_its_cases(api_schema):
    """Runs after the parametrized test: every operation in the document was exercised enough."""
    operations = {result.ok().label for result in api_schema.get_all_operations()}
    if not generated:
        pytest.skip("the fuzz test did not run in this session")
    report = PROJECT_ROOT / "test-artifacts" / "fuzz-cases.json"
    report.parent.mkdir(parents=True, exist_ok=True)
    report.write_text(json.dumps(dict(sorted(generated.items())), indent=2))
    assert set(generated) == operations
    # An operation without parameters or body (the health probes) has only a handful of distinct requests.
    with_inputs = {
        op.label
        for op in (r.ok() for r in api_schema.get_all_operations())
        if op.body or any(True for _ in op.iter_parameters())
    }
    assert min(generated[label] for label in with_inputs) >= CASES_PER_OPERATION, generated
