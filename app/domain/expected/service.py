"""Expected visitors: a resident (or an administrator for them) announces who is coming and when.

An announcement covers one day, a date range, or chosen weekdays within a range (a cleaner every
Tuesday and Thursday). The kiosk lists today's; checking one in records it on the visit. A one-day
announcement is then used up; a range or a weekly one stays for the next time.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from uuid import UUID

from babel import dates, lists

from app.db.engine import write_transaction
from app.db.tables import ExpectedVisit as ExpectedTable
from app.db.tables import Visit as VisitTable
from app.domain.expected.schemas import NOTE_MAX, WEEKDAYS, Expected, ExpectedInput
from app.domain.notifications.channels import channels
from app.domain.passes import rules as pass_rules
from app.domain.records import audit
from app.domain.residents import service as residents
from app.domain.webhooks import events as webhooks
from app.lib import formats, i18n, live
from app.lib import schemas as models
from app.lib.actors import Actor, require_admin
from app.lib.clock import in_zone, utc_now
from app.lib.errors import FieldErrors, Invalid, NotFound
from app.lib.i18n import _
from app.lib.paging import Keyset
from app.lib.site import site_timezone
from app.lib.text import canonical_plate, name_key, name_or_plate, plate_key

LONGEST = timedelta(days=366)


_COLUMNS = (
    ExpectedTable.all_columns(),
    ExpectedTable.resident.name.as_alias("resident_name"),
    ExpectedTable.resident.unit.as_alias("resident_unit"),
)


def _weekdays(text: str) -> list[int]:
    return [int(day) for day in text.split(",") if day]


def _to_expected(row: dict) -> Expected:
    weekdays = _weekdays(row["weekdays"])
    return Expected(
        id=row["id"],
        resident_id=row["resident"],
        resident_name=row["resident_name"],
        resident_unit=row["resident_unit"],
        visitor_name=row["visitor_name"],
        total_people=row["total_people"],
        vehicle_color=row["vehicle_color"],
        license_plate=row["license_plate"],
        note=row["note"],
        starts_on=row["starts_on"],
        ends_on=row["ends_on"],
        weekdays=weekdays,
        single_day=row["starts_on"] == row["ends_on"] and not weekdays,
        used=row["used_at"] is not None,
        created_at=in_zone(row["created_at"], site_timezone()),
        pass_code=row["pass_code"],
        pass_url=pass_url(row["pass_token"]),
        pass_uses=row["pass_uses"],
        pass_max_uses=row["pass_max_uses"],
        pass_revoked_at=None if row["pass_revoked_at"] is None else in_zone(row["pass_revoked_at"], site_timezone()),
    )


def pass_url(token: str | None) -> str:
    return channels().absolute(f"/pass/{token}") if token else ""


def today() -> date:
    return utc_now().astimezone(site_timezone()).date()


def people_problem() -> str:
    return _("must be a whole number from %(min)s to %(max)s", min=models.PEOPLE_MIN, max=models.PEOPLE_MAX)


def entries_problem() -> str:
    """What is wrong with a pass's cap that is not from 1 to MAX_USES_LIMIT (passMaxUses, the form's Most entries)."""
    return _("must be a whole number from 1 to %(max)s", max=pass_rules.MAX_USES_LIMIT)


def _day(errors: FieldErrors, field: str, text: str | None) -> date | None:
    try:
        return date.fromisoformat((text or "").strip())
    except ValueError:
        errors.add(field, _("is not a date such as %(example)s", example="2026-12-01"))
        return None


def _clean(actor: Actor, data: ExpectedInput, creating: bool) -> dict:
    errors = FieldErrors()
    name = errors.required("visitorName", data.visitor_name, models.NAME_MAX)
    if not models.PEOPLE_MIN <= data.total_people <= models.PEOPLE_MAX:
        errors.add("totalPeople", people_problem())
    color = errors.optional("vehicleColor", data.vehicle_color, models.COLOR_MAX)
    plate = errors.optional("licensePlate", data.license_plate, models.PLATE_MAX, canonical_plate)
    note = errors.optional("note", data.note, NOTE_MAX)
    if data.pass_max_uses is not None and not 1 <= data.pass_max_uses <= pass_rules.MAX_USES_LIMIT:
        errors.add("passMaxUses", entries_problem())
    starts = _day(errors, "startsOn", data.starts_on)
    ends = _day(errors, "endsOn", data.ends_on) if data.ends_on else starts
    if starts and ends:
        if ends < starts:
            errors.add("endsOn", _("is before the first day"))
        elif ends - starts > LONGEST:
            errors.add("endsOn", _("is more than a year after the first day; announce again next year"))
        elif creating and ends < today():
            errors.add("endsOn" if data.ends_on else "startsOn", _("is in the past"))
    if any(day not in WEEKDAYS for day in data.weekdays):
        errors.add("weekdays", _("must be ISO weekday numbers, 1 (Monday) to 7 (Sunday)"))
    elif data.weekdays and starts == ends:
        errors.add("endsOn", _("is needed for a weekly pattern: the last day it applies"))
    resident_id = actor.resident_id if actor.is_resident else data.resident_id
    if actor.is_resident and data.resident_id not in (None, actor.resident_id):
        errors.add("residentId", _("residents announce their own visitors only"))
    if resident_id is None:
        errors.add("residentId", _("choose the resident the visitor comes to see"))
    errors.raise_if_any()
    return {
        "resident": resident_id,
        "visitor_name": name,
        "name_key": name_key(name) or "",  # a name of punctuation alone has no key
        "total_people": data.total_people,
        "vehicle_color": color,
        "license_plate": plate,
        "plate_key": plate_key(plate),
        "note": note,
        "starts_on": starts,
        "ends_on": ends,
        "weekdays": ",".join(str(day) for day in sorted(set(data.weekdays))),
        "pass_max_uses": data.pass_max_uses,
    }


def _require_may_announce(actor: Actor) -> None:
    if not actor.is_resident:
        require_admin(actor, "Only administrators may announce visitors.")


def _scope(actor: Actor) -> list:
    return [ExpectedTable.resident == actor.resident_id] if actor.is_resident else []


async def get_expected(actor: Actor, expected_id: UUID) -> Expected:
    """One announcement; another resident's is 'not found'."""
    row = (
        await ExpectedTable.select(*_COLUMNS)
        .where(ExpectedTable.id == expected_id, ExpectedTable.cancelled_at.is_null(), *_scope(actor))
        .first()
    )
    if row is None:
        raise NotFound(_("No expected visit with this id."))
    return _to_expected(row)


