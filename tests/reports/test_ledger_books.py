"""The printed books (科目余额表, 总账, 明细账): the balances service's figures, on paper and in workbooks."""

from __future__ import annotations

import subprocess
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from PIL import Image
from sqlalchemy.orm import Session

from coopcore.db.engine import make_engine
from coopcore.errors import NotFound
from coopcore.services import ledger
from reports.cli import guard
from reports.detail_ledger import build_detail_ledger
from reports.general_ledger import build_general_ledger
from reports.trial_balance import build_trial_balance
from tests.backends import sqlite_copy
from tests.cli.conftest import COOP
from tests.reports.books import make_ledger_books
from tests.reports.conftest import page_pictures, pdf_text, yuan
from tests.reports.test_vouchers import amount_box, page_text

D = Decimal
CODE = "93370602MA3EXMPL1X"


def sheet_rows(path: Path) -> tuple[list[str], list[list[object]]]:
    """The header and the rows under it of a report workbook's only sheet."""
    sheet = openpyxl.load_workbook(path).worksheets[0]
    headers = [str(cell.value) for cell in sheet[2]]
    return headers, [[cell.value for cell in row] for row in sheet.iter_rows(min_row=3)]


def test_the_trial_balance_prints_the_service_s_figures_and_totals_that_balance(
    session: Session, tmp_path: Path
) -> None:
    books = make_ledger_books(session)
    guard(session)
    pdf_path, xlsx_path = build_trial_balance(session, books.cooperative, 2024, tmp_path, "zh")
    assert pdf_path.name == f"2024-{CODE}-科目余额表.pdf"
    content = page_text(pdf_path, 1)
    for words in (
        "2024年科目余额表",
        "期初余额本期发生额期末余额科目代码科目名称借方贷方借方贷方借方贷方",  # the groups over their sides
        "102银行存款100,000.008,000.0038,760.5069,239.50",
        "114成员往来38,760.5058,760.5020,000.00",
        "501经营收入8,000.008,000.00",
        "50101苹果销售8,000.008,000.00",  # a detail account, indented under its parent
        "合计100,000.00100,000.00105,521.00105,521.00128,000.00128,000.00",  # first-level accounts only
        "试算平衡",
        "仅含已记账凭证",
    ):
        assert words in content, words
    assert "113应收款" not in content  # a sale and its red reversal: nothing left to show
    headers, rows = sheet_rows(xlsx_path)
    assert headers[:4] == ["科目代码", "科目名称", "期初余额·借方", "期初余额·贷方"]
    service = ledger.trial_balance(session, books.cooperative, 2024)
    printed = {row[0]: [yuan(value) for value in row[2:]] for row in rows[:-1]}
    assert list(printed) == ["102", "114", "121", "301", "501", "50101"]
    for code, amounts in printed.items():
        assert amounts == list(service.row(code).columns.amounts()), code
    assert rows[-1][0] == "合计" and [yuan(value) for value in rows[-1][2:]] == list(service.totals.amounts())


def test_a_month_s_trial_balance_opens_on_the_months_before(session: Session, tmp_path: Path) -> None:
    books = make_ledger_books(session)
    pdf_path, _ = build_trial_balance(session, books.cooperative, 2024, tmp_path, "zh", month=4)
    assert pdf_path.name == f"2024-04-{CODE}-科目余额表.pdf"
    content = page_text(pdf_path, 1)
    assert "2024年4月科目余额表" in content
    # 王建国 was owed 38,760.50 since March and is paid in April; 李秀英 is owed 20,000.00.
    assert "114成员往来38,760.5038,760.5020,000.0020,000.00" in content
    assert "121产品物资38,760.5020,000.0058,760.50" in content


def test_the_general_ledger_gives_each_account_its_months_and_the_year(session: Session, tmp_path: Path) -> None:
    books = make_ledger_books(session)
    guard(session)
    pdf_path, xlsx_path = build_general_ledger(session, books.cooperative, 2024, tmp_path, "zh")
    assert pdf_path.name == f"2024-{CODE}-总账.pdf"
    pages = [page_text(pdf_path, page) for page in range(1, len(page_pictures(pdf_path, tmp_path / "p")) + 1)]
    assert [page.split("会计科目：")[1][:3] for page in pages] == ["102", "114", "121", "301", "501"]
    bank, members, goods = pages[0], pages[1], pages[2]
    assert "年初余额借100,000.00" in bank and "本年合计8,000.0038,760.50借69,239.50" in bank
    assert "3本月合计0.0038,760.50贷38,760.50" in members
    assert "4本月合计38,760.5020,000.00贷20,000.00" in members and "本年累计38,760.5058,760.50贷20,000.00" in members
    for words in (
        "3本月合计38,760.500.00借38,760.50本年累计38,760.500.00借38,760.50",
        "4本月合计20,000.000.00借58,760.50本年累计58,760.500.00借58,760.50",
        "本年合计58,760.500.00借58,760.50",
    ):
        assert words in goods, words
    headers, rows = sheet_rows(xlsx_path)
    assert headers == ["科目代码", "科目名称", "月", "摘要", "借方", "贷方", "借或贷", "余额"]
    year = ledger.trial_balance(session, books.cooperative, 2024)
    for row in rows:
        if row[3] == "本年合计":  # the service's year figures, and the sum of the months printed above
            columns = year.row(str(row[0])).columns
            assert (yuan(row[4]), yuan(row[5]), yuan(row[7])) == (columns.debit, columns.credit, abs(columns.closing))
    months = [row for row in rows if row[0] == "114" and row[3] == "本年累计"]
    assert [yuan(row[5]) for row in months] == [D("38760.50"), D("58760.50")]


