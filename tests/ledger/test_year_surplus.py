"""本年盈余 is read from the books: posted vouchers and those booked from business records, never the close; a
distribution is not planned while typed vouchers of the year book profit and loss unposted. Every backend."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy.orm import Session

from coopcore.models import Bylaws, FiscalYear, IncomeCategory, IncomeExpense
from coopcore.services import distribution as workflow
from coopcore.services import ledger
from coopcore.services.ledger.sync import INCOME_EXPENSE, sync_events
from coopcore.services.year_end import UnpostedResult, require_posted_result, year_surplus
from tests.ledger.builders import AUDITOR, PREPARER, cr, day, dr, make_books

D = Decimal


def test_the_surplus_counts_event_vouchers_unposted_and_typed_ones_once_posted_and_never_the_close(
    session: Session,
) -> None:
    cooperative = make_books(session)
    sale = IncomeCategory.OPERATING_INCOME
    session.add(IncomeExpense(cooperative_id=cooperative.id, recorded_on=day("2024-05-10"), category=sale,
                              amount=D("1000.00"), memo="卖苹果"))  # fmt: skip
    session.flush()
    sync_events(session, cooperative, [INCOME_EXPENSE])
    assert year_surplus(session, cooperative.id, 2024) == D("1000.00")  # a draft booked from its 收支 row

    typed = ledger.add_voucher(session, cooperative, on=day("2024-06-30"), summary="计提利息",
                               lines=[dr("524", "100.00"), cr("101", "100.00")], by=PREPARER)  # fmt: skip
    assert year_surplus(session, cooperative.id, 2024) == D("1000.00")  # not in the books until posted
    ledger.audit_voucher(session, typed, by=AUDITOR)
    ledger.post_voucher(session, typed, by=AUDITOR)
    assert year_surplus(session, cooperative.id, 2024) == D("900.00")

    ledger.close_period(session, cooperative, 2024, 12, by=AUDITOR)  # carries P&L into 331, then 332
    assert year_surplus(session, cooperative.id, 2024) == D("900.00")
    assert year_surplus(session, cooperative.id, 2025) == D("0.00")


def test_a_distribution_is_not_planned_on_a_year_with_typed_profit_and_loss_unposted(session: Session) -> None:
    cooperative = make_books(session)
    session.add(Bylaws(cooperative=cooperative, effective_on=dt.date(2020, 1, 1), provident_fund_rate=D("0.10"),
                       patronage_ratio=D("0.60")))  # fmt: skip
    session.add(FiscalYear(cooperative=cooperative, year=2024))
    draft = ledger.add_voucher(session, cooperative, on=day("2024-11-30"), summary="补记收入",
                               lines=[dr("102", "500.00"), cr("501", "500.00")], by=PREPARER)  # fmt: skip
    # A draft without profit and loss does not matter to the surplus.
    ledger.add_voucher(session, cooperative, on=day("2024-11-30"), summary="提现",
                       lines=[dr("101", "50.00"), cr("102", "50.00")], by=PREPARER)  # fmt: skip

    with pytest.raises(UnpostedResult) as refused:
        workflow.plan_distribution(session, cooperative, 2024)
    assert refused.value.fields["vouchers"] == "2024-11 记-1"

    ledger.audit_voucher(session, draft, by=AUDITOR)
    ledger.post_voucher(session, draft, by=AUDITOR)
    require_posted_result(session, cooperative, 2024)  # nothing left unposted: planning goes on
    assert year_surplus(session, cooperative.id, 2024) == D("500.00")
