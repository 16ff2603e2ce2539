"""The trial balance, detail ledgers and journals as the accountant reads them, on every backend."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from coopcore.errors import InvalidValue, NotFound
from coopcore.models import Account, Cooperative, Voucher
from coopcore.rules.ledger import EntryLine
from coopcore.services import ledger
from tests.ledger.builders import AUDITOR, PREPARER, cr, day, dr, make_books

D = Decimal


def posted(session: Session, cooperative: Cooperative, on: str, *lines: EntryLine, summary: str = "凭证") -> Voucher:
    voucher = ledger.add_voucher(session, cooperative, on=day(on), summary=summary, lines=lines, by=PREPARER)
    ledger.audit_voucher(session, voucher, by=AUDITOR)
    return ledger.post_voucher(session, voucher, by=AUDITOR)


def columns(balance: ledger.TrialBalance, code: str) -> tuple[str, ...]:
    return tuple(str(amount) for amount in balance.row(code).columns.amounts())


def test_detail_accounts_roll_up_into_their_parents_and_the_totals_count_first_level_accounts_once(
    session: Session,
) -> None:
    cooperative = make_books(session)
    ledger.add_account(session, cooperative, "50101", "苹果销售", "501")
    ledger.add_account(session, cooperative, "50102", "樱桃销售", "501")
    ledger.add_account(session, cooperative, "5010101", "富士", "50101")
    posted(session, cooperative, "2023-12-01", dr("102", "1000.00"), cr("301", "1000.00", "M001"))
    posted(session, cooperative, "2024-03-01", dr("102", "300.00"), cr("5010101", "300.00"))
    posted(session, cooperative, "2024-04-01", dr("102", "200.00"), cr("50102", "200.00"))
    balance = ledger.trial_balance(session, cooperative, 2024)
    assert columns(balance, "501") == ("0.00", "0.00", "0.00", "500.00", "0.00", "500.00")
    assert columns(balance, "50101") == ("0.00", "0.00", "0.00", "300.00", "0.00", "300.00")
    assert columns(balance, "5010101") == columns(balance, "50101")
    assert columns(balance, "102") == ("1000.00", "0.00", "500.00", "0.00", "1500.00", "0.00")
    assert [row.level for row in balance.rows if row.code.startswith("501")] == [1, 2, 3, 2]
    codes = [row.code for row in balance.rows]
    assert codes == sorted(codes) and "109" in codes and "33202" in codes
    assert tuple(str(a) for a in balance.totals.amounts()) == (
        "1000.00", "1000.00", "500.00", "500.00", "1500.00", "1500.00")  # fmt: skip
    assert balance.balanced


def test_a_balance_is_shown_on_the_side_it_lies_and_114_nets_its_members(session: Session) -> None:
    cooperative = make_books(session)
    posted(session, cooperative, "2024-03-01", dr("114", "1200.00", "M001"), cr("102", "1200.00"))
    posted(session, cooperative, "2024-03-02", dr("121", "800.00"), cr("114", "800.00", "M002"))
    posted(session, cooperative, "2024-03-03", dr("113", "500.00"), cr("501", "500.00"))
    balance = ledger.trial_balance(session, cooperative, 2024)
    # 102 overdrawn: a credit balance of an asset, in the credit column.
    assert columns(balance, "102") == ("0.00", "0.00", "0.00", "1200.00", "0.00", "1200.00")
    assert columns(balance, "114") == ("0.00", "0.00", "1200.00", "800.00", "400.00", "0.00")
    # domain.md §15 rule 22: the balance sheet reads the members apart (01表 lines 2 and 24), never netted.
    members = ledger.member_balances(session, cooperative, "114", 2024)
    assert members == {"M001": D("1200.00"), "M002": D("-800.00")}
    receivable = balance.row("113").columns.closing + sum(value for value in members.values() if value > 0)
    payable = balance.row("211").columns.closing_credit - sum(value for value in members.values() if value < 0)
    assert (receivable, payable) == (D("1700.00"), D("800.00"))  # not netted to 400.00


def test_only_posted_vouchers_count_unless_a_preview_asks_for_the_others(session: Session) -> None:
    cooperative = make_books(session)
    posted(session, cooperative, "2024-03-01", dr("101", "10.00"), cr("102", "10.00"))
    ledger.add_voucher(session, cooperative, on=day("2024-03-02"), summary="草稿",
                       lines=[dr("101", "5.00"), cr("102", "5.00")], by=PREPARER)  # fmt: skip
    assert ledger.trial_balance(session, cooperative, 2024).row("101").columns.closing == D("10.00")
    preview = ledger.trial_balance(session, cooperative, 2024, include_unposted=True)
    assert preview.row("101").columns.closing == D("15.00") and preview.balanced
    assert ledger.detail_ledger(session, cooperative, "101", 2024).closing == D("10.00")


def test_a_member_s_detail_ledger_runs_its_balance_from_the_previous_year(session: Session) -> None:
    cooperative = make_books(session)
    posted(session, cooperative, "2023-11-01", dr("114", "100.00", "M001"), cr("501", "100.00"), summary="农资")
    posted(session, cooperative, "2024-02-01", dr("121", "300.00"), cr("114", "300.00", "M001"), summary="交售")
    posted(session, cooperative, "2024-02-02", dr("121", "999.00"), cr("114", "999.00", "M002"), summary="别人")
    paid = posted(session, cooperative, "2024-03-01", dr("114", "200.00", "M001"), cr("102", "200.00"), summary="付款")
    ledger.reverse_voucher(session, paid, on=day("2024-03-02"), by=AUDITOR)
    detail = ledger.detail_ledger(session, cooperative, "114", 2024, member="M001")
    assert detail.opening == D("100.00") and detail.closing == D("-200.00")
    assert [(row.voucher, row.summary, str(row.debit), str(row.credit), str(row.balance)) for row in detail.rows] == [
        ("2024-02 记-1", "交售", "0.00", "300.00", "-200.00"),
        ("2024-03 记-1", "付款", "200.00", "0.00", "0.00"),
        ("2024-03 记-2", "冲销：付款", "-200.00", "0.00", "-200.00"),  # red: negative on the side it cancels
    ]
    assert ledger.detail_ledger(session, cooperative, "114", 2024, month=3, member="M001").opening == D("-200.00")
    with pytest.raises(NotFound):
        ledger.detail_ledger(session, cooperative, "114", 2024, member="M404")


def test_the_bank_journal_names_the_counter_accounts_of_each_entry(session: Session) -> None:
    cooperative = make_books(session)
    posted(session, cooperative, "2024-03-01", dr("102", "1000.00"), cr("301", "600.00", "M001"),
           cr("321", "400.00"), summary="出资")  # fmt: skip
    posted(session, cooperative, "2024-03-02", dr("101", "50.00"), cr("102", "50.00"), summary="取现")
    journal = ledger.journal(session, cooperative, "102", 2024)
    assert [(row.summary, row.counter_accounts, str(row.balance)) for row in journal.rows] == [
        ("出资", ("301", "321"), "1000.00"), ("取现", ("101",), "950.00")]  # fmt: skip
    with pytest.raises(InvalidValue):
        ledger.journal(session, cooperative, "114", 2024)


def test_the_books_of_a_cooperative_that_never_used_them_read_as_zeros_and_nothing_is_written(
    session: Session,
) -> None:
    cooperative = make_books(session)
    balance = ledger.trial_balance(session, cooperative, 2024)
    assert len(balance.rows) == 52 and balance.totals == ledger.Columns() and balance.balanced
    assert [row.level for row in balance.rows if row.code.startswith("332")] == [1, 2, 2]
    assert ledger.detail_ledger(session, cooperative, "114", 2024, "M001").rows == []
    assert ledger.journal(session, cooperative, "102", 2024).closing == 0
    assert not session.new and session.scalar(select(func.count()).select_from(Account)) == 0
