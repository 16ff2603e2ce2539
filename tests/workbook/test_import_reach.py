"""Who imports what: an accountant's workbook keeps to the books of their own cooperatives, on every backend."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from coopcore.models import Cooperative, Member, PartyBranch, Product, Role, Township, Village, VillageCollective
from coopcore.services.access import Scope, load_scope
from coopcore.services.imports import COOPERATIVE, ImportReport, run_import
from coopcore.services.users import create_user
from tests.workbook.builders import Book, collective_code, cooperative_code, valid_book, write_book

TODAY = dt.date(2025, 6, 30)
NEEDS_ADMIN = "这一行需要管理员："


def run(session: Session, book: Book, path: Path, **options: object) -> ImportReport:
    return run_import(session, write_book(book, path), COOPERATIVE, today=TODAY, **options)  # type: ignore[arg-type]


def elsewhere_book() -> Book:
    """Cooperative 2 in another township: its village, collective and party branch are none of the clerk's."""
    book = valid_book(2)
    book["合作社"].set(0, "所在乡镇*", "远山镇")
    book["合作社"].set(0, "所在村*", "远山村")
    book["合作社"].set(0, "领办党支部", "远山村党支部")
    return book


@pytest.fixture
def clerk(session: Session, tmp_path: Path) -> Scope:
    """Cooperatives 1 and 2 imported by the administrator; an accountant who keeps the books of cooperative 1."""
    assert run(session, valid_book(1), tmp_path / "one.xlsx").written
    assert run(session, elsewhere_book(), tmp_path / "two.xlsx").written
    mine = session.scalars(select(Cooperative).where(Cooperative.credit_code == cooperative_code(1))).one()
    user = create_user(session, "clerk", "a long enough password 1", Role.ACCOUNTANT, cooperatives=[mine])
    session.flush()
    return load_scope(session, user)


def counts(session: Session) -> tuple[int, ...]:
    models = (Township, Village, PartyBranch, VillageCollective, Product, Cooperative)
    return tuple(session.scalar(select(func.count()).select_from(model)) or 0 for model in models)


def needs_admin(report: ImportReport) -> list[tuple[str, int | None, str, str]]:
    return [
        (p.sheet_label("zh"), p.row, p.column_label("zh"), p.message("zh"))
        for p in report.problems
        if p.message("zh").startswith(NEEDS_ADMIN)
    ]


def test_an_accountant_reimports_their_own_cooperative_without_needing_an_administrator(
    session: Session, clerk: Scope, tmp_path: Path
) -> None:
    book = valid_book(1)
    book["交易"].set(1, "数量*", 999)  # an ordinary correction of the books

    report = run(session, book, tmp_path / "mine.xlsx", actor=clerk)

    assert report.messages() == [] and report.written


def test_an_accountant_cannot_move_their_cooperative_create_places_products_or_link_a_foreign_collective(
    session: Session, clerk: Scope, tmp_path: Path
) -> None:
    book = valid_book(1)
    book["合作社"].set(0, "所在乡镇*", "新开镇")  # a township that does not exist yet
    book["合作社"].set(0, "所在村*", "新开村")
    book["合作社"].set(0, "领办党支部", "新开村党支部")
    book["成员"].set(0, "证件号码*", collective_code(2))  # M01: the collective of 远山村, another township
    book["交易"].set(3, "产品*", "黄金梨")  # a product nobody has added to the shared list
    book["交易"].set(5, "产品*", "黄金梨")
    before = counts(session)
    collective_before = session.scalar(select(Member.village_collective_id).where(Member.code == "M01"))

    checked = run(session, book, tmp_path / "escalate.xlsx", actor=clerk, dry_run=True)
    report = run(session, book, tmp_path / "escalate.xlsx", actor=clerk)

    problems = needs_admin(checked)
    assert [(sheet, row, column) for sheet, row, column, _ in problems] == [
        ("合作社", 2, "所在村"),  # moved (first), new township and village, new party branch: one problem
        ("成员", 4, "证件号码"),
        ("交易", 5, "产品"),  # the first row naming the new product, not every one
    ]
    cooperative_row, member_row, trade_row = (message for *_, message in problems)
    assert "迁到新开镇新开村" in cooperative_row and "新建乡镇“新开镇”" in cooperative_row
    assert "新建村“新开村”" in cooperative_row and "新建党支部“新开村党支部”" in cooperative_row
    assert "远山村" in member_row and collective_code(2) in member_row
    assert "新建共享产品“黄金梨”" in trade_row
    assert needs_admin(report) == problems and report.blocking and not report.written
    assert counts(session) == before
    assert session.scalar(select(Member.village_collective_id).where(Member.code == "M01")) == collective_before
    mine = session.scalars(select(Cooperative).where(Cooperative.credit_code == cooperative_code(1))).one()
    assert mine.village.name == "测试1村"


def test_an_accountant_cannot_move_their_cooperative_into_an_existing_village_of_another_township(
    session: Session, clerk: Scope, tmp_path: Path
) -> None:
    book = valid_book(1)
    book["合作社"].set(0, "所在乡镇*", "远山镇")
    book["合作社"].set(0, "所在村*", "远山村")
    book["合作社"].set(0, "领办党支部", "远山村党支部")

    report = run(session, book, tmp_path / "move.xlsx", actor=clerk)

    [(sheet, row, column, message)] = needs_admin(report)
    assert (sheet, row, column) == ("合作社", 2, "所在村")
    assert "把合作社从测试街道测试1村迁到远山镇远山村" in message and "关联其他村的党支部“远山村党支部”" in message
    assert not report.written


def test_an_accountant_cannot_import_a_cooperative_that_is_not_theirs_or_a_new_one(
    session: Session, clerk: Scope, tmp_path: Path
) -> None:
    foreign = run(session, elsewhere_book(), tmp_path / "foreign.xlsx", actor=clerk)
    new = run(session, valid_book(3), tmp_path / "new.xlsx", actor=clerk, dry_run=True)

    assert [(s, r, c) for s, r, c, _ in needs_admin(foreign)] == [("合作社", 2, "统一社会信用代码")]
    assert "不在您负责的范围内" in needs_admin(foreign)[0][3] and not foreign.written
    assert "新建合作社" in needs_admin(new)[0][3]


def test_the_administrator_may_do_what_the_accountant_may_not(session: Session, clerk: Scope, tmp_path: Path) -> None:
    book = valid_book(1)
    book["合作社"].set(0, "所在乡镇*", "远山镇")
    book["合作社"].set(0, "所在村*", "新开村")
    book["成员"].set(0, "证件号码*", collective_code(2))
    book["交易"].set(3, "产品*", "黄金梨")

    report = run(session, book, tmp_path / "admin.xlsx")  # the `coop` command: the local administrator

    assert needs_admin(report) == [] and report.written
    session.expire_all()
    mine = session.scalars(select(Cooperative).where(Cooperative.credit_code == cooperative_code(1))).one()
    assert (mine.village.township.name, mine.village.name) == ("远山镇", "新开村")
