"""What each household is owed, from the books: member statements (对账单) add up and equal the books, on every
backend (issue #17)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from coopcore.models import Cooperative, Voucher, VoucherOrigin
from coopcore.money import ZERO
from coopcore.services import ledger
from coopcore.services.ledger.owed import OWED_ACCOUNTS, classify, member_statement, member_statements, owed_on
from coopcore.services.lookups import member_by_code
from coopcore.terms import OwedMovement
from tests.ledger.builders import AUDITOR, cr, day, dr, make_books
from tests.ledger.test_balances import posted

D = Decimal
CREDIT, DEBIT, PAYMENT = OwedMovement.CREDIT, OwedMovement.DEBIT, OwedMovement.PAYMENT


def test_a_debit_is_a_payment_when_money_went_out_except_for_inputs_bought_for_the_member() -> None:
    assert classify(debit=False, origin=VoucherOrigin.TRADE, pays_out=False) is CREDIT
    assert classify(debit=False, origin=VoucherOrigin.MANUAL, pays_out=False) is CREDIT
    assert classify(debit=True, origin=VoucherOrigin.PAYMENT, pays_out=True) is PAYMENT
    assert classify(debit=True, origin=VoucherOrigin.MANUAL, pays_out=True) is PAYMENT
    assert classify(debit=True, origin=VoucherOrigin.TRADE, pays_out=True) is DEBIT  # Dr 114—member / Cr 102 supplier
    assert classify(debit=True, origin=VoucherOrigin.PAYMENT, pays_out=False) is DEBIT  # converted: Dr 221 / Cr 301


def test_every_demo_household_s_statement_adds_up_to_its_balances_in_the_books_at_each_year_end(
    demo_session: Session,
) -> None:
    checked = 0
    for cooperative in demo_session.scalars(select(Cooperative).order_by(Cooperative.id)):
        years = demo_session.execute(
            select(func.min(Voucher.year), func.max(Voucher.year)).where(Voucher.cooperative_id == cooperative.id)
        ).one()
        if years[0] is None:
            continue
        for year in range(years[0], years[1] + 1):
            first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
            statements = member_statements(demo_session, cooperative, first, last)
            balance = ledger.trial_balance(demo_session, cooperative, year)
            for code in OWED_ACCOUNTS:
                # Computed apart: each member's detail balance (明细账), and the trial balance's row for all.
                books = ledger.member_balances(demo_session, cooperative, code, year)
                for statement in statements:
                    owed = statement.accounts[code]
                    assert owed.closing == -books.get(statement.code, ZERO), (cooperative.name, year, code)
                    assert owed.closing == owed.opening + owed.credits - owed.debits - owed.payments
                    moved = sum((line.change for line in statement.lines if line.account == code), ZERO)
                    assert owed.opening + moved == owed.closing
                    checked += 1
                assert {s.code for s in statements} >= {member for member, value in books.items() if value}
                row = balance.row(code).columns
                assert sum((s.accounts[code].closing for s in statements), ZERO) == -row.closing
                assert sum((s.accounts[code].opening for s in statements), ZERO) == -row.opening
            at_year_end = owed_on(demo_session, cooperative, last)
            assert {m.code: m.balances for m in at_year_end.members if m.total or any(m.balances.values())} == {
                s.code: {code: s.accounts[code].closing for code in OWED_ACCOUNTS}
                for s in statements
                if any(s.accounts[code].closing for code in OWED_ACCOUNTS)
            }
            net = sum((balance.row(code).columns.closing for code in OWED_ACCOUNTS), ZERO)
            assert at_year_end.owed_to_members - at_year_end.owed_by_members == -net
    assert checked > 1000


def test_the_demo_pays_returns_and_credits_deliveries_in_the_statement_s_columns(demo_session: Session) -> None:
    cooperative = demo_session.scalars(select(Cooperative).where(Cooperative.credit_code == "93370671MA3H6XFL2R")).one()
    member = member_by_code(demo_session, cooperative, "M002")
    statement = member_statement(demo_session, cooperative, member, dt.date(2023, 1, 1), dt.date(2023, 12, 31))
    kinds = {(line.account, line.movement) for line in statement.lines}
    assert {("114", CREDIT), ("114", DEBIT), ("114", PAYMENT), ("221", CREDIT), ("221", PAYMENT),
            ("222", CREDIT), ("222", PAYMENT)} <= kinds  # fmt: skip
    paid = [line for line in statement.lines if line.account == "221" and line.movement is PAYMENT]
    assert statement.accounts["221"].payments == sum((line.amount for line in paid), ZERO) > 0
    assert statement.accounts["221"].opening == paid[0].amount  # last year's return, paid in April
    assert [line.day for line in statement.lines] == sorted(line.day for line in statement.lines)


def test_a_statement_counts_posted_vouchers_reads_red_reversals_negative_and_previews_drafts(session: Session) -> None:
    cooperative = make_books(session)
    posted(session, cooperative, "2023-11-01", dr("114", "100.00", "M001"), cr("501", "100.00"), summary="农资")
    posted(session, cooperative, "2024-02-01", dr("121", "300.00"), cr("114", "300.00", "M001"), summary="交售")
    posted(session, cooperative, "2024-02-02", dr("121", "999.00"), cr("114", "999.00", "M002"), summary="别人")
    paid = posted(session, cooperative, "2024-03-01", dr("114", "150.00", "M001"), cr("102", "150.00"), summary="付款")
    ledger.reverse_voucher(session, paid, on=day("2024-03-02"), by=AUDITOR)
    posted(session, cooperative, "2024-03-03", dr("33201", "50.00"), cr("221", "50.00", "M001"), summary="返还")
    ledger.add_voucher(session, cooperative, on=day("2024-03-04"), summary="草稿",
                       lines=[dr("221", "50.00", "M001"), cr("101", "50.00")], by=AUDITOR)  # fmt: skip
    member = member_by_code(session, cooperative, "M001")
    statement = member_statement(session, cooperative, member, day("2024-01-01"), day("2024-03-31"))
    assert [(line.voucher, line.summary, line.account, line.movement, line.amount) for line in statement.lines] == [
        ("2024-02 记-1", "交售", "114", CREDIT, D("300.00")),
        ("2024-03 记-1", "付款", "114", PAYMENT, D("150.00")),
        ("2024-03 记-2", "冲销：付款", "114", PAYMENT, D("-150.00")),  # red: negative in what it cancels
        ("2024-03 记-3", "返还", "221", CREDIT, D("50.00")),
    ]
    assert statement.accounts["114"].opening == D("-100.00") and statement.accounts["114"].closing == D("200.00")
    assert statement.total.closing == D("250.00")
    preview = member_statement(session, cooperative, member, day("2024-01-01"), day("2024-03-31"),
                               include_unposted=True)  # fmt: skip
    assert preview.lines[-1].movement is PAYMENT and preview.accounts["221"].closing == ZERO
    before = member_statement(session, cooperative, member, day("2024-01-01"), day("2024-02-29"))
    assert before.accounts["114"].closing == D("200.00") and len(before.lines) == 1
    owed = owed_on(session, cooperative, day("2024-03-31"))
    assert [(m.code, m.total) for m in owed.members] == [("M001", D("250.00")), ("M002", D("999.00"))]
    assert (owed.owed_to_members, owed.owed_by_members) == (D("1249.00"), ZERO)
    assert owed_on(session, cooperative, day("2023-12-31")).owed_by_members == D("100.00")
