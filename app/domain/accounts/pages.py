"""Signing in and out, and changing one's own password (every role)."""

from __future__ import annotations

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency

from app.domain.accounts import service as accounts
from app.domain.accounts import sign_in
from app.lib.actors import Actor
from app.lib.client import client_address
from app.lib.errors import Invalid, Unauthenticated
from app.web.auth import landing, safe_next
from app.web.forms import read_form
from app.web.render import add_personal_headers, go_to, page, page_or_fragment
from app.web.sessions import end_session, keep_session, start_session


class AccountController(Controller):
    include_in_schema = False

    @get("/sign-in")
    async def sign_in_page(self, request: Request) -> Response:
        target = safe_next(request.query_params.get("next"))
        session = request.session or {}
        if session.get("email"):
            return go_to(request, landing(session.get("role"), target))
        return add_personal_headers(page("auth/sign_in.html", next_url=target, email="", error=None))

    @post("/sign-in")
    async def sign_in(self, request: Request) -> Response:
        form = await read_form(request)
        target = safe_next(form.optional("next"))
        email = form.text("email")
        counters = request.app.state.sign_in_counters
        try:
            actor = await sign_in.sign_in(counters, client_address(request), email, form.text("password"))
        except (Unauthenticated, sign_in.TooManyAttempts) as exc:
            context = {"next_url": target, "email": email, "error": exc.detail}
            return add_personal_headers(page("auth/sign_in.html", exc.status_code, **context))
        await start_session(request, actor)
        return go_to(request, landing(actor.role, target))

    @post("/sign-out")
    async def sign_out(self, request: Request) -> Response:
        end_session(request)
        return go_to(request, "/sign-in")


class PasswordController(Controller):
    path = "/me/password"
    include_in_schema = False

    @get("/")
    async def password_page(self, actor: NamedDependency[Actor]) -> Response:
        del actor  # any signed-in account
        return page("account/password.html", errors={}, changed=False, min_length=accounts.PASSWORD_MIN)

    @post("/")
    async def change_password(self, request: Request, actor: NamedDependency[Actor]) -> Response:
        """On success the session goes on: the account is the same, only its password changed."""
        form = await read_form(request)
        status, errors = 200, {}
        try:
            epoch = await accounts.change_password(
                actor, form.text("currentPassword"), form.text("newPassword"), form.text("repeatPassword")
            )
            keep_session(request, epoch)
        except Invalid as exc:
            status, errors = 422, exc.errors
        context = {"errors": errors, "changed": not errors, "min_length": accounts.PASSWORD_MIN}
        return page_or_fragment(request, "account/password.html", "account/_password.html", status, **context)
