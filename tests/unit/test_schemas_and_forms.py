"""Every feature's input Structs document their limits, and forms are read into them one way."""

from __future__ import annotations

import pkgutil
from importlib import import_module
from uuid import UUID

import msgspec
import pytest

import app.domain
from app.domain.accounts import forms as account_forms
from app.domain.bans import forms as ban_forms
from app.domain.expected import forms as expected_forms
from app.domain.records import forms as erasure_forms
from app.domain.residents import forms as resident_forms
from app.domain.visits import forms as visit_forms
from app.lib.errors import Invalid
from app.web.forms import Form

SCHEMA_MODULES = [
    import_module(info.name)
    for info in pkgutil.walk_packages(app.domain.__path__, "app.domain.")
    if info.name.rsplit(".", 1)[1] == "schemas" or info.name.endswith("_schemas")
]
INPUTS = [
    value
    for module in SCHEMA_MODULES
    for name, value in vars(module).items()
    if name.endswith("Input") and isinstance(value, type) and issubclass(value, msgspec.Struct)
]
RESIDENT = "8f3f537e-668c-43bb-b9f7-9984300f7ed0"


def test_each_feature_has_its_schemas_module_with_its_inputs():
    features = {module.__name__.split(".")[2] for module in SCHEMA_MODULES if module.__name__.endswith(".schemas")}
    assert {"visits", "residents", "accounts", "bans", "expected"} <= features
    assert {struct.__name__ for struct in INPUTS} >= {
        "VisitInput",
        "CheckInInput",
        "ResidentInput",
        "AccountInput",
        "TokenInput",
        "BanInput",
        "ExpectedInput",
        "ErasureInput",
    }


@pytest.mark.parametrize("struct", INPUTS, ids=lambda struct: struct.__name__)
def test_every_text_input_documents_its_length_limit(struct):
    schema = msgspec.json.schema(struct)["$defs"][struct.__name__]
    for field, spec in schema["properties"].items():
        types = {spec.get("type")} | {option.get("type") for option in spec.get("anyOf", [])}
        if "string" in types and spec.get("format") != "uuid" and "uuid" not in str(spec.get("anyOf")):
            extra = spec.get("extra", {}) | next((o["extra"] for o in spec.get("anyOf", []) if "extra" in o), {})
            # a length, an anchored pattern (a date) or a list of choices bounds what is accepted
            limit = spec.get("maxLength") or extra.get("max_length") or extra.get("enum")
            limit = limit or str(extra.get("pattern", "")).startswith("^")
            # "" or null or a bounded string, documented as alternatives
            limit = limit or any(str(o.get("pattern", "")).startswith("^") for o in extra.get("any_of", []))
            assert limit, f"{struct.__name__}.{field} documents no length limit"
            assert spec.get("description"), f"{struct.__name__}.{field} has no description"


def test_a_form_notes_every_conversion_problem_under_the_api_field_names():
    form = Form({"residentId": "not-an-id", "totalPeople": "two"})
    assert form.uuid("residentId", when_wrong="choose from the list") is None
    assert form.whole_number("totalPeople", 1, "must be a number") == 1
    assert form.errors.errors == {"residentId": "choose from the list", "totalPeople": "must be a number"}
    with pytest.raises(Invalid):
        form.errors.raise_if_any()
    assert Form({"residentId": f" {RESIDENT} "}).uuid("residentId") == UUID(RESIDENT)
    assert Form({}).optional("note") is None and Form({"note": ""}).optional("note") is None


def test_each_forms_module_builds_the_struct_the_api_takes():
    ban = ban_forms.ban_input(Form({"reason": "Rude", "licensePlate": "", "residentId": RESIDENT}))
    assert (ban.reason, ban.license_plate, ban.resident_id) == ("Rude", None, UUID(RESIDENT))
    resident = resident_forms.resident_input(Form({"name": "Ana", "unit": "B-1", "activeShown": "1"}))
    assert resident.active is False and resident.name == "Ana"
    assert resident_forms.resident_input(Form({"name": "Ana", "unit": "B-1"})).active is True
    guard = account_forms.account_input(Form({"email": "g@x.io", "role": "guard", "residentId": RESIDENT}))
    assert guard.resident_id is None and guard.password == ""
    weekly = expected_forms.expected_input(
        Form({"visitorName": "Cleaner", "startsOn": "2999-01-01", "kind": "weekly"}, {"weekdays": ["2", "4"]})
    )
    assert weekly.weekdays == [2, 4]
    with pytest.raises(Invalid) as no_days:
        expected_forms.expected_input(Form({"visitorName": "Cleaner", "kind": "weekly"}))
    assert "weekdays" in no_days.value.errors
    assert erasure_forms.erasure_input(Form({"name": "", "plate": "ABC"})).name is None
    check_in = visit_forms.check_in_input(
        Form({"residentId": RESIDENT, "visitorName": "A", "subject": "Guest", "overrideReason": "known"})
    )
    assert check_in.override_reason == "known" and check_in.total_people == 1
