"""The sums a close stores (ledger_balance) on every backend: balances read them for closed months and give what
the lines give, reversals and the year-end included; reopening a month deletes its sums."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from coopcore.models import Cooperative, PeriodBalance, VoucherLine
from coopcore.services import ledger
from coopcore.services.ledger.balances import month_sums
from tests.ledger.builders import AUDITOR, cr, day, dr, make_books
from tests.ledger.test_periods import a_year_of_books, posted


def everything(session: Session, cooperative: Cooperative) -> list[Any]:
    """Every trial balance of 2024 and 2025 (years and months), detail ledgers and member balances."""
    balances: list[Any] = [ledger.trial_balance(session, cooperative, year).rows for year in (2024, 2025)]
    balances += [ledger.trial_balance(session, cooperative, 2024, month).rows for month in range(1, 13)]
    balances += [ledger.detail_ledger(session, cooperative, code, 2024, month=6) for code in ("102", "114", "332")]
    balances.append(ledger.member_balances(session, cooperative, "301", 2024))
    return balances


def stored_months(session: Session, cooperative: Cooperative) -> list[tuple[int, int]]:
    rows = session.execute(
        select(PeriodBalance.year, PeriodBalance.month)
        .where(PeriodBalance.cooperative_id == cooperative.id)
        .distinct()
        .order_by(PeriodBalance.year, PeriodBalance.month)
    )
    return [(year, month) for year, month in rows]


def test_closed_months_are_read_from_their_stored_sums_and_give_what_their_lines_give(session: Session) -> None:
    cooperative = make_books(session)
    a_year_of_books(session, cooperative)
    sale = posted(session, cooperative, "2024-05-05", dr("102", "900.00"), cr("501", "900.00"))
    ledger.reverse_voucher(session, sale, on=day("2024-07-01"), by=AUDITOR)  # a red reversal in a later month
    before = everything(session, cooperative)

    ledger.close_period(session, cooperative, 2024, 6, by=AUDITOR)
    assert stored_months(session, cooperative) == [(2024, month) for month in (1, 2, 3, 5, 6)]  # April had nothing
    assert everything(session, cooperative) == before
    stored = session.scalar(select(func.sum(PeriodBalance.debit)).where(PeriodBalance.cooperative_id == cooperative.id))
    lines = session.scalar(
        select(func.sum(VoucherLine.debit)).where(VoucherLine.cooperative_id == cooperative.id, VoucherLine.month <= 6)
    )
    assert stored == lines

    # December's close books the year-end vouchers; 2025 opens with exactly what 2024 closed with.
    ledger.close_period(session, cooperative, 2024, 12, by=AUDITOR)
    closed = everything(session, cooperative)
    assert (
        ledger.trial_balance(session, cooperative, 2024).row("332").columns.closing
        == ledger.trial_balance(session, cooperative, 2025).row("332").columns.opening
    )
    assert closed[0] != before[0]  # the year-end vouchers moved profit and loss

    ledger.reopen_period(session, cooperative, 2024, 12, by=AUDITOR)
    assert (2024, 12) not in stored_months(session, cooperative)
    assert everything(session, cooperative)[2:13] == closed[2:13]  # January to November stay closed
    # Closed again, the year-end is booked anew (its reversal and new vouchers add up to the same year).
    ledger.close_period(session, cooperative, 2024, 12, by=AUDITOR)
    assert everything(session, cooperative) == closed


def stored_sums(session: Session, cooperative: Cooperative, year: int, month: int) -> dict[Any, Any]:
    rows = session.execute(
        select(PeriodBalance.account_id, PeriodBalance.opening, PeriodBalance.red, PeriodBalance.debit,
               PeriodBalance.credit)
        .where(PeriodBalance.cooperative_id == cooperative.id, PeriodBalance.year == year, PeriodBalance.month == month)
    )  # fmt: skip
    return {(account_id, opening, red): (debit, credit) for account_id, opening, red, debit, credit in rows}


def summed_afresh(session: Session, cooperative: Cooperative, year: int, month: int) -> dict[Any, Any]:
    sums = month_sums(session, cooperative.id, year, month)
    return {key: value for key, value in sums.items() if any(value)}


def test_decembers_stored_sums_are_its_lines_with_the_year_end_vouchers_summed_once(session: Session) -> None:
    # The close sums December's lines once, before it books the year-end vouchers, and adds what those changed:
    # what it stores must be what summing the month's lines afterwards gives, at a first close and a second.
    cooperative = make_books(session)
    a_year_of_books(session, cooperative)
    sale = posted(session, cooperative, "2024-12-05", dr("102", "900.00"), cr("501", "900.00"))
    ledger.reverse_voucher(session, sale, on=day("2024-12-20"), by=AUDITOR)  # a red reversal in December itself

    ledger.close_period(session, cooperative, 2024, 12, by=AUDITOR)
    assert stored_sums(session, cooperative, 2024, 12) == summed_afresh(session, cooperative, 2024, 12)

    ledger.reopen_period(session, cooperative, 2024, 12, by=AUDITOR)  # the year-end vouchers are reversed
    ledger.close_period(session, cooperative, 2024, 12, by=AUDITOR)  # and booked anew
    stored = stored_sums(session, cooperative, 2024, 12)
    assert stored == summed_afresh(session, cooperative, 2024, 12)
    assert any(red for _, _, red in stored)  # the reversals of the first year-end vouchers are in them
