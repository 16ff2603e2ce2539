"""Leading enterprises (龙头企业), their order contracts with cooperatives, and deliveries."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, ClassVar

from sqlalchemy import CheckConstraint, Column, ForeignKey, Index, String, Table, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coopcore.db.base import Base, OptimisticLock
from coopcore.db.types import Money, Quantity, Rate, StrEnumType
from coopcore.terms import EnterpriseLevel, PriceRule

if TYPE_CHECKING:
    from coopcore.models.cooperative import Cooperative
    from coopcore.models.trade import Product, Trade


class Enterprise(OptimisticLock, Base):
    """An agricultural leading enterprise and its recognition level (docs/contracts.md)."""

    __tablename__ = "enterprise"
    __versioned__: ClassVar[dict[str, object]] = {}

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    credit_code: Mapped[str] = mapped_column(String(18), unique=True)
    level: Mapped[EnterpriseLevel] = mapped_column(StrEnumType(EnterpriseLevel, "level"))
    certificate_no: Mapped[str] = mapped_column(String(40), default="")
    recognised_year: Mapped[int | None]
    is_recognition_valid: Mapped[bool] = mapped_column(default=True)
    is_demo: Mapped[bool] = mapped_column(default=False)

    contracts: Mapped[list[Contract]] = relationship(back_populates="enterprise")

    def __str__(self) -> str:
        return self.name


class Contract(OptimisticLock, Base):
    """An order-farming contract (订单农业) between a cooperative and a leading enterprise."""

    __tablename__ = "contract"
    __table_args__ = (
        UniqueConstraint("cooperative_id", "code"),
        Index("ix_contract_enterprise_id_start_on", "enterprise_id", "start_on"),
        CheckConstraint("quantity > 0", name="quantity"),
        CheckConstraint("end_on >= start_on", name="term"),
        CheckConstraint("tolerance >= 0", name="tolerance"),
        CheckConstraint("advance >= 0 AND deposit >= 0", name="prepayments"),
        CheckConstraint("payment_term_days >= 0", name="payment_term"),
    )
    __versioned__: ClassVar[dict[str, object]] = {}

    id: Mapped[int] = mapped_column(primary_key=True)
    cooperative_id: Mapped[int] = mapped_column(ForeignKey("cooperative.id"))
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"))
    code: Mapped[str] = mapped_column(String(30))
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id"))
    signed_on: Mapped[dt.date]
    start_on: Mapped[dt.date]
    end_on: Mapped[dt.date]
    quantity: Mapped[Quantity]
    unit: Mapped[str] = mapped_column(String(10), default="kg")
    tolerance: Mapped[Rate] = mapped_column(default=Decimal("0"))  # ± share of quantity
    price_rule: Mapped[PriceRule] = mapped_column(StrEnumType(PriceRule, "price_rule"))
    fixed_price: Mapped[Money | None]
    protective_price: Mapped[Money | None]
    premium: Mapped[Money | None]
    advance: Mapped[Money] = mapped_column(default=Decimal("0.00"))
    deposit: Mapped[Money] = mapped_column(default=Decimal("0.00"))  # 定金, ≤ 20% [MF-586]
    shortfall_penalty_per_unit: Mapped[Money | None]
    payment_term_days: Mapped[int] = mapped_column(default=30)

    cooperative: Mapped[Cooperative] = relationship()
    enterprise: Mapped[Enterprise] = relationship(back_populates="contracts")
    product: Mapped[Product] = relationship()
    grades: Mapped[list[ContractGrade]] = relationship(back_populates="contract")
    windows: Mapped[list[DeliveryWindow]] = relationship(back_populates="contract", order_by="DeliveryWindow.start_on")
    deliveries: Mapped[list[Delivery]] = relationship(back_populates="contract", order_by="Delivery.delivered_on")

    def __str__(self) -> str:
        return self.code


class ContractGrade(Base):
    """A quality grade of a contract: a price coefficient, or rejected."""

    __tablename__ = "contract_grade"
    __table_args__ = (
        UniqueConstraint("contract_id", "grade"),
        CheckConstraint("coefficient IS NULL OR coefficient > 0", name="coefficient"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contract.id"))
    grade: Mapped[str] = mapped_column(String(20))
    coefficient: Mapped[Rate | None]
    is_rejected: Mapped[bool] = mapped_column(default=False)

    contract: Mapped[Contract] = relationship(back_populates="grades")


class DeliveryWindow(Base):
    """A period in which part of the contracted quantity is due."""

    __tablename__ = "delivery_window"
    __table_args__ = (
        CheckConstraint("end_on >= start_on", name="term"),
        CheckConstraint("quantity > 0", name="quantity"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contract.id"), index=True)
    start_on: Mapped[dt.date]
    end_on: Mapped[dt.date]
    quantity: Mapped[Quantity]

    contract: Mapped[Contract] = relationship(back_populates="windows")


delivery_trade = Table(
    "delivery_trade",
    Base.metadata,
    Column("delivery_id", ForeignKey("delivery.id"), primary_key=True),
    Column("trade_id", ForeignKey("trade.id"), primary_key=True),
)


class Delivery(OptimisticLock, Base):
    """A delivery under a contract, traceable to the member intakes that supplied it."""

    __tablename__ = "delivery"
    __table_args__ = (
        Index("ix_delivery_contract_id_delivered_on", "contract_id", "delivered_on"),
        CheckConstraint("quantity > 0", name="quantity"),
        CheckConstraint("accepted_quantity >= 0 AND accepted_quantity <= quantity", name="accepted_quantity"),
        CheckConstraint("paid_amount >= 0", name="paid_amount"),
    )
    __versioned__: ClassVar[dict[str, object]] = {}

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contract.id"))
    delivered_on: Mapped[dt.date]
    grade: Mapped[str] = mapped_column(String(20), default="")
    quantity: Mapped[Quantity]
    accepted_quantity: Mapped[Quantity]
    market_price: Mapped[Money | None]  # market price of the day
    paid_amount: Mapped[Money] = mapped_column(default=Decimal("0.00"))
    paid_on: Mapped[dt.date | None]
    ticket_no: Mapped[str | None] = mapped_column(String(40))

    contract: Mapped[Contract] = relationship(back_populates="deliveries")
    trades: Mapped[list[Trade]] = relationship(secondary=delivery_trade)
