"""The Piccolo tables. Only the features' services (app/domain/*/) and app/db import these."""

from __future__ import annotations

from piccolo.columns import (
    JSON,
    UUID,
    Boolean,
    Date,
    ForeignKey,
    Integer,
    OnDelete,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table


class Resident(Table):
    id = UUID(primary_key=True)
    name = Varchar(length=120)
    # The name without case, accents or punctuation, for searches typed any way (app.lib.text.name_key).
    name_key = Varchar(length=120, null=True, default=None)
    unit = Varchar(length=40, index=True)
    email = Varchar(length=254, null=True, default=None)
    phone = Varchar(length=40, null=True, default=None)
    active = Boolean(default=True)
    created_at = Timestamptz(default=TimestamptzNow())


class Account(Table):
    id = UUID(primary_key=True)
    # Stored lower-cased, so the unique index makes email case-insensitive.
    email = Varchar(length=254, unique=True)
    password_hash = Varchar(length=255)
    role = Varchar(length=16)
    resident = ForeignKey(references=Resident, null=True, on_delete=OnDelete.restrict)
    active = Boolean(default=True)
    created_at = Timestamptz(default=TimestamptzNow())
    # Raised when a password is reset or the account is (de)activated: sessions signed in before stop working.
    session_epoch = Integer(default=0)
    # en, pt_BR or es; None follows the browser, then the site (SITE_LANGUAGE).
    language = Varchar(length=8, null=True, default=None)
    # Whether notices (entry requests, tests) also go to this account's email address when SMTP_URL is set.
    email_notices = Boolean(default=True)


class ApiToken(Table):
    id = UUID(primary_key=True)
    account = ForeignKey(references=Account, null=False, on_delete=OnDelete.cascade)
    name = Varchar(length=80)
    token_hash = Varchar(length=64, unique=True)
    created_at = Timestamptz(default=TimestamptzNow())
    last_used_at = Timestamptz(null=True, default=None)
    revoked = Boolean(default=False)


class ExpectedVisit(Table):
    """A resident's announcement of a visitor: one day, a date range, or weekdays within a range."""

    id = UUID(primary_key=True)
    resident = ForeignKey(references=Resident, null=False, on_delete=OnDelete.restrict)
    visitor_name = Varchar(length=120)
    name_key = Varchar(length=120, index=True)
    total_people = Integer(default=1)
    vehicle_color = Varchar(length=40, null=True, default=None)
    license_plate = Varchar(length=20, null=True, default=None)
    plate_key = Varchar(length=20, null=True, default=None, index=True)
    note = Varchar(length=300, null=True, default=None)
    starts_on = Date()
    ends_on = Date(index=True)
    # ISO weekday numbers ("2,4" = Tuesday and Thursday); empty means every day of the range.
    weekdays = Varchar(length=13, default="")
    created_by = ForeignKey(references=Account, null=True, on_delete=OnDelete.set_null)
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())
    cancelled_at = Timestamptz(null=True, default=None)
    used_at = Timestamptz(null=True, default=None)
    # The pass (app/domain/passes): a 6-digit code unique among passes in force, the public page's token,
    # the entries made with it, the resident's cap on them, and its revocation.
    pass_code = Varchar(length=6, default="", index=True)
    pass_token = Varchar(length=64, null=True, default=None, index=True)
    pass_uses = Integer(default=0)
    pass_max_uses = Integer(null=True, default=None)
    pass_revoked_at = Timestamptz(null=True, default=None)


