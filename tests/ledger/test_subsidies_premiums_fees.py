"""The last business events of domain.md §2.4 book from their records: subsidy money on 235 and the property it
forms, money donated, a contribution's premium to 321, and the service fee on inputs bought for members."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from coopcore.models import (
    AccountEntryKind,
    Cooperative,
    FundForm,
    FundSource,
    Member,
    MemberAccountEntry,
    Product,
    SpecialFund,
    SpecialPayable,
    SpecialPayableKind,
    Trade,
    TradeKind,
)
from coopcore.rules import books
from coopcore.services import ledger
from coopcore.services.ledger.reconcile import reconcile
from coopcore.services.ledger.sync import sync_events
from coopcore.services.year_end import year_surplus
from tests.ledger.builders import day, make_books

Line = tuple[str, str, str, str]


def lines(session: Session, cooperative: Cooperative, ref: str) -> list[Line]:
    voucher = ledger.event_voucher(session, cooperative, ref)
    assert voucher is not None, ref
    codes = {m.id: m.code for m in session.scalars(select(Member))}
    return [
        (line.account.code, str(line.debit), str(line.credit), codes.get(line.member_id or 0, line.project or ""))
        for line in voucher.lines
    ]


def closing(session: Session, cooperative: Cooperative, code: str) -> Decimal:
    row = ledger.trial_balance(session, cooperative, 2024, include_unposted=True).row(code)
    return row.columns.closing_debit - row.columns.closing_credit


def payable(cooperative: Cooperative, kind: SpecialPayableKind, on: str, amount: str, **more: object) -> SpecialPayable:
    return SpecialPayable(cooperative_id=cooperative.id, kind=kind, moved_on=day(on), amount=Decimal(amount),
                          project="冷库项目", **more)  # fmt: skip


def test_subsidy_money_is_held_on_235_until_it_forms_property_or_is_spent_or_returned(session: Session) -> None:
    cooperative = make_books(session)
    received = payable(cooperative, SpecialPayableKind.RECEIVED, "2024-03-01", "200000.00", memo="冷库建设补助到账")
    session.add_all([
        received,
        payable(cooperative, SpecialPayableKind.SPENT, "2024-05-10", "20000.00"),
        payable(cooperative, SpecialPayableKind.COVERS_EXPENSE, "2024-06-30", "10000.00", expense_account="521"),
        payable(cooperative, SpecialPayableKind.RETURNED, "2024-11-30", "20000.00"),
        SpecialFund(cooperative_id=cooperative.id, received_on=day("2024-04-20"), source=FundSource.FISCAL_SUBSIDY,
                    form=FundForm.FROM_SUBSIDY, asset_account="151", amount=Decimal("150000.00"), memo="冷库建成"),
    ])  # fmt: skip
    session.flush()
    sync_events(session, cooperative)

    assert lines(session, cooperative, f"special_payable:{received.id}") == [
        ("102", "200000.00", "0.00", "冷库项目"),
        ("235", "0.00", "200000.00", "冷库项目"),
    ]
    fund = session.scalars(select(SpecialFund)).one()
    assert lines(session, cooperative, f"special_fund:{fund.id}") == [
        ("151", "150000.00", "0.00", ""),
        ("102", "0.00", "150000.00", ""),
        ("235", "150000.00", "0.00", ""),
        ("311", "0.00", "150000.00", ""),
    ]
    # [KJ 235 三, 四, 五]: everything received has left 235; only the property became 专项基金.
    assert closing(session, cooperative, "235") == 0
    assert closing(session, cooperative, "311") == Decimal("-150000.00")
    assert closing(session, cooperative, "521") == Decimal("-10000.00")
    assert closing(session, cooperative, "102") == Decimal("200000.00") - 150000 - 20000 - 20000
    assert ledger.trial_balance(session, cooperative, 2024, include_unposted=True).balanced

    session.delete(received)
    session.flush()
    sync_events(session, cooperative)
    assert ledger.event_voucher(session, cooperative, f"special_payable:{received.id}") is None
    assert closing(session, cooperative, "235") == Decimal("200000.00")  # spent more than is held: the books show it


def test_money_donated_is_special_fund_at_once_and_property_given_keeps_its_account(session: Session) -> None:
    cooperative = make_books(session)
    money = SpecialFund(cooperative_id=cooperative.id, received_on=day("2024-02-01"), source=FundSource.DONATION,
                        form=FundForm.CASH, amount=Decimal("8000.00"), memo="爱心企业捐款")  # fmt: skip
    tractor = SpecialFund(cooperative_id=cooperative.id, received_on=day("2024-02-02"), source=FundSource.DONATION,
                          amount=Decimal("30000.00"), memo="捐赠拖拉机")  # fmt: skip
    session.add_all([money, tractor])
    session.flush()
    sync_events(session, cooperative)
    assert tractor.form is FundForm.ASSET
    assert lines(session, cooperative, f"special_fund:{money.id}") == [
        ("102", "8000.00", "0.00", ""),
        ("311", "0.00", "8000.00", ""),
    ]
    assert lines(session, cooperative, f"special_fund:{tractor.id}") == [
        ("151", "30000.00", "0.00", ""),
        ("311", "0.00", "30000.00", ""),
    ]


@pytest.mark.parametrize(
    ("source", "form"), [(FundSource.DONATION, FundForm.FROM_SUBSIDY), (FundSource.FISCAL_SUBSIDY, FundForm.CASH)]
)
def test_subsidy_money_never_skips_235(session: Session, source: FundSource, form: FundForm) -> None:
    assert [finding.rule for finding in books.check_fund_form(source, form)] == ["fund_form"]
    cooperative = make_books(session)
    session.add(SpecialFund(cooperative_id=cooperative.id, received_on=day("2024-02-01"), source=source, form=form,
                            amount=Decimal("1.00")))  # fmt: skip
    with pytest.raises(DBAPIError):
        session.flush()  # the database holds the rule for whoever writes


def contribution(member: Member, kind: AccountEntryKind, amount: str, premium: str | None) -> MemberAccountEntry:
    return MemberAccountEntry(member_id=member.id, entry_on=dt.date(2024, 3, 1), kind=kind, amount=Decimal(amount),
                              premium=None if premium is None else Decimal(premium),
                              area_mu=Decimal(2) if kind is AccountEntryKind.CONTRIBUTION_LAND else None)  # fmt: skip


def test_a_premium_goes_to_321_and_only_the_share_to_301(session: Session) -> None:
    cooperative = make_books(session)
    m1, m2 = session.scalars(select(Member).order_by(Member.code)).all()[:2]
    session.add_all([
        contribution(m1, AccountEntryKind.CONTRIBUTION_CASH, "1000.00", "200.00"),  # a late joiner pays above par
        contribution(m2, AccountEntryKind.CONTRIBUTION_LAND, "1000.00", "-100.00"),  # land valued below its share
    ])  # fmt: skip
    session.flush()
    sync_events(session, cooperative)
    assert lines(session, cooperative, "member_entry:2024-03-01:contribution_cash") == [
        ("102", "1200.00", "0.00", ""),
        ("301", "0.00", "1000.00", "M001"),
        ("321", "0.00", "200.00", ""),
    ]
    assert lines(session, cooperative, "member_entry:2024-03-01:contribution_land") == [
        ("161", "900.00", "0.00", ""),
        ("301", "0.00", "1000.00", "M002"),
        ("321", "100.00", "0.00", ""),
    ]
    assert reconcile(session, cooperative, day("2024-12-31")) == []  # 301 holds the shares alone
    assert books.check_contribution_premium("contribution_cash", Decimal("100"), Decimal("-100"))
    assert books.check_contribution_premium("provident_share", Decimal("100"), Decimal("5"))
    assert not books.check_contribution_premium("contribution_cash", Decimal("100"), Decimal("5"))


def ticket(cooperative: Cooperative, member: Member, kind: TradeKind, fee: str | None) -> Trade:
    return Trade(cooperative_id=cooperative.id, member_id=member.id, kind=kind, traded_on=day("2024-03-10"),
                 product=Product(name="复合肥"), quantity=Decimal(2), unit="袋", unit_price=Decimal("60.00"),
                 amount=Decimal("120.00"), service_fee=None if fee is None else Decimal(fee))  # fmt: skip


def test_an_input_service_fee_is_owed_by_the_member_and_earned_on_501(session: Session) -> None:
    cooperative = make_books(session)
    m1 = session.scalars(select(Member).order_by(Member.code)).first()
    assert m1 is not None
    session.add(ticket(cooperative, m1, TradeKind.INPUT_PURCHASE, "6.00"))
    session.flush()
    sync_events(session, cooperative)
    assert lines(session, cooperative, "trade:2024-03:input_purchase") == [
        ("114", "120.00", "0.00", "M001"),
        ("102", "0.00", "120.00", ""),
        ("114", "6.00", "0.00", "M001"),
        ("501", "0.00", "6.00", ""),
    ]
    assert year_surplus(session, cooperative.id, 2024) == Decimal("6.00")


def test_a_service_fee_on_anything_but_inputs_is_refused(session: Session) -> None:
    assert books.check_service_fee("intake", Decimal("1.00"))
    assert books.check_service_fee("input_purchase", Decimal("-1.00"))
    cooperative = make_books(session)
    m1 = session.scalars(select(Member).order_by(Member.code)).first()
    assert m1 is not None
    session.add(ticket(cooperative, m1, TradeKind.INTAKE, "1.00"))
    with pytest.raises(DBAPIError):
        session.flush()
