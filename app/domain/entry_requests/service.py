"""Ask the resident: the guard asks about an unannounced visitor, every phone of the household hears it, the
first answer counts; without an answer in time the guard calls and records the outcome.

A request is pending until a resident of the household approves or refuses it, a guard records a call, or
the guard withdraws it (the visitor left). A pending request past its `expires_at` reads as expired; a guard
may still record a call on it. Checking a visitor in from a request copies its answer onto the visit
(`Approval`); a refused or unanswered request lets the visitor in only with a written reason, as the
do-not-admit list does.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from uuid import UUID, uuid4

from app.db.engine import write_transaction
from app.db.tables import Account as AccountTable
from app.db.tables import EntryRequest as RequestTable
from app.domain.entry_requests.schemas import (
    MESSAGE_MAX,
    NOTE_MAX,
    STATUSES,
    AnswerInput,
    Approval,
    EntryRequest,
    EntryRequestInput,
)
from app.domain.notifications import service as notifications
from app.domain.notifications.schemas import Notice, NoticeAction
from app.domain.records import audit
from app.domain.residents import service as residents
from app.domain.visits.rules import clean_visitor
from app.domain.webhooks import events as webhooks
from app.lib import live, signing, site
from app.lib import schemas as models
from app.lib.actors import RESIDENT, Actor, require_resident, require_staff
from app.lib.clock import in_zone, utc_now
from app.lib.errors import Conflict, FieldErrors, Invalid, NotFound
from app.lib.i18n import _, ngettext
from app.lib.paging import Keyset
from app.lib.text import name_key

OVERRIDE_REASON_MAX = 300
ANSWER_LINK = "entry-answer"
"""The purpose of the signed tokens in notification and email links (app.lib.signing)."""

_COLUMNS = (
    RequestTable.all_columns(),
    RequestTable.resident.name.as_alias("resident_name"),
    RequestTable.resident.unit.as_alias("resident_unit"),
    RequestTable.resident.phone.as_alias("resident_phone"),
    RequestTable.asked_by.email.as_alias("asked_by_email"),
)


def _status(row: dict, now: datetime) -> str:
    return "expired" if row["status"] == "pending" and row["expires_at"] <= now else row["status"]


def _to_request(row: dict, now: datetime | None = None) -> EntryRequest:
    tz = site.site_timezone()
    answered_at = row["answered_at"]
    return EntryRequest(
        id=row["id"],
        resident_id=row["resident"],
        resident_name=row["resident_name"],
        resident_unit=row["resident_unit"],
        resident_phone=row["resident_phone"],
        visitor_name=row["visitor_name"],
        total_people=row["total_people"],
        vehicle_color=row["vehicle_color"],
        license_plate=row["license_plate"],
        subject=row["subject"],
        note=row["note"],
        status=_status(row, now or utc_now()),
        asked_at=in_zone(row["asked_at"], tz),
        expires_at=in_zone(row["expires_at"], tz),
        asked_by=row["asked_by_email"],
        answered_by=row["answered_by_email"],
        answered_at=in_zone(answered_at, tz) if answered_at else None,
        via=row["via"],
        message=row["message"],
        visit_id=row["visit"],
    )


def _clean(data: EntryRequestInput) -> dict:
    errors = FieldErrors()
    name, subject, color, plate = clean_visitor(errors, data)
    note = errors.optional("note", data.note, NOTE_MAX)
    errors.raise_if_any()
    return {
        "resident": data.resident_id,
        "visitor_name": name,
        "name_key": name_key(name),
        "total_people": data.total_people,
        "vehicle_color": color,
        "license_plate": plate,
        "subject": subject,
        "note": note,
    }


def _scope(actor: Actor) -> list:
    return [RequestTable.resident == actor.resident_id] if actor.is_resident else []


async def _row(actor: Actor, request_id: UUID) -> dict:
    row = await RequestTable.select(*_COLUMNS).where(RequestTable.id == request_id, *_scope(actor)).first()
    if row is None:
        raise NotFound(_("No entry request with this id."))
    return row


async def _hidden_from_other_households(actor: Actor, request_id: UUID) -> None:
    """Another household's request is 'not found' before anyone is told what they may not do."""
    if actor.is_resident:
        await _row(actor, request_id)


