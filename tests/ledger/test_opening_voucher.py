"""Books that start mid-life: the opening-balance voucher is 期初 in the trial balance, never a movement."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy.orm import Session

from coopcore.models import Cooperative, Voucher, VoucherOrigin
from coopcore.rules.ledger import EntryLine
from coopcore.services import ledger
from tests.ledger.builders import AUDITOR, PREPARER, cr, day, dr, make_books

D = Decimal


def posted(
    session: Session, cooperative: Cooperative, on: str, *lines: EntryLine, origin: VoucherOrigin, number: int | None
) -> Voucher:
    voucher = ledger.add_voucher(session, cooperative, on=day(on), summary="期初余额", lines=lines, by=PREPARER,
                                 origin=origin, number=number)  # fmt: skip
    ledger.audit_voucher(session, voucher, by=AUDITOR)
    return ledger.post_voucher(session, voucher, by=AUDITOR)


def amounts(balance: ledger.TrialBalance, code: str) -> tuple[str, ...]:
    return tuple(str(amount) for amount in balance.row(code).columns.amounts())


def test_the_opening_voucher_is_the_opening_balance_of_its_month_and_year_and_the_next_month_carries_it(
    session: Session,
) -> None:
    cooperative = make_books(session)
    opening = (dr("102", "5000.00"), dr("114", "300.00", "M001"), cr("301", "5300.00", "M002"))
    posted(session, cooperative, "2024-07-01", *opening, origin=VoucherOrigin.OPENING, number=2)
    posted(session, cooperative, "2024-07-05", dr("101", "100.00"), cr("102", "100.00"),
           origin=VoucherOrigin.WORKBOOK, number=1)  # fmt: skip

    for month in (None, 7):
        balance = ledger.trial_balance(session, cooperative, 2024, month)
        assert amounts(balance, "102") == ("5000.00", "0.00", "0.00", "100.00", "4900.00", "0.00")
        assert amounts(balance, "301") == ("0.00", "5300.00", "0.00", "0.00", "0.00", "5300.00")
        assert balance.balanced
    assert amounts(ledger.trial_balance(session, cooperative, 2024, 6), "102") == ("0.00",) * 6
    assert ledger.trial_balance(session, cooperative, 2024, 8).row("102").columns.opening == D("4900.00")
    closed = ledger.close_period(session, cooperative, 2024, 7, by=AUDITOR)
    assert closed.months == [(2024, 7)]  # 8 opens with 7's closing


def test_a_voucher_keeps_the_number_it_has_on_paper(session: Session) -> None:
    cooperative = make_books(session)
    voucher = ledger.add_voucher(session, cooperative, on=day("2024-03-01"), summary="纸面3号",
                                 lines=[dr("101", "1.00"), cr("102", "1.00")], by=PREPARER, number=3)  # fmt: skip
    later = ledger.add_voucher(session, cooperative, on=day("2024-03-02"), summary="其后",
                               lines=[dr("101", "1.00"), cr("102", "1.00")], by=PREPARER)  # fmt: skip
    assert (voucher.number, later.number) == (3, 4)
