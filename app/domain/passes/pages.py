"""The pass's pages: the public page a visitor opens (/pass/<token>), the resident's own view of it with Share
(/me/expected/<id>/pass), and the kiosk's Pass field (/kiosk/pass), which fills the check-in form."""

from __future__ import annotations

import hashlib
from uuid import UUID

import segno
from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath
from markupsafe import Markup

from app.domain.kiosk.pages import check_in_form, gate_checks
from app.domain.notifications.channels import channels
from app.domain.passes import badges, rules
from app.domain.passes import service as passes
from app.domain.passes.schemas import PublicPass
from app.domain.visits import forms as visit_forms
from app.lib import formats
from app.lib.actors import Actor
from app.lib.errors import Conflict, Invalid, NotFound
from app.lib.i18n import _, ngettext
from app.web.auth import provide_resident_actor
from app.web.forms import Form, read_form, read_query
from app.web.render import go_to, page, wants_fragment
from app.web.sessions import SESSION_COOKIE

NOT_INDEXED = {"X-Robots-Tag": "noindex, nofollow", "Referrer-Policy": "no-referrer"}


def qr_svg(content: str) -> Markup:
    """A QR code drawn on the server as inline SVG; `content` is an address this site made (no user data)."""
    svg = segno.make(content, error="m").svg_inline(scale=1, border=2, omitsize=True, title=None)
    return Markup(svg)  # noqa: S704 - segno's own markup of our own address


def state_in_words(pass_: PublicPass) -> str | None:
    """What a pass that no longer opens the gate says, plainly, with its date where one is known; None for a
    pass in force (today or on a later day)."""
    if rules.opens_the_gate(pass_.reason):
        return None
    if pass_.reason == "used_up" and pass_.used_at:
        return _("Used on %(day)s: this pass no longer opens the gate.", day=formats.day(pass_.used_at))
    if pass_.reason == "used_up" and pass_.max_uses:
        return ngettext(
            "Used up: its %(num)s entry was made. This pass no longer opens the gate.",
            "Used up: all %(num)s entries were made. This pass no longer opens the gate.",
            pass_.max_uses,
        )
    if pass_.reason == "revoked" and pass_.revoked_at:
        return _("Revoked on %(day)s: this pass no longer opens the gate.", day=formats.day(pass_.revoked_at))
    if pass_.reason == "expired":
        return _(
            "Expired: its last day was %(day)s. This pass no longer opens the gate.", day=formats.day(pass_.ends_on)
        )
    return rules.in_words(pass_.reason)


def _page(pass_, status: int = 200, **extra) -> Response:
    url = passes.expected.pass_url(pass_.token) if pass_ else ""
    qr = qr_svg(url) if pass_ else None
    reason = state_in_words(pass_) if pass_ else None
    context = {"item": pass_, "qr": qr, "reason": reason, "share_url": url}
    return page("passes/pass.html", status, headers=NOT_INDEXED, **context, **extra)


class PublicPassController(Controller):
    """No sign-in: the token in the address is the key, and the page shows only what the gate needs."""

    path = "/pass"
    include_in_schema = False

    @get("/{token:str}")
    async def show(self, token: FromPath[str]) -> Response:
        found = await passes.find_by_token(token)
        return _page(found, 200 if found else 404)


class MyPassController(Controller):
    path = "/me/expected"
    include_in_schema = False
    dependencies = {"actor": Provide(provide_resident_actor)}

    @get("/{expected_id:uuid}/pass")
    async def show(self, request: Request, actor: NamedDependency[Actor], expected_id: FromPath[UUID]) -> Response:
        emailed = request.query_params.get("emailed") == "1"
        return await _my_page(actor, self.path, expected_id, emailed=emailed)

    @post("/{expected_id:uuid}/email-pass")
    async def email(self, request: Request, actor: NamedDependency[Actor], expected_id: FromPath[UUID]) -> Response:
        form = await read_form(request)
        try:
            await passes.email_pass(actor, expected_id, form.text("email"))
        except Invalid as exc:
            return await _my_page(actor, self.path, expected_id, 422, form=form.fields, errors=exc.errors)
        except rules.Gone:  # a page opened before the pass was used, revoked or expired: it now says so
            return await _my_page(actor, self.path, expected_id, 410)
        return go_to(request, f"{self.path}/{expected_id}/pass?emailed=1")

    @post("/{expected_id:uuid}/revoke-pass")
    async def revoke(self, request: Request, actor: NamedDependency[Actor], expected_id: FromPath[UUID]) -> Response:
        await passes.revoke(actor, expected_id)
        return go_to(request, f"{self.path}/{expected_id}/pass")