async def get_request(actor: Actor, request_id: UUID) -> EntryRequest:
    """One request; another household's is 'not found'."""
    return _to_request(await _row(actor, request_id))


async def ask(actor: Actor, data: EntryRequestInput) -> EntryRequest:
    """Ask the visitor's resident whether they may come in; every account of the household hears it."""
    require_staff(actor, "Only guards and administrators may ask residents about visitors.")
    if site.entry_approval() == "off":
        raise Conflict(_("Asking residents is turned off at this site (ENTRY_APPROVAL=off)."))
    values = _clean(data)
    now = utc_now()
    request_id = uuid4()
    async with write_transaction(RequestTable._meta.db):
        await residents.require_resident_field(values["resident"], must_be_active=True)
        await RequestTable(
            id=request_id,
            asked_at=now,
            expires_at=now + site.approval_timeout(),
            asked_by=actor.account_id,
            status="pending",
            **values,
        ).save()
        request = await get_request(actor, request_id)
        await audit.record(actor, "entry.asked", "entry_request", request_id, _asked_snapshot(request))
        await webhooks.record("entry_request.asked", request)
        # In the same transaction: a crash after the commit still sends them (the outbox's sender).
        await notifications.notify_household(request.resident_id, lambda account_id: _notice(request, account_id))
    live.request_changed("asked", request_id, request.resident_id)
    notifications.wake_sender()
    return request


def _notice(request: EntryRequest, account_id: UUID) -> Notice:
    """What one member of the household is told (in their language): the visitor, and buttons that answer
    as them through signed links (a push's buttons POST them; an email's links open their page)."""
    vehicle = " ".join(part for part in (request.vehicle_color, request.license_plate) if part)
    facts = [
        ngettext("%(num)s person", "%(num)s people", request.total_people),
        vehicle,
        request.subject,
        _("“%(note)s”", note=request.note) if request.note else "",
    ]
    return Notice(
        title=_("%(visitor)s is at the gate", visitor=request.visitor_name),
        body=" · ".join(fact for fact in facts if fact),
        url=f"/me/requests/{request.id}",
        tag=f"entry-request-{request.id}",
        actions=[
            NoticeAction("approve", _("Let them in"), f"/answer/{answer_token(request, account_id, 'approve')}"),
            NoticeAction("refuse", _("Refuse"), f"/answer/{answer_token(request, account_id, 'refuse')}"),
        ],
        expires_at=request.expires_at,
    )


def _asked_snapshot(request: EntryRequest) -> dict:
    fields = ("residentId", "visitorName", "totalPeople", "vehicleColor", "licensePlate", "subject", "note")
    return {k: v for k, v in audit.snapshot(request).items() if k in fields and v is not None}


def _message(data: AnswerInput) -> str | None:
    errors = FieldErrors()
    message = errors.optional("message", data.message, MESSAGE_MAX)
    errors.raise_if_any()
    return message


def _closed_problem(request: EntryRequest) -> str:
    if request.status == "expired":
        return _("This request has expired: the guard is calling you instead.")
    if request.status == "cancelled":
        return _("The guard withdrew this request: the visitor left.")
    return _("%(who)s has already answered this request.", who=request.answered_by or _("Someone"))