class StandingPermission(Table):
    """A resident's "always let in" for a period: deliveries, a named person, or a plate."""

    id = UUID(primary_key=True)
    # A permission means nothing without its resident: it goes with them (a resident is deleted only when
    # nothing else refers to them).
    resident = ForeignKey(references=Resident, null=False, on_delete=OnDelete.cascade)
    kind = Varchar(length=16)  # deliveries, person or plate
    visitor_name = Varchar(length=120, null=True, default=None)
    name_key = Varchar(length=120, null=True, default=None, index=True)
    license_plate = Varchar(length=20, null=True, default=None)
    plate_key = Varchar(length=20, null=True, default=None, index=True)
    note = Varchar(length=300, null=True, default=None)
    starts_on = Date()
    ends_on = Date(index=True)
    created_by = ForeignKey(references=Account, null=True, on_delete=OnDelete.set_null)
    created_at = Timestamptz(default=TimestamptzNow())
    revoked_at = Timestamptz(null=True, default=None)


class BannedVisitor(Table):
    """The do-not-admit list: a name and/or a plate, why, until when, and for whom (null: everyone)."""

    id = UUID(primary_key=True)
    name = Varchar(length=120, null=True, default=None)
    name_key = Varchar(length=120, null=True, default=None, index=True)
    license_plate = Varchar(length=20, null=True, default=None)
    plate_key = Varchar(length=20, null=True, default=None, index=True)
    reason = Varchar(length=300)
    resident = ForeignKey(references=Resident, null=True, on_delete=OnDelete.restrict)
    expires_at = Timestamptz(null=True, default=None)
    created_by = ForeignKey(references=Account, null=True, on_delete=OnDelete.set_null)
    created_at = Timestamptz(default=TimestamptzNow())
    lifted_at = Timestamptz(null=True, default=None)


class Gate(Table):
    """A way into the estate with its own kiosk: the main gate, a service gate, a pedestrian gate.

    Never deleted (visits keep the gates they passed), only made inactive. The default gate, which a
    check-in without a gate records, is the first active one (created_at, then id)."""

    id = UUID(primary_key=True)
    name = Varchar(length=60)
    vehicles = Boolean(default=True)
    active = Boolean(default=True)
    created_at = Timestamptz(default=TimestamptzNow())


class Visit(Table):
    id = UUID(primary_key=True)
    resident = ForeignKey(references=Resident, null=False, on_delete=OnDelete.restrict)
    visitor_name = Varchar(length=120)
    total_people = Integer(default=1)
    vehicle_color = Varchar(length=40, null=True, default=None)
    license_plate = Varchar(length=20, null=True, default=None)
    plate_key = Varchar(length=20, null=True, default=None)
    # The name without case or accents, for returning-visitor suggestions (indexed with arrival_date).
    name_key = Varchar(length=120, null=True, default=None)
    subject = Varchar(length=200)
    arrival_date = Timestamptz()
    departure_date = Timestamptz(null=True, default=None)
    # True when the end-of-day sweep recorded the departure rather than a guard (never a real exit time).
    departure_automatic = Boolean(default=False)
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())
    created_by = ForeignKey(references=Account, null=True, on_delete=OnDelete.set_null)
    expected_visit = ForeignKey(references=ExpectedVisit, null=True, on_delete=OnDelete.set_null)
    # The resident's answer that let the visitor in, as JSON (entry_requests.schemas.Approval): a copy,
    # so reading a visit never joins the requests and the answer stays with the visit as it was given.
    approval = Text(null=True, default=None)
    # The gates the visitor came in and left by (null for a visit recorded before gates existed).
    arrival_gate_id = ForeignKey(references=Gate, null=True, on_delete=OnDelete.restrict)
    departure_gate_id = ForeignKey(references=Gate, null=True, on_delete=OnDelete.restrict)


