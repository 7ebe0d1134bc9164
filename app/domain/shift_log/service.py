"""The shift log: guards write notes during a shift; the incoming guard reads the handover and marks it read.

The handover gathers, over the last hours (48 by default), what a guard starting a shift must know: the
notes, who is still inside and who overstays, visitors let in despite the do-not-admit list, requests the
household refused, and the parcels waiting. Marking it read records who read the notes left for the next
shift, and when. Residents never see the log.
"""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID, uuid4

from app.db.engine import write_transaction
from app.db.tables import ShiftNote as NoteTable
from app.db.tables import Visit as VisitTable
from app.domain.entry_requests import service as entry_requests
from app.domain.kiosk import board
from app.domain.parcels import service as parcels
from app.domain.records import audit
from app.domain.shift_log.schemas import (
    CATEGORIES,
    HOURS_DEFAULT,
    HOURS_MAX,
    TEXT_MAX,
    Handover,
    Override,
    ShiftNote,
    ShiftNoteInput,
)
from app.lib import live, site
from app.lib import schemas as models
from app.lib.actors import Actor, require_staff
from app.lib.clock import in_zone, utc_now
from app.lib.errors import FieldErrors, Invalid, NotFound
from app.lib.i18n import _
from app.lib.paging import Keyset
from app.lib.text import clean_text, contains, like_fragment

PARCELS_SHOWN = 100
"""The handover lists this many parcels waiting, oldest first; the counts cover all of them."""


def _to_note(row: dict) -> ShiftNote:
    zone = site.site_timezone()
    return ShiftNote(
        id=row["id"],
        text=row["text"],
        category=row["category"],
        for_next_shift=bool(row["for_next_shift"]),
        created_at=in_zone(row["created_at"], zone),
        author=row["author_email"],
        read_at=in_zone(row["read_at"], zone),
        read_by=row["read_by_email"],
    )


def _for_reader(row: dict, actor: Actor) -> bool:
    """A note left for the next shift, not read yet, by someone else: the author's own note is not "for me"."""
    return bool(row["for_next_shift"]) and row["read_at"] is None and row["created_by"] != actor.account_id


def _by_others(actor: Actor) -> list:
    if actor.account_id is None:
        return []
    return [NoteTable.created_by.is_null() | (NoteTable.created_by != actor.account_id)]


def _staff_only(actor: Actor) -> None:
    require_staff(actor, "Only guards and administrators may use the shift log.")


async def write_note(actor: Actor, data: ShiftNoteInput) -> ShiftNote:
    _staff_only(actor)
    errors = FieldErrors()
    text = errors.required("text", data.text, TEXT_MAX)
    if data.category not in CATEGORIES:
        errors.add("category", _("must be one of: %(categories)s", categories=", ".join(CATEGORIES)))
    errors.raise_if_any()
    note_id = uuid4()
    async with write_transaction(NoteTable._meta.db):
        await NoteTable(
            id=note_id,
            text=text,
            category=data.category,
            for_next_shift=data.for_next_shift,
            created_at=utc_now(),
            created_by=actor.account_id,
            author_email=actor.email,
        ).save()
        note = await get_note(actor, note_id)
        written = {"category": note.category, "forNextShift": note.for_next_shift, "text": note.text}
        await audit.record(actor, "shift_note.written", "shift_note", note_id, written)
    live.note_changed("written", note_id)
    return note


async def get_note(actor: Actor, note_id: UUID) -> ShiftNote:
    _staff_only(actor)
    row = await NoteTable.select().where(NoteTable.id == note_id).first()
    if row is None:
        raise NotFound(_("No shift log note with this id."))
    return _to_note(row)


NEWEST_FIRST = Keyset(NoteTable.created_at, NoteTable.id, descending=True)


async def list_notes(
    actor: Actor,
    limit: int | None = None,
    cursor: str | None = None,
    q: str | None = None,
    category: str | None = None,
) -> models.Page:
    """Newest first; `q` finds words of the text or of the author's email, `category` one kind."""
    _staff_only(actor)
    query = NoteTable.select()
    if category:
        if category not in CATEGORIES:
            raise Invalid({"category": _("must be one of: %(categories)s", categories=", ".join(CATEGORIES))})
        query = query.where(NoteTable.category == category)
    term = like_fragment(clean_text(q))
    if term:
        query = query.where(contains(NoteTable.text, term) | contains(NoteTable.author_email, term))
    return await NEWEST_FIRST.fetch(query, limit, cursor, _to_note)


def hours_problem() -> str:
    return _("must be a whole number of hours from 1 to %(max)s", max=HOURS_MAX)


async def handover(actor: Actor, hours: int = HOURS_DEFAULT) -> Handover:
    """What the incoming guard reads: the last `hours` hours of the gate, in one view."""
    _staff_only(actor)
    if not 1 <= hours <= HOURS_MAX:
        raise Invalid({"hours": hours_problem()})
    since = utc_now() - timedelta(hours=hours)
    notes = (
        await NoteTable.select()
        .where(NoteTable.created_at >= since)
        .order_by(NoteTable.created_at, ascending=False)
        .limit(500)
    )
    waiting = await parcels.list_parcels(actor, PARCELS_SHOWN, waiting=True)
    return Handover(
        since=in_zone(since, site.site_timezone()),
        hours=hours,
        notes=[_to_note(row) for row in notes],
        unread=sum(1 for row in notes if _for_reader(row, actor)),
        board=await board.on_site(actor),
        overrides=await _overrides(actor, since),
        refused=await entry_requests.refused_since(actor, since),
        parcels=waiting.items,
        parcel_summary=await parcels.summary(actor),
    )


async def _overrides(actor: Actor, since) -> list[Override]:
    events = await audit.since(actor, "visit.ban_overridden", since)
    ids = [event.record_id for event in events if event.record_id]
    names = {}
    if ids:
        rows = await VisitTable.select(VisitTable.id, VisitTable.visitor_name).where(VisitTable.id.is_in(ids))
        names = {row["id"]: row["visitor_name"] for row in rows}
    return [
        Override(
            at=in_zone(event.at, site.site_timezone()),
            by=event.actor_email,
            visit_id=event.record_id,
            visitor_name=names.get(event.record_id, "—"),
            reason=str(event.changes.get("overrideReason") or ""),
        )
        for event in events
    ]


async def mark_read(actor: Actor, hours: int = HOURS_DEFAULT) -> int:
    """The incoming guard has read the handover: the notes others left for the next shift in its window are
    marked read by them, now (an author does not read their own note for the next shift). Returns how many
    notes that marked."""
    _staff_only(actor)
    if not 1 <= hours <= HOURS_MAX:
        raise Invalid({"hours": hours_problem()})
    since = utc_now() - timedelta(hours=hours)
    async with write_transaction(NoteTable._meta.db):
        marked = (
            await NoteTable.update({NoteTable.read_at: utc_now(), NoteTable.read_by_email: actor.email})
            .where(NoteTable.for_next_shift.eq(True), NoteTable.read_at.is_null(), NoteTable.created_at >= since)
            .where(*_by_others(actor))
            .returning(NoteTable.id)
        )
        await audit.record(actor, "handover.read", "shift_note", None, {"notes": len(marked), "hours": hours})
    if marked:
        live.note_changed("read")
    return len(marked)
