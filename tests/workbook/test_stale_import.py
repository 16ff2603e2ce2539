"""A workbook exported before another import does not silently remove or change what that import wrote.

Accountant A imports a workbook adding tickets; accountant B then imports a copy exported before A's import.
"The sheet is the year" would remove A's tickets; the export's stamp (a very hidden sheet) lets the import see
they were written after B's copy was made. Every backend, real .xlsx files.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.orm import Session

from coopcore.db.audit import act_as
from coopcore.models import Cooperative, Role, Trade, User
from coopcore.services.imports import COOPERATIVE, ImportReport, export_workbook, run_import
from coopcore.services.workbook import newer
from coopcore.services.workbook.stamp import SHEET_NAMES
from tests.workbook.builders import Book, add_ticket, cooperative_code, valid_book, write_book

TODAY = dt.date(2025, 6, 30)
CODE = cooperative_code(1)
A_TICKET = "RK2024-A001"


def run(session: Session, path: Path, **options: object) -> ImportReport:
    report = run_import(session, path, COOPERATIVE, today=TODAY, **options)  # type: ignore[arg-type]
    if report.written:
        session.commit()  # each import is its own transaction, as on the command line and in the admin
    return report


def with_a_ticket(book: Book) -> Book:
    return add_ticket(book, A_TICKET)


def tickets(session: Session) -> dict[str, Decimal]:
    query = select(Trade.ticket_no, Trade.quantity).join(Cooperative).where(Cooperative.credit_code == CODE)
    return {ticket: quantity for ticket, quantity in session.execute(query) if ticket}


def exported_before_a(session: Session, tmp_path: Path) -> Path:
    """B's copy: the cooperative exported, then A's import adding a ticket."""
    assert run(session, write_book(valid_book(), tmp_path / "first.xlsx")).written
    stale = tmp_path / "b-stale.xlsx"
    export_workbook(session, CODE, stale)
    assert run(session, write_book(with_a_ticket(valid_book()), tmp_path / "a.xlsx")).written
    assert A_TICKET in tickets(session)
    return stale


def delete_ticket(path: Path, ticket: str) -> None:
    """Delete a ticket's row in a spreadsheet program and save: openpyxl keeps what it does not know, like Excel."""
    book = load_workbook(path)
    sheet = book["交易"]
    [row] = [row[0].row for row in sheet.iter_rows(min_row=2) if ticket in [cell.value for cell in row]]
    sheet.delete_rows(row)
    book.save(path)


def templates(report: ImportReport) -> list[str]:
    return [problem.template for problem in report.problems]


def test_a_workbook_exported_before_another_import_is_refused_and_writes_nothing(
    session: Session, tmp_path: Path
) -> None:
    stale = exported_before_a(session, tmp_path)
    before = tickets(session)

    report = run(session, stale)

    assert report.blocking and not report.written
    assert templates(report) == [newer.ADDED_AFTER]
    [problem] = report.problems
    assert (problem.sheet_label("zh"), problem.value) == ("交易", A_TICKET)
    message = problem.message("zh")
    assert f"{A_TICKET}（2024-10-08）是在本工作簿导出（" in message and "本次导入会删除它" in message
    assert "coop import --replace-newer" in problem.message("en")
    assert tickets(session) == before


def test_replacing_newer_rows_removes_them_on_purpose_and_says_so(session: Session, tmp_path: Path) -> None:
    stale = exported_before_a(session, tmp_path)

    report = run(session, stale, replace_newer=True)

    assert report.written and not report.blocking
    assert templates(report) == [newer.ADDED_REPLACED]
    assert report.counts["transactions"].removed == 1
    assert A_TICKET not in tickets(session)


def test_a_workbook_exported_after_the_other_import_imports_as_before(session: Session, tmp_path: Path) -> None:
    exported_before_a(session, tmp_path)
    fresh = tmp_path / "b-fresh.xlsx"
    export_workbook(session, CODE, fresh)
    delete_ticket(fresh, "RK2024-0006")  # B edits it in a spreadsheet program: one ticket less

    report = run(session, fresh)

    assert report.written and report.problems == [], report.messages()
    assert report.counts["transactions"].removed == 1
    assert A_TICKET in tickets(session) and "RK2024-0006" not in tickets(session)