def test_detail_ledgers_run_per_account_and_per_member_with_the_running_balance(
    session: Session, tmp_path: Path
) -> None:
    books = make_ledger_books(session)
    guard(session)
    pdf_path, xlsx_path = build_detail_ledger(session, books.cooperative, 2024, tmp_path, "zh")
    assert pdf_path.name == f"2024-{CODE}-明细账.pdf"
    count = len(page_pictures(pdf_path, tmp_path / "p"))
    heads = [page_text(pdf_path, page).split("会计科目：")[1].split("日期")[0] for page in range(1, count + 1)]
    assert heads == [
        "102银行存款",
        "113应收款",  # its lines print, though they add up to nothing
        "114成员往来成员：王建国（M02）",
        "114成员往来成员：李秀英（M03）",
        "121产品物资",
        "301股金成员：东院村股份经济合作社（M01）",
        "301股金成员：王建国（M02）",
        "301股金成员：李秀英（M03）",
        "50101苹果销售",
    ]
    receivable = page_text(pdf_path, 2)
    assert "2024-03-102024-03记-2销售苹果50,000.00借50,000.00" in receivable
    assert "2024-03-202024-03记-3冲销：销售苹果-50,000.00平0.00" in receivable  # red ink, on the side it cancels
    assert "本年合计0.000.00平0.00" in receivable
    box = amount_box(pdf_path, 2, "-50,000.00", dpi=100)
    with Image.open(page_pictures(pdf_path, tmp_path / "red", dpi=100)[1]) as image:
        region = image.convert("RGB").crop(box)
        pixels = [region.getpixel((x, y)) for x in range(region.width) for y in range(region.height)]
    assert sum(1 for p in pixels if p[0] > 120 and p[1] < 90 and p[2] < 90) > 30
    owed = page_text(pdf_path, 3)
    assert "年初余额平0.00" in owed
    assert "2024-03-052024-03记-1收到王建国交售苹果38,760.50贷38,760.50" in owed
    assert "2024-04-152024-04记-2支付王建国交售款38,760.50平0.00" in owed
    headers, rows = sheet_rows(xlsx_path)
    assert headers[:4] == ["科目代码", "科目名称", "成员编号", "成员姓名（名称）"]
    closing = [row for row in rows if row[0] == "114" and row[2] == "M03"][-1]
    service = ledger.detail_ledger(session, books.cooperative, "114", 2024, member="M03")
    assert closing[6] == "本年合计" and (closing[9], yuan(closing[10])) == ("贷", abs(service.closing))
    assert service.closing == D("-20000.00")


def test_one_member_s_ledger_of_one_month(session: Session, tmp_path: Path) -> None:
    books = make_ledger_books(session)
    pdf_path, _ = build_detail_ledger(
        session, books.cooperative, 2024, tmp_path, "zh", month=4, account="114", member="M02"
    )
    assert pdf_path.name == f"2024-04-{CODE}-明细账-114-M02.pdf"
    content = page_text(pdf_path, 1)
    assert "2024年4月明细账" in content and "期初余额贷38,760.50" in content
    assert "本期合计38,760.500.00平0.00" in content and len(page_pictures(pdf_path, tmp_path / "p")) == 1
    with pytest.raises(NotFound):
        build_detail_ledger(session, books.cooperative, 2024, tmp_path, "zh", account="999")
    with pytest.raises(NotFound):
        build_detail_ledger(session, books.cooperative, 2024, tmp_path, "zh", member="M99")


def test_the_books_print_in_english_too(session: Session, tmp_path: Path) -> None:
    books = make_ledger_books(session)
    trial, _ = build_trial_balance(session, books.cooperative, 2024, tmp_path, "en")
    general, _ = build_general_ledger(session, books.cooperative, 2024, tmp_path, "en")
    detail, _ = build_detail_ledger(session, books.cooperative, 2024, tmp_path, "en", account="114")
    assert "In balance" in pdf_text(trial) and "Apple sales" in pdf_text(trial)
    assert "Year to date" in pdf_text(general)
    assert "Member: 王建国（M02）" in pdf_text(detail)


def test_coop_report_writes_the_books(tmp_path: Path) -> None:
    url = sqlite_copy("schema", tmp_path)
    engine = make_engine(url)
    with Session(engine) as session, session.begin():
        make_ledger_books(session)
    engine.dispose()
    out = tmp_path / "out"
    for command in (
        ["trial-balance", "--month", "4"],
        ["general-ledger"],
        ["detail-ledger", "--account", "114", "--member", "M03"],
    ):
        done = subprocess.run(
            [
                COOP,
                "--lang",
                "zh",
                "--db",
                url,
                "report",
                *command,
                "--coop",
                CODE,
                "--year",
                "2024",
                "--out",
                str(out),
            ],
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stderr
    assert sorted(path.name for path in out.iterdir()) == sorted(
        f"{name}.{suffix}"
        for name in (f"2024-04-{CODE}-科目余额表", f"2024-{CODE}-总账", f"2024-{CODE}-明细账-114-M03")
        for suffix in ("pdf", "xlsx")
    )
    done = subprocess.run(
        [COOP, "--lang", "zh", "--db", url, "report", "detail-ledger", "--coop", CODE, "--year", "2024",
         "--account", "999", "--out", str(out)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 2 and "999" in done.stderr and "Traceback" not in done.stderr