async def answer(actor: Actor, request_id: UUID, data: AnswerInput, via: str = "app") -> EntryRequest:
    """A resident of the household approves or refuses; the first answer counts (two phones answering at once:
    the conditional update lets exactly one win). A guard's answer is a recorded phone call."""
    if data.via == "phone":
        return await record_call(actor, request_id, data)
    await _hidden_from_other_households(actor, request_id)
    require_resident(actor, "Only the visitor's household answers; a guard records a call with via: phone.")
    if data.decision not in RESIDENT_DECISIONS:
        raise Invalid({"decision": _("must be approve or refuse")})
    message = _message(data)
    now = utc_now()
    status = "approved" if data.decision == "approve" else "refused"
    async with write_transaction(RequestTable._meta.db):
        changed = (
            await RequestTable.update(
                {
                    RequestTable.status: status,
                    RequestTable.answered_at: now,
                    RequestTable.answered_by: actor.account_id,
                    RequestTable.answered_by_email: actor.email,
                    RequestTable.via: via,
                    RequestTable.message: message,
                }
            )
            .where(RequestTable.id == request_id, RequestTable.status == "pending", RequestTable.expires_at > now)
            .returning(RequestTable.id)
        )
        request = await get_request(actor, request_id)
        if not changed:
            raise Conflict(_closed_problem(request))
        await audit.record(actor, "entry.answered", "entry_request", request_id, _answer_snapshot(request))
        await webhooks.record("entry_request.answered", request)
    live.request_changed("answered", request_id, request.resident_id)
    return request


def _answer_snapshot(request: EntryRequest) -> dict:
    return {"status": request.status, "via": request.via} | ({"message": request.message} if request.message else {})


RESIDENT_DECISIONS = ("approve", "refuse")
CALL_OUTCOMES = {"approve": "approved", "refuse": "refused", "no-answer": "expired"}
"""What a guard records of a call to the household, and the status it gives the request."""


async def record_call(actor: Actor, request_id: UUID, data: AnswerInput) -> EntryRequest:
    """The guard called the household (no answer in time, or no phone to hear it) and records what they said:
    approved, refused or no one answered. On a pending or expired request not yet used for a check-in."""
    await _hidden_from_other_households(actor, request_id)
    require_staff(actor, "Only guards and administrators record calls to residents.")
    message = _message(data)
    now = utc_now()
    async with write_transaction(RequestTable._meta.db):
        before = await get_request(actor, request_id)
        if before.visit_id is not None or before.status not in ("pending", "expired"):
            raise Conflict(_closed_problem(before))
        await RequestTable.update(
            {
                RequestTable.status: CALL_OUTCOMES[data.decision],
                RequestTable.answered_at: now,
                RequestTable.answered_by: actor.account_id,
                RequestTable.answered_by_email: actor.email,
                RequestTable.via: "phone",
                RequestTable.message: message,
                # A call closes the question: the household's phones stop offering to answer.
                RequestTable.expires_at: min(now, before.expires_at),
            }
        ).where(RequestTable.id == request_id)
        request = await get_request(actor, request_id)
        snapshot = _answer_snapshot(request) | {"decision": data.decision}
        await audit.record(actor, "entry.call_recorded", "entry_request", request_id, snapshot)
        await webhooks.record("entry_request.answered", request)
    live.request_changed("answered", request_id, request.resident_id)
    return request


async def cancel(actor: Actor, request_id: UUID) -> EntryRequest:
    """The guard withdraws a request not used for a check-in (the visitor left, whatever the answer was)."""
    await _hidden_from_other_households(actor, request_id)
    require_staff(actor, "Only guards and administrators may withdraw requests.")
    now = utc_now()
    async with write_transaction(RequestTable._meta.db):
        before = await get_request(actor, request_id)
        if before.visit_id is not None or before.status == "cancelled":
            raise Conflict(_("This request was already withdrawn or used for a check-in."))
        await RequestTable.update({RequestTable.status: "cancelled", RequestTable.answered_at: now}).where(
            RequestTable.id == request_id
        )
        request = await get_request(actor, request_id)
        await audit.record(actor, "entry.cancelled", "entry_request", request_id)
        await webhooks.record("entry_request.cancelled", request)
    live.request_changed("cancelled", request_id, request.resident_id)
    return request


NEWEST_FIRST = Keyset(RequestTable.asked_at, RequestTable.id, descending=True)


def status_problem(status: str | None) -> None:
    if status is not None and status not in STATUSES:
        raise Invalid({"status": _("must be one of %(statuses)s", statuses=", ".join(STATUSES))})


