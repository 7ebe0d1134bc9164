"""Passes in a real browser: the guard types a pass's 6 digits, the tablet's camera reads its QR code, and the
visitor's pass page fits a phone and prints on one page."""

from __future__ import annotations

import re

import segno
from playwright.async_api import async_playwright, expect

from app.domain.expected import schemas as expected_schemas
from app.domain.expected import service as expected
from app.lib.actors import SYSTEM
from tests.web.browser import CHROMIUM, CHROMIUM_ARGS, assert_accessible, screenshot, signed_in_page

WIDTH, HEIGHT = 640, 480


async def announce(resident_id, **extra):
    data = expected_schemas.ExpectedInput(
        visitor_name="Rosa Lima", starts_on=expected.today().isoformat(), resident_id=resident_id, **extra
    )
    return await expected.announce(SYSTEM, data)


def qr_video(content: str, path) -> None:
    """A few frames of a Y4M video (what Chromium's fake camera plays) showing `content` as a QR code."""
    rows = [list(row) for row in segno.make(content, error="m").matrix_iter(scale=1, border=4)]
    scale = min(WIDTH, HEIGHT) * 9 // 10 // len(rows)
    size = len(rows) * scale
    left, top = (WIDTH - size) // 2, (HEIGHT - size) // 2
    luma = bytearray(b"\xff" * (WIDTH * HEIGHT))
    for y in range(size):
        row = rows[y // scale]
        line = bytes(0 if row[x // scale] else 255 for x in range(size))
        start = (top + y) * WIDTH + left
        luma[start : start + size] = line
    chroma = b"\x80" * (WIDTH * HEIGHT // 2)
    with open(path, "wb") as video:
        video.write(f"YUV4MPEG2 W{WIDTH} H{HEIGHT} F10:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(5):
            video.write(b"FRAME\n" + bytes(luma) + chroma)


async def kiosk_with_pass(browser, server, homes, guard):
    """A signed-in kiosk whose guard has typed an announced visitor's pass code and Enter."""
    home_a, _, _, _ = homes
    item = await announce(home_a.id, license_plate="ABC1D23", total_people=2)
    context, page = await signed_in_page(browser, server, guard.actor.email, "/kiosk")
    await page.fill("#f-pass", item.pass_code)
    await page.press("#f-pass", "Enter")
    return item, context, page


async def test_the_guard_types_six_digits_and_checks_the_visitor_in_with_one_key(browser, server, homes, guard):
    item, context, page = await kiosk_with_pass(browser, server, homes, guard)
    await expect(page.locator("#f-visitorName")).to_have_value("Rosa Lima")
    await expect(page.locator("#f-licensePlate")).to_have_value("ABC1D23")
    await expect(page.locator("#check-in button[type=submit].primary")).to_be_focused()
    await page.keyboard.press("Enter")
    await page.wait_for_selector("#board td:has-text('Rosa Lima')")
    await page.fill("#f-pass", item.pass_code)
    await page.press("#f-pass", "Enter")
    await expect(page.locator("#check-in .notice.error")).to_have_text("This pass is used up.")
    assert page.console_errors and all("410" in error for error in page.console_errors)  # the refusal only
    await context.close()


async def test_the_camera_reads_a_pass_and_fills_the_form(server, homes, guard, tmp_path):
    home_a, _, _, _ = homes
    item = await announce(home_a.id, ends_on=expected.today().isoformat())
    video = tmp_path / "pass.y4m"
    qr_video(item.pass_url, video)
    camera = ["--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream"]
    async with async_playwright() as playwright:
        chromium = await playwright.chromium.launch(
            executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, *camera, f"--use-file-for-fake-video-capture={video}"]
        )
        try:
            context, page = await signed_in_page(chromium, server, guard.actor.email, "/kiosk")
            await context.grant_permissions(["camera"], origin=server)
            scan = page.locator("#pass-form [data-scan]")
            await expect(scan).to_be_visible()
            await scan.click()
            await expect(page.locator("#f-visitorName")).to_have_value("Rosa Lima")
            await expect(page.locator("#check-in input[name=expectedVisitId]")).to_have_value(str(item.id))
            await expect(page.locator("#check-in button[type=submit].primary")).to_be_focused()
            await expect(page.locator("[data-scan-video]")).to_be_hidden()
            assert page.console_errors == []
        finally:
            await chromium.close()


async def test_the_pass_page_fits_a_phone_and_prints_on_one_page(browser, server, homes):
    home_a, _, _, _ = homes
    item = await announce(home_a.id, ends_on=(expected.today()).isoformat(), total_people=3)
    context = await browser.new_context(viewport={"width": 375, "height": 812}, base_url=server)
    page = await context.new_page()
    response = await page.goto(item.pass_url.replace("http://127.0.0.1:8000", server))
    assert response.status == 200 and "noindex" in response.headers["x-robots-tag"]
    await expect(page.locator(".pass-code")).to_have_text(re.compile(item.pass_code[:3] + r"\s" + item.pass_code[3:]))
    await expect(page.locator(".pass-qr svg")).to_be_visible()
    assert await page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert await page.locator("text=Ana Lima").count() == 0
    await assert_accessible(page, "pass page")
    await screenshot(page, "pass-375x812.png", full_page=True)
    await page.emulate_media(media="print")
    await expect(page.locator(".topbar")).to_be_hidden()
    pdf = await page.pdf(format="A4")
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1
    await context.close()


def page_sizes(pdf: bytes) -> list[tuple[float, float]]:
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    return [(round(float(width)), round(float(height))) for width, height in boxes]


async def test_a_badge_prints_on_its_label_and_checks_the_visitor_out_when_handed_back(browser, server, homes, guard):
    _, context, page = await kiosk_with_pass(browser, server, homes, guard)
    await expect(page.locator("#check-in button[type=submit].primary")).to_be_focused()
    await page.keyboard.press("Enter")
    await page.click("#check-in a:has-text('Print badge')")
    await page.wait_for_url(re.compile(r"/kiosk/badges/[0-9a-f-]{36}$"))
    visit_id = page.url.rsplit("/", 1)[1]
    await expect(page.locator(".badge-name")).to_have_text("Rosa Lima")
    await expect(page.locator(".badge")).to_contain_text("B-302")
    await expect(page.locator(".badge")).not_to_contain_text("Ana Lima")
    await assert_accessible(page, "badge")
    await page.emulate_media(media="print")
    await expect(page.locator(".topbar")).to_be_hidden()
    await expect(page.locator("[data-print]")).to_be_hidden()
    await page.set_viewport_size({"width": 260, "height": 400})  # about the label, at 96 px per inch
    await screenshot(page, "badge-62mm-print.png")
    await page.set_viewport_size({"width": 1280, "height": 800})
    # 62 mm x 100 mm, 4 x 3 in and A4, in PostScript points, one page each
    for size, expected_size in (("62mm", (176, 283)), ("4x3", (288, 216)), ("a4", (595, 842))):
        await page.goto(f"/kiosk/badges/{visit_id}?size={size}")
        assert page_sizes(await page.pdf(prefer_css_page_size=True)) == [expected_size], size
    await page.emulate_media(media="screen")

    # The visitor leaves and hands the badge back: the scanner types its QR code and Enter; Enter checks out.
    await page.goto("/kiosk")
    await page.fill("#f-pass", f"{server}/kiosk/leave/{visit_id}")
    await page.press("#f-pass", "Enter")
    checkout = page.locator("#check-in .leaving-note button")
    await expect(checkout).to_be_focused()
    await page.keyboard.press("Enter")
    await expect(page.locator("#toast")).to_contain_text("Rosa Lima checked out")
    await expect(page.locator("#board td:has-text('Rosa Lima')")).to_have_count(0)
    # The note goes with its visitor, and the keyboard is the next one's: another Enter checks no one out twice.
    await expect(page.locator("#check-in .leaving-note")).to_have_count(0, timeout=5000)
    await expect(page.locator("#f-residentQuery")).to_be_focused(timeout=5000)
    assert page.console_errors == []
    await context.close()
