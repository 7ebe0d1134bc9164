"""The kiosk's board with a busy afternoon (60 visits, the longest values the fields accept) at four screen sizes:
bounding boxes, not just presence (issue 15)."""

from __future__ import annotations

from datetime import timedelta

from playwright.async_api import expect

from app.lib.clock import utc_now
from tests.web.browser import screenshot, signed_in_page

SIZES = [(1024, 768), (1280, 800), (1920, 1080), (375, 812)]
TAIL = " Wolfeschlegelsteinhausenbergerdorff-Ñúñez" * 4


def visitor_name(i: int) -> str:
    first = "José Álvarez de la Concepción" if i % 10 == 0 else "Zoë Ñúñez-O'Brien Maximiliana"
    return f"{first} {i:02d}{TAIL}"[:120]


# Every row's Check out: its box inside the viewport horizontally and at least 44 px tall.
CHECK_OUT_BOXES = """() => Array.from(document.querySelectorAll('#board button.checkout'), b => {
  const r = b.getBoundingClientRect();
  return {left: r.left, right: r.right, height: r.height};
})"""
WIDTHS = """() => ({
  page: document.documentElement.scrollWidth, inner: window.innerWidth,
  wrap: document.querySelector('#board .table-wrap').scrollWidth,
  wrapClient: document.querySelector('#board .table-wrap').clientWidth,
})"""


def overlaps(a, b) -> bool:
    return not (
        a["x"] + a["width"] <= b["x"]
        or b["x"] + b["width"] <= a["x"]
        or a["y"] + a["height"] <= b["y"]
        or b["y"] + b["height"] <= a["y"]
    )


async def test_sixty_long_rows_fit_every_screen(browser, server, factory, guard):
    now = utc_now()
    for i in range(60):
        resident = await factory.resident(
            name=f"Resident {i:02d} María-Antonieta Conceição Ñandú{TAIL}"[:120],
            unit=f"Torre Ñandú Bloco Á-{i:04d} Apto 12B"[:40],
        )
        await factory.visit(
            resident.id,
            visitor_name=visitor_name(i),
            total_people=1 + i % 7,
            vehicle_color=("Azul-petróleo metálico perolizado escuro" + "X" * 40)[:40],
            license_plate=f"BAN {i:02d}-XYZWVUTSRQPON"[:20],
            subject="Entrega de mudança e instalação de móveis",
            arrival_date=(now - timedelta(minutes=60 - i)).isoformat(),
        )
    context, page = await signed_in_page(browser, server, guard.actor.email, "/kiosk", 1024, 768)
    rows = page.locator("#board tbody tr")
    await expect(rows).to_have_count(60)
    # The newest arrival leads the board, where the guard is looking after a check-in.
    await expect(rows.first).to_contain_text(visitor_name(59)[:30])

    for width, height in SIZES:
        size = f"{width}x{height}"
        await page.set_viewport_size({"width": width, "height": height})
        await page.goto("/kiosk")
        await expect(rows).to_have_count(60)
        widths = await page.evaluate(WIDTHS)
        assert widths["page"] <= widths["inner"], (size, widths)
        assert widths["wrap"] <= widths["wrapClient"], (size, widths)
        boxes = await page.evaluate(CHECK_OUT_BOXES)
        assert len(boxes) == 60
        for box in boxes:
            assert box["left"] >= 0 and box["right"] <= width, (size, box)
            assert box["height"] >= 44, (size, box)
        if width < 900:  # the board is under the form: picture it
            await page.locator("#board-title").scroll_into_view_if_needed()
        await screenshot(page, f"kiosk-60-{size}.png")
        if (width, height) == (1024, 768):
            check_in = await page.locator("#check-in button[data-check-in]").bounding_box()
            assert check_in["y"] + check_in["height"] <= 768, check_in

    # The filter narrows by name (without accents or case), plate and unit, and says when nothing matches.
    await page.set_viewport_size({"width": 1024, "height": 768})
    await page.goto("/kiosk")
    visible = page.locator("#board tbody tr:visible")
    await page.fill("#board-filter", "JOSE alvarez")
    await expect(visible).to_have_count(6)
    await expect(visible.first).to_contain_text("José Álvarez")
    await page.fill("#board-filter", "ban 07")
    await expect(visible).to_have_count(1)
    await page.fill("#board-filter", "ban07")
    await expect(visible).to_have_count(1)
    await page.fill("#board-filter", "bloco a-0042")
    await expect(visible).to_have_count(1)
    await expect(page.locator("#board-filter-none")).to_be_hidden()
    await page.fill("#board-filter", "nobody by this name")
    await expect(visible).to_have_count(0)
    await expect(page.locator("#board-filter-none")).to_be_visible()
    await page.fill("#board-filter", "")
    await expect(visible).to_have_count(60)

    # A check-out's toast names the visitor, covers neither the heading nor Roll call, and closes by its button.
    await page.locator("#board button.checkout").first.click()
    toast = page.locator("#toast .toast")
    await expect(toast).to_contain_text(visitor_name(59)[:30])
    toast_box = await toast.bounding_box()
    for control in ("#board-title", ".board-panel .panel-head a"):
        assert not overlaps(toast_box, await page.locator(control).bounding_box()), control
    await page.locator("#toast [data-dismiss-toast]").click()
    await expect(toast).to_have_count(0)
    await expect(rows).to_have_count(59)

    assert not page.console_errors, page.console_errors
    await context.close()