async def list_requests(
    actor: Actor, status: str | None = None, limit: int | None = None, cursor: str | None = None
) -> models.Page:
    """Newest first; a resident sees their household's, staff all. `status` as the requests read it now."""
    status_problem(status)
    now = utc_now()
    query = (
        RequestTable.select(*_COLUMNS).where(*_scope(actor)) if actor.is_resident else RequestTable.select(*_COLUMNS)
    )
    if status == "pending":
        query = query.where(RequestTable.status == "pending", RequestTable.expires_at > now)
    elif status == "expired":
        query = query.where(
            (RequestTable.status == "expired") | ((RequestTable.status == "pending") & (RequestTable.expires_at <= now))
        )
    elif status is not None:
        query = query.where(RequestTable.status == status)
    return await NEWEST_FIRST.fetch(query, limit, cursor, lambda row: _to_request(row, now))


async def refused_since(actor: Actor, since: datetime) -> list[EntryRequest]:
    """For the shift's handover: requests the household refused since `since`, newest first."""
    require_staff(actor, "Only guards and administrators may see every request.")
    rows = (
        await RequestTable.select(*_COLUMNS)
        .where(RequestTable.status == "refused", RequestTable.answered_at >= since)
        .order_by(RequestTable.answered_at, ascending=False)
    )
    return [_to_request(row) for row in rows]


WAITING_WINDOW = timedelta(hours=3)
"""How far back the kiosk's Waiting list looks: a request nobody used or withdrew goes quiet after this."""


async def waiting_at_gate(actor: Actor) -> list[EntryRequest]:
    """For the kiosk: recent requests that are neither checked in nor withdrawn, newest first."""
    require_staff(actor, "Only guards and administrators see the gate's requests.")
    since = utc_now() - WAITING_WINDOW
    rows = (
        await RequestTable.select(*_COLUMNS)
        .where(RequestTable.asked_at >= since, RequestTable.visit.is_null(), RequestTable.status != "cancelled")
        .order_by(RequestTable.asked_at, ascending=False)
        .limit(50)
    )
    now = utc_now()
    return [_to_request(row, now) for row in rows]


PROMPT_WINDOW = timedelta(minutes=15)
"""How long a household's pages keep showing a request: open ones to answer, closed ones as who answered."""


CLOSED_SHOWN = 3
ANSWER_SHOWN = timedelta(minutes=2)
"""How long an answer stays as large as the question was, so whoever answered sees it was recorded."""


async def household_prompt(actor: Actor) -> tuple[list[EntryRequest], list[EntryRequest], list[EntryRequest]]:
    """For the resident's pages: (requests still waiting for an answer, oldest first; those answered in the last
    two minutes; the others asked lately, newest first), so each member sees who answered."""
    resident_id = require_resident(actor, "Only residents answer entry requests.")
    now = utc_now()
    rows = (
        await RequestTable.select(*_COLUMNS)
        .where(RequestTable.resident == resident_id, RequestTable.asked_at >= now - PROMPT_WINDOW)
        .order_by(RequestTable.asked_at)
    )
    requests = [_to_request(row, now) for row in rows]
    waiting = [request for request in requests if request.status == "pending"]
    # Once the visitor is in, or gone, the question is over: the history and the visit's page keep it.
    closed = [r for r in reversed(requests) if r.status not in ("pending", "cancelled") and r.visit_id is None]
    fresh = [request for request in closed if request.answered_at and request.answered_at > now - ANSWER_SHOWN]
    return waiting, fresh, [request for request in closed if request not in fresh][:CLOSED_SHOWN]


# Answer links: a push notification's buttons and an email's links answer without a session.


def answer_token(request: EntryRequest, account_id: UUID, decision: str) -> str:
    """A link's token: this account's answer to this request, valid until the request expires. The channel it
    arrives through (a notification's button or an email's page) is said by the door, not the token."""
    payload = {"r": str(request.id), "a": str(account_id), "d": decision}
    return signing.sign(ANSWER_LINK, payload, request.expires_at)


