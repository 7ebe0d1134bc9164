"""A field sent as the wrong kind of JSON value is named, with the kind it takes in plain words (never
msgspec's own "Expected `uuid`, got `int`")."""

from __future__ import annotations

from datetime import date, datetime, time
from types import SimpleNamespace
from uuid import UUID

import msgspec
import pytest
from litestar.exceptions import ValidationException

from app.api.body import _strictly
from app.api.problems import _field_error
from app.lib.i18n import speaking
from tests.factory import visit_body

UUID_EXAMPLE = "must be a UUID such as 8f3f537e-668c-43bb-b9f7-9984300f7ed0"


async def _errors(client, path, body, caller) -> tuple[dict, list]:
    response = await client.post(path, json=body, headers=caller.headers)
    assert response.status_code == 400, response.text
    problem = response.json()
    return problem, problem["errors"]


async def test_a_number_for_an_id_is_named_as_a_uuid(client, guard, resident):
    problem, errors = await _errors(client, "/api/visits", visit_body(resident.id, residentId=5), guard)
    assert errors == [{"field": "residentId", "message": UUID_EXAMPLE}]
    assert problem["detail"] == f"residentId: {UUID_EXAMPLE}"
    assert "Expected" not in str(problem)


async def test_numbers_text_and_lists_of_the_wrong_kind(client, guard, resident):
    body = visit_body(resident.id, totalPeople="2", visitorName=7, licensePlate=["ABC"])
    _, errors = await _errors(client, "/api/visits", body, guard)
    assert errors == [
        {"field": "visitorName", "message": "must be a string"},
        {"field": "totalPeople", "message": "must be a whole number"},
        {"field": "licensePlate", "message": "must be a string"},
    ]


async def test_true_or_false_and_a_list_and_its_choices(client, admin, resident):
    _, errors = await _errors(client, "/api/gates", {"name": "Side gate", "vehicles": "yes"}, admin)
    assert errors == [{"field": "vehicles", "message": "must be true or false"}]
    announcement = {"residentId": str(resident.id), "visitorName": "Rui", "startsOn": "2026-12-01"}
    _, errors = await _errors(client, "/api/expected-visits", announcement | {"weekdays": "monday"}, admin)
    assert errors == [{"field": "weekdays", "message": "must be a JSON array"}]
    _, errors = await _errors(client, "/api/expected-visits", announcement | {"weekdays": [1, 9]}, admin)
    assert errors == [{"field": "weekdays[1]", "message": "must be one of 1, 2, 3, 4, 5, 6, 7"}]


class _Moments(msgspec.Struct, rename="camel"):
    at: datetime | None = None
    day: date | None = None
    time_of_day: time | None = None
    ref: UUID | None = None


def _messages(body: dict) -> dict[str, str]:
    """What the API answers for a body of the test's own Struct (no API body has date or time types yet)."""
    with pytest.raises(ValidationException) as raised:
        _strictly(body, _Moments)
    request = SimpleNamespace(route_handler=SimpleNamespace(parsed_fn_signature=SimpleNamespace(parameters={})))
    errors = [_field_error(request, item) for item in raised.value.extra]
    return {error["field"]: error["message"] for error in errors}


def test_dates_and_times_of_the_wrong_kind_or_form():
    with speaking("en"):
        assert _messages({"at": 5, "day": True, "timeOfDay": 1.5, "ref": 12}) == {
            "at": "must be a date and time written as a string, such as 2026-11-28T14:30:00Z",
            "day": "must be a day written as a string, such as 2026-11-28",
            "timeOfDay": "must be a time of day written as a string, such as 14:30:00",
            "ref": UUID_EXAMPLE,
        }
        assert _messages({"at": "tomorrow", "ref": "abc"}) == {
            "at": "must be a date and time written as a string, such as 2026-11-28T14:30:00Z",
            "ref": UUID_EXAMPLE,
        }


def test_the_kinds_are_said_in_the_callers_language():
    with speaking("pt_BR"):
        messages = _messages({"at": 5, "ref": 12})
    assert all("Expected" not in message and "must" not in message for message in messages.values()), messages