class EntryRequest(Table):
    """The guard asks the resident whether an unannounced visitor may come in; the first answer counts.

    `status` is pending, approved, refused, expired or cancelled; a pending request past `expires_at` reads as
    expired. `via` says how the answer came: app (an open page), push, email, or phone (recorded by the guard)."""

    id = UUID(primary_key=True)
    resident = ForeignKey(references=Resident, null=False, on_delete=OnDelete.restrict)
    visitor_name = Varchar(length=120)
    name_key = Varchar(length=120, null=True, default=None)
    total_people = Integer(default=1)
    vehicle_color = Varchar(length=40, null=True, default=None)
    license_plate = Varchar(length=20, null=True, default=None)
    subject = Varchar(length=200)
    note = Varchar(length=300, null=True, default=None)
    status = Varchar(length=10, default="pending")
    asked_at = Timestamptz(default=TimestamptzNow(), index=True)
    expires_at = Timestamptz(default=TimestamptzNow())
    asked_by = ForeignKey(references=Account, null=True, on_delete=OnDelete.set_null)
    answered_at = Timestamptz(null=True, default=None)
    answered_by = ForeignKey(references=Account, null=True, on_delete=OnDelete.set_null)
    answered_by_email = Varchar(length=254, null=True, default=None)
    via = Varchar(length=8, null=True, default=None)
    message = Varchar(length=300, null=True, default=None)
    visit = UUID(null=True, default=None)


class AuditEvent(Table):
    """Append-only: who did what to which record, when and from where. Never deleted, and never updated
    except to redact personal data that retention or erasure removed (app/domain/records/retention.py).

    record_id is a plain UUID, not a foreign key, so a deleted visit keeps its history.
    """

    id = UUID(primary_key=True)
    at = Timestamptz(default=TimestamptzNow())
    actor = ForeignKey(references=Account, null=True, on_delete=OnDelete.set_null)
    actor_email = Varchar(length=254)
    address = Varchar(length=64, null=True, default=None)
    action = Varchar(length=40)
    record_type = Varchar(length=20)
    record_id = UUID(null=True, default=None)
    changes = JSON(default={})


class PushSubscription(Table):
    """One browser (a device) that receives Web Push for an account; gone when the push service says so."""

    id = UUID(primary_key=True)
    account = ForeignKey(references=Account, null=False, on_delete=OnDelete.cascade, index=True)
    endpoint = Varchar(length=1000, unique=True)
    p256dh = Varchar(length=120)
    auth = Varchar(length=60)
    label = Varchar(length=120, default="")
    created_at = Timestamptz(default=TimestamptzNow())
    last_success_at = Timestamptz(null=True, default=None)
    last_error = Varchar(length=300, null=True, default=None)
    last_error_at = Timestamptz(null=True, default=None)


class Delivery(Table):
    """The outbox: one notice to one push subscription or email address, written in the transaction that
    caused it and sent after the commit by the sender (app/domain/notifications/sender.py)."""

    id = UUID(primary_key=True)
    account = ForeignKey(references=Account, null=False, on_delete=OnDelete.cascade, index=True)
    channel = Varchar(length=8)
    # The push subscription's id, or the email address.
    target = Varchar(length=254)
    payload = JSON(default={})
    created_at = Timestamptz(default=TimestamptzNow(), index=True)
    not_after = Timestamptz(null=True, default=None)
    attempts = Integer(default=0)
    next_attempt_at = Timestamptz(default=TimestamptzNow(), index=True)
    # pending, sending (claimed until claimed_until), sent, failed, expired or gone.
    status = Varchar(length=8, default="pending", index=True)
    claimed_until = Timestamptz(null=True, default=None)
    sent_at = Timestamptz(null=True, default=None)
    last_error = Varchar(length=300, null=True, default=None)


