"""The Notifications page in Chromium on a phone (375x812) and a tablet (1024x768).

Headless Chromium here has no network, so it cannot reach a real push service (FCM): pushManager.subscribe
fails, and the test checks that the page says so rather than pretending. The push protocol itself is tested
against a stand-in push service in tests/notifications/. What the browser can do is checked for real: the
service worker registers from /sw.js with scope /, the page's states (off, failed, blocked, iPhone not
installed), and "Send me a test" by email to an aiosmtpd server, whose result the page shows when sent.
"""

from __future__ import annotations

import os

import pytest
from playwright.async_api import expect

from tests.notifications.standins import MailServer
from tests.web.browser import (
    assert_accessible,
    screenshot,
    signed_in_page,
    skip_without_chromium,
    start_server,
    stop_server,
)

IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.5 Mobile/15E148 Safari/604.1"
)


@pytest.fixture(scope="module")
def mail():
    with MailServer() as server:
        yield server


@pytest.fixture(scope="module")
def server(migrated, mail):
    """This module's server sends email to the test's aiosmtpd (SMTP_URL)."""
    skip_without_chromium()
    before = os.environ.get("SMTP_URL")
    os.environ["SMTP_URL"] = f"smtp://127.0.0.1:{mail.port}"
    try:
        url, process = start_server()
    finally:
        if before is None:
            del os.environ["SMTP_URL"]
        else:
            os.environ["SMTP_URL"] = before
    yield url
    stop_server(process)


async def test_a_resident_tries_push_and_sends_a_test_by_email_on_a_phone(browser, server, homes, admin, mail):
    _, resident, _, _ = homes
    context, phone = await signed_in_page(browser, server, resident.actor.email, "/me/notifications", 375, 812)
    await context.grant_permissions(["notifications"], origin=server)
    await phone.reload()

    push = phone.locator("#push")
    await expect(push).to_have_attribute("data-state", "off")
    await expect(phone.locator("[data-push-state]")).to_have_text("Off on this device.")
    registered = "navigator.serviceWorker.ready.then(r => r.scope)"
    assert await phone.evaluate(registered) == server + "/"
    await expect(phone.locator("#install-help")).to_be_hidden()

    toggle = phone.locator("[data-push-toggle]")
    await expect(toggle).to_have_text("Turn on push on this device")
    await toggle.click()
    await expect(push).to_have_attribute("data-state", "failed")  # no push service reachable from here
    await expect(phone.locator("[data-push-state]")).to_contain_text("Could not turn push on or off here")
    await expect(phone.locator("#devices")).to_contain_text("No device receives push notifications yet.")

    await expect(phone.locator("#email-title + form")).to_contain_text(resident.actor.email)
    await phone.click("button:has-text('Send me a test')")
    await expect(phone.locator("#test .notice")).to_contain_text("A test was queued for 1 device or address")
    sent = phone.locator("#deliveries .delivery.status-sent")
    await expect(sent).to_contain_text("Test notification from Gatehouse")
    await expect(sent).to_contain_text("Sent")
    assert [recipients for recipients, _message in mail.inbox.messages] == [[resident.actor.email]]

    assert await phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    await assert_accessible(phone, "notifications")
    await screenshot(phone, "notifications-375x812.png", full_page=True)
    await phone.set_viewport_size({"width": 1024, "height": 768})
    await screenshot(phone, "notifications-1024x768.png", full_page=True)
    # Chromium says why subscribing failed (Playwright's contexts are incognito-like): the page's own state said it.
    assert [error for error in phone.console_errors if "Push API" not in error] == []
    await context.close()

    office, page = await signed_in_page(browser, server, admin.actor.email, "/admin/deliveries", 1024, 768)
    row = page.locator("table.deliveries tbody tr").first
    await expect(row).to_contain_text(resident.actor.email)
    await expect(row).to_contain_text("Email")
    await expect(row).to_contain_text("Sent")
    await assert_accessible(page, "deliveries")
    await screenshot(page, "deliveries-1024x768.png")
    await page.set_viewport_size({"width": 375, "height": 812})
    assert await page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    await screenshot(page, "deliveries-375x812.png", full_page=True)
    await office.close()


async def test_an_iphone_not_added_to_the_home_screen_is_told_how(browser, server, homes):
    _, resident, _, _ = homes
    context = await browser.new_context(viewport={"width": 375, "height": 812}, base_url=server, user_agent=IPHONE)
    page = await context.new_page()
    await page.goto("/me/notifications")
    await page.fill("#f-email", resident.actor.email)
    from tests.factory import PASSWORD

    await page.fill("#f-password", PASSWORD)
    await page.press("#f-password", "Enter")
    await page.wait_for_url("**/me/notifications")

    await expect(page.locator("#push")).to_have_attribute("data-state", "ios")
    await expect(page.locator("[data-push-state]")).to_contain_text(
        "push works only in Gatehouse added to the Home Screen"
    )
    await expect(page.locator("#install-help")).to_be_visible()
    await expect(page.locator("#install-help")).to_contain_text("Add to Home Screen")
    await expect(page.locator("[data-push-toggle]")).to_be_hidden()
    await screenshot(page, "notifications-iphone-375x812.png", full_page=True)
    await context.close()


async def test_blocked_notifications_say_where_to_allow_them(browser, server, homes):
    _, resident, _, _ = homes
    context, page = await signed_in_page(browser, server, resident.actor.email, "/me/notifications", 375, 812)
    cdp = await context.new_cdp_session(page)
    target = (await cdp.send("Target.getTargetInfo"))["targetInfo"]
    denied = {"permission": {"name": "notifications"}, "setting": "denied", "origin": server}
    denied["browserContextId"] = target["browserContextId"]
    await cdp.send("Browser.setPermission", denied)
    await page.reload()
    await expect(page.locator("#push")).to_have_attribute("data-state", "denied")
    await expect(page.locator("[data-push-state]")).to_contain_text("Allow them there")
    await expect(page.locator("[data-push-toggle]")).to_be_hidden()
    await context.close()
