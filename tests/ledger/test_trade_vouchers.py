"""Trades in the books: one summary voucher per month and kind, following the tickets, never touching P&L."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from coopcore.errors import PeriodClosed
from coopcore.models import Cooperative, Member, Product, Trade, TradeKind, Voucher, VoucherOrigin, VoucherState
from coopcore.services import ledger
from coopcore.services.ledger.sync import TRADES, sync_events
from tests.ledger.builders import day, make_books


def ticket(session: Session, cooperative: Cooperative, kind: TradeKind, on: str, amount: str, **party: object) -> Trade:
    product = session.scalar(select(Product).where(Product.name == "苹果")) or Product(name="苹果")
    trade = Trade(cooperative_id=cooperative.id, kind=kind, traded_on=day(on), product=product, quantity=Decimal(1),
                  unit="批", unit_price=Decimal(amount), amount=Decimal(amount), **party)  # fmt: skip
    session.add(trade)
    session.flush()
    return trade


def member(session: Session, cooperative: Cooperative, code: str) -> Member:
    found = session.scalar(select(Member).where(Member.cooperative_id == cooperative.id, Member.code == code))
    assert found is not None
    return found


def lines(session: Session, cooperative: Cooperative, ref: str) -> list[tuple[str, str, str, str]]:
    voucher = ledger.event_voucher(session, cooperative, ref)
    assert voucher is not None, ref
    codes = {m.id: m.code for m in session.scalars(select(Member))}
    return [
        (
            line.account.code,
            str(line.debit),
            str(line.credit),
            codes[line.member_id] if line.member_id else line.counterparty,
        )
        for line in voucher.lines
    ]


def test_a_month_of_tickets_is_one_voucher_per_kind_owed_to_each_member_and_no_profit_or_loss(session: Session) -> None:
    cooperative = make_books(session)
    m1, m2 = member(session, cooperative, "M001"), member(session, cooperative, "M002")
    ticket(session, cooperative, TradeKind.INTAKE, "2024-09-03", "1000.00", member=m1)
    ticket(session, cooperative, TradeKind.INTAKE, "2024-09-20", "500.50", member=m1)
    ticket(session, cooperative, TradeKind.INTAKE, "2024-09-21", "300.00", member=m2)
    ticket(session, cooperative, TradeKind.INTAKE, "2024-09-22", "80.00", counterparty="非成员王某")
    ticket(session, cooperative, TradeKind.SALE, "2024-09-25", "260.00", member=m2)
    ticket(session, cooperative, TradeKind.INPUT_PURCHASE, "2024-03-10", "120.00", member=m1)
    ticket(session, cooperative, TradeKind.INTAKE, "2024-10-02", "40.00", member=m2)

    sync_events(session, cooperative, [TRADES])

    assert lines(session, cooperative, "trade:2024-09:intake") == [
        ("121", "1880.50", "0.00", ""),
        ("114", "0.00", "1500.50", "M001"),
        ("114", "0.00", "300.00", "M002"),
        ("211", "0.00", "80.00", "非成员王某"),
    ]
    assert lines(session, cooperative, "trade:2024-09:sale") == [("102", "260.00", "0.00", ""),
                                                                ("114", "0.00", "260.00", "M002")]  # fmt: skip
    assert lines(session, cooperative, "trade:2024-03:input_purchase") == [("114", "120.00", "0.00", "M001"),
                                                                         ("102", "0.00", "120.00", "")]  # fmt: skip
    september = ledger.event_voucher(session, cooperative, "trade:2024-09:intake")
    assert september is not None and september.voucher_date == day("2024-09-30")
    assert september.origin is VoucherOrigin.TRADE and september.summary == "9月收购成员产品汇总"
    balance = ledger.trial_balance(session, cooperative, 2024, include_unposted=True)
    assert balance.balanced
    assert all(not row.columns.debit and not row.columns.credit for row in balance.rows if row.code[0] == "5")
    assert balance.row("114").columns.closing_credit == Decimal("1500.50") + 300 + 260 - 120 + 40


def test_editing_or_deleting_a_ticket_rebooks_its_month_and_a_closed_month_refuses_it(session: Session) -> None:
    cooperative = make_books(session)
    m1 = member(session, cooperative, "M001")
    first = ticket(session, cooperative, TradeKind.INTAKE, "2024-09-03", "1000.00", member=m1)
    second = ticket(session, cooperative, TradeKind.INTAKE, "2024-09-04", "10.00", member=m1)
    sync_events(session, cooperative, [TRADES])

    first.amount = Decimal("900.00")
    session.flush()
    sync_events(session, cooperative, [TRADES], {"trade:2024-09:intake"})
    assert lines(session, cooperative, "trade:2024-09:intake") == [("121", "910.00", "0.00", ""),
                                                                 ("114", "0.00", "910.00", "M001")]  # fmt: skip
    session.delete(second)
    session.flush()
    sync_events(session, cooperative, [TRADES], {"trade:2024-09:intake"})
    assert lines(session, cooperative, "trade:2024-09:intake")[0] == ("121", "900.00", "0.00", "")
    session.delete(first)
    session.flush()
    sync_events(session, cooperative, [TRADES], {"trade:2024-09:intake"})
    assert ledger.event_voucher(session, cooperative, "trade:2024-09:intake") is None

    third = ticket(session, cooperative, TradeKind.INTAKE, "2024-09-05", "70.00", member=m1)
    sync_events(session, cooperative, [TRADES])
    ledger.close_period(session, cooperative, 2024, 9, by="会计")
    posted = ledger.event_voucher(session, cooperative, "trade:2024-09:intake")
    assert posted is not None and posted.state is VoucherState.POSTED
    third.amount = Decimal("75.00")
    session.flush()
    with pytest.raises(PeriodClosed):
        sync_events(session, cooperative, [TRADES], {"trade:2024-09:intake"})
    assert session.scalars(select(Voucher).where(Voucher.origin == VoucherOrigin.TRADE)).all() == [posted]