class Parcel(Table):
    """A parcel the gatehouse received for a household, waiting on a shelf until someone collects it.

    Waiting while `handed_over_at` is null; the hand-over is one conditional update, so two kiosks handing the
    same parcel over at once cannot both record it. `authorised_person` and `left_at_door` are the household's
    instructions: who else may collect it, or that the guard should leave it at the door."""

    id = UUID(primary_key=True)
    resident = ForeignKey(references=Resident, null=False, on_delete=OnDelete.restrict, index=True)
    carrier = Varchar(length=60)
    tracking_number = Varchar(length=60, null=True, default=None)
    tracking_key = Varchar(length=60, null=True, default=None, index=True)
    size = Varchar(length=8, default="medium")
    shelf = Varchar(length=40, null=True, default=None)
    note = Varchar(length=300, null=True, default=None)
    received_at = Timestamptz(default=TimestamptzNow(), index=True)
    received_by = ForeignKey(references=Account, null=True, on_delete=OnDelete.set_null)
    handed_over_at = Timestamptz(null=True, default=None, index=True)
    collected_by = Varchar(length=120, null=True, default=None)
    collected_key = Varchar(length=120, null=True, default=None, index=True)
    handed_over_by = ForeignKey(references=Account, null=True, on_delete=OnDelete.set_null)
    authorised_person = Varchar(length=120, null=True, default=None)
    left_at_door = Boolean(default=False)
    reminded_at = Timestamptz(null=True, default=None)
    # The gate that received it (null for a parcel received before gates recorded it).
    gate_id = ForeignKey(references=Gate, null=True, on_delete=OnDelete.restrict)


class ShiftNote(Table):
    """A guard's note in the shift log (handover, incident, maintenance, delivery), timestamped and attributed.
    A note for the next shift stays unread until the incoming guard marks the handover read."""

    id = UUID(primary_key=True)
    text = Varchar(length=2000)
    category = Varchar(length=12, default="handover")
    for_next_shift = Boolean(default=False)
    created_at = Timestamptz(default=TimestamptzNow(), index=True)
    created_by = ForeignKey(references=Account, null=True, on_delete=OnDelete.set_null)
    author_email = Varchar(length=254)
    read_at = Timestamptz(null=True, default=None)
    read_by_email = Varchar(length=254, null=True, default=None)


class WebhookEndpoint(Table):
    """A receiver an administrator registered: where events are POSTed, which ones, and its signing secret."""

    id = UUID(primary_key=True)
    url = Varchar(length=2000)
    # The event types wanted, as a JSON list of text.
    events = Text(default="[]")
    description = Varchar(length=200, default="")
    secret = Varchar(length=100)
    enabled = Boolean(default=True)
    disabled_reason = Varchar(length=300, null=True, default=None)
    # The first failure since the last success: a day of failures disables the endpoint.
    failing_since = Timestamptz(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())
    created_by = ForeignKey(references=Account, null=True, on_delete=OnDelete.set_null)


class WebhookEvent(Table):
    """A change other systems hear of, written in the transaction of the change (one row, whatever the
    endpoints); the sender fans it out to the endpoints that want it (fanned_out) and sends those."""

    id = UUID(primary_key=True)
    type = Varchar(length=40)
    # The body's `data`: the same JSON as the API, as text.
    payload = Text(default="{}")
    created_at = Timestamptz(default=TimestamptzNow(), index=True)
    # Those not yet fanned out have an index of their own, in created_at order (migration 2026-12-08T02:00).
    fanned_out = Boolean(default=False)


class WebhookDelivery(Table):
    """One event to one endpoint: sent in order per endpoint, retried with backoff for a day."""

    id = UUID(primary_key=True)
    # Indexed with queued_at and id, the delivery log's order; those unsent too, apart (migration 2026-12-08T02:00).
    endpoint = ForeignKey(references=WebhookEndpoint, null=False, on_delete=OnDelete.cascade)
    event = ForeignKey(references=WebhookEvent, null=False, on_delete=OnDelete.cascade, index=True)
    event_type = Varchar(length=40)
    # Deliveries of an endpoint go out in this order (the event's time; a redelivery's own).
    queued_at = Timestamptz(default=TimestamptzNow())
    # pending, sending (claimed until claimed_until), sent or failed.
    status = Varchar(length=8, default="pending", index=True)
    attempts = Integer(default=0)
    next_attempt_at = Timestamptz(default=TimestamptzNow())
    claimed_until = Timestamptz(null=True, default=None)
    last_status = Integer(null=True, default=None)
    latency_ms = Integer(null=True, default=None)
    last_error = Varchar(length=300, null=True, default=None)
    delivered_at = Timestamptz(null=True, default=None)
