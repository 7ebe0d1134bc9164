"""Settings read from the environment, once, into a frozen dataclass."""

from __future__ import annotations

import ipaddress
import os
import secrets
from dataclasses import dataclass
from datetime import time
from pathlib import Path
from urllib.parse import unquote, urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from app.lib.i18n import LANGUAGES, SOURCE_LANGUAGE, supported

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA_DIR = PROJECT_ROOT / "data"
DEFAULT_DATABASE_URL = f"sqlite:///{DEFAULT_DATA_DIR / 'gatehouse.db'}"
DEFAULT_OVERSTAY_HOURS = 12
DEFAULT_PARCEL_REMINDER_DAYS = 3
MAX_OVERSTAY_HOURS = 24 * 30
APPROVAL_MODES = ("off", "offer", "require")
DEFAULT_APPROVAL_TIMEOUT_SECONDS = 90
DEFAULT_PUBLIC_URL = "http://127.0.0.1:8000"
MAX_BODY_BYTES = 64 * 1024
"""The largest request body accepted, API and forms alike (413 beyond it); a visit is under 2 KiB."""


class SettingsError(ValueError):
    """A setting has a value Gatehouse cannot use."""


@dataclass(frozen=True)
class SmtpServer:
    """SMTP_URL taken apart: smtp://user:pass@host:587 (STARTTLS on 587) or smtps://host:465 (TLS from the start)."""

    host: str
    port: int
    username: str | None = None
    password: str | None = None
    implicit_tls: bool = False

    @property
    def starttls(self) -> bool | None:
        """True on the submission port (587) where STARTTLS is required; else whatever the server offers."""
        return None if self.implicit_tls or self.port != 587 else True


@dataclass(frozen=True)
class Settings:
    database_url: str
    secret_key: str
    timezone: ZoneInfo
    redis_url: str | None = None
    data_dir: Path = DEFAULT_DATA_DIR
    debug: bool = False
    overstay_hours: int = DEFAULT_OVERSTAY_HOURS
    parcel_reminder_days: int = DEFAULT_PARCEL_REMINDER_DAYS
    """PARCEL_REMINDER_DAYS: a parcel waiting this many days is overdue, and the household is reminded once."""
    sweep_at: time | None = None
    """The site's local time of the daily end-of-day sweep; None (the default) never sweeps."""
    retention_days: int | None = None
    """Visits that left more than this many days ago are anonymised by `gatehouse purge`; None keeps them."""
    language: str = SOURCE_LANGUAGE
    """The site's language (SITE_LANGUAGE): what anyone reads before choosing, and the command line speaks."""
    forwarded_allow_ips: str | None = None
    """The proxies whose X-Forwarded-For/-Proto `gatehouse serve` believes (comma-separated IPs or networks,
    or `*`); None (the default) believes no one, so a client can never choose its own address or scheme."""

    entry_approval: str = "offer"
    """ENTRY_APPROVAL: off (guards never ask), offer (the kiosk offers to ask the resident about an unannounced
    visitor) or require (an unannounced visitor comes in only with the resident's answer or a recorded call)."""
    approval_timeout_seconds: int = DEFAULT_APPROVAL_TIMEOUT_SECONDS
    """ENTRY_APPROVAL_TIMEOUT: how long a request waits for the household before the guard calls them."""
    public_url: str = DEFAULT_PUBLIC_URL
    """The site's address as people reach it (PUBLIC_URL), for the links of emails; no trailing slash."""
    vapid_private_key: str | None = None
    """The Web Push signing key (VAPID_PRIVATE_KEY, else DATA_DIR/vapid_private_key, created on first start)."""
    vapid_subject: str = ""
    """Who push services contact about our pushes (VAPID_SUBJECT): mailto:admin@<PUBLIC_URL's host> by default."""
    smtp: SmtpServer | None = None
    """Where email goes (SMTP_URL); None sends no email."""
    smtp_from: str = ""
    """The sender of emails (SMTP_FROM): Gatehouse <gatehouse@<PUBLIC_URL's host>> by default."""
    community_name: str = ""
    """COMMUNITY_NAME: the community's name, on the passes visitors are sent."""
    community_address: str = ""
    """COMMUNITY_ADDRESS: where the community is, on the passes visitors are sent."""

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite:")