async def actor_of_token(token: str) -> tuple[Actor, UUID, str]:
    """The resident account, request, decision and channel a signed answer link stands for.

    A link that is not ours is 'not found'; an expired one names the request, so answering it says it expired."""
    unsigned = signing.unsign(ANSWER_LINK, token)
    if unsigned is None:
        raise NotFound(_("This answer link is not valid."))
    payload, _valid = unsigned
    try:
        request_id, account_id = UUID(payload["r"]), UUID(payload["a"])
        decision = payload["d"]
    except (KeyError, ValueError, TypeError):
        raise NotFound(_("This answer link is not valid.")) from None
    account = (
        await AccountTable.select(AccountTable.email, AccountTable.role, AccountTable.resident, AccountTable.active)
        .where(AccountTable.id == account_id)
        .first()
    )
    if account is None or not account["active"] or account["role"] != RESIDENT:
        raise NotFound(_("This answer link is not valid."))
    actor = Actor(account_id=account_id, email=account["email"], role=RESIDENT, resident_id=account["resident"])
    return actor, request_id, decision


async def answer_by_link(token: str, via: str, message: str | None = None) -> EntryRequest:
    """Answer through a signed link; `via` is push (a notification's button) or email (the link's page)."""
    actor, request_id, decision = await actor_of_token(token)
    return await answer(actor, request_id, AnswerInput(decision=decision, message=message), via=via)


def outcome_words(request: EntryRequest) -> str:
    """What the household member who answered reads back."""
    if request.status == "approved":
        return _("The guard will let %(visitor)s in.", visitor=request.visitor_name)
    return _("The guard will not let %(visitor)s in.", visitor=request.visitor_name)


# The check-in's side.


async def use_for_check_in(
    request_id: UUID, resident_id: UUID, visit_id: UUID, override_reason: str | None
) -> Approval:
    """Inside the check-in's transaction: the request must be this resident's and not used yet. Approved lets
    the visitor in; refused or unanswered only with a written reason; still waiting, not at all."""
    row = await RequestTable.select(*_COLUMNS).where(RequestTable.id == request_id).first()
    if row is None or row["resident"] != resident_id:
        raise Invalid({"entryRequestId": _("no request to this resident has this id")})
    request = _to_request(row)
    if request.visit_id is not None:
        raise Invalid({"entryRequestId": _("has already been used for a check-in")})
    if request.status == "pending":
        raise Invalid({"entryRequestId": _("has no answer yet: wait for it, or call the resident")})
    if request.status == "cancelled":
        raise Invalid({"entryRequestId": _("was withdrawn")})
    if request.status == "expired" and request.via != "phone":
        # No answer in time is not yet "no one answered": the guard calls first (the kiosk offers only that).
        raise Invalid({"entryRequestId": _("has no answer yet: call the household and record what they said")})
    if request.status != "approved":
        errors = FieldErrors()
        reason = errors.optional("overrideReason", override_reason, OVERRIDE_REASON_MAX)
        errors.raise_if_any()
        if not reason:
            raise Conflict(refused_problem(request))
    used = (
        await RequestTable.update({RequestTable.visit: visit_id})
        .where(RequestTable.id == request_id, RequestTable.visit.is_null())
        .returning(RequestTable.id)
    )
    if not used:
        raise Invalid({"entryRequestId": _("has already been used for a check-in")})
    return Approval(
        entry_request_id=request.id,
        status=request.status,
        answered_by=request.answered_by,
        answered_at=request.answered_at,
        via=request.via,
        message=request.message,
    )


def refused_problem(request: EntryRequest) -> str:
    if request.status == "refused":
        return _("The resident refused this visitor: write why you let them in anyway.")
    return _("No one in the household answered: write why you let the visitor in anyway.")


async def require_asked(expected_visit_id: UUID | None, entry_request_id: UUID | None) -> None:
    """With ENTRY_APPROVAL=require, an unannounced visitor comes in only from an answered request."""
    if site.entry_approval() == "require" and expected_visit_id is None and entry_request_id is None:
        raise Conflict(
            _("This site asks the resident about every unannounced visitor: ask first, then check in from the answer.")
        )
