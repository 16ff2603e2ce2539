"""The issue's acceptance walk in a real browser, with a screenshot of every step (tests/browser/artifacts/)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select
from sqlalchemy.orm import Session

from coopcore.db.engine import make_engine
from coopcore.models import Cooperative, Member
from tests.admin.demo import accountant_workbooks
from tests.browser.conftest import shot, sign_in

CHENLIANG = "晨靓果业专业合作社"


@pytest.fixture(scope="module")
def chenliang(demo_file: Path) -> dict[str, object]:
    engine = make_engine(f"sqlite:///{demo_file}")
    with Session(engine) as session:
        coop = session.scalars(select(Cooperative).where(Cooperative.name == CHENLIANG)).one()
        member = session.scalars(select(Member).where(Member.cooperative_id == coop.id, Member.code == "M002")).one()
        found: dict[str, object] = {"id": coop.id, "credit_code": coop.credit_code, "member": member.id}
    engine.dispose()
    return found


def test_an_accountant_imports_a_workbook_runs_the_distribution_and_sees_the_member_account_change(
    page: Page,
    server: str,
    artifacts: Path,
    demo_file: Path,
    chenliang: dict[str, object],
    tmp_path: Path,
) -> None:
    broken, clean = accountant_workbooks(demo_file, tmp_path, str(chenliang["credit_code"]))
    sign_in(page, server, "accountant")
    expect(page.locator("#coop-user")).to_contain_text("合作社会计")
    shot(page, artifacts, "01-accountant-home")

    page.goto(f"{server}/admin/workbook/")
    page.set_input_files("#workbook", str(broken))
    page.click("#check-workbook")
    expect(page.locator("#report-blocked")).to_be_visible()
    problems = page.locator("#problems tbody tr")
    expect(problems).to_have_count(3)
    text = page.locator("#problems").inner_text()
    assert "成员" in text and "交易" in text and "证件号码" in text and "数量" in text and "日期" in text
    assert page.locator("#apply-workbook").count() == 0
    shot(page, artifacts, "02-broken-workbook-problems")

    page.set_input_files("#workbook", str(clean))
    page.click("#check-workbook")
    expect(page.locator("#report-clean")).to_be_visible()
    shot(page, artifacts, "03-fixed-workbook-checked")
    page.click("#apply-workbook")
    expect(page.locator(".alert-success")).to_contain_text("已导入")
    expect(page.locator("#counts")).to_contain_text("交易")
    shot(page, artifacts, "04-fixed-workbook-imported")

    account = f"{server}/admin/member-account/?id={chenliang['member']}&year=2024"
    page.goto(account)
    expect(page.locator("#member-account")).to_contain_text("WEB-2024-0001")
    before = page.locator("#closing-row").inner_text()
    shot(page, artifacts, "05-member-account-before")

    page.goto(f"{server}/admin/distribution/?cooperative={chenliang['id']}&year=2024")
    expect(page.locator("#distribution-state")).to_contain_text("尚未编制")
    page.click("#step-plan")
    expect(page.locator(".alert-success")).to_contain_text("2024年度分配方案已计算")
    expect(page.locator("#statutory-checks li.text-success")).to_have_count(3)
    shot(page, artifacts, "06-distribution-planned")
    page.fill("#published_on", "2025-03-01")
    page.fill("#assembly_on", "2025-03-10")  # too soon: the law wants 15 days' notice
    page.click("#step-publish")
    expect(page.locator(".alert-danger")).to_contain_text("不足15日")
    shot(page, artifacts, "07-publish-refused")
    page.fill("#published_on", "2025-03-01")
    page.fill("#assembly_on", "2025-03-20")
    page.click("#step-publish")
    expect(page.locator("#distribution-state")).to_contain_text("已公示")
    page.fill("#assembly_on", "2025-03-20")
    page.fill("#members_present", "110")
    page.fill("#votes_for", "100")
    page.fill("#resolution", "成员大会决议〔2025〕1号")
    page.click("#step-approve")
    expect(page.locator("#distribution-state")).to_contain_text("已通过")
    page.click("#step-post")
    expect(page.locator("#distribution-state")).to_contain_text("已记账")
    shot(page, artifacts, "08-distribution-posted")

    page.goto(account)
    expect(page.locator("#member-distributions")).to_contain_text("已记账")
    assert page.locator("#closing-row").inner_text() != before
    shot(page, artifacts, "09-member-account-after")


def test_a_township_official_sees_the_weak_villages_and_cannot_open_a_cooperative_elsewhere(
    page: Page, server: str, artifacts: Path, chenliang: dict[str, object]
) -> None:
    sign_in(page, server, "official1")
    expect(page.locator("svg.coop-chart")).to_be_visible()
    expect(page.locator("#village-table")).to_contain_text("村")
    shot(page, artifacts, "10-official-home")
    page.goto(f"{server}/admin/villages/?year=2024")
    expect(page.locator(".progress-bar").first).to_be_visible()
    expect(page.locator("#village-table")).to_contain_text("⚑ 经营性收入由")  # a risk flag
    shot(page, artifacts, "11-weak-village-dashboard")
    for path in (
        f"/admin/distribution/?cooperative={chenliang['id']}",
        f"/admin/cooperative/details/?id={chenliang['id']}",
        f"/admin/member-account/?id={chenliang['member']}",
    ):
        response = page.goto(f"{server}{path}")
        assert response is not None and response.status == 404, path
    expect(page.locator("#error-message")).to_contain_text("没有这个页面或记录")
    shot(page, artifacts, "12-official-outside-township-404")
    page.goto(f"{server}/admin/cooperative/")
    assert CHENLIANG not in page.locator("table.model-list").inner_text()


def test_the_language_switch_works_and_persists(page: Page, server: str, artifacts: Path) -> None:
    page.goto(f"{server}/login")
    expect(page.locator("h4")).to_contain_text("合作社管理后台")
    page.click("button[value=en]")
    expect(page.locator("h4")).to_contain_text("Cooperative administration")
    shot(page, artifacts, "13-login-english")
    page.fill("#username", "accountant")
    page.fill("#password", "coopdemo2024")
    page.click("#login-form button[type=submit]")
    page.wait_for_url(f"{server}/admin/**")
    expect(page.locator(".navbar")).to_contain_text("Sign out")
    page.goto(f"{server}/admin/trade/")
    expect(page.locator("body")).to_contain_text("Add Filter")
    assert re.search(r"[A-Z][a-z]{2} \d{1,2}, \d{4}", page.locator("table.model-list").inner_text())
    shot(page, artifacts, "14-transactions-english")
    page.click("#coop-lang button[value=zh]")
    expect(page.locator(".navbar")).to_contain_text("退出")
    expect(page.locator("body")).to_contain_text("添加筛选器")
    shot(page, artifacts, "15-transactions-chinese")


def test_an_accountant_records_an_exit_and_pays_a_leaver_back(
    page: Page, server: str, artifacts: Path, demo_file: Path
) -> None:
    engine = make_engine(f"sqlite:///{demo_file}")
    with Session(engine) as session:
        coop = session.scalars(select(Cooperative.id).where(Cooperative.name == CHENLIANG)).one()
        rows = session.execute(select(Member.code, Member.id).where(Member.cooperative_id == coop))
        ids = {code: member for code, member in rows}
    engine.dispose()
    sign_in(page, server, "accountant")
    page.goto(f"{server}/admin/member-account/?id={ids['M005']}")
    page.click("#member-exit-link")
    page.fill("#applied_on", "2025-06-30")
    page.click("#exit-apply")
    expect(page.locator(".alert-success")).to_contain_text("成员资格于 2025年12月31日 终止")
    expect(page.locator("#settlement-kind")).to_contain_text("预计数")
    expect(page.locator("#exit-settlement")).to_contain_text("应退还金额")
    shot(page, artifacts, "16-member-exit-estimate")

    page.goto(f"{server}/admin/member-exit/?id={ids['M035']}")  # left at the end of 2023, a posted year
    expect(page.locator("#settlement-kind")).to_contain_text("确定数")
    page.fill("#paid_on", "2025-01-15")
    page.click("#exit-pay-out")
    expect(page.locator(".alert-success")).to_contain_text("已向 M035")
    expect(page.locator("#exit-paid")).to_contain_text("已于 2025年1月15日 退还")
    shot(page, artifacts, "17-member-exit-paid")
    page.click("#exit-paid a")
    expect(page.locator("#member-account")).to_contain_text("退社结算")
