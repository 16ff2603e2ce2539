"""The bylaws' trade model of a cooperative and of its products, and the intake vouchers that follow a change.

A cooperative buys its members' produce (purchase model, 121 产品物资) or sells it on their behalf (agency
model, 128 受托代销商品) [KJ 121 二; 128 二]; the bylaws may take some products one way and the rest the other.
Changing either rebooks the intake vouchers that are not posted (coopcore.services.ledger.trade_events): a
posted month keeps the accounts it was booked with, so a closed month is never touched. A month with intake
that was never booked and is closed refuses the change (PeriodClosed), and nothing is written.
"""

from __future__ import annotations

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from coopcore.models import Cooperative, Product, ProductTradeModel, Trade, TradeKind, TradeModel
from coopcore.services.ledger.sync import sync_events
from coopcore.services.ledger.trade_events import TRADES


def set_trade_model(session: Session, cooperative: Cooperative, model: TradeModel) -> int:
    """Set the cooperative's default model and rebook its unposted intake; return how many months were read."""
    cooperative.trade_model = TradeModel(model)
    return rebook_intake(session, cooperative)


def set_product_trade_model(
    session: Session, cooperative: Cooperative, product: Product, model: TradeModel | None
) -> int:
    """Take a product under its own model (None: the cooperative's default again) and rebook unposted intake."""
    found = session.scalar(
        select(ProductTradeModel).where(
            ProductTradeModel.cooperative_id == cooperative.id, ProductTradeModel.product_id == product.id
        )
    )
    if model is None:
        if found is not None:
            session.delete(found)
    elif found is None:
        session.add(ProductTradeModel(cooperative_id=cooperative.id, product_id=product.id, model=TradeModel(model)))
    else:
        found.model = TradeModel(model)
    return rebook_intake(session, cooperative)


def rebook_intake(session: Session, cooperative: Cooperative) -> int:
    """Book again the months the cooperative took produce in, under the models now in force."""
    session.flush()
    days = session.scalars(
        select(Trade.traded_on).where(Trade.cooperative_id == cooperative.id, Trade.kind == TradeKind.INTAKE).distinct()
    )
    months = {TRADES.ref(f"{day.year:04d}-{day.month:02d}", TradeKind.INTAKE.value) for day in days}
    return sync_events(session, cooperative, [TRADES], months) if months else 0


def rebook_intake_at_commit(session: Session, cooperative: Cooperative) -> None:
    """Rebook once the transaction is about to commit: a form deleting a product's model deletes it after this."""

    def rebook(session: Session) -> None:
        rebook_intake(session, cooperative)

    event.listen(session, "before_commit", rebook, once=True)