class AdminPassController(MyPassController):
    """The same pages for administrators, for any household's announcement; mounted in the administration router."""

    path = "/admin/expected"
    dependencies = {}


async def _my_page(actor: Actor, base: str, expected_id: UUID, status: int = 200, **extra) -> Response:
    found = await passes.my_pass(actor, expected_id)
    context = {"form": {}, "errors": {}, "email_on": channels().email_on, "base": base} | extra
    return _page(found, status, own=True, expected_id=expected_id, **context)


async def _leaving(request: Request, actor: Actor, visit_id: UUID, **context) -> Response:
    """The check-in form with the badge's visit ready to check out, its button focused: Enter checks out."""
    try:
        leaving = await badges.leaving(actor, visit_id)
    except (NotFound, Conflict) as exc:
        return await check_in_form(request, actor, exc.status_code, problem=exc.detail, **context)
    return await check_in_form(request, actor, leaving=leaving, **context)


def _session_key(request: Request) -> str | None:
    cookie = request.cookies.get(SESSION_COOKIE)
    return hashlib.sha256(cookie.encode()).hexdigest()[:32] if cookie else None


class GatePassController(Controller):
    """The kiosk's Pass field: 6 digits typed, or a pass's QR code read by a scanner or the camera."""

    path = "/kiosk/pass"
    include_in_schema = False

    @get("/")
    async def from_pass(self, request: Request, actor: NamedDependency[Actor]) -> Response:
        typed = read_query(request, ("pass",)).fields["pass"]
        oob = wants_fragment(request)
        try:
            found = await passes.find_scanned(actor, typed, request.app.state.sign_in_counters, _session_key(request))
        except (NotFound, Conflict) as exc:
            return await check_in_form(request, actor, exc.status_code, problem=exc.detail, pass_oob=oob)
        except passes.TooManyGuesses as exc:
            return await check_in_form(request, actor, 429, problem=exc.detail, pass_oob=oob, pass_wait=True)
        if isinstance(found, badges.Badge):  # a badge handed back: its check-out, its button focused
            return await check_in_form(request, actor, leaving=found, pass_oob=oob)
        if found.reason is not None:
            return await check_in_form(request, actor, 410, problem=rules.in_words(found.reason), pass_oob=oob)
        item = found.expected
        form = Form(visit_forms.check_in_values(item, expectedVisitId=str(item.id)))
        checks = await gate_checks(actor, form)
        return await check_in_form(
            request, actor, form=form.fields, from_expected=item, pass_oob=oob, stopped_by=checks["stopped_by"]
        )


BADGE_SIZES = ("62mm", "4x3", "a4")
"""Label printers' 62 mm continuous roll, 4x3 inch labels, and plain A4 paper (static/css/passes.css)."""


class BadgeController(Controller):
    """A visitor's badge to print after check-in, and the check-out its QR code opens."""

    path = "/kiosk"
    include_in_schema = False

    @get("/badges/{visit_id:uuid}")
    async def badge(self, request: Request, actor: NamedDependency[Actor], visit_id: FromPath[UUID]) -> Response:
        size = request.query_params.get("size", "")
        item = await badges.badge(actor, visit_id)
        size = size if size in BADGE_SIZES else BADGE_SIZES[0]
        return page("passes/badge.html", item=item, qr=qr_svg(item.qr_content), size=size, sizes=BADGE_SIZES)

    @get("/leave/{visit_id:uuid}")
    async def leave(self, request: Request, actor: NamedDependency[Actor], visit_id: FromPath[UUID]) -> Response:
        return await _leaving(request, actor, visit_id)
