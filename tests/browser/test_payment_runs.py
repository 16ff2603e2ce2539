"""A payment run in a real browser: the accountant chooses the year's dividends for the households with cards,
downloads the bank's file (a row per household: a transfer), marks it sent and records the bank's result with one
card returned; the run's voucher credits 102 with the file's total less the returned row, and the returned household
is owed again, every line of it (issue #17)."""

from __future__ import annotations

import datetime as dt
import io
import logging
import threading
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.serving import make_server

from admin.i18n import money
from coopcore.db.engine import make_engine
from coopcore.models import Cooperative, PaymentRun, Role, Voucher
from coopcore.money import ZERO
from coopcore.services import payouts
from coopcore.services.ledger.books import entry_lines
from coopcore.services.ledger.payment_run_events import PAYMENT_RUNS
from coopcore.services.users import create_user
from coopcore.terms import PaymentRunState, PayoutResult
from demo import DEMO_PASSWORD
from tests.admin.conftest import make_app
from tests.backends import sqlite_copy
from tests.browser.conftest import shot, sign_in
from tests.payouts.builders import ACCOUNTS, make_owing


@pytest.fixture(scope="module")
def owing_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """The admin on Example 1 with its 2024 distribution posted and the households' cards recorded; yields its
    base URL and the database URL."""
    folder = tmp_path_factory.mktemp("runs")
    url = sqlite_copy("schema", folder)
    engine = make_engine(url)
    with Session(engine) as session, session.begin():
        cooperative, _ = make_owing(session)
        create_user(session, "clerk", DEMO_PASSWORD, Role.ACCOUNTANT, cooperatives=[cooperative])
    engine.dispose()
    app = make_app(url, folder)
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}", url
    httpd.shutdown()
    thread.join(timeout=5)


def test_an_accountant_pays_the_dividends_by_bank_and_records_one_returned_card(
    page: Page, owing_server: tuple[str, str], artifacts: Path
) -> None:
    server, url = owing_server
    sign_in(page, server, "clerk")
    page.goto(f"{server}/admin/books/payment-runs/")
    expect(page.locator("#books-heading")).to_contain_text("付款批次")
    page.fill("#made_on", "2025-04-01")
    page.select_option("#channel", "bank")
    page.fill("#purpose", "2024年分红")
    page.check("#kind-returns")
    page.check("#kind-residual")
    shot(page, artifacts, "payment-runs-01-new")
    page.click("#choose-what")

    expect(page.locator("#payable-items tr.payable")).to_have_count(11)  # M04's return was converted in part
    page.uncheck("#member-M06")  # M06 is paid another day
    shot(page, artifacts, "payment-runs-02-choose")
    page.click("#choose-run")
    expect(page.locator("#run-state")).to_have_text("已选定")
    expect(page.locator(".alert-success")).to_contain_text("付款批次 1 已选定")

    with page.expect_download() as download:
        page.click("#file-xlsx")
    saved = download.value.path()
    book = openpyxl.load_workbook(io.BytesIO(Path(saved).read_bytes()))
    body = [row for row in book.active.iter_rows(values_only=True) if isinstance(row[0], int)]
    file_total = sum((Decimal(str(row[4])) for row in body), ZERO)
    assert [row[2] for row in body] == [ACCOUNTS[code][0] for code in ("M01", "M02", "M03", "M04", "M05")]
    expect(page.locator("#run-total")).to_have_text(money(file_total))
    expect(page.locator("#run-lines tbody.transfer")).to_have_count(len(body))  # the page's groups: the file's rows

    page.fill("#sent_on", "2025-04-02")
    page.click("#mark-sent")
    expect(page.locator("#run-state")).to_have_text("已送银行")

    m03 = page.locator("#run-lines tbody.transfer", has_text="M03")
    number = m03.locator(".transfer-no").inner_text()  # its 序号 in the file
    m03_row = next(row for row in body if row[0] == int(number))
    assert m03_row[2] == ACCOUNTS["M03"][0]
    expect(m03.locator("tr")).to_have_count(2)  # its returns and residual
    expect(m03.locator(".transfer-amount")).to_have_text(money(Decimal(str(m03_row[4]))))
    page.check(f"#returned-{number}")
    page.fill(f"#reason-{number}", "账号不存在")
    page.fill("#settled_on", "2025-04-08")
    shot(page, artifacts, "payment-runs-03-result")
    page.click("#settle-run")
    expect(page.locator("#run-state")).to_have_text("已确认结果")
    expect(page.locator(f"#transfer-{number} .transfer-result")).to_contain_text("已退回：账号不存在")
    expect(page.locator("#run-voucher")).to_be_visible()
    shot(page, artifacts, "payment-runs-04-settled")

    engine = make_engine(url)
    with Session(engine) as session:
        run = session.scalars(select(PaymentRun).where(PaymentRun.number == 1)).one()
        assert run.state is PaymentRunState.SETTLED
        returned = [line for line in run.lines if line.result is PayoutResult.RETURNED]
        assert [line.member.code for line in returned] == ["M03", "M03"]  # the whole transfer
        voucher = session.scalars(select(Voucher).where(Voucher.source_ref == PAYMENT_RUNS.ref(run.id))).one()
        credited = sum((line.credit for line in entry_lines(session, voucher) if line.account == "102"), ZERO)
        back = sum((line.amount for line in returned), ZERO)
        assert credited == file_total - Decimal(str(m03_row[4])) == file_total - back
        cooperative = session.get_one(Cooperative, run.cooperative_id)
        owed = payouts.payable_items(session, cooperative, kinds=("returns", "residual"), on=dt.date(2025, 4, 9))
        assert sorted({item.member_code for item in owed}) == ["M03", "M06"]  # the returned card is owed again
    engine.dispose()