def database_url_from_env() -> str:
    return os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL


def _read_or_create_secret(data_dir: Path) -> str:
    """A local run gets a stable secret kept beside its database."""
    path = data_dir / "secret_key"
    if path.exists():
        return path.read_text().strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    path.write_text(key)
    path.chmod(0o600)
    return key


def _timezone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise SettingsError(f"TIMEZONE: unknown time zone {name!r}") from exc


def _site_language(text: str) -> str:
    language = supported(text)
    if language is None:
        raise SettingsError(f"SITE_LANGUAGE: {text!r} is not one of {', '.join(LANGUAGES)}")
    return language


def _overstay_hours(text: str) -> int:
    try:
        hours = int(text.strip())
    except ValueError:
        hours = 0
    if not 1 <= hours <= MAX_OVERSTAY_HOURS:
        raise SettingsError(f"OVERSTAY_HOURS: {text!r} is not a whole number of hours from 1 to {MAX_OVERSTAY_HOURS}")
    return hours


def _parcel_reminder_days(text: str) -> int:
    try:
        days = int(text.strip())
    except ValueError:
        days = 0
    if not 1 <= days <= 365:
        raise SettingsError(f"PARCEL_REMINDER_DAYS: {text!r} is not a whole number of days from 1 to 365")
    return days


def _sweep_at(text: str) -> time | None:
    """'03:00' (24-hour clock, site time); blank turns the daily sweep off."""
    if not text.strip():
        return None
    try:
        hours, minutes = text.strip().split(":")
        if len(hours) not in (1, 2) or len(minutes) != 2:
            raise ValueError
        return time(int(hours), int(minutes))
    except ValueError:
        raise SettingsError(
            f"SWEEP_AT: {text!r} is not a time of day such as 03:00 (leave it empty for no sweep)"
        ) from None


def _entry_approval(text: str) -> str:
    mode = text.strip().lower()
    if mode not in APPROVAL_MODES:
        raise SettingsError(f"ENTRY_APPROVAL: {text!r} is not one of {', '.join(APPROVAL_MODES)}")
    return mode


def _approval_timeout(text: str) -> int:
    try:
        seconds = int(text.strip())
    except ValueError:
        seconds = 0
    if not 10 <= seconds <= 3600:
        raise SettingsError(f"ENTRY_APPROVAL_TIMEOUT: {text!r} is not a whole number of seconds from 10 to 3600")
    return seconds


def _retention_days(text: str | None) -> int | None:
    if not text or not text.strip():
        return None
    try:
        days = int(text.strip())
    except ValueError:
        days = 0
    if days < 1:
        raise SettingsError(
            f"RETENTION_DAYS: {text!r} is not a whole number of days of at least 1 (unset it to keep visits)"
        )
    return days


def _forwarded_allow_ips(text: str | None) -> str | None:
    """'10.0.0.5, 10.1.0.0/16' or '*'; blank means no proxy is trusted."""
    items = [item.strip() for item in (text or "").split(",") if item.strip()]
    for item in items:
        if item == "*":
            continue
        try:
            ipaddress.ip_network(item, strict=False)
        except ValueError:
            raise SettingsError(
                f"FORWARDED_ALLOW_IPS: {item!r} is not an IP address or network such as 127.0.0.1 or 10.0.0.0/8"
            ) from None
    return ",".join(items) or None


def _public_url(text: str) -> str:
    parts = urlsplit(text.strip())
    if parts.scheme not in {"http", "https"} or not parts.hostname or parts.query or parts.fragment:
        raise SettingsError(f"PUBLIC_URL: {text!r} is not a site address such as https://gate.example.com")
    try:
        parts.port  # noqa: B018 - raises on a bad port
    except ValueError:
        raise SettingsError(f"PUBLIC_URL: {text!r} has a port that is not a number from 1 to 65535") from None
    return text.strip().rstrip("/")


