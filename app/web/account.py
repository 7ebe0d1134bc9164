"""Signing in and out of the kiosk."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, Request, Response, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body

from app.services import sign_in
from app.services.errors import Unauthenticated
from app.web.auth import safe_next
from app.web.render import add_personal_headers, go_to, page
from app.web.sessions import end_session, start_session

SIGN_IN_STORE = "sign_in"
Form = Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)]


class AccountController(Controller):
    include_in_schema = False

    @get("/sign-in")
    async def sign_in_page(self, request: Request) -> Response:
        target = safe_next(request.query_params.get("next"))
        if (request.session or {}).get("email"):
            return go_to(request, target)
        return add_personal_headers(page("auth/sign_in.html", next_url=target, email="", error=None))

    @post("/sign-in")
    async def sign_in(self, request: Request, data: Form) -> Response:
        target = safe_next(data.get("next"))
        email = data.get("email", "")
        address = request.client.host if request.client else "unknown"
        store = request.app.stores.get(SIGN_IN_STORE)
        try:
            actor = await sign_in.sign_in(store, address, email, data.get("password", ""))
        except (Unauthenticated, sign_in.TooManyAttempts) as exc:
            context = {"next_url": target, "email": email, "error": exc.detail}
            return add_personal_headers(page("auth/sign_in.html", exc.status_code, **context))
        await start_session(request, actor)
        return go_to(request, target)

    @post("/sign-out")
    async def sign_out(self, request: Request) -> Response:
        end_session(request)
        return go_to(request, "/sign-in")
