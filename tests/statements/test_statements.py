"""The statements filled from the books (issue 16): Example 1's 02表, the filling rules of domain.md §2.3, the
month-end balance sheet, last year's column and 03表's sub-items; on SQLite, PostgreSQL and MariaDB."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from coopcore.models import Cooperative, Voucher
from coopcore.rules.ledger import EntryLine
from coopcore.services import distribution as workflow
from coopcore.services import ledger
from coopcore.services.ledger.sync import sync_events
from coopcore.services.statements import statements
from tests.distribution.builders import make_example_1
from tests.distribution.test_distribution_workflow import approved
from tests.ledger.builders import AUDITOR, PREPARER, cr, dr, make_books
from tests.statements.identities import assert_identities

D = Decimal


def posted(session: Session, cooperative: Cooperative, on: str, *lines: EntryLine) -> Voucher:
    """A voucher typed by an accountant, audited and posted."""
    voucher = ledger.add_voucher(session, cooperative, on=dt.date.fromisoformat(on), summary="手工凭证", lines=lines,
                                 by=PREPARER)  # fmt: skip
    ledger.audit_voucher(session, voucher, by=AUDITOR)
    return ledger.post_voucher(session, voucher, by=AUDITOR)


def test_example_1_gives_the_full_surplus_statement_with_163_999_96_distributable_and_nothing_left(
    session: Session,
) -> None:
    cooperative = make_example_1(session)
    sync_events(session, cooperative)  # contributions, the years before the books, the subsidy and donation …
    workflow.post_distribution(session, approved(session, cooperative))
    carried = session.scalars(select(Voucher).where(Voucher.cooperative_id == cooperative.id,
                                                    Voucher.source_ref == "carried:2024")).one()  # fmt: skip
    ledger.audit_voucher(session, carried, by=AUDITOR)  # the years before the books rest on an assumption
    ledger.close_period(session, cooperative, 2024, 12, by=AUDITOR)  # every voucher of 2024 posted
    found = statements(session, cooperative, 2024)
    # domain.md §4 and §15 rule 21: lines 1-11 from the 收支 rows, 12-20 as the example gives them.
    expected = ["420000.00", "12543.27", "210000.00", "2000.00", "30000.00", "3000.00", "187543.27", "4000.00",
                "5000.00", "186543.27", "0.00", "186543.27", "-4321.09", "0.00", "18222.22", "163999.96",
                "114799.97", "49199.99", "0.00", "0.00"]  # fmt: skip
    assert [str(found.this_year[n]) for n in range(1, 21)] == expected
    assert found.last_year == {n: D("0.00") for n in range(1, 21)}
    assert_identities(found)
    # 03表: the year's surplus in, the provident fund moved to 盈余公积, returns and residual declared payable.
    rows, increase = found.equity.rows, found.equity.increase
    assert rows["opening"]["undistributed"] == D("-4321.09") and rows["closing"]["undistributed"] == 0
    assert increase["surplus_reserve"] == {"extracted": D("18222.22")}
    assert increase["special_fund"] == {"fiscal_subsidy": D("0.00"), "donations": D("3000.00")}
    assert found.closing[29] == D("114799.97") and found.closing[30] == D("49199.99")


def test_members_debit_and_credit_balances_are_not_netted(session: Session) -> None:
    cooperative = make_books(session)
    # §15 rule 22: A owes 1,200.00, B is owed 800.00, a non-member owes 500.00.
    posted(session, cooperative, "2024-03-01", dr("114", "1200.00", "M001"), cr("102", "1200.00"))
    posted(session, cooperative, "2024-03-02", dr("102", "800.00"), cr("114", "800.00", "M002"))
    posted(session, cooperative, "2024-03-03", dr("113", "500.00"), cr("501", "500.00"))
    found = statements(session, cooperative, 2024)
    assert (found.closing[2], found.closing[24]) == (D("1700.00"), D("800.00"))
    assert found.closing[40] == D("500.00")  # the year's income, not yet carried into 331
    assert_identities(found)


def test_a_debit_tax_balance_and_a_credit_disposal_balance_show_negative(session: Session) -> None:
    cooperative = make_books(session)
    posted(session, cooperative, "2024-05-10", dr("214", "300.00"), cr("102", "300.00"))  # tax paid in advance
    posted(session, cooperative, "2024-05-11", dr("102", "700.00"), cr("154", "700.00"))  # disposal proceeds
    found = statements(session, cooperative, 2024, 5)
    assert (found.closing[27], found.closing[14], found.closing[15]) == (D("-300.00"), D("-700.00"), D("-700.00"))
    assert_identities(found)


def test_a_month_end_balance_sheet_has_the_year_s_opening_and_the_months_to_date(session: Session) -> None:
    cooperative = make_books(session)
    posted(session, cooperative, "2023-06-01", dr("102", "10000.00"), cr("301", "10000.00", "M001"))
    posted(session, cooperative, "2024-02-01", dr("121", "4000.00"), cr("102", "4000.00"))
    posted(session, cooperative, "2024-07-01", dr("151", "2500.00", poverty_asset=False), cr("102", "2500.00"))
    march = statements(session, cooperative, 2024, 3)
    assert (march.opening[1], march.closing[1], march.closing[3], march.closing[10]) == (
        D("10000.00"), D("6000.00"), D("4000.00"), D("0.00"))  # fmt: skip
    assert march.opening[36] == march.closing[36] == D("10000.00")
    assert_identities(march)


def test_last_year_s_column_is_last_year_s_statement_and_the_year_opens_where_it_closed(session: Session) -> None:
    cooperative = make_books(session)
    posted(session, cooperative, "2023-01-05", dr("102", "9000.00"), cr("301", "9000.00", "M001"))
    posted(session, cooperative, "2023-08-05", dr("102", "3000.00"), cr("501", "3000.00"))
    posted(session, cooperative, "2023-09-05", dr("523", "1000.00"), cr("102", "1000.00"))
    ledger.close_period(session, cooperative, 2023, 12, by=AUDITOR)  # carries 2,000.00 into 332—未分配盈余
    posted(session, cooperative, "2024-04-05", dr("102", "500.00"), cr("502", "500.00"))
    before, found = statements(session, cooperative, 2023), statements(session, cooperative, 2024)
    assert before.this_year[12] == before.this_year[20] == D("2000.00") == before.closing[40]
    assert found.opening == before.closing
    assert (found.this_year[12], found.this_year[13], found.this_year[20]) == (D("500.00"), D("2000.00"),
                                                                              D("2500.00"))  # fmt: skip
    assert_identities(before)
    assert_identities(found, before)


def test_equity_sub_items_follow_what_each_voucher_books_against(session: Session) -> None:
    cooperative = make_books(session)
    # A late joiner's premium, a conversion of capital reserve, a subsidy spent on an asset, a member leaving.
    posted(session, cooperative, "2024-02-01", dr("102", "12000.00"), cr("301", "10000.00", "M001"),
           cr("321", "2000.00"))  # fmt: skip
    posted(session, cooperative, "2024-03-01", dr("321", "500.00"), cr("301", "500.00", "M001"))
    posted(session, cooperative, "2024-04-01", dr("102", "9000.00"), cr("235", "9000.00"))
    posted(session, cooperative, "2024-04-02", dr("151", "9000.00", poverty_asset=False), cr("102", "9000.00"),
           dr("235", "9000.00"), cr("311", "9000.00"))  # fmt: skip
    posted(session, cooperative, "2024-05-01", dr("102", "300.00"), cr("311", "300.00"))  # a cash donation
    posted(session, cooperative, "2024-06-01", dr("301", "1000.00", "M001"), cr("102", "1000.00"))
    found = statements(session, cooperative, 2024)
    equity = found.equity
    assert equity.increase["share_capital"] == {"from_capital_reserve": D("500.00"),
                                                "from_surplus_reserve": D("0.00"),
                                                "member_contributions": D("10000.00")}  # fmt: skip
    assert equity.decrease["share_capital"] == {"member_withdrawals": D("1000.00")}
    assert equity.increase["capital_reserve"] == {"share_premium": D("2000.00"), "revaluation": D("0.00")}
    assert equity.decrease["capital_reserve"] == {"converted": D("500.00")}
    assert equity.increase["special_fund"] == {"fiscal_subsidy": D("9000.00"), "donations": D("300.00")}
    assert equity.rows["closing"]["share_capital"] == D("9500.00") == found.closing[36]
    assert_identities(found)


def test_a_red_reversal_takes_its_voucher_out_of_every_statement(session: Session) -> None:
    cooperative = make_books(session)
    voucher = posted(session, cooperative, "2024-02-01", dr("102", "800.00"), cr("321", "800.00"))
    ledger.reverse_voucher(session, voucher, on=dt.date(2024, 3, 1), by=AUDITOR)
    found = statements(session, cooperative, 2024)
    assert found.equity.increase["capital_reserve"] == {"share_premium": D("0.00"), "revaluation": D("0.00")}
    assert found.equity.rows["increase"]["capital_reserve"] == 0 and found.closing[38] == 0
    assert_identities(found)
