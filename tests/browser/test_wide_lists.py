"""Wide and long lists on a 1366 px laptop screen: the members list fits or keeps its name column; the distribution's
member lines keep their header and totals in sight (screenshots in tests/browser/artifacts/)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playwright.sync_api import Page, expect

from tests.browser.conftest import shot, sign_in

CHENLIANG = "晨靓果业专业合作社"

BOXES = """() => {
    const table = document.querySelector("table.model-list");
    const box = table.parentElement.getBoundingClientRect();
    const headers = [...table.querySelectorAll("thead th")];
    const name = table.querySelector("tbody td.col-name, tr td.col-name");
    return {
        box: {left: box.left, right: box.right},
        scroll: {width: table.parentElement.scrollWidth, client: table.parentElement.clientWidth},
        page: {width: document.documentElement.scrollWidth, viewport: window.innerWidth},
        last: {
            text: headers[headers.length - 1].innerText.trim(),
            right: headers[headers.length - 1].getBoundingClientRect().right,
        },
        sticky: getComputedStyle(name).position,
    };
}"""


def _boxes(page: Page) -> dict[str, Any]:
    found: dict[str, Any] = page.evaluate(BOXES)
    return found


def test_at_1366_pixels_the_members_list_shows_its_last_columns_in_chinese(
    page: Page, server: str, artifacts: Path
) -> None:
    page.set_viewport_size({"width": 1366, "height": 768})
    sign_in(page, server, "admin")
    page.goto(f"{server}/admin/member/")
    expect(page.locator("table.model-list thead")).to_contain_text("设立成员")
    boxes = _boxes(page)
    shot(page, artifacts, "20-members-1366")
    assert boxes["last"]["text"] == "成员账户"
    assert boxes["page"]["width"] <= boxes["page"]["viewport"]  # the page itself never scrolls sideways
    # It fits: the last header ends inside the table's box and the screen, and nothing is left to scroll to.
    assert boxes["last"]["right"] <= min(boxes["box"]["right"], 1366) + 0.5, boxes
    assert boxes["scroll"]["width"] <= boxes["scroll"]["client"], boxes
    founder = page.locator("table.model-list tbody td.col-is_founder").first.bounding_box()
    assert founder is not None and founder["x"] + founder["width"] <= 1366


def test_on_a_narrower_screen_the_members_list_scrolls_inside_and_keeps_the_name_column(
    page: Page, server: str, artifacts: Path
) -> None:
    page.set_viewport_size({"width": 1000, "height": 768})
    sign_in(page, server, "admin")
    page.goto(f"{server}/admin/member/")
    boxes = _boxes(page)
    assert boxes["sticky"] == "sticky"
    assert boxes["scroll"]["width"] > boxes["scroll"]["client"]  # the table scrolls, inside its box
    assert boxes["page"]["width"] <= boxes["page"]["viewport"]
    page.evaluate("() => { const box = document.querySelector('.table-responsive'); box.scrollLeft = 99999; }")
    name = page.locator("table.model-list td.col-name").nth(1).bounding_box()
    code = page.locator("table.model-list td.col-code").nth(1).bounding_box()
    last = page.locator("table.model-list td.col-account").nth(1).bounding_box()
    assert name is not None and code is not None and last is not None
    assert abs(name["x"] - boxes["box"]["left"]) <= 1  # the name stays at the box's left edge ...
    assert code["x"] + code["width"] <= boxes["box"]["left"] + 1  # ... while the code has scrolled out of it
    assert last["x"] + last["width"] <= boxes["box"]["right"] + 1 and last["x"] >= name["x"] + name["width"] - 1
    expect(page.locator("table.model-list td.col-name").nth(1)).to_be_visible()
    shot(page, artifacts, "21-members-1000-scrolled")


def test_the_distribution_lines_keep_their_header_and_totals_in_sight(page: Page, server: str, artifacts: Path) -> None:
    page.set_viewport_size({"width": 1366, "height": 768})
    sign_in(page, server, "accountant")
    page.goto(f"{server}/admin/distribution/")
    page.select_option("#cooperative", label=CHENLIANG)
    page.select_option("#year", "2023")
    page.click("#distribution-choice button[type=submit]")
    totals = page.locator("#distribution-lines tfoot tr")
    expect(totals).to_contain_text("合计（全部 123 行）")
    box = page.locator("#distribution-scroll")
    box.scroll_into_view_if_needed()
    page.evaluate("() => { document.querySelector('#distribution-scroll').scrollTop = 1500; }")
    frame = box.bounding_box()
    header = page.locator("#distribution-lines thead th").first.bounding_box()
    footer = page.locator("#distribution-lines tfoot td").first.bounding_box()  # the cells stick, not the row
    assert frame is not None and header is not None and footer is not None
    assert frame["height"] < 768  # the member lines scroll inside their box, not the page
    assert abs(header["y"] - frame["y"]) <= 1  # the header is at the top of the box after scrolling ...
    bottom = frame["y"] + frame["height"]
    assert frame["y"] <= footer["y"] and footer["y"] + footer["height"] <= bottom + 1  # ... and the totals at its foot
    page.evaluate("() => { document.querySelector('#distribution-scroll').scrollIntoView({block: 'end'}); }")
    shot(page, artifacts, "22-distribution-lines-scrolled")
