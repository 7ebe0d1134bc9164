"""PUBLIC_URL, SMTP_URL, SMTP_FROM and the VAPID key and subject: read, defaulted and refused by name."""

from __future__ import annotations

import stat

import pytest
from py_vapid import Vapid

from app.domain.notifications.channels import Channels
from app.settings import SettingsError, load_settings


def test_defaults(monkeypatch, tmp_path):
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    for name in ("PUBLIC_URL", "SMTP_URL", "SMTP_FROM", "VAPID_PRIVATE_KEY", "VAPID_SUBJECT"):
        monkeypatch.delenv(name, raising=False)
    settings = load_settings()
    assert settings.public_url == "http://127.0.0.1:8000"
    assert settings.smtp is None
    assert settings.smtp_from == "Gatehouse <gatehouse@127.0.0.1>"
    assert settings.vapid_subject == "mailto:admin@127.0.0.1"


def test_the_vapid_key_is_made_once_kept_private_and_reused(monkeypatch, tmp_path):
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    monkeypatch.delenv("VAPID_PRIVATE_KEY", raising=False)
    first = load_settings().vapid_private_key
    kept = tmp_path / "vapid_private_key"
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    assert load_settings().vapid_private_key == first
    Vapid.from_string(first)  # a key py_vapid can sign with


def test_vapid_private_key_overrides_the_file_and_a_bad_one_is_named(monkeypatch, tmp_path):
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    vapid = Vapid()
    vapid.generate_keys()
    raw = vapid.private_key.private_numbers().private_value.to_bytes(32, "big")
    import base64

    key = base64.urlsafe_b64encode(raw).decode().rstrip("=")
    monkeypatch.setenv("VAPID_PRIVATE_KEY", key)
    assert load_settings().vapid_private_key == key
    assert not (tmp_path / "vapid_private_key").exists()
    monkeypatch.setenv("VAPID_PRIVATE_KEY", "not-a-key")
    with pytest.raises(SettingsError, match="VAPID_PRIVATE_KEY"):
        load_settings()


@pytest.mark.parametrize(
    ("text", "host", "port", "user", "password", "implicit", "starttls"),
    [
        ("smtp://mailer:s%40cret@mail.example.com:587", "mail.example.com", 587, "mailer", "s@cret", False, True),
        ("smtp://mail.example.com:25", "mail.example.com", 25, None, None, False, None),
        ("smtp://mail.example.com", "mail.example.com", 587, None, None, False, True),
        ("smtps://user:pw@mail.example.com", "mail.example.com", 465, "user", "pw", True, None),
    ],
)
def test_smtp_url(monkeypatch, text, host, port, user, password, implicit, starttls):
    monkeypatch.setenv("SMTP_URL", text)
    smtp = load_settings().smtp
    assert (smtp.host, smtp.port, smtp.username, smtp.password, smtp.implicit_tls) == (
        host,
        port,
        user,
        password,
        implicit,
    )
    assert smtp.starttls is starttls


@pytest.mark.parametrize(
    "text", ["mail.example.com", "http://mail.example.com", "smtp://", "smtp://host:port", "smtp://host/path"]
)
def test_a_bad_smtp_url_is_named_and_its_password_not_shown(monkeypatch, text):
    monkeypatch.setenv("SMTP_URL", text)
    with pytest.raises(SettingsError, match="SMTP_URL"):
        load_settings()
    monkeypatch.setenv("SMTP_URL", "smtp://user:hunter22@host:port")
    with pytest.raises(SettingsError) as caught:
        load_settings()
    assert "hunter22" not in str(caught.value)


@pytest.mark.parametrize(
    "text", ["gate.example.com", "ftp://gate.example.com", "https://", "https://x:99999", "https://x/?a=1"]
)
def test_a_bad_public_url_is_named(monkeypatch, text):
    monkeypatch.setenv("PUBLIC_URL", text)
    with pytest.raises(SettingsError, match="PUBLIC_URL"):
        load_settings()


def test_public_url_subject_and_sender_follow_the_host(monkeypatch):
    monkeypatch.setenv("PUBLIC_URL", "https://gate.example.com/")
    monkeypatch.setenv("SMTP_FROM", "Portaria <portaria@example.com>")
    monkeypatch.delenv("VAPID_SUBJECT", raising=False)
    settings = load_settings()
    assert settings.public_url == "https://gate.example.com"
    assert settings.vapid_subject == "mailto:admin@gate.example.com"
    assert settings.smtp_from == "Portaria <portaria@example.com>"
    monkeypatch.setenv("VAPID_SUBJECT", "admin@example.com")
    with pytest.raises(SettingsError, match="VAPID_SUBJECT"):
        load_settings()


def test_links_are_absolute_and_only_site_paths():
    site = Channels("https://gate.example.com", "", "mailto:a@b.c", None, "x")
    assert site.absolute("/me/requests/1?t=abc") == "https://gate.example.com/me/requests/1?t=abc"
    for bad in ("https://evil.example/x", "//evil.example/x", "me/x"):
        with pytest.raises(ValueError):
            site.absolute(bad)
