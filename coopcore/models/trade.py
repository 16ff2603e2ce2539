"""Products and trades (交易): harvest intake, sales through the cooperative, input purchases."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, ClassVar

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coopcore.db.base import Base, OptimisticLock
from coopcore.db.types import Money, Quantity, StrEnumType
from coopcore.terms import Origin, TradeKind, TradeModel

if TYPE_CHECKING:
    from coopcore.models.cooperative import Cooperative
    from coopcore.models.member import Member

# What a ticket says besides who it is with and its number, in the order people write it: the fields of the admin's
# trade form and the ones a workbook re-import compares.
TICKET_FIELDS = (
    "counterparty", "kind", "traded_on", "product", "grade", "quantity", "unit", "unit_price", "amount", "service_fee"
)  # fmt: skip


class Product(OptimisticLock, Base):
    """A product the cooperatives handle (苹果, 樱桃, 复合肥 …)."""

    __tablename__ = "product"
    __versioned__: ClassVar[dict[str, object]] = {}

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(40), unique=True)
    default_unit: Mapped[str] = mapped_column(String(10), default="kg")
    category: Mapped[str] = mapped_column(String(20), default="")

    def __str__(self) -> str:
        return self.name


class ProductTradeModel(OptimisticLock, Base):
    """A product a cooperative's bylaws take under another model than its default (Cooperative.trade_model)."""

    __tablename__ = "product_trade_model"
    __table_args__ = (UniqueConstraint("cooperative_id", "product_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cooperative_id: Mapped[int] = mapped_column(ForeignKey("cooperative.id"))
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id"))
    model: Mapped[TradeModel] = mapped_column(StrEnumType(TradeModel, "model"))

    cooperative: Mapped[Cooperative] = relationship()
    product: Mapped[Product] = relationship()


class Trade(OptimisticLock, Base):
    """One ticket of business; member and non-member business stay apart by member_id ([L-41])."""

    __tablename__ = "trade"
    __table_args__ = (
        UniqueConstraint("cooperative_id", "ticket_no"),
        Index("ix_trade_cooperative_id_traded_on", "cooperative_id", "traded_on"),
        Index("ix_trade_member_id_traded_on", "member_id", "traded_on"),
        # The admin's list across cooperatives, newest first, page by page (admin.keyset).
        Index("ix_trade_traded_on_id", "traded_on", "id", "cooperative_id"),
        CheckConstraint("quantity > 0", name="quantity"),
        CheckConstraint("unit_price > 0", name="unit_price"),
        CheckConstraint("amount >= 0", name="amount"),
        # A fee is charged for buying inputs on a member's behalf, and on nothing else [KJ 114 三].
        CheckConstraint("service_fee IS NULL OR (service_fee >= 0 AND kind = 'input_purchase')", name="service_fee"),
        CheckConstraint("member_id IS NOT NULL OR counterparty <> ''", name="party"),
    )
    __versioned__: ClassVar[dict[str, object]] = {}

    id: Mapped[int] = mapped_column(primary_key=True)
    cooperative_id: Mapped[int] = mapped_column(ForeignKey("cooperative.id"))
    member_id: Mapped[int | None] = mapped_column(ForeignKey("member.id"))
    counterparty: Mapped[str] = mapped_column(String(100), default="")  # non-member business
    kind: Mapped[TradeKind] = mapped_column(StrEnumType(TradeKind, "kind"), default=TradeKind.INTAKE)
    traded_on: Mapped[dt.date]
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id"))
    grade: Mapped[str] = mapped_column(String(20), default="")
    quantity: Mapped[Quantity]
    unit: Mapped[str] = mapped_column(String(10))
    unit_price: Mapped[Money]
    amount: Mapped[Money]  # HALF_UP(quantity × unit_price)
    ticket_no: Mapped[str | None] = mapped_column(String(40))
    # 代购服务费: what the cooperative charges for buying the inputs, owed by the member and earned on 501.
    service_fee: Mapped[Money | None]
    # Which path wrote the row (coopcore.terms.Origin); unclaimed rows count as typed by hand.
    origin: Mapped[Origin] = mapped_column(
        StrEnumType(Origin, "origin"), default=Origin.MANUAL, server_default="manual"
    )

    member: Mapped[Member | None] = relationship()
    product: Mapped[Product] = relationship()

    @property
    def is_member_business(self) -> bool:
        """True for business with a member, the only business that earns patronage returns."""
        return self.member_id is not None
