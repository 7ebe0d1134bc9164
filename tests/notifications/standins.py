"""Stand-ins that speak the real protocols: a Web Push service and a browser's push keys, and a mail server.

The push service checks what a real one checks (RFC 8292: the VAPID JWT's ES256 signature against the key in
the Authorization header, its audience and expiry, a contact) and keeps the encrypted body; the browser
decrypts it (RFC 8291 aes128gcm) with the keys it subscribed with. The mail server is aiosmtpd.
"""

from __future__ import annotations

import base64
import email
import json
import os
import socket
import time
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage

import http_ece
from aiohttp import web
from aiosmtpd.controller import Controller
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature


def b64decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def b64encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class PushKeys:
    """What a browser's PushManager makes when it subscribes: a P-256 key pair and a 16-byte auth secret."""

    def __init__(self) -> None:
        self.private_key = ec.generate_private_key(ec.SECP256R1())
        self.auth = os.urandom(16)

    def subscription(self, endpoint: str) -> dict:
        public = self.private_key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        return {"endpoint": endpoint, "keys": {"p256dh": b64encode(public), "auth": b64encode(self.auth)}}

    def decrypt(self, body: bytes) -> dict:
        plain = http_ece.decrypt(body, private_key=self.private_key, auth_secret=self.auth, version="aes128gcm")
        return json.loads(plain)


def vapid_problem(authorization: str, audience: str) -> tuple[str | None, str | None]:
    """(what is wrong with the Authorization header, or None; the public key it names)."""
    scheme, _, params = authorization.partition(" ")
    if scheme.lower() != "vapid":
        return "not the vapid scheme", None
    parts = dict(part.strip().split("=", 1) for part in params.split(",") if "=" in part)
    if "t" not in parts or "k" not in parts:
        return "t or k missing", None
    head, claims_text, signature = parts["t"].split(".")
    if json.loads(b64decode(head)) != {"typ": "JWT", "alg": "ES256"}:
        return "not an ES256 JWT", parts["k"]
    raw = b64decode(signature)
    if len(raw) != 64:
        return "signature is not 64 bytes (r||s)", parts["k"]
    key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), b64decode(parts["k"]))
    der = encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
    try:
        key.verify(der, f"{head}.{claims_text}".encode(), ec.ECDSA(hashes.SHA256()))
    except InvalidSignature:
        return "bad signature", parts["k"]
    claims = json.loads(b64decode(claims_text))
    if claims.get("aud") != audience:
        return f"aud {claims.get('aud')!r} is not {audience!r}", parts["k"]
    if not time.time() < claims.get("exp", 0) <= time.time() + 24 * 3600:
        return "exp not within the next 24 hours", parts["k"]
    if not claims.get("sub"):
        return "no sub", parts["k"]
    return None, parts["k"]


@dataclass
class Push:
    token: str
    headers: dict
    body: bytes
    vapid_key: str | None


@dataclass
class PushService:
    """POST /push/<token>: 201 when the VAPID token holds, 401 when not; `answer` overrides the status."""

    received: list[Push] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    answer: int = 201
    origin: str = ""

    async def handle(self, request: web.Request) -> web.Response:
        problem, key = vapid_problem(request.headers.get("Authorization", ""), self.origin)
        if problem:
            self.refused.append(problem)
            return web.Response(status=401, text=problem)
        if request.headers.get("Content-Encoding") != "aes128gcm" or "TTL" not in request.headers:
            self.refused.append("no aes128gcm body or no TTL")
            return web.Response(status=400)
        self.received.append(Push(request.match_info["token"], request.headers.copy(), await request.read(), key))
        return web.Response(status=self.answer)

    def endpoint(self, token: str) -> str:
        return f"{self.origin}/push/{token}"

    async def __aenter__(self) -> PushService:
        app = web.Application()
        app.router.add_post("/push/{token}", self.handle)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        port = free_port()
        await web.TCPSite(self._runner, "127.0.0.1", port).start()
        self.origin = f"http://127.0.0.1:{port}"
        return self

    async def __aexit__(self, *exc) -> None:
        await self._runner.cleanup()


class Inbox:
    """aiosmtpd's handler: keeps each message with its envelope."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], EmailMessage]] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        message = email.message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append((list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"


class MailServer:
    def __init__(self) -> None:
        self.inbox = Inbox()
        self.port = free_port()
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)

    def __enter__(self) -> MailServer:
        self.controller.start()
        return self

    def __exit__(self, *exc) -> None:
        self.controller.stop()