def _smtp_server(text: str | None) -> SmtpServer | None:
    if not text or not text.strip():
        return None
    problem = "is not an address such as smtp://user:password@mail.example.com:587 or smtps://mail.example.com"
    parts = urlsplit(text.strip())
    try:
        port = parts.port
    except ValueError:
        port = -1
    if parts.scheme not in {"smtp", "smtps"} or not parts.hostname or port == -1 or parts.path not in ("", "/"):
        shown = text if not parts.password else text.replace(parts.password, "***")
        raise SettingsError(f"SMTP_URL: {shown!r} {problem}")
    implicit = parts.scheme == "smtps"
    return SmtpServer(
        host=parts.hostname,
        port=port or (465 if implicit else 587),
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
        implicit_tls=implicit,
    )


def _vapid_private_key(text: str | None, data_dir: Path) -> str:
    """VAPID_PRIVATE_KEY (the raw key or DER, base64url), else the key kept beside the database, made once."""
    from py_vapid import Vapid, b64urlencode

    if text and text.strip():
        try:
            Vapid.from_string(text.strip())
        except Exception:
            raise SettingsError("VAPID_PRIVATE_KEY: not a P-256 private key (raw or DER, base64url)") from None
        return text.strip()
    path = data_dir / "vapid_private_key"
    if path.exists():
        return path.read_text().strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    vapid = Vapid()
    vapid.generate_keys()
    key = b64urlencode(vapid.private_key.private_numbers().private_value.to_bytes(32, "big"))
    path.touch(mode=0o600)
    path.chmod(0o600)
    path.write_text(key)
    return key


def _vapid_subject(text: str | None, public_url: str) -> str:
    if not text or not text.strip():
        return f"mailto:admin@{urlsplit(public_url).hostname}"
    subject = text.strip()
    if not subject.startswith(("mailto:", "https://")):
        raise SettingsError(
            f"VAPID_SUBJECT: {text!r} is not a mailto: or https: address such as mailto:admin@example.com"
        )
    return subject


def load_settings() -> Settings:
    data_dir = Path(os.environ.get("DATA_DIR") or DEFAULT_DATA_DIR)
    public_url = _public_url(os.environ.get("PUBLIC_URL") or DEFAULT_PUBLIC_URL)
    return Settings(
        database_url=database_url_from_env(),
        secret_key=os.environ.get("SECRET_KEY") or _read_or_create_secret(data_dir),
        timezone=_timezone(os.environ.get("TIMEZONE") or "UTC"),
        redis_url=os.environ.get("REDIS_URL") or None,
        data_dir=data_dir,
        debug=os.environ.get("DEBUG", "").lower() in {"1", "true", "yes"},
        overstay_hours=_overstay_hours(os.environ.get("OVERSTAY_HOURS") or str(DEFAULT_OVERSTAY_HOURS)),
        parcel_reminder_days=_parcel_reminder_days(
            os.environ.get("PARCEL_REMINDER_DAYS") or str(DEFAULT_PARCEL_REMINDER_DAYS)
        ),
        sweep_at=_sweep_at(os.environ.get("SWEEP_AT", "")),
        retention_days=_retention_days(os.environ.get("RETENTION_DAYS")),
        forwarded_allow_ips=_forwarded_allow_ips(os.environ.get("FORWARDED_ALLOW_IPS")),
        entry_approval=_entry_approval(os.environ.get("ENTRY_APPROVAL") or "offer"),
        approval_timeout_seconds=_approval_timeout(
            os.environ.get("ENTRY_APPROVAL_TIMEOUT") or str(DEFAULT_APPROVAL_TIMEOUT_SECONDS)
        ),
        language=_site_language(os.environ.get("SITE_LANGUAGE") or SOURCE_LANGUAGE),
        public_url=public_url,
        vapid_private_key=_vapid_private_key(os.environ.get("VAPID_PRIVATE_KEY"), data_dir),
        vapid_subject=_vapid_subject(os.environ.get("VAPID_SUBJECT"), public_url),
        smtp=_smtp_server(os.environ.get("SMTP_URL")),
        smtp_from=(os.environ.get("SMTP_FROM") or "").strip()
        or f"Gatehouse <gatehouse@{urlsplit(public_url).hostname}>",
        community_name=(os.environ.get("COMMUNITY_NAME") or "").strip()[:120],
        community_address=(os.environ.get("COMMUNITY_ADDRESS") or "").strip()[:300],
    )