def test_the_stamp_survives_editing_and_saving_the_workbook(session: Session, tmp_path: Path) -> None:
    stale = exported_before_a(session, tmp_path)
    book = load_workbook(stale)
    assert book[SHEET_NAMES["zh"]].sheet_state == "veryHidden"
    book["收支"]["D2"] = "改过的摘要"  # B's edit
    book.save(stale)

    report = run(session, stale)

    assert newer.ADDED_AFTER in templates(report) and not report.written


def test_a_ticket_changed_after_the_export_is_not_changed_back(session: Session, tmp_path: Path) -> None:
    stale = exported_before_a(session, tmp_path)
    changed = valid_book()
    changed["交易"].set(7, "数量*", 999)  # A corrects RK2024-0007 in a later import
    assert run(session, write_book(with_a_ticket(changed), tmp_path / "a2.xlsx")).written

    report = run(session, stale)

    assert not report.written
    problems = {problem.value: problem for problem in report.problems}
    assert problems.keys() == {A_TICKET, "RK2024-0007"}
    corrected = problems["RK2024-0007"]
    assert corrected.template == newer.CHANGED_AFTER and corrected.row is not None
    assert "由未记录的用户修改" in corrected.message("zh") and "本次导入会修改它" in corrected.message("zh")
    assert tickets(session)["RK2024-0007"] == Decimal("999")


def test_a_workbook_row_edited_in_the_admin_after_the_export_names_who_changed_it(
    session: Session, tmp_path: Path
) -> None:
    assert run(session, write_book(with_a_ticket(valid_book()), tmp_path / "first.xlsx")).written
    stale = tmp_path / "stale.xlsx"
    export_workbook(session, CODE, stale)
    clerk = User(username="李会计", password_hash="x", role=Role.ACCOUNTANT)
    session.add(clerk)
    session.commit()
    act_as(session, clerk.id)  # who the admin's session acts as, from the transaction's start
    trade = session.scalars(select(Trade).where(Trade.ticket_no == A_TICKET)).one()
    trade.quantity = Decimal("310")  # as the admin's form saves it: through the ORM, with a version
    session.commit()
    act_as(session, None)
    delete_ticket(stale, A_TICKET)  # B removes the ticket, not knowing it was corrected since

    report = run(session, stale)

    [problem] = report.problems
    assert problem.template == newer.CHANGED_AFTER and problem.fields["by"] == "李会计"
    assert tickets(session)[A_TICKET] == Decimal("310")


def test_a_row_changed_by_a_coop_command_names_the_command_line_and_its_login(session: Session, tmp_path: Path) -> None:
    assert run(session, write_book(with_a_ticket(valid_book()), tmp_path / "first.xlsx")).written
    stale = tmp_path / "stale.xlsx"
    export_workbook(session, CODE, stale)
    act_as(session, None, cli_login="wangfang")  # as `coop` acts, run by the system login wangfang, no --user
    trade = session.scalars(select(Trade).where(Trade.ticket_no == A_TICKET)).one()
    trade.quantity = Decimal("320")
    session.commit()
    act_as(session, None)
    delete_ticket(stale, A_TICKET)

    [problem] = run(session, stale).problems
    assert problem.template == newer.CHANGED_AFTER and "由命令行（wangfang）修改" in problem.message("zh")


def test_a_workbook_without_a_stamp_removes_as_before_and_warns_that_it_could_not_check(
    session: Session, tmp_path: Path
) -> None:
    exported_before_a(session, tmp_path)

    report = run(session, write_book(valid_book(), tmp_path / "hand-made.xlsx"))

    assert report.written
    assert templates(report) == [newer.UNCHECKED]
    assert report.problems[0].fields["count"] == 1
    assert A_TICKET not in tickets(session)


def test_a_stamp_from_another_database_is_not_trusted(session: Session, tmp_path: Path) -> None:
    stale = exported_before_a(session, tmp_path)
    book = load_workbook(stale)
    stamp = book[SHEET_NAMES["zh"]]
    for row in stamp.iter_rows():
        if row[0].value == "transaction_at":
            row[1].value = "2001-01-01T00:00:00"
    book.save(stale)

    report = run(session, stale)

    assert templates(report) == [newer.UNCHECKED] and report.written