async def passes_with_code(code: str) -> list[dict]:
    """Every announcement that has had this code, the one in force (if any) first, then the newest."""
    rows = await ExpectedTable.select(*_COLUMNS).where(ExpectedTable.pass_code == code)
    rows = [row for row in rows if pass_rules.same(row["pass_code"], code)]
    day = today()
    return sorted(
        rows,
        key=lambda row: (not pass_rules.in_force(row, _weekdays(row["weekdays"]), day), -row["created_at"].timestamp()),
    )


async def _free_code() -> str:
    """A code no pass in force has (inside the announcement's transaction, so two cannot take the same)."""
    day = today()
    while True:
        code = pass_rules.new_code()
        rows = await passes_with_code(code)
        if not any(pass_rules.in_force(row, _weekdays(row["weekdays"]), day) for row in rows):
            return code


async def announce(actor: Actor, data: ExpectedInput) -> Expected:
    _require_may_announce(actor)
    values = _clean(actor, data, creating=True)
    now = utc_now()
    async with write_transaction(ExpectedTable._meta.db):
        await residents.require_resident_field(values["resident"], must_be_active=True)
        values |= {"pass_code": await _free_code(), "pass_token": pass_rules.new_token()}
        row = ExpectedTable(created_by=actor.account_id, created_at=now, updated_at=now, **values)
        await row.save()
        expected = await get_expected(actor, row.id)
        await audit.record(actor, "expected.announced", "expected", row.id, audit.snapshot(expected))
        await webhooks.record("expected_visit.created", expected)
    live.expected_changed(row.id)
    return expected


async def update(actor: Actor, expected_id: UUID, data: ExpectedInput) -> Expected:
    """Replace an announcement in full; residents change only their own."""
    before = await get_expected(actor, expected_id)
    _require_may_announce(actor)
    values = _clean(actor, data, creating=False)
    async with write_transaction(ExpectedTable._meta.db):
        await residents.require_resident_field(values["resident"], must_be_active=True)
        await ExpectedTable.update({**values, "updated_at": utc_now()}).where(ExpectedTable.id == expected_id)
        after = await get_expected(actor, expected_id)
        changes = audit.differences(audit.snapshot(before), audit.snapshot(after))
        await audit.record(actor, "expected.updated", "expected", expected_id, changes)
        await webhooks.record("expected_visit.updated", after)
    live.expected_changed(expected_id)
    return after


async def cancel(actor: Actor, expected_id: UUID) -> None:
    cancelled = await get_expected(actor, expected_id)
    _require_may_announce(actor)
    async with write_transaction(ExpectedTable._meta.db):
        await ExpectedTable.update({ExpectedTable.cancelled_at: utc_now()}).where(ExpectedTable.id == expected_id)
        await audit.record(actor, "expected.cancelled", "expected", expected_id)
        await webhooks.record("expected_visit.deleted", cancelled)
    live.expected_changed(expected_id)


NEWEST_FIRST = Keyset(ExpectedTable.created_at, ExpectedTable.id, descending=True)


