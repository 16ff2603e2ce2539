"""The statements in a real browser: an accountant reads a cooperative's three forms of an open year, marked
未审计, and asks for the PDF; an official reads the township's roll-up in yuan and in 万元."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect
from sqlalchemy import select
from sqlalchemy.orm import Session

from admin.i18n import money
from coopcore.db.engine import make_engine
from coopcore.models import Cooperative, Township
from coopcore.rules.statements.rollup import in_wan
from coopcore.services.statements import statements_as_they_stand
from coopcore.services.statements.township import township_as_they_stand
from reports import text
from tests.browser.conftest import shot, sign_in

CHENLIANG, FENGMING = "晨靓果业专业合作社", "凤鸣街道"


def test_an_accountant_reads_an_open_years_statements_marked_unaudited_and_asks_for_the_pdf(
    page: Page, server: str, artifacts: Path, demo_file: Path
) -> None:
    engine = make_engine(f"sqlite:///{demo_file}")
    with Session(engine) as session:
        cooperative = session.scalars(select(Cooperative).where(Cooperative.name == CHENLIANG)).one()
        found, closed = statements_as_they_stand(session, cooperative, 2024)
        credit_code = cooperative.credit_code
    engine.dispose()
    assert not closed  # the demo's 2024 is open
    sign_in(page, server, "accountant")

    page.goto(f"{server}/admin/cooperative/")
    page.locator("tr", has_text=CHENLIANG).get_by_role("link", name="会计报表").click()
    expect(page.locator("#year")).to_have_value("2024")  # the latest year of its books
    expect(page.locator("#statements-unaudited")).to_contain_text("未审计")
    expect(page.locator("#bs-22-closing")).to_have_text(money(found.closing[22]))
    expect(page.locator("#bs-42-closing")).to_have_text(money(found.closing[42]))
    expect(page.locator("#surplus-statement-12-this")).to_have_text(money(found.this_year[12]))
    expect(page.locator("#equity-closing")).to_contain_text(money(found.equity.rows["closing"]["total"]))
    shot(page, artifacts, "statements-01-cooperative")

    page.locator(".coop-books-tools .report-pdf").click()
    page.wait_for_url(f"{server}/admin/reports/job/**")
    link = page.locator("#report-file")
    expect(link).to_be_visible(timeout=30_000)  # the job page reloads itself until the file is ready
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == f"2024-{credit_code}-会计报表.pdf"


def test_an_official_reads_the_township_roll_up_in_yuan_and_in_wan_with_the_cooperatives_not_closed(
    page: Page, server: str, artifacts: Path, demo_file: Path
) -> None:
    engine = make_engine(f"sqlite:///{demo_file}")
    with Session(engine) as session:
        township = session.scalars(select(Township).where(Township.name == FENGMING)).one()
        rolled = township_as_they_stand(session, township, 2024)
    engine.dispose()
    sign_in(page, server, "official1")

    page.goto(f"{server}/admin/township-statements/?year=2024")
    expect(page.locator("#roll-up-count")).to_contain_text(f"汇总 {len(rolled.cooperatives)} 个合作社")
    expect(page.locator("#roll-up-count")).to_contain_text(f"其中 {len(rolled.not_closed)} 个本期尚未结账")
    expect(page.locator("#statements-unaudited")).to_contain_text("未审计")
    expect(page.locator("#wan-rule")).to_contain_text("四舍五入")
    expect(page.locator("#bs-22-closing")).to_have_text(money(rolled.statements.closing[22]))
    shot(page, artifacts, "statements-02-township-yuan")

    page.select_option("#unit", "wan")
    page.click("#township-statements-choice button[type=submit]")
    wan = text.amount(in_wan(rolled.statements.closing[22]), "zh")
    expect(page.locator("#bs-22-closing")).to_have_text(wan)
    expect(page.locator("#balance-sheet")).not_to_contain_text("¥")
    shot(page, artifacts, "statements-03-township-wan")
