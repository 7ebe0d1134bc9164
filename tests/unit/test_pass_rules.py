"""The rules of a pass: which days it opens the gate on, how many times, and what the kiosk's field reads."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from app.domain.passes import rules

MONDAY = date(2026, 12, 7)


def row(starts_on=MONDAY, ends_on=MONDAY, uses=0, max_uses=None, used=False, revoked=False, cancelled=False):
    instant = datetime(2026, 12, 1, tzinfo=UTC)
    return {
        "starts_on": starts_on,
        "ends_on": ends_on,
        "pass_uses": uses,
        "pass_max_uses": max_uses,
        "used_at": instant if used else None,
        "pass_revoked_at": instant if revoked else None,
        "cancelled_at": instant if cancelled else None,
    }


def test_a_single_day_pass_lets_in_once_on_its_day():
    assert rules.refusal(row(), [], MONDAY) is None
    assert rules.refusal(row(used=True, uses=1), [], MONDAY) == "used_up"
    assert rules.refusal(row(), [], date(2026, 12, 8)) == "expired"
    assert rules.refusal(row(starts_on=date(2026, 12, 8), ends_on=date(2026, 12, 8)), [], MONDAY) == "not_today"


def test_a_range_lets_in_any_number_of_times_on_each_day_up_to_its_cap():
    week = row(ends_on=date(2026, 12, 13), uses=40)
    assert rules.refusal(week, [], MONDAY) is None
    assert rules.refusal(week, [], date(2026, 12, 13)) is None
    assert rules.refusal(row(ends_on=date(2026, 12, 13), uses=3, max_uses=3), [], MONDAY) == "used_up"
    assert rules.refusal(row(ends_on=date(2026, 12, 13), uses=2, max_uses=3), [], MONDAY) is None


def test_a_weekly_pass_opens_only_on_its_weekdays():
    weekly = row(ends_on=date(2027, 3, 31), uses=12)
    assert rules.refusal(weekly, [1, 3], MONDAY) is None
    assert rules.refusal(weekly, [2, 4], MONDAY) == "not_today"
    assert rules.in_force(weekly, [2, 4], MONDAY)


def test_revoked_and_cancelled_passes_are_refused_before_anything_else():
    assert rules.refusal(row(revoked=True), [], MONDAY) == "revoked"
    assert rules.refusal(row(cancelled=True, revoked=True), [], MONDAY) == "cancelled"
    assert not rules.in_force(row(revoked=True), [], MONDAY)
    assert not rules.in_force(row(), [], date(2026, 12, 8))


def test_every_reason_is_said_in_words():
    assert {rules.in_words(reason) for reason in rules.REASONS} == {
        "This pass was cancelled with its announcement.",
        "This pass was revoked.",
        "This pass is used up.",
        "This pass has expired.",
        "This pass is not valid today.",
    }


def test_codes_are_six_digits_and_tokens_unguessable():
    codes = {rules.new_code() for _ in range(200)}
    assert all(rules.is_code(code) for code in codes) and len(codes) > 150
    assert len(rules.new_token()) >= 32 and rules.new_token() != rules.new_token()
    assert not rules.is_code("12345") and not rules.is_code("１２３４５６") and not rules.is_code("12a456")


def test_codes_and_tokens_are_compared_whole():
    assert rules.same("123456", "123456")
    assert not rules.same("123456", "123457") and not rules.same("123456", "12345") and not rules.same(None, "")


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        (" 042424 ", ("code", "042424")),
        ("042 424", ("code", "042424")),  # as the pass page shows it
        ("042-424", ("code", "042424")),
        ("042 4244", None),
        (
            "https://gate.example.com/pass/abcdefghijklmnopqrstuvwxyz012345",
            ("token", "abcdefghijklmnopqrstuvwxyz012345"),
        ),
        (
            "https://gate.example.com/kiosk/leave/8f3f537e-668c-43bb-b9f7-9984300f7ed0",
            ("visit", "8f3f537e-668c-43bb-b9f7-9984300f7ed0"),
        ),
        ("Rosa", None),
        ("https://gate.example.com/pass/short", None),
    ],
)
def test_the_pass_field_reads_codes_pass_qr_codes_and_badges(typed, read):
    assert rules.read_scan(typed) == read
