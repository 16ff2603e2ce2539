"""The voucher entry screen in a real browser: a voucher typed with the keyboard alone, then audited and posted by
a second accountant; screenshots of the entry screen and the trial balance (tests/browser/artifacts/)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.serving import make_server

from coopcore.db.engine import make_engine
from coopcore.models import Cooperative, Role
from coopcore.services.users import create_user
from demo import DEMO_PASSWORD
from tests.admin.conftest import make_app
from tests.backends import copy_of
from tests.browser.conftest import shot, sign_in

CHENLIANG = "晨靓果业专业合作社"


@pytest.fixture(scope="module")
def books_server(demo_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int]]:
    """The admin on a copy of the demo with a second accountant of 晨靓 ("checker"); yields its URL and 晨靓's id."""
    folder = tmp_path_factory.mktemp("books-server")
    url = copy_of(demo_file, folder)
    engine = make_engine(url)
    with Session(engine) as session, session.begin():
        cooperative = session.scalars(select(Cooperative).where(Cooperative.name == CHENLIANG)).one()
        create_user(session, "checker", DEMO_PASSWORD, Role.ACCOUNTANT, cooperatives=[cooperative])
        cooperative_id = cooperative.id
    engine.dispose()
    app = make_app(url, folder)
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}", cooperative_id
    httpd.shutdown()
    thread.join(timeout=5)


def test_a_voucher_typed_with_the_keyboard_alone_balances_saves_and_is_audited_and_posted_by_another(
    page: Page, books_server: tuple[str, int], artifacts: Path
) -> None:
    server, coop = books_server
    sign_in(page, server, "accountant")
    page.goto(f"{server}/admin/books/entry/?cooperative={coop}&date=2024-06-15")
    keys = page.keyboard
    expect(page.locator(".coop-summary").first).to_be_focused()  # the first line's 摘要 waits for typing
    keys.type("收到姜明亮交来股金")
    keys.press("Enter")
    keys.type("kcxj")  # 库存现金 by its pinyin initials
    expect(page.locator("#picker")).to_contain_text("101")
    keys.press("Enter")
    keys.type("1,500.00")
    expect(page.locator("#difference")).to_have_text("1,500.00")
    keys.press("Enter")  # a debit typed: on to the next line, whose 摘要 is the line above's
    expect(page.locator(".coop-summary").nth(1)).to_have_value("收到姜明亮交来股金")
    keys.press("Tab")
    keys.type("301")  # 股金 by its code: kept per member, so the member cell opens
    keys.press("Enter")
    expect(page.locator(".coop-member").nth(1)).to_be_visible()
    keys.type("jml")  # 姜明亮 by initials
    expect(page.locator("#picker")).to_contain_text("姜明亮")
    keys.press("Enter")
    keys.press("Enter")  # past the debit, to the credit
    keys.press("=")  # the amount that balances the voucher
    expect(page.locator(".coop-credit").nth(1)).to_have_value("1500.00")
    expect(page.locator("#difference")).to_have_text("0.00")
    expect(page.locator("#total-credit")).to_have_text("1,500.00")
    shot(page, artifacts, "books-01-voucher-entry")
    keys.press("Insert")  # a line after this one, its 摘要 offered from above: a 摘要 alone is saved as no line
    expect(page.locator(".coop-line")).to_have_count(5)
    expect(page.locator(".coop-summary").nth(2)).to_be_focused()
    keys.press("Control+s")
    expect(page.locator(".alert-success")).to_contain_text("已保存")
    saved = page.locator(".alert-success").inner_text()
    assert "2024-06 记-" in saved

    page.goto(f"{server}/admin/books/vouchers/?cooperative={coop}&year=2024&month=6&origin=manual")
    row = page.locator("#voucher-list tbody tr").first
    expect(row).to_contain_text("收到姜明亮交来股金")
    row.locator(".step-audit").click()
    expect(page.locator(".alert-danger")).to_contain_text("须由他人审核")  # the preparer may not audit it

    context = page.context
    context.clear_cookies()
    sign_in(page, server, "checker")
    page.goto(f"{server}/admin/books/vouchers/?cooperative={coop}&year=2024&month=6&origin=manual")
    page.locator("#voucher-list tbody tr").first.locator(".step-audit").click()
    expect(page.locator(".alert-success")).to_contain_text("已审核")
    page.locator("#voucher-list tbody tr").first.locator(".step-post").click()
    expect(page.locator(".alert-success")).to_contain_text("已记账")
    expect(page.locator("#voucher-list tbody tr").first.locator(".voucher-state")).to_have_text("已记账")

    page.goto(f"{server}/admin/books/trial-balance/?cooperative={coop}&year=2024&month=6")
    expect(page.locator("#row-101")).to_contain_text("1,500.00")
    expect(page.locator("#row-301")).to_contain_text("1,500.00")
    expect(page.locator("#balanced")).to_have_class("text-success")
    shot(page, artifacts, "books-02-trial-balance")
