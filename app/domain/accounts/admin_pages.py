"""Administrators' account pages: create guard, admin and resident accounts, reset a password, deactivate.

A password an administrator is given (a new account's, or after a reset) is shown once, on a page
that is never cached; only its hash is stored.
"""

from __future__ import annotations

from uuid import UUID

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath

from app.domain.accounts import admin as account_admin
from app.domain.accounts import forms as account_forms
from app.domain.accounts.schemas import role_names
from app.domain.records import audit
from app.lib.actors import Actor
from app.lib.errors import Invalid
from app.lib.i18n import N_, _
from app.lib.schemas import Page
from app.web.forms import read_form, read_query
from app.web.lists import ListTemplates, list_page
from app.web.render import go_to, page
from app.web.sessions import show_once, take_shown

PAGE_SIZE = 25
LIST = ListTemplates("admin/accounts.html", "admin/_accounts.html", "admin/_account_rows.html")


async def _detail(actor: Actor, account_id: UUID, status: int = 200, **extra) -> Response:
    context = {
        "account": await account_admin.get_account(actor, account_id),
        "history": await audit.history(actor, "account", account_id),
        "password": None,
        "notice": "",
        "roles": role_names(),
        # Deactivating one's own account is refused (account_admin.set_active), so it is not offered.
        "own": actor.account_id == account_id,
    }
    return page("admin/account.html", status, **(context | extra))


NOTICES = {
    "created": N_("Account created."),
    "reset": N_("Password reset; its sessions have ended."),
    "deactivated": N_("Account deactivated; its sessions and API tokens stopped working."),
    "reactivated": N_("Account reactivated."),
}


class AccountAdminController(Controller):
    path = "/admin/accounts"
    include_in_schema = False

    @get("/")
    async def index(self, request: Request, actor: NamedDependency[Actor]) -> Response:
        params = read_query(request, ("q", "role")).fields

        async def fetch(cursor: str | None) -> Page:
            return await account_admin.list_accounts(actor, params["q"], params["role"] or None, PAGE_SIZE, cursor)

        return await list_page(request, LIST, fetch, base=self.path, params=params, roles=role_names())

    @get("/new")
    async def new(self, actor: NamedDependency[Actor]) -> Response:
        del actor  # administrators only, checked by the router
        return page("admin/account_new.html", form={"role": "resident"}, errors={}, roles=role_names())

    @post("/new")
    async def create(self, request: Request, actor: NamedDependency[Actor]) -> Response:
        """A generated password (for a blank one) is shown once, on the new account's page."""
        form = await read_form(request)
        try:
            added = await account_admin.add_account(actor, account_forms.account_input(form))
        except Invalid as exc:
            return page("admin/account_new.html", 422, form=form.fields, errors=exc.errors, roles=role_names())
        if added.temporary_password:
            show_once(request, f"account:{added.account.id}", added.temporary_password)
        return go_to(request, f"{self.path}/{added.account.id}?done=created")

    @get("/{account_id:uuid}")
    async def detail(self, request: Request, actor: NamedDependency[Actor], account_id: FromPath[UUID]) -> Response:
        done = request.query_params.get("done", "")
        notice = _(NOTICES[done]) if done in NOTICES else ""
        return await _detail(actor, account_id, password=take_shown(request, f"account:{account_id}"), notice=notice)

    @post("/{account_id:uuid}/reset-password")
    async def reset_password(
        self, request: Request, actor: NamedDependency[Actor], account_id: FromPath[UUID]
    ) -> Response:
        show_once(request, f"account:{account_id}", await account_admin.reset_password(actor, account_id))
        return go_to(request, f"{self.path}/{account_id}?done=reset")

    @post("/{account_id:uuid}/active")
    async def set_active(self, request: Request, actor: NamedDependency[Actor], account_id: FromPath[UUID]) -> Response:
        active = (await read_form(request)).checked("active", "true")
        await account_admin.set_active(actor, account_id, active)
        return go_to(request, f"{self.path}/{account_id}?done={'reactivated' if active else 'deactivated'}")
