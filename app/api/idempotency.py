"""`Idempotency-Key` on every API POST: the same key and body within a day answer with the first response,
without doing it again; the same key with another body is 422.

Keys belong to the caller's account. `claim` (the API router's before_request, after authentication)
inserts the key's row, pending, before the handler runs: the primary key settles a race between two
requests with one key (the second is told 409, still in progress). The ASGI middleware `remember` keeps
the answer once it is sent, or drops the row when the server failed (5xx), so a retry runs again.
POST /api/visits keeps its own key table, written in the check-in's transaction (visits.service).
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

from litestar import Request, Response
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from app.api.auth import provide_api_actor
from app.db.reads import numbered, run_statement
from app.lib.errors import Conflict, KeyReused
from app.lib.i18n import _

HEADER = "idempotency-key"
KEY_MAX = 64
KEPT = timedelta(days=1)
OWN_KEYS = ("/api/visits",)
"""POSTs whose service keeps its keys in its own transaction."""
_SCOPE_KEY = "gatehouse.idempotency"

_INSERT = (
    "INSERT INTO api_idempotency (id, fingerprint, created_at) VALUES (?, ?, ?)"
    " ON CONFLICT (id) DO NOTHING RETURNING id"
)
_SELECT = "SELECT fingerprint, status, body, location FROM api_idempotency WHERE id = ?"
_PRUNE = "DELETE FROM api_idempotency WHERE created_at < ?"
_STORE = "UPDATE api_idempotency SET status = ?, body = ?, location = ? WHERE id = ?"
_DROP = "DELETE FROM api_idempotency WHERE id = ?"


async def _run(sql: str, args: list) -> list:
    return await run_statement(sql, numbered(sql), args, inline=False)


def usable_key(key: str | None) -> str | None:
    key = (key or "").strip()
    return key if 0 < len(key) <= KEY_MAX else None


def fingerprint(method: str, path: str, body: bytes) -> str:
    return hashlib.sha256(b"%s %s\n%s" % (method.encode(), path.encode(), body)).hexdigest()


async def claim(request: Request) -> Response | None:
    """Before a keyed POST's handler: the first answer again, or None to run it (its key now pending)."""
    if request.method != "POST" or request.url.path.rstrip("/") in OWN_KEYS:
        return None
    key = usable_key(request.headers.get(HEADER))
    if key is None:
        return None
    actor = provide_api_actor()
    row_id = f"{actor.account_id}:{key}"
    sent = fingerprint(request.method, request.url.path, await request.body())
    now = datetime.now(UTC)
    await _run(_PRUNE, [(now - KEPT).isoformat()])
    if await _run(_INSERT, [row_id, sent, now.isoformat()]):
        request.scope[_SCOPE_KEY] = row_id  # type: ignore[literal-required]
        return None
    rows = await _run(_SELECT, [row_id])
    if not rows:  # pragma: no cover - pruned between the insert and the select
        return None
    first, status, body, location = rows[0]
    if first != sent:
        raise KeyReused(_("This Idempotency-Key was already used for another request; send a new key."))
    if status is None:
        raise Conflict(_("A request with this Idempotency-Key is still being processed; try again shortly."))
    headers = {"Idempotent-Replayed": "true"} | ({"Location": location} if location else {})
    media_type = "application/problem+json" if status >= 400 else "application/json"
    return Response(content=(body or "").encode(), status_code=status, headers=headers, media_type=media_type)


def remember(app: ASGIApp) -> ASGIApp:
    """Keep the answer of a POST whose key `claim` took (a failure of the server's own frees the key)."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST":
            await app(scope, receive, send)
            return
        answer: dict = {"status": None, "location": None, "body": []}

        async def capture(message: Message) -> None:
            if message["type"] == "http.response.start":
                answer["status"] = message["status"]
                for name, value in message.get("headers", []):
                    if name.lower() == b"location":
                        answer["location"] = value.decode("latin-1")
            elif message["type"] == "http.response.body":
                answer["body"].append(message.get("body", b""))
            await send(message)

        try:
            await app(scope, receive, capture)
        finally:
            row_id = scope.get(_SCOPE_KEY)
            if row_id is not None:
                status = answer["status"]
                if status is None or status >= 500:
                    await _run(_DROP, [row_id])
                else:
                    body = b"".join(answer["body"]).decode("utf-8", "replace")
                    await _run(_STORE, [status, body, answer["location"], row_id])

    return middleware
