"""An accountant opens a household's page, reads its 成员账户 with the paid dividend as a dated line and what is
still owed, narrows the statement (对账单) to a month and asks for its PDF (issue #17)."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Page

from tests.browser.conftest import shot, sign_in


def test_an_accountant_reads_a_household_s_statement_and_asks_for_its_pdf(
    page: Page, server: str, artifacts: Path
) -> None:
    sign_in(page, server, "accountant")
    page.goto(f"{server}/admin/member/?search=孙长春")
    page.locator("a[href*='/admin/member/details/']").first.click()
    page.locator("a[href*='/admin/member-account/']").first.click()
    page.select_option("#year", "2023")
    page.wait_for_url(re.compile(r".*year=2023.*"))
    payment = page.locator("#member-account tr.coop-payment")
    assert payment.count() == 1 and "2022年度分配" in payment.inner_text()
    assert page.locator("#still-owed-total").inner_text() == page.locator("#member-statement-closing").inner_text()
    shot(page, artifacts, "member-statement-page")

    page.fill("#from", "2023-04-01")
    page.fill("#to", "2023-04-30")
    page.click("#member-statement-period button[type=submit]")
    page.wait_for_url(re.compile(r".*from=2023-04-01.*"))
    lines = page.locator("#member-statement-lines tbody tr")
    assert lines.count() == 3  # the opening, then the April payment on 221 and on 222
    shot(page, artifacts, "member-statement-april")

    page.click("#member-statement-pdf button")
    page.wait_for_selector("a[href$='/file']", timeout=60_000)
    shot(page, artifacts, "member-statement-pdf-ready")
