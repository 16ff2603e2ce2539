"""The database guards the books whoever writes, raw SQL included: a posted voucher never changes, nothing is
written into a closed month, a voucher is posted only balanced (migration 9ebc1ea3f4b6)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from coopcore.errors import AppendOnly, CoopError, InvalidValue, PeriodClosed, RuleViolation
from coopcore.i18n import render_error
from coopcore.models import Voucher
from coopcore.services import ledger
from tests.ledger.builders import AUDITOR, PREPARER, cr, day, dr, make_books


def refused(session: Session, statement: str, **values: object) -> CoopError:
    """Run a raw statement inside a savepoint and return the coopcore error the database's refusal became."""
    with pytest.raises(CoopError) as caught, session.begin_nested():
        session.execute(text(statement), values)
    return caught.value


def posted_voucher(session: Session, cooperative: object) -> Voucher:
    voucher = ledger.add_voucher(session, cooperative, on=day("2024-03-05"), summary="收款",  # type: ignore[arg-type]
                                 lines=[dr("102", "100.00"), cr("501", "100.00")], by=PREPARER)  # fmt: skip
    ledger.audit_voucher(session, voucher, by=AUDITOR)
    return ledger.post_voucher(session, voucher, by=AUDITOR)


def test_a_posted_voucher_cannot_be_changed_or_deleted_by_raw_sql(session: Session) -> None:
    cooperative = make_books(session)
    voucher = posted_voucher(session, cooperative)
    line_id = voucher.lines[0].id
    attempts: list[tuple[str, dict[str, object]]] = [
        ("UPDATE voucher_line SET debit = 90 WHERE id = :id", {"id": line_id}),
        ("UPDATE voucher_line SET summary = 'x' WHERE id = :id", {"id": line_id}),
        ("DELETE FROM voucher_line WHERE id = :id", {"id": line_id}),
        ("UPDATE voucher SET summary = '改' WHERE id = :id", {"id": voucher.id}),
        ("UPDATE voucher SET state = 'draft' WHERE id = :id", {"id": voucher.id}),
        ("DELETE FROM voucher WHERE id = :id", {"id": voucher.id}),
        (
            "INSERT INTO voucher_line (voucher_id, line_no, cooperative_id, year, month, account_id, summary, debit,"
            " credit, counterparty, project) SELECT voucher_id, 3, cooperative_id, year, month, account_id, '',"
            " debit, credit, '', '' FROM voucher_line WHERE id = :id",
            {"id": line_id},
        ),
    ]
    for statement, values in attempts:
        error = refused(session, statement, **values)
        assert isinstance(error, AppendOnly), (statement, error)
        assert render_error(error, "zh") == "已记账的凭证不能修改或删除：如需更正，请做红字冲销凭证。"
    session.expire_all()
    assert [line.debit for line in voucher.lines] == [100, 0] and voucher.summary == "收款"


def test_a_voucher_is_posted_by_raw_sql_only_when_it_balances(session: Session) -> None:
    cooperative = make_books(session)
    voucher = ledger.add_voucher(session, cooperative, on=day("2024-03-05"), summary="收款",
                                 lines=[dr("102", "100.00"), cr("501", "100.00")], by=PREPARER)  # fmt: skip
    session.execute(text("UPDATE voucher_line SET debit = 90 WHERE id = :id"), {"id": voucher.lines[0].id})
    error = refused(session, "UPDATE voucher SET state = 'posted' WHERE id = :id", id=voucher.id)
    assert isinstance(error, RuleViolation) and "借贷平衡" in render_error(error, "zh")
    error = refused(session, "INSERT INTO voucher (cooperative_id, year, month, word, number, voucher_date, summary,"
                             " attachments, state, prepared_by, audited_by, posted_by, origin, version) VALUES"
                             " (:coop, 2024, 3, '记', 9, '2024-03-09', '', 0, 'posted', '', '', '', 'manual', 1)",
                    coop=cooperative.id)  # fmt: skip
    assert isinstance(error, AppendOnly)


def test_nothing_is_inserted_changed_or_deleted_in_a_closed_month_by_raw_sql(session: Session, backend: str) -> None:
    cooperative = make_books(session)
    voucher = posted_voucher(session, cooperative)
    ledger.close_period(session, cooperative, 2024, 3, by=AUDITOR)
    for statement in (
        "INSERT INTO voucher (cooperative_id, year, month, word, number, voucher_date, summary, attachments, state,"
        " prepared_by, audited_by, posted_by, origin, version) VALUES (:coop, 2024, 3, '记', 9, '2024-03-09', '', 0,"
        " 'draft', '', '', '', 'manual', 1)",
        # A month before the first closed month is closed too (months close in order).
        "INSERT INTO voucher (cooperative_id, year, month, word, number, voucher_date, summary, attachments, state,"
        " prepared_by, audited_by, posted_by, origin, version) VALUES (:coop, 2023, 7, '记', 1, '2023-07-09', '', 0,"
        " 'draft', '', '', '', 'manual', 1)",
        "UPDATE voucher SET number = 7 WHERE cooperative_id = :coop",
        "UPDATE voucher_line SET project = 'x' WHERE cooperative_id = :coop",
    ):
        error = refused(session, statement, coop=cooperative.id)
        assert isinstance(error, PeriodClosed), (statement, error)
        if backend != "sqlite":  # SQLite's RAISE cannot name the period
            assert f"{cooperative.name}的20" in render_error(error, "zh")
            assert render_error(error, "zh").endswith("期间已结账：不能再记账、修改或删除。")
    session.expire_all()
    assert voucher.number == 1


def test_a_line_stays_in_its_voucher_s_period(session: Session) -> None:
    cooperative = make_books(session)
    voucher = ledger.add_voucher(session, cooperative, on=day("2024-03-05"), summary="收款",
                                 lines=[dr("102", "100.00"), cr("501", "100.00")], by=PREPARER)  # fmt: skip
    error = refused(session, "UPDATE voucher_line SET month = 4 WHERE id = :id", id=voucher.lines[0].id)
    assert isinstance(error, InvalidValue) and "须与所属凭证一致" in render_error(error, "zh")


@pytest.mark.parametrize("write", ["change", "delete"])
def test_a_draft_voucher_is_changed_and_deleted_freely_by_sql_in_an_open_month(session: Session, write: str) -> None:
    cooperative = make_books(session)
    voucher = ledger.add_voucher(session, cooperative, on=day("2024-03-05"), summary="收款",
                                 lines=[dr("102", "100.00"), cr("501", "100.00")], by=PREPARER)  # fmt: skip
    statements: dict[str, Callable[[], object]] = {
        "change": lambda: session.execute(text("UPDATE voucher SET summary = '改' WHERE id = :id"), {"id": voucher.id}),
        "delete": lambda: session.execute(text("DELETE FROM voucher WHERE id = :id"), {"id": voucher.id}),
    }
    statements[write]()
