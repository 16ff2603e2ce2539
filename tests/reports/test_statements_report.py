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
from coopcore.services.statements.notes import statement_notes
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
    # Each form on its own page, nothing pushed onto the next; the notes (附注) on portrait pages after them.
    notes_page = page_text(pdf_path, 4)
    for words in ("会计报表附注", "1、遵循农民专业合作社会计制度的声明", "2、合作社基本情况", "3、成员权益结构",
                  "各成员的出资额和量化为该成员的公积金份额"):  # fmt: skip
        assert words in notes_page, words
    assert "会计报表附注" not in page_text(pdf_path, 3)
    assert "9、有助于理解和分析会计报表需要说明的其他事项" in page_text(pdf_path, len(pictures))
    sizes = [Image.open(picture).size for picture in pictures]
    assert sizes[0][0] > sizes[0][1] and sizes[1][0] < sizes[1][1] and sizes[2][0] > sizes[2][1]
    assert all(width < height for width, height in sizes[3:])
    found = statements(session, cooperative, 2024)
    book = openpyxl.load_workbook(xlsx_path)
    assert book.sheetnames[:4] == ["资产负债表", "盈余及盈余分配表", "成员权益变动表", "附注"]
    notes = statement_notes(session, cooperative, 2024, found)
    members = [[cell.value for cell in row] for row in book["附注3-1"].iter_rows(min_row=3)]
    assert [row[0] for row in members[:-1]] == [member.code for member in notes.equity] and members[-1][0] == "合计"
    assert Decimal(str(members[-1][3])) == notes.contributions == sum(m.contribution for m in notes.equity)
    rows = [[cell.value for cell in row] for row in book["盈余及盈余分配表"].iter_rows(min_row=3)]
    assert [(row[1], Decimal(str(row[2]))) for row in rows] == [(n, found.this_year[n]) for n in range(1, 21)]
    sheet_rows = [[cell.value for cell in row] for row in book["资产负债表"].iter_rows(min_row=3)]
    assert sheet_rows[-1][1] == 22 and sheet_rows[-1][5] == 42  # the two totals share the bottom row
    assert Decimal(str(sheet_rows[-1][2])) == Decimal(str(sheet_rows[-1][6])) == found.closing[22]
