"""A workbook is the complete record only of what came from workbooks: booked and hand-typed rows survive imports.

Issue #13 item 1: re-importing the accountant's own workbook removed the land guarantees the system had
booked, and the next plan's surplus silently grew by them. Every backend.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from openpyxl import load_workbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from coopcore.models import (
    AccountEntryKind,
    Cooperative,
    FundSource,
    IncomeCategory,
    IncomeExpense,
    Member,
    MemberAccountEntry,
    Product,
    SpecialFund,
    Trade,
)
from coopcore.services import distribution as workflow
from coopcore.services.imports import COOPERATIVE, ImportReport, export_workbook, run_import
from coopcore.services.land import book_land_guarantees
from coopcore.services.ledger.sync import sync_events
from coopcore.services.year_end import year_surplus
from tests.workbook.builders import Book, cooperative_code, valid_book, write_book

D = Decimal
TODAY = dt.date(2025, 6, 30)


def run(session: Session, book: Book, path: Path, **options: object) -> ImportReport:
    return run_import(session, write_book(book, path), COOPERATIVE, today=TODAY, **options)  # type: ignore[arg-type]


def imported(session: Session, tmp_path: Path) -> Cooperative:
    report = run(session, valid_book(), tmp_path / "first.xlsx")
    assert report.written, report.messages()
    return session.scalars(select(Cooperative).where(Cooperative.credit_code == cooperative_code(1))).one()


def guarantee_rows(session: Session, cooperative: Cooperative) -> list[Decimal]:
    query = select(IncomeExpense.amount).where(
        IncomeExpense.cooperative_id == cooperative.id, IncomeExpense.source.like("land_guarantee:2024:%")
    )
    return sorted(session.scalars(query))


def changed(report: ImportReport) -> dict[str, tuple[int, int, int]]:
    return {
        key: (c.created, c.updated, c.removed)
        for key, c in report.counts.items()
        if (c.created, c.updated, c.removed) != (0, 0, 0)
    }


def test_reimporting_the_accountants_corrected_workbook_keeps_the_booked_guarantees_and_the_surplus(
    session: Session, tmp_path: Path
) -> None:
    cooperative = imported(session, tmp_path)
    booked = book_land_guarantees(session, cooperative, 2024)
    assert [g.amount for g in booked.guarantees] == [D("1050.00")]  # M04: 1.5 mu × ¥700
    surplus = workflow.plan_distribution(session, cooperative, 2024).surplus

    book = valid_book()
    book["收支"].set(2, "摘要", "联合社投资损失（更正摘要）")  # one cell corrected, no amount changed
    report = run(session, book, tmp_path / "corrected.xlsx")

    assert report.written and not report.blocking, report.messages()
    assert changed(report) == {"income_expense": (1, 0, 1)}  # the corrected row only, not the guarantees
    assert guarantee_rows(session, cooperative) == [D("1050.00")]
    assert workflow.plan_distribution(session, cooperative, 2024).surplus == surplus


def test_a_closed_year_with_booked_rows_still_takes_the_same_workbook(session: Session, tmp_path: Path) -> None:
    cooperative = imported(session, tmp_path)
    book_land_guarantees(session, cooperative, 2024)
    book = valid_book()
    book["年度结转"].header.append("已结账")
    book["年度结转"].set(1, "已结账", "是")
    assert run(session, book, tmp_path / "close.xlsx").written

    report = run(session, book, tmp_path / "again.xlsx")

    assert report.messages() == [] and report.written  # was: "…已不在工作簿中…请把该行加回" for the guarantee
    assert guarantee_rows(session, cooperative) == [D("1050.00")]


def test_rows_typed_in_the_admin_are_not_removed_by_a_workbook_that_lacks_them(
    session: Session, tmp_path: Path
) -> None:
    cooperative = imported(session, tmp_path)
    m02 = session.scalars(select(Member).where(Member.cooperative_id == cooperative.id, Member.code == "M02")).one()
    apple = session.scalars(select(Product).where(Product.name == "苹果")).one()
    # As the admin's forms write them (admin/views/ledger.py, members.py).
    session.add_all(
        [
            IncomeExpense(cooperative_id=cooperative.id, recorded_on=dt.date(2024, 6, 1), source="admin",
                          category=IncomeCategory.ADMIN_EXPENSE, amount=D("300.00"), memo="办公用品"),
            Trade(cooperative_id=cooperative.id, member_id=m02.id, traded_on=dt.date(2024, 9, 1), product_id=apple.id,
                  quantity=D("10"), unit="kg", unit_price=D("4.00"), amount=D("40.00")),
            SpecialFund(cooperative_id=cooperative.id, received_on=dt.date(2024, 7, 1), source=FundSource.DONATION,
                        amount=D("2000.00"), memo="爱心捐赠"),
            MemberAccountEntry(member_id=m02.id, entry_on=dt.date(2024, 2, 1), source="admin",
                               kind=AccountEntryKind.CONTRIBUTION_CASH, amount=D("1000.00"), memo="追加出资"),
        ]
    )  # fmt: skip
    session.flush()
    sync_events(session, cooperative)  # the forms book what they save (coopcore.services.ledger.sync.book_record)
    before = year_surplus(session, cooperative.id, 2024)

    report = run(session, valid_book(), tmp_path / "again.xlsx")

    assert report.written and changed(report) == {}, report.messages()
    assert year_surplus(session, cooperative.id, 2024) == before
    assert session.scalar(select(func.count()).where(Trade.cooperative_id == cooperative.id)) == 14
    assert session.scalar(select(func.count()).where(SpecialFund.cooperative_id == cooperative.id)) == 2
    reversed_ = select(func.count()).where(MemberAccountEntry.reverses_id.is_not(None))
    assert session.scalar(reversed_) == 0


def test_an_export_marks_booked_and_typed_rows_and_reimporting_it_changes_nothing(
    session: Session, tmp_path: Path
) -> None:
    cooperative = imported(session, tmp_path)
    book_land_guarantees(session, cooperative, 2024)
    session.add(
        IncomeExpense(cooperative_id=cooperative.id, recorded_on=dt.date(2024, 6, 1), source="admin",
                      category=IncomeCategory.ADMIN_EXPENSE, amount=D("300.00"), memo="办公用品")
    )  # fmt: skip
    session.flush()
    sync_events(session, cooperative)  # the form books what it saves
    path = tmp_path / "export.xlsx"
    export_workbook(session, cooperative.credit_code, path)

    sheet = load_workbook(path)["收支"]
    rows = list(sheet.iter_rows(values_only=True))
    origin = rows[0].index("记录来源")
    memo = rows[0].index("摘要")
    marks = {row[memo]: row[origin] for row in rows[1:]}
    assert marks == {
        "苹果销售收入": "工作簿导入",
        "收购苹果支出": "工作簿导入",
        "联合社投资损失": "工作簿导入",
        "办公用品": "手工录入",
        "2024年土地入股保底收益 M04": "系统记账：土地保底",
    }
    before = year_surplus(session, cooperative.id, 2024)
    report = run_import(session, path, COOPERATIVE, today=TODAY)

    assert report.written and report.messages() == []
    assert changed(report) == {}  # created, updated and removed all zero on every sheet
    assert year_surplus(session, cooperative.id, 2024) == before
    assert guarantee_rows(session, cooperative) == [D("1050.00")]


def test_a_row_marked_as_booked_by_a_service_cannot_be_changed_through_the_workbook(
    session: Session, tmp_path: Path
) -> None:
    cooperative = imported(session, tmp_path)
    book_land_guarantees(session, cooperative, 2024)
    path = tmp_path / "export.xlsx"
    export_workbook(session, cooperative.credit_code, path)
    workbook = load_workbook(path)
    sheet = workbook["收支"]
    header = [cell.value for cell in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        if row[header.index("记录来源")].value == "系统记账：土地保底":
            row[header.index("金额*")].value = 999
    workbook.save(path)

    report = run_import(session, path, COOPERATIVE, today=TODAY)

    assert report.blocking and not report.written
    assert any("土地保底" in line and "不能" in line for line in report.messages()), report.messages()
    assert guarantee_rows(session, cooperative) == [D("1050.00")]


def test_the_dry_run_shows_the_surplus_of_each_year_it_changes(session: Session, tmp_path: Path) -> None:
    cooperative = imported(session, tmp_path)
    before_2024 = year_surplus(session, cooperative.id, 2024)
    book = valid_book()
    book["收支"].set(2, "金额*", -800)  # the 2024 investment loss: ¥500 → ¥800
    book["交易"].set(0, "等级", "二级")  # a change that moves no surplus

    report = run(session, book, tmp_path / "dry.xlsx", dry_run=True)

    assert not report.written and not report.blocking
    assert [(s.year, s.before, s.after) for s in report.surplus] == [(2024, before_2024, before_2024 - D("300.00"))]
    assert year_surplus(session, cooperative.id, 2024) == before_2024  # a dry run writes nothing
