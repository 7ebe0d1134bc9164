"""Server-side sessions that get a fresh id at sign-in (Litestar would keep a planted one)."""

from __future__ import annotations

import secrets

from litestar import Request
from litestar.connection import ASGIConnection
from litestar.datastructures import Cookie, MutableScopeHeaders
from litestar.middleware import DefineMiddleware
from litestar.middleware.session import SessionMiddleware
from litestar.middleware.session.server_side import ServerSideSessionBackend, ServerSideSessionConfig
from litestar.types import Empty, Message

from app.domain.accounts import service as accounts
from app.lib.actors import Actor
from app.lib.shared_state import SESSIONS_STORE

SESSION_COOKIE = "gatehouse_session"
_NEW_ID = "gatehouse.new_session_id"
LANGUAGE_KEY = "language"


class RotatingSessionBackend(ServerSideSessionBackend):
    def get_session_id(self, connection: ASGIConnection) -> str:
        return connection.scope.get(_NEW_ID) or super().get_session_id(connection)  # type: ignore[return-value]

    async def store_in_message(self, scope_session, message: Message, connection: ASGIConnection) -> None:
        """Store nothing for a visitor with nothing to store: Litestar would keep an empty session (and its
        cookie) for every anonymous request, and the memory store would grow with each one."""
        if scope_session is Empty or not scope_session:
            if SESSION_COOKIE not in connection.cookies:
                return
            await self.forget(message, connection)
            return
        await super().store_in_message(scope_session, message, connection)

    async def forget(self, message: Message, connection: ASGIConnection) -> None:
        """Delete the stored session and the cookie. Litestar would set the cookie to `null` and keep it in the
        browser for the session's whole max-age."""
        await self.delete(
            self.get_session_id(connection), store=self.config.get_store_from_app(connection.scope["app"])
        )
        cookie = Cookie(
            key=self.config.key,
            value="",
            path=self.config.path,
            max_age=0,
            expires=0,
            httponly=self.config.httponly,
            secure=self.config.secure,
            samesite=self.config.samesite,
            domain=self.config.domain,
        )
        MutableScopeHeaders.from_message(message).add("Set-Cookie", cookie.to_header(header=""))


def session_config() -> ServerSideSessionConfig:
    return ServerSideSessionConfig(
        key=SESSION_COOKIE,
        max_age=12 * 60 * 60 + 30 * 60,  # a guard's shift, with a margin
        httponly=True,
        samesite="lax",
        exclude=["^/api", "^/schema", "^/static", "^/healthz", "^/readyz"],
    )


def session_middleware() -> DefineMiddleware:
    """Litestar's session middleware with our backend (what `config.middleware` does with its own)."""
    return DefineMiddleware(SessionMiddleware, backend=RotatingSessionBackend(config=session_config()))


async def start_session(request: Request, actor: Actor) -> None:
    """Forget whatever session the browser brought and store the actor under a new id."""
    old_id = request.cookies.get(SESSION_COOKIE)
    store = request.app.stores.get(SESSIONS_STORE)
    if old_id:
        await store.delete(old_id)
    request.scope[_NEW_ID] = secrets.token_hex(32)  # type: ignore[literal-required]
    epoch, language = await accounts.session_facts(actor.account_id)
    session = {"email": actor.email, "role": actor.role, "epoch": epoch}
    request.set_session(session | ({LANGUAGE_KEY: language} if language else {}))


def remember_language(request: Request, language: str) -> None:
    request.set_session({**(request.session or {}), LANGUAGE_KEY: language})


def keep_session(request: Request, epoch: int) -> None:
    """After changing one's own password: this session goes on, the account's other sessions end."""
    request.set_session({**(request.session or {}), "epoch": epoch})


def end_session(request: Request) -> None:
    request.clear_session()


_SHOWN_ONCE = "shown_once"


def show_once(request: Request, what: str, secret: str) -> None:
    """Keep a new password or token for the very next page only (post, redirect, then show): reloading
    that page shows nothing again, and never repeats the action that made the secret."""
    request.set_session({**(request.session or {}), _SHOWN_ONCE: {"what": what, "secret": secret}})


def take_shown(request: Request, what: str) -> str | None:
    session = dict(request.session or {})
    kept = session.pop(_SHOWN_ONCE, None)
    if kept is None:
        return None
    request.set_session(session)
    return kept["secret"] if kept.get("what") == what else None
