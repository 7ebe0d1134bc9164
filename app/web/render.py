"""Pages and fragments: one URL answers htmx with a fragment and a browser with the whole page."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from litestar import Request, Response
from litestar.response import Redirect, Template
from markupsafe import Markup

from app.domain.kiosk.board import time_inside
from app.domain.permissions import service as permissions
from app.domain.records import audit_labels
from app.lib import formats, i18n
from app.lib.clock import utc_now
from app.web.field_errors import field_sentence

PERSONAL_HEADERS = {"Cache-Control": "no-store", "Vary": "HX-Request"}


def is_htmx(request: Request) -> bool:
    return request.headers.get("hx-request") == "true"


def wants_fragment(request: Request) -> bool:
    """htmx asking to swap part of a page (htmx 4 says 'full' when it targets the whole body)."""
    return is_htmx(request) and request.headers.get("hx-request-type", "partial") != "full"


def page(template: str, status_code: int = 200, headers: dict | None = None, **context: Any) -> Template:
    return Template(template_name=template, context=context, status_code=status_code, headers=headers)


def page_or_fragment(request: Request, full: str, fragment: str, status_code: int = 200, **context: Any) -> Template:
    return page(fragment if wants_fragment(request) else full, status_code, **context)


def go_to(request: Request, url: str) -> Response:
    """A redirect a plain browser and htmx both follow (htmx would swap a 303's target in place)."""
    if is_htmx(request):
        return Response(content="", status_code=200, headers={"HX-Redirect": url})
    return Redirect(path=url, status_code=303)


def add_personal_headers(response: Response) -> Response:
    """Kiosk pages name people: never cache them, and keep fragment and page apart in any cache."""
    for name, value in PERSONAL_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


async def personal_headers_hook(response: Response) -> Response:
    """add_personal_headers as the web router's after_request: Litestar runs a sync hook in a worker
    thread, which was a tenth of the kiosk board's time."""
    return add_personal_headers(response)


def clock(moment) -> str:
    """The time of day in the reader's language (15:05, or 3:05 PM in English)."""
    return formats.time_of_day(moment)


def day_and_clock(moment) -> str:
    return formats.day_and_time(moment)


def clock_or_day(moment, now) -> str:
    """The time alone for today, with the date for earlier days (an arrival a resident reads)."""
    return formats.time_or_day(moment, now)


DAY = timedelta(days=1)


def email_breaks(text: str | None) -> Markup:
    """An email (escaped) that a narrow column may break only after its @ and its dots, never mid-word."""
    return Markup("<wbr>").join(re.split(r"(?<=[@.])", text or ""))  # join escapes each piece


def clock_examples() -> dict[str, str]:
    """What the arrival field reads: the time now, and yesterday at this time (another day)."""
    now = utc_now()
    yesterday = formats.typed_clock_examples(now - DAY)["day_time"]
    return {"time": formats.typed_clock_examples(now)["time"], "day_time": yesterday}


def signed_in_role(request) -> str | None:
    """The role stored at sign-in, for choosing the navigation (pages check the account itself)."""
    session = request.scope.get("session") if request is not None else None
    return session.get("role") if isinstance(session, dict) else None


def register_filters(engine) -> None:
    env = engine.engine
    env.add_extension("jinja2.ext.i18n")
    env.install_gettext_callables(i18n.raw_gettext, i18n.raw_ngettext, newstyle=True)
    env.globals["languages"] = i18n.LANGUAGES
    env.globals["current_language"] = i18n.current_language
    env.globals["html_lang"] = i18n.html_lang
    env.filters["day"] = formats.day
    env.filters["long_day"] = formats.long_day
    env.filters["number"] = formats.number
    env.filters["permission_kind"] = permissions.kind_name
    env.filters["clock"] = clock
    env.filters["email_breaks"] = email_breaks
    env.filters["day_and_clock"] = day_and_clock
    env.filters["clock_or_day"] = clock_or_day
    env.filters["action_label"] = audit_labels.action_label
    env.globals["describe_changes"] = audit_labels.describe
    env.globals["is_update"] = audit_labels.PAIRED.__contains__
    env.globals["time_inside"] = time_inside
    env.globals["clock_examples"] = clock_examples
    env.globals["signed_in_role"] = signed_in_role
    env.globals["field_sentence"] = field_sentence
