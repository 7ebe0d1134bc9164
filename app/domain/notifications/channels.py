"""The site's outward channels, from the settings: where email goes, how pushes are signed, the public address.

create_app() calls configure(settings) once; a script or test that never built the app reads the settings
on first use instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from urllib.parse import urlsplit

from cryptography.hazmat.primitives import serialization
from py_vapid import Vapid, b64urlencode

from app.settings import Settings, SmtpServer, load_settings


@dataclass(frozen=True)
class Channels:
    public_url: str
    vapid_private_key: str
    vapid_subject: str
    smtp: SmtpServer | None
    smtp_from: str

    @cached_property
    def vapid(self) -> Vapid:
        return Vapid.from_string(self.vapid_private_key)

    @cached_property
    def vapid_public_key(self) -> str:
        """The applicationServerKey a browser subscribes with: the uncompressed P-256 point, base64url."""
        raw = self.vapid.public_key.public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        return b64urlencode(raw)

    @property
    def email_on(self) -> bool:
        return self.smtp is not None

    def absolute(self, path: str) -> str:
        """A site path as a link that works from an email; a full URL on another host is refused."""
        if urlsplit(path).scheme or path.startswith("//") or not path.startswith("/"):
            raise ValueError(f"not a site path: {path!r}")
        return self.public_url + path


_channels: Channels | None = None


def configure(settings: Settings) -> Channels:
    global _channels
    _channels = Channels(
        public_url=settings.public_url,
        vapid_private_key=settings.vapid_private_key or "",
        vapid_subject=settings.vapid_subject,
        smtp=settings.smtp,
        smtp_from=settings.smtp_from,
    )
    return _channels


def channels() -> Channels:
    return _channels or configure(load_settings())