async def list_expected(
    actor: Actor, limit: int | None = None, cursor: str | None = None, include_past: bool = False, q: str | None = None
) -> models.Page:
    """Newest announcement first; a resident sees their own, staff all. Past ones only when asked;
    `q` finds a fragment of the visitor's name or plate."""
    query = ExpectedTable.select(*_COLUMNS).where(ExpectedTable.cancelled_at.is_null(), *_scope(actor))
    if not include_past:
        query = query.where(ExpectedTable.ends_on >= today())
    if (search := name_or_plate(ExpectedTable.name_key, ExpectedTable.plate_key, q)) is not None:
        query = query.where(search)
    return await NEWEST_FIRST.fetch(query, limit, cursor, _to_expected)


def _applies_on(expected: Expected, day: date) -> bool:
    return expected.starts_on <= day <= expected.ends_on and (
        not expected.weekdays or day.isoweekday() in expected.weekdays
    )


async def expected_today(actor: Actor) -> list[Expected]:
    """For the gate: today's announcements not yet checked in today, by visitor name."""
    if actor.is_resident:
        raise NotFound(_("No such page."))
    day = today()
    rows = await ExpectedTable.select(*_COLUMNS).where(
        ExpectedTable.cancelled_at.is_null(),
        ExpectedTable.used_at.is_null(),
        ExpectedTable.starts_on <= day,
        ExpectedTable.ends_on >= day,
    )
    candidates = [e for e in map(_to_expected, rows) if _applies_on(e, day)]
    if not candidates:
        return []
    midnight = datetime.combine(day, time(0), tzinfo=site_timezone())
    arrived = await VisitTable.select(VisitTable.expected_visit).where(
        VisitTable.expected_visit.is_in([e.id for e in candidates]), VisitTable.arrival_date >= midnight
    )
    here = {row["expected_visit"] for row in arrived}
    return sorted((e for e in candidates if e.id not in here), key=lambda e: e.visitor_name.casefold())


def matching_today(expected: list[Expected], visitor_name: str | None, license_plate: str | None) -> list[Expected]:
    """Today's announcements whose plate or name starts like what the guard typed."""
    name, plate = name_key(visitor_name), plate_key(license_plate)
    if not name and not plate:
        return []
    found = []
    for item in expected:
        by_plate = plate and (plate_key(item.license_plate) or "").startswith(plate)
        by_name = name and len(name) >= 2 and (name_key(item.visitor_name) or "").startswith(name)
        if by_plate or by_name:
            found.append(item)
    return found


async def use_for_check_in(expected_id: UUID, resident_id: UUID) -> None:
    """Inside the check-in's transaction: the announcement must be for today and this resident, and its pass
    neither revoked nor used up; the check-in counts as one use of the pass, and a one-day announcement is
    used up (a second check-in from it is refused)."""
    row = await ExpectedTable.select(*_COLUMNS).where(ExpectedTable.id == expected_id).first()
    if row is None or row["cancelled_at"] is not None:
        raise Invalid({"expectedVisitId": _("no announcement has this id")})
    if row["resident"] != resident_id:
        raise Invalid({"expectedVisitId": _("is for another resident")})
    reason = pass_rules.refusal(row, _weekdays(row["weekdays"]), today())
    if reason is None:
        single_day = row["starts_on"] == row["ends_on"] and not row["weekdays"]
        # Counted in one conditional update: of two check-ins racing for the last entry, one gets it.
        still_open = [ExpectedTable.id == expected_id, ExpectedTable.pass_revoked_at.is_null()]
        if row["pass_max_uses"] is not None:
            still_open.append(ExpectedTable.pass_uses < row["pass_max_uses"])
        if single_day:
            still_open.append(ExpectedTable.used_at.is_null())
        used_at = utc_now() if single_day else None
        counted = (
            await ExpectedTable.update(
                {ExpectedTable.pass_uses: ExpectedTable.pass_uses + 1, ExpectedTable.used_at: used_at}
            )
            .where(*still_open)
            .returning(ExpectedTable.id)
        )
        reason = None if counted else "used_up"
    if reason is not None:
        raise pass_rules.Refused(reason)


def describe_when(item: Expected) -> str:
    """When the visitor is expected, in the reader's language: 'Tuesday, December 1, 2026', 'Dec 1 – 5, 2026',
    'Every Tuesday and Thursday until Mar 31, 2027'."""
    if item.weekdays:
        names = formats.weekday_names()
        weekdays = lists.format_list([names[day] for day in item.weekdays], locale=i18n.locale())
        # Translators: weekdays is a list of weekday names ("Tuesday and Thursday"); day is a date.
        return _("Every %(weekdays)s until %(day)s", weekdays=weekdays, day=formats.day(item.ends_on))
    if item.single_day:
        return formats.long_day(item.starts_on)
    return dates.format_interval(item.starts_on, item.ends_on, "yMMMd", locale=i18n.locale())


def covered_until(arrival: datetime, ends_on: date, weekdays: str) -> date:
    """The last day an announcement covers a visit that came from it, for spotting who stays past it:
    the arrival's own day for a weekly visitor, the range's last day otherwise."""
    return arrival.astimezone(site_timezone()).date() if weekdays else ends_on
