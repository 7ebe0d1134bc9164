"""Signed, expiring tokens for links that act without a session (an answer from a notification or an email).

HMAC-SHA256 over the payload with the site's secret key and a purpose, so a token made for one purpose is
never accepted for another. The token carries no secret: it proves the server made it, and until when."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from datetime import datetime

from app.lib.clock import utc_now

_secret: bytes = b""


def configure(secret_key: str) -> None:
    global _secret
    _secret = secret_key.encode()


def _mac(purpose: str, body: bytes) -> bytes:
    if not _secret:
        raise RuntimeError("signing.configure(secret_key) was not called")
    return hmac.new(_secret, purpose.encode() + b"\0" + body, hashlib.sha256).digest()[:18]


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def sign(purpose: str, payload: dict, expires_at: datetime) -> str:
    body = json.dumps({**payload, "exp": int(expires_at.timestamp())}, separators=(",", ":")).encode()
    return f"{_b64(body)}.{_b64(_mac(purpose, body))}"


def unsign(purpose: str, token: str) -> tuple[dict, bool] | None:
    """(payload, still valid) for a token this server signed for `purpose`; None for anything else.

    An expired token still returns its payload, so the caller can say "this request has expired" rather
    than "this link is broken"."""
    try:
        body_text, mac_text = token.split(".")
        body, mac = _unb64(body_text), _unb64(mac_text)
        payload = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return None
    if not isinstance(payload, dict) or not hmac.compare_digest(mac, _mac(purpose, body)):
        return None
    return payload, utc_now().timestamp() < payload.get("exp", 0)
