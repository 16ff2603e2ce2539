"""The bylaws' trade model per cooperative and product: intake to 121 (purchase) or 128 (agency), and a change."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from coopcore.errors import PeriodClosed
from coopcore.models import Cooperative, Product, Trade, TradeKind, TradeModel, Voucher, VoucherOrigin, VoucherState
from coopcore.services import ledger, trade_models
from coopcore.services.ledger.sync import TRADES, sync_events
from tests.ledger.builders import day, make_books
from tests.ledger.test_trade_vouchers import member


def product(session: Session, name: str) -> Product:
    return session.scalar(select(Product).where(Product.name == name)) or Product(name=name)


def intake(session: Session, cooperative: Cooperative, on: str, amount: str, name: str = "苹果") -> Trade:
    trade = Trade(cooperative_id=cooperative.id, kind=TradeKind.INTAKE, traded_on=day(on),
                  product=product(session, name), quantity=Decimal(1), unit="批", unit_price=Decimal(amount),
                  amount=Decimal(amount), member=member(session, cooperative, "M001"))  # fmt: skip
    session.add(trade)
    session.flush()
    return trade


def stock(session: Session, cooperative: Cooperative, month: str) -> dict[str, tuple[str, str]]:
    """The month's intake voucher: each product's debit account and amount."""
    voucher = ledger.event_voucher(session, cooperative, f"trade:{month}:intake")
    assert voucher is not None, month
    names = dict(session.execute(select(Product.id, Product.name)).all())
    return {names[line.product_id]: (line.account.code, str(line.debit)) for line in voucher.lines if line.debit}


def trade_vouchers(session: Session, cooperative: Cooperative) -> int:
    query = (
        select(func.count())
        .select_from(Voucher)
        .where(Voucher.cooperative_id == cooperative.id, Voucher.origin == VoucherOrigin.TRADE)
    )
    return session.scalar(query) or 0


def test_intake_follows_the_cooperatives_model_and_a_product_may_follow_the_other(session: Session) -> None:
    cooperative = make_books(session)
    assert cooperative.trade_model is TradeModel.PURCHASE  # the default of the bylaws most cooperatives have
    intake(session, cooperative, "2024-09-03", "1000.00")
    intake(session, cooperative, "2024-09-04", "300.00", "樱桃")
    sync_events(session, cooperative, [TRADES])
    assert stock(session, cooperative, "2024-09") == {"苹果": ("121", "1000.00"), "樱桃": ("121", "300.00")}

    trade_models.set_product_trade_model(session, cooperative, product(session, "樱桃"), TradeModel.AGENCY)
    assert stock(session, cooperative, "2024-09") == {"苹果": ("121", "1000.00"), "樱桃": ("128", "300.00")}
    trade_models.set_trade_model(session, cooperative, TradeModel.AGENCY)
    assert stock(session, cooperative, "2024-09") == {"苹果": ("128", "1000.00"), "樱桃": ("128", "300.00")}
    trade_models.set_product_trade_model(session, cooperative, product(session, "樱桃"), TradeModel.PURCHASE)
    trade_models.set_product_trade_model(session, cooperative, product(session, "苹果"), None)
    assert stock(session, cooperative, "2024-09") == {"苹果": ("128", "1000.00"), "樱桃": ("121", "300.00")}
    assert trade_vouchers(session, cooperative) == 1  # an unposted voucher is rewritten, never reversed


def test_a_posted_month_keeps_its_accounts_and_only_what_is_unposted_follows_a_change(session: Session) -> None:
    cooperative = make_books(session)
    september = intake(session, cooperative, "2024-09-03", "1000.00")
    intake(session, cooperative, "2024-10-03", "200.00")
    sync_events(session, cooperative, [TRADES])
    ledger.close_period(session, cooperative, 2024, 9, by="会计")  # posts September's voucher

    trade_models.set_trade_model(session, cooperative, TradeModel.AGENCY)
    assert stock(session, cooperative, "2024-09") == {"苹果": ("121", "1000.00")}
    assert stock(session, cooperative, "2024-10") == {"苹果": ("128", "200.00")}
    assert trade_vouchers(session, cooperative) == 2
    sync_events(session, cooperative)  # a full sync (the workbook import) finds the closed month as booked
    assert trade_vouchers(session, cooperative) == 2

    # Reopened and a ticket edited: the posted voucher is reversed and the month booked again as it was.
    ledger.reopen_period(session, cooperative, 2024, 9, by="会计")
    september.amount = Decimal("900.00")
    session.flush()
    sync_events(session, cooperative, [TRADES], {"trade:2024-09:intake"})
    assert stock(session, cooperative, "2024-09") == {"苹果": ("121", "900.00")}
    sync_events(session, cooperative, [TRADES])
    assert stock(session, cooperative, "2024-09") == {"苹果": ("121", "900.00")}


def test_a_closed_month_with_intake_never_booked_refuses_the_change_and_nothing_is_written(
    session: Session,
) -> None:
    cooperative = make_books(session)
    intake(session, cooperative, "2024-10-03", "200.00")
    sync_events(session, cooperative, [TRADES])
    ledger.close_period(session, cooperative, 2024, 9, by="会计")
    intake(session, cooperative, "2024-09-03", "1000.00")  # typed in after September was closed, never booked

    with pytest.raises(PeriodClosed), session.begin_nested():
        trade_models.set_trade_model(session, cooperative, TradeModel.AGENCY)
    session.expire_all()
    assert cooperative.trade_model is TradeModel.PURCHASE
    assert stock(session, cooperative, "2024-10") == {"苹果": ("121", "200.00")}
    voucher = ledger.event_voucher(session, cooperative, "trade:2024-10:intake")
    assert voucher is not None and voucher.state is VoucherState.DRAFT
