"""Cooperatives (and federations), their dated bylaws and their fiscal years."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, ClassVar

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coopcore.db.base import Base, OptimisticLock
from coopcore.db.types import Money, Rate, StrEnumType, between
from coopcore.terms import (
    CooperativeStatus,
    FiscalYearState,
    LandGuaranteeTreatment,
    PatronageMeasure,
    ProvidentBasis,
    TradeModel,
)

if TYPE_CHECKING:
    from coopcore.models.geography import PartyBranch, Village
    from coopcore.models.member import Member


class Cooperative(OptimisticLock, Base):
    """农民专业合作社; a federation (联合社, [L-56]) is one whose members are cooperatives."""

    __tablename__ = "cooperative"
    __versioned__: ClassVar[dict[str, object]] = {}

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    credit_code: Mapped[str] = mapped_column(String(18), unique=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("village.id"), index=True)
    party_branch_id: Mapped[int | None] = mapped_column(ForeignKey("party_branch.id"))
    founded_on: Mapped[dt.date | None]
    business_type: Mapped[str] = mapped_column(String(60), default="")
    brand: Mapped[str] = mapped_column(String(60), default="")
    status: Mapped[CooperativeStatus] = mapped_column(
        StrEnumType(CooperativeStatus, "status"), default=CooperativeStatus.ACTIVE
    )
    is_federation: Mapped[bool] = mapped_column(default=False)
    is_demo: Mapped[bool] = mapped_column(default=False)
    # The books' settings (coopcore.services.ledger). One person may prepare and audit a voucher (a cooperative
    # with one accountant; the printed voucher says so); vouchers booked from business events wait for an
    # accountant's audit before they are posted. Both off by default.
    ledger_single_person: Mapped[bool] = mapped_column(default=False, server_default=false())
    ledger_review_events: Mapped[bool] = mapped_column(default=False, server_default=false())
    # ⚠️ DEFAULT off: sales to leading enterprises reach the books through the 收支 summary rows. On, they are
    # booked from the order contracts' records instead (coopcore.services.ledger.contract_events); the 收支 rows
    # must then leave those sales out, or 本年盈余 counts them twice.
    ledger_books_sales: Mapped[bool] = mapped_column(default=False, server_default=false())
    # The bylaws' model for members' produce ([KJ 121 二; 128 二]); a product may follow another (ProductTradeModel).
    trade_model: Mapped[TradeModel] = mapped_column(
        StrEnumType(TradeModel, "trade_model"), default=TradeModel.PURCHASE, server_default=TradeModel.PURCHASE.value
    )

    village: Mapped[Village] = relationship(back_populates="cooperatives")
    party_branch: Mapped[PartyBranch | None] = relationship()
    bylaws: Mapped[list[Bylaws]] = relationship(back_populates="cooperative", order_by="Bylaws.effective_on")
    members: Mapped[list[Member]] = relationship(
        back_populates="cooperative", foreign_keys="Member.cooperative_id", order_by="Member.code"
    )
    fiscal_years: Mapped[list[FiscalYear]] = relationship(back_populates="cooperative", order_by="FiscalYear.year")

    @property
    def is_party_branch_led(self) -> bool:
        """True when a village party branch leads the cooperative (党支部领办)."""
        return self.party_branch_id is not None

    def bylaws_on(self, day: dt.date) -> Bylaws | None:
        """Return the bylaws in force on a day (the latest effective on or before it)."""
        in_force = [b for b in self.bylaws if b.effective_on <= day]
        return in_force[-1] if in_force else None

    def __str__(self) -> str:
        return self.name


class Bylaws(OptimisticLock, Base):
    """章程 provisions that drive the distribution, as dated records adopted by the member assembly."""

    __tablename__ = "bylaws"
    __table_args__ = (
        UniqueConstraint("cooperative_id", "effective_on"),
        # [L-44]: returns by patronage are not less than 60% of distributable surplus.
        CheckConstraint(between("patronage_ratio", "0.6", "1"), name="patronage_ratio"),
        CheckConstraint(between("provident_fund_rate", "0", "0.5"), name="provident_rate"),
    )
    __versioned__: ClassVar[dict[str, object]] = {}

    id: Mapped[int] = mapped_column(primary_key=True)
    cooperative_id: Mapped[int] = mapped_column(ForeignKey("cooperative.id"))
    effective_on: Mapped[dt.date]
    provident_fund_rate: Mapped[Rate]
    patronage_ratio: Mapped[Rate]
    provident_basis: Mapped[ProvidentBasis] = mapped_column(
        StrEnumType(ProvidentBasis, "provident_basis"), default=ProvidentBasis.TRANSACTIONS
    )
    patronage_measure: Mapped[PatronageMeasure] = mapped_column(
        StrEnumType(PatronageMeasure, "patronage_measure"), default=PatronageMeasure.AMOUNT
    )
    land_guarantee_treatment: Mapped[LandGuaranteeTreatment] = mapped_column(
        StrEnumType(LandGuaranteeTreatment, "land_guarantee"), default=LandGuaranteeTreatment.COST
    )
    resolution: Mapped[str] = mapped_column(String(200), default="")

    cooperative: Mapped[Cooperative] = relationship(back_populates="bylaws")


class FiscalYear(Base):
    """A cooperative's calendar fiscal year ([KJ 第六条]); once closed, its records stay as they are."""

    __tablename__ = "fiscal_year"
    __table_args__ = (
        UniqueConstraint("cooperative_id", "year"),
        CheckConstraint("year BETWEEN 1990 AND 2200", name="year_range"),
    )
    __versioned__: ClassVar[dict[str, object]] = {}

    id: Mapped[int] = mapped_column(primary_key=True)
    cooperative_id: Mapped[int] = mapped_column(ForeignKey("cooperative.id"))
    year: Mapped[int]
    state: Mapped[FiscalYearState] = mapped_column(StrEnumType(FiscalYearState, "state"), default=FiscalYearState.OPEN)
    # Negative means an uncovered loss carried in (待弥补亏损).
    opening_undistributed: Mapped[Money] = mapped_column(default=Decimal("0.00"))
    closed_at: Mapped[dt.datetime | None]

    cooperative: Mapped[Cooperative] = relationship(back_populates="fiscal_years")

    @property
    def is_closed(self) -> bool:
        """True once the year's distribution is posted."""
        return self.state is FiscalYearState.CLOSED
