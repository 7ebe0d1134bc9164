"""Hostile or odd page requests: the error page or an inline message, never a 500 or a dropped connection."""

from __future__ import annotations

import pytest

from tests.factory import CALENDAR_EDGES
from tests.web.conftest import csrf_from, sign_in


def multipart_not_utf8(token: str) -> tuple[bytes, dict[str, str]]:
    """A multipart form whose email field is not UTF-8 (a browser never sends one; a script can)."""
    boundary = "gatehouse-test-boundary"
    parts = [("_csrf_token", token.encode()), ("email", b"\xff\xfe guard"), ("password", b"x")]
    body = b"".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode() + value + b"\r\n"
        for name, value in parts
    )
    return body + f"--{boundary}--\r\n".encode(), {"content-type": f"multipart/form-data; boundary={boundary}"}


def assert_no_traceback(caplog) -> None:
    assert not [record for record in caplog.records if record.exc_info], "a traceback was logged"


async def test_a_form_that_is_not_utf8_gets_the_400_error_page_anonymous(client, caplog):
    token = csrf_from((await client.get("/sign-in")).text)
    for path in ("/sign-in", "/sign-out", "/kiosk/visits"):
        body, headers = multipart_not_utf8(token)
        response = await client.post(path, content=body, headers=headers, follow_redirects=False)
        assert response.status_code == 400, (path, response.status_code)
        assert response.headers["content-type"].startswith("text/html")
        assert "not UTF-8" in response.text
    assert_no_traceback(caplog)


async def test_a_form_that_is_not_utf8_gets_the_400_error_page_signed_in(kiosk, caplog):
    client, token, htmx = kiosk
    for path in ("/kiosk/visits", "/sign-out"):
        body, headers = multipart_not_utf8(token)
        response = await client.post(path, content=body, headers=headers, follow_redirects=False)
        assert response.status_code == 400, (path, response.status_code)
        assert "not UTF-8" in response.text
    assert_no_traceback(caplog)


@pytest.mark.parametrize("path", ["/static/%00", "/static/css/%00.css", "/static/a%01b", "/static/%7f"])
async def test_a_static_path_with_a_control_character_is_404(client, caplog, path):
    response = await client.get(path)
    assert response.status_code == 404
    assert (await client.get("/static/css/gatehouse.css")).status_code == 200
    assert_no_traceback(caplog)


@pytest.mark.parametrize(
    ("next_url", "redirect"),
    [
        ("/kiosk/visits?q=Jos%C3%A9%E2%82%AC", "/kiosk/visits?q=Jos%C3%A9%E2%82%AC"),
        ("/kiosk/visits?q=日本", "/kiosk/visits?q=%E6%97%A5%E6%9C%AC"),
        ("/kiosk%0d%0aSet-Cookie:%20x=1", "/kiosk"),
        ("/%09/evil.example", "/kiosk"),
        ("/kiosk%00", "/kiosk"),
        ("//evil.example", "/kiosk"),
        ("/\\evil.example", "/kiosk"),
    ],
)
async def test_sign_in_next_becomes_a_safe_ascii_redirect(kiosk, next_url, redirect):
    client, _, htmx = kiosk
    response = await client.get(f"/sign-in?next={next_url}", headers={"hx-request": "true"}, follow_redirects=False)
    assert response.status_code == 200
    assert response.headers["hx-redirect"] == redirect
    plain = await client.get(f"/sign-in?next={next_url}", follow_redirects=False)
    assert plain.status_code == 303
    assert plain.headers["location"] == redirect


async def test_signing_in_with_a_non_latin1_next_redirects_there_encoded(client, guard):
    page = await client.get("/sign-in")
    form = {
        "email": guard.actor.email,
        "password": "a-long-password",
        "next": "/kiosk/visits?q=€",
        "_csrf_token": csrf_from(page.text),
    }
    response = await client.post("/sign-in", data=form, headers={"hx-request": "true"}, follow_redirects=False)
    assert response.status_code == 200
    assert response.headers["hx-redirect"] == "/kiosk/visits?q=%E2%82%AC"


@pytest.fixture
async def admin_pages(client, factory):
    admin = await factory.caller("admin")
    response, token = await sign_in(client, admin.actor.email, next_url="/admin/residents")
    assert response.status_code == 303
    return client, token


def assert_field_error(response, field: str) -> None:
    assert response.status_code < 500, response.status_code
    assert "out of range" in response.text
    assert f'id="{field}-error"' in response.text or f"{field}: is out of range" in response.text


async def test_date_filters_at_the_calendar_edges_are_field_errors_on_every_page(admin_pages, factory, caplog):
    client, token = admin_pages
    for path in ("/admin/audit", "/kiosk/visits"):
        for field in ("from", "to"):
            for value in CALENDAR_EDGES:
                assert_field_error(await client.get(path, params={field: value}), field)
    resident = await factory.resident()
    resident_caller = await factory.caller("resident", resident.id)
    await client.post("/sign-out", data={"_csrf_token": token})
    await sign_in(client, resident_caller.actor.email, next_url="/me")
    for field in ("from", "to"):
        for value in CALENDAR_EDGES:
            assert_field_error(await client.get("/me", params={field: value}), field)
    assert_no_traceback(caplog)


async def test_a_resident_something_refers_to_stays_with_the_reason_on_the_admin_page(admin_pages, factory):
    client, token = admin_pages
    kept = await factory.resident(name="Kept Resident")
    await factory.visit(kept.id)
    await factory.caller("resident", kept.id)
    response = await client.post(f"/admin/residents/{kept.id}/delete", data={"_csrf_token": token})
    assert response.status_code == 409
    assert "(1 visit, 1 account)" in response.text
    assert "deactivate the resident instead" in response.text
    assert 'id="delete-refused"' in response.text
    assert "Kept Resident" in (await client.get(f"/admin/residents/{kept.id}")).text

    free = await factory.resident(name="Free Resident")
    response = await client.post(f"/admin/residents/{free.id}/delete", data={"_csrf_token": token})
    assert response.status_code == 200
    assert str(response.url).endswith("/admin/residents")
    assert (await client.get(f"/admin/residents/{free.id}")).status_code == 404


async def test_only_administrators_delete_residents_on_the_pages(kiosk, factory):
    client, token, _ = kiosk
    resident = await factory.resident()
    response = await client.post(f"/admin/residents/{resident.id}/delete", data={"_csrf_token": token})
    assert response.status_code == 403
