"""Every audit action and field reaches people in plain words, on every page that shows the trail."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from html.parser import HTMLParser

import msgspec
import pytest

from app.domain.accounts import schemas as account_schemas
from app.domain.bans import schemas as ban_schemas
from app.domain.expected import schemas as expected_schemas
from app.domain.records import audit, audit_labels
from app.domain.residents import schemas as resident_schemas
from app.domain.visits import schemas as visit_schemas
from app.lib import formats
from app.lib.actors import SYSTEM
from tests.pages import sign_in

CAMEL_CASE = re.compile(r"\b[a-z]+[A-Z][A-Za-z]*\b")
SNAPSHOTTED = (
    visit_schemas.Visit,
    resident_schemas.Resident,
    account_schemas.Account,
    ban_schemas.Ban,
    expected_schemas.Expected,
)


class _VisibleText(HTMLParser):
    """The text a reader sees: no tags, attributes, scripts or styles."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs) -> None:
        self._hidden += tag in ("script", "style", "template")

    def handle_endtag(self, tag) -> None:
        self._hidden -= tag in ("script", "style", "template")

    def handle_data(self, data) -> None:
        if not self._hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _VisibleText()
    parser.feed(html)
    return " ".join(parser.parts)


def every_field() -> set[str]:
    """The fields audit entries can carry: the snapshotted records' own, the ad hoc ones, and one nobody labelled."""
    fields = {field.encode_name for struct in SNAPSHOTTED for field in msgspec.structs.fields(struct)}
    return fields | set(audit_labels.FIELDS) | {"someFieldAddedLater"}


def sample_changes(action: str) -> dict:
    values = {field: True for field in every_field()}
    values |= {
        "erased": ["visitorName", "licensePlate", "vehicleColor"],
        "createdAt": "2026-11-28T14:30:00+00:00",
        "active": False,
    }
    if action in audit_labels.PAIRED:
        return {field: [None, value] for field, value in values.items()}
    return values


def assert_plain_words(html: str) -> None:
    text = visible_text(html)
    for code in audit_labels.ACTIONS:
        assert code not in text, f"raw action code {code!r} shown"
    assert not CAMEL_CASE.findall(text), f"field names shown: {sorted(set(CAMEL_CASE.findall(text)))}"
    for raw in ("True", "False", "None", "['", "[None"):
        assert raw not in text, f"raw value {raw!r} shown"


async def test_audit_record_refuses_an_action_without_a_label(db):
    with pytest.raises(ValueError, match="no label"):
        await audit.record(SYSTEM, "visit.teleported", "visit", None)


async def test_every_action_and_field_is_shown_in_plain_words(client, factory, admin):
    resident = await factory.resident(name="Ana Lima", unit="B-302")
    visit = await factory.visit(resident.id, visitor_name="Maria Silva")
    account = await factory.caller("guard")
    records = {"visit": visit.id, "resident": resident.id, "account": account.actor.account_id}
    for action in audit_labels.ACTIONS:
        for record_type, record_id in records.items():
            await audit.record(SYSTEM, action, record_type, record_id, sample_changes(action))
    await sign_in(client, admin.actor.email, next_url="/admin/audit")

    pages = {f"/admin/audit?record={record_id}": len(audit_labels.ACTIONS) for record_id in records.values()} | {
        f"/kiosk/visits/{visit.id}": 0,
        f"/admin/residents/{resident.id}": 0,
        f"/admin/accounts/{account.actor.account_id}": 0,
    }
    for url, at_least in pages.items():
        page = await client.get(url)
        assert page.status_code == 200, url
        assert_plain_words(page.text)
        shown = visible_text(page.text)
        for label in set(audit_labels.ACTIONS.values()) if at_least else ():
            assert label in shown, f"{label!r} missing from {url}"
    trail = visible_text((await client.get(f"/admin/audit?record={visit.id}")).text)
    assert "Erased: visitor, licence plate, vehicle colour" in trail
    created = formats.day_and_time(datetime(2026, 11, 28, 14, 30, tzinfo=UTC))  # as the reader writes it
    assert "Active: No" in trail and f"Created at: {created}" in trail
    assert "Some field added later: Yes" in trail
    visit_page = visible_text((await client.get(f"/kiosk/visits/{visit.id}")).text)
    assert "Let in despite the do-not-admit list" in visit_page and "Left at: — → Yes" in visit_page
