"""Publishing a plan puts the year's statements at the office with it: books that do not balance are refused, and
the refusal names what is off (a voucher and its accounts, or the account no line of the balance sheet shows)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy.orm import Session

from coopcore.i18n import render
from coopcore.models import Cooperative, DistributionState, Voucher, VoucherLine, VoucherOrigin, VoucherState
from coopcore.services import distribution as workflow
from coopcore.services import ledger
from coopcore.services.ledger.chart import accounts_by_code
from coopcore.services.statements.balanced import AccountsNotShown, VouchersOutOfBalance
from tests.distribution.builders import make_example_1
from tests.ledger.builders import cr, dr
from tests.statements.test_statements import posted

D = Decimal
PUBLISHED_ON = dt.date(2025, 3, 5)


def write_half_a_voucher(session: Session, cooperative: Cooperative) -> Voucher:
    """A voucher with a debit and no credit, written as rows straight into the tables (no service writes one)."""
    voucher = Voucher(cooperative_id=cooperative.id, year=2024, month=6, number=90, voucher_date=dt.date(2024, 6, 30),
                      summary="导入残缺凭证", state=VoucherState.DRAFT, origin=VoucherOrigin.WORKBOOK)  # fmt: skip
    session.add(voucher)
    session.flush()
    cash = accounts_by_code(session, cooperative)["101"]
    session.add(VoucherLine(voucher_id=voucher.id, line_no=1, cooperative_id=cooperative.id, year=2024, month=6,
                            account_id=cash.id, summary="残缺", debit=D("1000.00"), credit=D("0.00")))  # fmt: skip
    session.flush()
    return voucher


def test_a_voucher_that_does_not_balance_stops_the_publication_and_is_named_with_its_account(
    session: Session,
) -> None:
    cooperative = make_example_1(session)
    distribution = workflow.plan_distribution(session, cooperative, 2024)
    write_half_a_voucher(session, cooperative)
    assert not ledger.trial_balance(session, cooperative, 2024, include_unposted=True).balanced
    with pytest.raises(VouchersOutOfBalance) as raised, session.begin_nested():
        workflow.publish_distribution(session, distribution, published_on=PUBLISHED_ON)
    error = raised.value
    assert (error.fields["vouchers"], error.fields["accounts"]) == ("2024-06 记-90", "101")
    assert render(error.message_template, "zh", **error.fields) == (
        "2024 年末以前的账簿试算不平衡：凭证 2024-06 记-90 借方合计 1,000.00、贷方合计 0.00（涉及科目 101）；"
        "请更正后再公示方案。"
    )
    session.expire_all()
    assert distribution.state is DistributionState.DRAFT and distribution.published_on is None


def test_a_balance_no_line_of_the_balance_sheet_shows_stops_the_publication_and_names_the_account(
    session: Session,
) -> None:
    cooperative = make_example_1(session)
    distribution = workflow.plan_distribution(session, cooperative, 2024)
    # 待处理财产损溢 must be cleared before the statements are drawn up: no line of 01表 shows it.
    posted(session, cooperative, "2024-11-30", dr("181", "350.00"), cr("102", "350.00"))
    with pytest.raises(AccountsNotShown) as raised, session.begin_nested():
        workflow.publish_distribution(session, distribution, published_on=PUBLISHED_ON)
    assert raised.value.fields["accounts"] == "181 待处理财产损溢 350.00"
    assert "181 待处理财产损溢 350.00" in render(raised.value.message_template, "zh", **raised.value.fields)
    assert "does not balance" in str(raised.value)
    session.expire_all()
    assert distribution.state is DistributionState.DRAFT

    # Cleared (to 529 其他支出 as a loss, once the cause is known) and planned again, the plan goes out.
    posted(session, cooperative, "2024-12-10", dr("529", "350.00"), cr("181", "350.00"))
    distribution = workflow.plan_distribution(session, cooperative, 2024)
    workflow.publish_distribution(session, distribution, published_on=PUBLISHED_ON)
    assert distribution.state is DistributionState.PUBLISHED
