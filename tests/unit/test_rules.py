"""Pure rules: plate keys, instants in the site's zone, cursors, password hashing strength."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import uuid4
from zoneinfo import ZoneInfo

import pytest

from app.lib.clock import parse_instant
from app.lib.errors import Invalid
from app.lib.paging import decode_time_cursor, encode_cursor
from app.lib.text import clean_text, is_email, plate_key


@pytest.mark.parametrize(
    ("plate", "key"), [("abc-1d23", "ABC1D23"), ("ABC 1D23", "ABC1D23"), (" a.b-c ", "ABC"), ("", None), ("--", None)]
)
def test_plate_key_ignores_case_spaces_and_dashes(plate, key):
    assert plate_key(plate) == key


def test_clean_text_trims_and_collapses_spaces():
    assert clean_text("  Maria \t  Silva ") == "Maria Silva"
    assert clean_text(None) == ""


def test_naive_instant_is_in_the_site_zone_and_stored_utc():
    moment = parse_instant("2026-07-01T12:00:00", ZoneInfo("Europe/Lisbon"))
    assert moment == datetime(2026, 7, 1, 11, 0, tzinfo=UTC)


def test_offset_instant_keeps_its_offset_and_z_is_utc():
    tz = ZoneInfo("Asia/Tokyo")
    assert parse_instant("2026-07-01T12:00:00+02:00", tz) == datetime(2026, 7, 1, 10, 0, tzinfo=UTC)
    assert parse_instant("2026-07-01T12:00:00Z", tz) == datetime(2026, 7, 1, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize("text", ["", "tomorrow", "2026-13-01T00:00:00", "01/02/2026"])
def test_unparseable_instants_raise_a_message_fit_for_the_field(text):
    with pytest.raises(ValueError, match="ISO 8601"):
        parse_instant(text, ZoneInfo("UTC"))


def test_cursor_round_trips_and_rejects_forgeries():
    moment, row_id = datetime(2026, 1, 1, tzinfo=UTC), uuid4()
    assert decode_time_cursor(encode_cursor(moment.isoformat(), row_id)) == (moment, row_id)
    for forged in ("", "!!!", encode_cursor("not a time", row_id), encode_cursor("2026-01-01T00:00:00", row_id)):
        with pytest.raises(Invalid) as caught:
            decode_time_cursor(forged)
        assert set(caught.value.errors) == {"cursor"}


def test_far_off_dates_are_refused_not_crashed():
    with pytest.raises(ValueError, match="out of range"):
        parse_instant("0001-01-01T00:00:00+01:00", ZoneInfo("UTC"))
    with pytest.raises(ValueError, match="out of range"):
        parse_instant("9999-12-31T23:59:59-01:00", ZoneInfo("UTC"))


def test_end_of_day_is_the_next_local_midnight_even_across_a_dst_change():
    from app.lib.clock import end_of_day

    lisbon = ZoneInfo("Europe/Lisbon")  # clocks went back on 2026-10-25: that day had 25 hours
    assert end_of_day("2026-10-25", lisbon) == datetime(2026, 10, 26, 0, 0, tzinfo=UTC)
    assert end_of_day("2026-07-01", lisbon) == datetime(2026, 7, 1, 23, 0, tzinfo=UTC)


def test_control_characters_are_dropped_from_text():
    assert clean_text("A\x00nn\x07a") == "Anna"


def test_every_control_character_and_only_those_is_dropped():
    """clean_text drops Unicode's category Cc by a character range: the range must be that category."""
    import unicodedata

    for code in range(0x3000):
        char = chr(code)
        kept = clean_text(f"a{char}b")
        if unicodedata.category(char) == "Cc":
            assert kept in ("ab", "a b"), hex(code)  # a control character that is also white space is a space
        elif not char.isspace():
            assert kept == f"a{char}b", hex(code)


@pytest.mark.parametrize(
    ("since", "until", "field"),
    [
        (None, "9999-12-31T23:59:59.999999Z", "to"),
        (None, "9999-12-31", "to"),
        ("0001-01-01", None, "from"),
        ("0001-01-01T00:00:00+23:59", None, "from"),
    ],
)
def test_periods_at_the_calendar_edges_name_the_field_instead_of_overflowing(since, until, field):
    from app.lib.clock import period

    with pytest.raises(ValueError) as refused:
        period(since, until, ZoneInfo("Pacific/Kiritimati"))
    assert refused.value.args[0] == field
    assert "out of range" in refused.value.args[1]


@pytest.mark.parametrize(
    ("text", "taken"),
    [
        ("rosa@example.com", True),
        ("rosa.lima+gate@correio.example.com.br", True),
        ("rosa@example", False),
        ("rosa example.com", False),
        ("rosa@example.com\n", False),  # `$` alone would let a trailing newline through
        ("r" * 243 + "@example.com", False),  # longer than an address can be (254)
    ],
)
def test_an_email_address_is_one_at_a_dotted_domain_and_nothing_more(text, taken):
    assert is_email(text) is taken
