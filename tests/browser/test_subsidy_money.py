"""Subsidy money in a real browser: an accountant records money received on 235 专项应付款 and finds its voucher."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect
from sqlalchemy import select
from sqlalchemy.orm import Session

from coopcore.db.engine import make_engine
from coopcore.models import Cooperative
from tests.browser.conftest import shot, sign_in

CHENLIANG = "晨靓果业专业合作社"


def choose(page: Page, field: str, typed: str) -> None:
    """Pick in a select2 drop-down as a person does: open it, type, take the match with Enter."""
    page.click(f"#s2id_{field} a.select2-choice")
    page.keyboard.type(typed)
    page.locator("#select2-drop li.select2-result-selectable").first.wait_for()
    page.keyboard.press("Enter")


def test_an_accountant_records_subsidy_money_and_its_voucher_books_102_against_235(
    page: Page, server: str, artifacts: Path, demo_file: Path
) -> None:
    engine = make_engine(f"sqlite:///{demo_file}")
    with Session(engine) as session:
        cooperative_id = session.scalars(select(Cooperative.id).where(Cooperative.name == CHENLIANG)).one()
    engine.dispose()
    sign_in(page, server, "accountant")

    page.goto(f"{server}/admin/special_payable/")
    expect(page.locator("body")).to_contain_text("选果线建设项目")  # the demo's 衔接资金, received and spent
    page.goto(f"{server}/admin/special_payable/new/")
    choose(page, "cooperative_id", "晨靓")
    page.fill("#moved_on", "2024-11-20")
    page.select_option("#kind", "received")
    page.fill("#amount", "36000.00")
    page.fill("#project", "水肥一体化项目")
    page.fill("#memo", "收到水肥一体化补助资金")
    shot(page, artifacts, "subsidy-01-form")
    page.click("input[type=submit][value='保存']")
    expect(page.locator(".alert-success")).to_be_visible()
    expect(page.locator("body")).to_contain_text("水肥一体化项目")
    shot(page, artifacts, "subsidy-02-list")

    page.goto(f"{server}/admin/books/vouchers/?cooperative={cooperative_id}&year=2024&month=11&origin=special_fund")
    voucher = page.locator("tr", has_text="收到水肥一体化补助资金").first
    expect(voucher).to_be_visible()
    shot(page, artifacts, "subsidy-03-voucher")
