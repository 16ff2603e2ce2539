"""The statements on paper and in a workbook (会计报表): the official layout of each form (title, 编制单位, date,
单位：元, line numbers, both columns, the signatures), the service's figures, each form on one A4 page."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import openpyxl
from PIL import Image
from sqlalchemy import select
from sqlalchemy.orm import Session

from coopcore.models import Voucher
from coopcore.services import ledger
from coopcore.services.ledger.sync import sync_events
from coopcore.services.statements import statements
from reports.cli import guard
from reports.statements import build_statements
from tests.reports.builders import example
from tests.reports.conftest import page_pictures
from tests.reports.test_vouchers import page_text

CODE = "93370602MA3EXMPL1X"


def test_the_three_forms_print_on_three_a4_pages_with_the_official_layout(session: Session, tmp_path: Path) -> None:
    cooperative, _ = example(session, "posted")
    sync_events(session, cooperative)  # the contributions and the years before the books as well
    carried = session.scalars(select(Voucher).where(Voucher.source_ref == "carried:2024")).one()
    ledger.audit_voucher(session, carried, by="审核")
    ledger.close_period(session, cooperative, 2024, 12, by="审核")  # the statements count posted vouchers
    guard(session)
    pdf_path, xlsx_path = build_statements(session, cooperative, 2024, tmp_path, "zh")
    assert pdf_path.name == f"2024-{CODE}-会计报表.pdf" and xlsx_path.suffix == ".xlsx"
    sheet, surplus, equity = (page_text(pdf_path, page) for page in (1, 2, 3))
    for words in ("资产负债表", "2024年12月31日", "会农社01表", "编制单位：示例果业专业合作社", "单位：元",
                  "资产行次期末余额年初余额负债和所有者权益行次期末余额年初余额", "货币资金1", "资产总计22",
                  "负债和所有者权益总计42", "单位负责人", "会计主管", "制表人"):  # fmt: skip
        assert words in sheet, words
    for words in ("盈余及盈余分配表", "2024年度", "会农社02表", "项目行次本年金额上年金额",
                  "五、可分配盈余16163,999.96", "六、年末未分配盈余200.00",
                  "加：年初未分配盈余13-4,321.09"):  # fmt: skip
        assert words in surplus, words
    for words in ("成员权益变动表", "会农社03表", "股金专项基金资本公积盈余公积未分配盈余合计", "其中：资本公积转增",
                  "年末余额", "从盈余中提取18,222.22"):  # fmt: skip
        assert words in equity, words
    pictures = page_pictures(pdf_path, tmp_path / "pages")
    assert len(pictures) == 3  # each form on its own page, nothing pushed onto a fourth
    sizes = [Image.open(picture).size for picture in pictures]
    assert sizes[0][0] > sizes[0][1] and sizes[1][0] < sizes[1][1] and sizes[2][0] > sizes[2][1]
    found = statements(session, cooperative, 2024)
    book = openpyxl.load_workbook(xlsx_path)
    assert book.sheetnames == ["资产负债表", "盈余及盈余分配表", "成员权益变动表"]
    rows = [[cell.value for cell in row] for row in book["盈余及盈余分配表"].iter_rows(min_row=3)]
    assert [(row[1], Decimal(str(row[2]))) for row in rows] == [(n, found.this_year[n]) for n in range(1, 21)]
    sheet_rows = [[cell.value for cell in row] for row in book["资产负债表"].iter_rows(min_row=3)]
    assert sheet_rows[-1][1] == 22 and sheet_rows[-1][5] == 42  # the two totals share the bottom row
    assert Decimal(str(sheet_rows[-1][2])) == Decimal(str(sheet_rows[-1][6])) == found.closing[22]
