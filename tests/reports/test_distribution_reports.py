"""The distribution report, the dividend slips and the publicity notice, generated from Example 1 and read back."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from PIL import Image
from sqlalchemy.orm import Session

from coopcore.i18n.capitals import amount_in_capitals
from reports.cli import guard
from reports.distribution import build_distribution_report
from reports.notice import build_publicity_notice
from reports.slips import build_dividend_slips
from tests.distribution.test_distribution_workflow import EXPECTED_TOTALS
from tests.reports import builders
from tests.reports.conftest import fonts, page_pictures, pdf_text, yuan

D = Decimal
# docs/domain.md §4: 02表 lines 12-20 of Example 1.
LINES_12_TO_20 = ["186543.27", "-4321.09", "0.00", "18222.22", "163999.96", "114799.97", "49199.99", "0.00", "0.00"]


def test_the_workbook_totals_equal_the_database_to_the_fen(session: Session, tmp_path: Path) -> None:
    cooperative, distribution = builders.example(session, "posted")
    guard(session)
    _, workbook_path = build_distribution_report(session, cooperative, 2024, tmp_path, "zh")
    book = openpyxl.load_workbook(workbook_path)
    assert book.sheetnames == ["资产负债表", "盈余及盈余分配表", "成员权益变动表", "分配依据与检查", "成员分配明细"]
    # The full 02表 of the statements, as `coop report statements` writes it: Example 1 once the plan is posted.
    form = book["盈余及盈余分配表"]
    lines = {row[1].value: row[2].value for row in form.iter_rows(min_row=3) if isinstance(row[1].value, int)}
    assert list(lines) == list(range(1, 21))
    assert [yuan(lines[number]) for number in range(12, 21)] == [D(v) for v in LINES_12_TO_20]
    members = book["成员分配明细"]
    headers = [cell.value for cell in members[2]]
    patronage, residual, total = (headers.index(h) + 1 for h in ("盈余返还", "剩余盈余分配", "分红合计"))
    rows = list(members.iter_rows(min_row=3, max_row=members.max_row - 1))
    assert {row[0].value: str(yuan(row[total - 1].value)) for row in rows} == EXPECTED_TOTALS
    last = members.max_row
    assert members.cell(last, 1).value == "合计"
    assert yuan(members.cell(last, patronage).value) == distribution.patronage_pool == D("114799.97")
    assert yuan(members.cell(last, residual).value) == distribution.residual_pool == D("49199.99")
    assert yuan(members.cell(last, total).value) == distribution.distributable == D("163999.96")
    # Real numbers with a ¥ format, not text; the title and header rows stay on screen.
    cell = members.cell(3, total)
    assert cell.data_type == "n" and "¥" in cell.number_format
    assert members.freeze_panes == "C3"
    assert members.column_dimensions["B"].width >= 20


def test_the_pdf_prints_the_statement_checks_and_every_member_in_chinese(session: Session, tmp_path: Path) -> None:
    cooperative, _ = builders.example(session)
    pdf_path, _ = build_distribution_report(session, cooperative, 2024, tmp_path, "zh")
    content = pdf_text(pdf_path)
    for expected in (
        "2024年度盈余分配报告",
        "盈余及盈余分配表",
        "四、本年盈余",
        "186,543.27",
        "-4,321.09",
        "163,999.96",
        "公积金提取比例",
        "70%（法定不低于60%）",
        "按交易量（额）返还不低于可分配盈余的60%",
        "符合",
        "东院村股份经济合作社",
        "刘桂兰",
        "40,880.80",
        "合计",
        "草案",
        "未经成员大会审议通过",
    ):
        assert expected in content, expected
    pictures = page_pictures(pdf_path, tmp_path / "pages")
    assert len(pictures) >= 3
    with Image.open(pictures[0]) as first:
        assert first.width < first.height and abs(first.height - 702) <= 1  # A4 portrait at 60 dpi
    with Image.open(pictures[-1]) as table:
        assert table.width > table.height  # the member table is landscape
    assert fonts(pdf_path) and all(font["emb"] == "yes" for font in fonts(pdf_path))


def test_an_approved_plan_carries_no_draft_mark(session: Session, tmp_path: Path) -> None:
    cooperative, _ = builders.example(session, "approved")
    pdf_path, _ = build_distribution_report(session, cooperative, 2024, tmp_path, "zh")
    content = pdf_text(pdf_path)
    assert "草案" not in content and "已通过" in content and "2025年3月20日" in content


def test_the_report_is_also_in_english(session: Session, tmp_path: Path) -> None:
    cooperative, _ = builders.example(session)
    pdf_path, workbook_path = build_distribution_report(session, cooperative, 2024, tmp_path, "en")
    assert pdf_path.name == "2024-93370602MA3EXMPL1X-distribution-report.pdf"
    content = pdf_text(pdf_path)
    assert "2024 surplus distribution report" in content and "Plan state: draft" in content and "刘桂兰" in content
    assert openpyxl.load_workbook(workbook_path).sheetnames == [
        "Balance sheet",
        "Statement of surplus and its di",  # a sheet's name is at most 31 characters
        "Statement of changes in member ",
        "Bylaws and checks",
        "Members' amounts",
    ]


@pytest.mark.parametrize(("per_page", "pages"), [(3, 2), (2, 3), (1, 6)])
def test_there_is_a_slip_per_member_with_the_total_in_capitals(
    session: Session, tmp_path: Path, per_page: int, pages: int
) -> None:
    cooperative, _ = builders.example(session)
    seen: list[tuple[int, int]] = []
    [path] = build_dividend_slips(
        session,
        cooperative,
        2024,
        tmp_path,
        "zh",
        per_page=per_page,
        progress=lambda done, total: seen.append((done, total)),
    )
    assert seen == [(n, 6) for n in range(1, 7)]
    assert len(page_pictures(path, tmp_path / "pages")) == pages
    content = pdf_text(path)
    assert content.count("分红明细单") == 6 and content.count("成员签字（按手印）") == 6
    for total in EXPECTED_TOTALS.values():
        assert amount_in_capitals(D(total)) in content
    assert "人民币肆万零捌佰捌拾元零捌角整" in content  # M05 刘桂兰, 40,880.80
    assert "¥40,880.80" in content and "草案" in content


def test_a_paid_slip_says_how_it_was_paid(session: Session, tmp_path: Path) -> None:
    cooperative, _ = builders.example(session, "paid")
    [path] = build_dividend_slips(session, cooperative, 2024, tmp_path, "zh")
    content = pdf_text(path)
    assert "已于2025年4月1日转为成员出资" in content and "已于2025年4月2日现金支付" in content
    assert "草案" not in content
    # Each slip explains itself (issue #17): the plan's rates with its pools and the bylaws' ratio, how they are
    # rounded, the year's rent, and what the books still owe once paid.
    flat = "".join(content.split())
    assert flat.count("每元交易额返还0.5740元（返还总额114,799.97元=可分配盈余163,999.96元×章程比例70%") == 6
    assert flat.count("每元基数分配0.2031元（剩余盈余49,199.99元÷全体成员基数合计242,221.21元）") == 6
    assert flat.count("比率保留4位小数（四舍五入），仅用于说明；各项金额按最大余额法将总额分配到分") == 6
    assert flat.count("2024年无土地入股保底收益。") == 6
    assert "截至2025年4月2日：114成员往来" in flat and "221应付盈余返还0.00，222应付剩余盈余0.00" in flat


def test_a_slip_shows_what_the_assembly_converted_and_what_is_left_to_pay(session: Session, tmp_path: Path) -> None:
    cooperative, _ = builders.example(session, "posted", conversions={"M04": D("5000.00")})
    [path] = build_dividend_slips(session, cooperative, 2024, tmp_path, "zh")
    content = pdf_text(path)
    assert content.count("转为成员出资") == 6 + 1  # the six unpaid boxes, and M04's conversion
    assert "2025年第1号决议" in content and "5,000.00" in content
    assert "尚应支付" in content and "¥17,052.13" in content  # 22,052.13 less 5,000.00 (the cell wraps)


def test_the_notice_gives_the_objection_period_the_contact_and_the_assembly(session: Session, tmp_path: Path) -> None:
    cooperative, _ = builders.example(session, "published")
    [path] = build_publicity_notice(session, cooperative, 2024, tmp_path, "zh", contact="王会计 13800000000")
    content = "".join(pdf_text(path).split())  # the sentences wrap; compare without line breaks
    assert "关于2024年度盈余分配方案的公示" in content
    assert "公示期自2025年3月1日至2025年3月19日，共19日" in content
    assert "联系人及电话：王会计13800000000" in content
    assert "提交2025年3月20日召开的成员大会审议表决" in content
    assert "公示日期：2025年3月1日" in content and "公示稿" in content
    for name in ("王建国", "李秀英", "陈志强"):
        assert name in content
    assert "163,999.96" in content  # the total at the bottom of the attached table
    # [L-40]: where members read the year's statements, from the day the plan went up.
    assert (
        "本社2024年度会计报表（资产负债表、盈余及盈余分配表、成员权益变动表）自2025年3月1日起与本方案一并置于本社办公地点"
        in content
    )


def test_a_draft_notice_leaves_the_dates_blank_to_fill_in(session: Session, tmp_path: Path) -> None:
    cooperative, _ = builders.example(session)
    [path] = build_publicity_notice(session, cooperative, 2024, tmp_path, "zh")
    content = pdf_text(path)
    assert "______年____月____日" in content and "草案" in content


def test_a_share_converted_whole_is_not_offered_for_payment(session: Session, tmp_path: Path) -> None:
    cooperative, _ = builders.example(session, "posted", conversions={"M04": D("22052.13")})  # M04's whole share
    [path] = build_dividend_slips(session, cooperative, 2024, tmp_path, "zh")
    flat = "".join(pdf_text(path).split())
    assert flat.count("无需支付：已全部转为成员出资（2025年第1号决议）") == 1
    assert flat.count("尚未支付：") == 5  # the other households still choose cash or conversion
