"""The handover page: writing a note, reading it at the next shift, the window; the administrators' search."""

from __future__ import annotations

from app.db.tables import ShiftNote
from app.domain.entry_requests import service as entry_requests
from app.domain.entry_requests.schemas import AnswerInput, EntryRequestInput
from app.domain.records import audit
from app.domain.shift_log import service as shift_log
from app.domain.shift_log.schemas import ShiftNoteInput
from tests.pages import sign_in


async def test_a_note_for_the_next_shift_is_shown_and_marked_read_by_the_next_guard(kiosk, factory):
    client, token, _ = kiosk
    written = await client.post(
        "/kiosk/handover/notes",
        data={"_csrf_token": token, "text": "Lift B <out of order>", "category": "maintenance", "forNextShift": "on"},
    )
    assert written.status_code == 200 and "Note saved in the shift log." in written.text
    assert "Lift B &lt;out of order&gt;" in written.text and "not read yet" in written.text
    assert "for me" not in written.text, "the author's own note is not for them"
    mine = await client.post("/kiosk/handover/read", data={"_csrf_token": token, "hours": "48"})
    assert "Handover read: 0 notes marked." in mine.text and "not read yet" in mine.text

    next_guard = await factory.caller("guard")
    await client.post("/sign-out", data={"_csrf_token": token})
    _, token = await sign_in(client, next_guard.actor.email, next_url="/kiosk/handover")
    handover = await client.get("/kiosk/handover")
    assert "I have read the handover (1 note for me)" in handover.text
    read = await client.post("/kiosk/handover/read", data={"_csrf_token": token, "hours": "48"})
    assert "Handover read: 1 note marked." in read.text and f"read by {next_guard.actor.email}" in read.text


async def test_bad_notes_and_windows_are_shown_not_raised(kiosk):
    client, token, _ = kiosk
    blank = await client.post("/kiosk/handover/notes", data={"_csrf_token": token, "text": " ", "category": "x"})
    assert blank.status_code == 422 and 'id="text-error"' in blank.text and 'id="category-error"' in blank.text
    assert await ShiftNote.count() == 0
    wide = await client.get("/kiosk/handover?hours=9999")
    assert wide.status_code == 200 and 'id="hours-error"' in wide.text and "The last 48 hours" in wide.text
    narrow = await client.get("/kiosk/handover?hours=6")
    assert "The last 6 hours" in narrow.text


async def test_administrators_search_the_log(client, admin, guard):
    await shift_log.write_note(guard.actor, ShiftNoteInput(text="Water leak in the garage", category="incident"))
    await shift_log.write_note(guard.actor, ShiftNoteInput(text="Quiet night"))
    response, _ = await sign_in(client, admin.actor.email, next_url="/admin/shift-log")
    found = await client.get("/admin/shift-log?q=leak&category=incident")
    assert "Water leak in the garage" in found.text and "Quiet night" not in found.text
    bad = await client.get("/admin/shift-log?category=gossip", headers={"hx-request": "true"})
    assert "Category" in bad.text and "must be one of" in bad.text


async def test_htmx_refetches_the_live_part_with_the_notes_and_the_button_but_not_the_note_form(kiosk, factory):
    client, _, _ = kiosk
    other = await factory.caller("guard")
    await shift_log.write_note(other.actor, ShiftNoteInput(text="Spare keys in drawer 2", for_next_shift=True))
    live = await client.get("/kiosk/handover?hours=12", headers={"hx-request": "true"})
    assert live.status_code == 200 and "HX-Request" in live.headers["vary"]
    assert '<div id="shift-notes-list" hx-swap-oob="true">' in live.text and "Spare keys in drawer 2" in live.text
    assert 'id="mark-read-form" hx-swap-oob="true"' in live.text and "(1 note for me)" in live.text
    assert 'id="inside-title"' in live.text and 'id="handover-parcels-title"' in live.text
    assert "<html" not in live.text and 'name="text"' not in live.text
    full = await client.get("/kiosk/handover?hours=12")
    assert 'hx-get="/kiosk/handover?hours=12"' in full.text and "hx-swap-oob" not in full.text


async def test_the_handover_lists_the_overrides_and_the_refusals_of_its_window(kiosk, factory, guard):
    client, _, _ = kiosk
    empty = await client.get("/kiosk/handover")
    assert empty.text.count("None in this period.") == 2 and '<ul class="compact">\n' not in empty.text

    home = await factory.resident(name="Ana Lima", unit="B-302")
    member = await factory.caller("resident", home.id)
    visit = await factory.visit(home.id, visitor_name="Zoë <Ñúñez>")
    await audit.record(guard.actor, "visit.ban_overridden", "visit", visit.id, {"overrideReason": "Ana came <down>"})
    asked = await entry_requests.ask(
        guard.actor, EntryRequestInput(resident_id=home.id, visitor_name="Carlos & Filhos", subject="Delivery")
    )
    await entry_requests.answer(member.actor, asked.id, AnswerInput(decision="refuse", message="Not <today>"))

    page = await client.get("/kiosk/handover")
    assert "None in this period." not in page.text
    assert f"Zoë &lt;Ñúñez&gt; · {guard.actor.email}: “Ana came &lt;down&gt;”" in page.text
    assert "Carlos &amp; Filhos → Ana Lima (B-302): “Not &lt;today&gt;”" in page.text
