"""The distribution in the books: its vouchers at posting, payments and conversions, and its reversal (§15 rule 25a)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from coopcore.errors import PeriodClosed
from coopcore.models import Cooperative, Member, Voucher, VoucherOrigin, VoucherState
from coopcore.services import distribution as workflow
from coopcore.services import ledger
from tests.distribution.builders import make_example_1
from tests.distribution.test_distribution_workflow import EXPECTED_TOTALS, approved

D = Decimal


def booked(session: Session, cooperative: Cooperative, origin: VoucherOrigin) -> list[Voucher]:
    query = select(Voucher).where(Voucher.cooperative_id == cooperative.id, Voucher.origin == origin)
    return list(session.scalars(query.order_by(Voucher.year, Voucher.month, Voucher.number)))


def lines(session: Session, voucher: Voucher) -> list[tuple[str, str, str, str]]:
    codes = dict(session.execute(select(Member.id, Member.code)).all())
    return [
        (line.account.code, str(line.debit), str(line.credit), codes.get(line.member_id, "")) for line in voucher.lines
    ]


def test_paying_in_money_and_converting_into_contributions_clear_221_and_222_per_member(session: Session) -> None:
    cooperative = make_example_1(session)
    distribution = approved(session, cooperative)
    workflow.post_distribution(session, distribution)
    declared = {line.member_code: line for line in distribution.lines}
    assert [v.voucher_date for v in booked(session, cooperative, VoucherOrigin.DISTRIBUTION)] == [
        dt.date(2024, 12, 31)
    ] * 5

    workflow.pay_distribution(session, distribution, paid_on=dt.date(2025, 4, 15), member_codes=["M01", "M02", "M03"])
    with pytest.raises(workflow.ResolutionNeeded):
        workflow.pay_distribution(session, distribution, paid_on=dt.date(2025, 4, 16), method="capital")
    workflow.pay_distribution(session, distribution, paid_on=dt.date(2025, 4, 16), method="capital",
                              member_codes=["M04"], resolution="2025年第2号成员大会决议")  # fmt: skip

    paid, converted = booked(session, cooperative, VoucherOrigin.PAYMENT)
    cash = sum((D(EXPECTED_TOTALS[code]) for code in ("M01", "M02", "M03")), D(0))
    assert paid.voucher_date == dt.date(2025, 4, 15) and paid.summary == "支付盈余返还及剩余盈余"
    assert lines(session, paid)[-1] == ("102", "0.00", str(cash), "")
    assert {(account, member) for account, _, _, member in lines(session, paid)[:-1]} <= {
        (account, code) for code in ("M01", "M02", "M03") for account in ("221", "222")
    }
    # §15 rule 25a: a declared return converted later is Dr 221 / Dr 222 / Cr 301 for the member.
    m04 = declared["M04"]
    assert lines(session, converted) == [
        ("221", str(m04.patronage_return), "0.00", "M04"),
        ("222", str(m04.residual_distribution), "0.00", "M04"),
        ("301", "0.00", str(m04.total), "M04"),
    ]
    assert "2025年第2号成员大会决议" in converted.summary

    balance = ledger.trial_balance(session, cooperative, 2025, include_unposted=True)
    unpaid = sum((declared[code].total for code in ("M05", "M06")), D(0))
    owed = balance.row("221").columns.closing_credit + balance.row("222").columns.closing_credit
    assert owed == unpaid


def test_reversing_the_distribution_takes_its_vouchers_out_and_a_closed_december_must_be_reopened_first(
    session: Session,
) -> None:
    cooperative = make_example_1(session)
    distribution = approved(session, cooperative)
    workflow.post_distribution(session, distribution)
    workflow.reverse_distribution(session, distribution)
    assert booked(session, cooperative, VoucherOrigin.DISTRIBUTION) == []  # drafts: deleted, numbers closed up

    second = approved(session, cooperative)
    workflow.post_distribution(session, second)
    ledger.close_period(session, cooperative, 2024, 12, by="会计")
    posted = booked(session, cooperative, VoucherOrigin.DISTRIBUTION)
    assert len(posted) == 5 and {v.state for v in posted} == {VoucherState.POSTED}
    with pytest.raises(PeriodClosed), session.begin_nested():
        workflow.reverse_distribution(session, second)
    session.expire_all()

    ledger.reopen_period(session, cooperative, 2024, 12, by="会计")  # 反结账: the year-end carry is reversed
    workflow.reverse_distribution(session, second)
    reversals = session.scalars(select(Voucher).where(Voucher.reverses_id.in_([v.id for v in posted]))).all()
    assert sorted(r.reverses_id for r in reversals) == sorted(v.id for v in posted)
    assert {r.voucher_date for r in reversals} == {dt.date(2024, 12, 31)}
    balance = ledger.trial_balance(session, cooperative, 2024, include_unposted=True)
    for code in ("221", "222", "322", "33201"):
        assert balance.row(code).columns.closing_credit == balance.row(code).columns.closing_debit == 0, code
