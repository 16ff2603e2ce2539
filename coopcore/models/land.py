"""Contracted land parcels and the land-management-right shares (土地经营权入股) made of them."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, ClassVar

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coopcore.db.base import Base, OptimisticLock
from coopcore.db.types import Money, Quantity

if TYPE_CHECKING:
    from coopcore.models.member import Member


class LandParcel(OptimisticLock, Base):
    """A contracted plot; its contract term bounds any share made of it ([TD-38(三)])."""

    __tablename__ = "land_parcel"
    __table_args__ = (
        UniqueConstraint("cooperative_id", "code"),
        CheckConstraint("area_mu > 0", name="area_mu"),
    )
    __versioned__: ClassVar[dict[str, object]] = {}

    id: Mapped[int] = mapped_column(primary_key=True)
    cooperative_id: Mapped[int] = mapped_column(ForeignKey("cooperative.id"))
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id"), index=True)
    code: Mapped[str] = mapped_column(String(30))
    certificate_no: Mapped[str | None] = mapped_column(String(40))  # 承包经营权证号
    location: Mapped[str] = mapped_column(String(100), default="")
    area_mu: Mapped[Quantity]
    contract_end_on: Mapped[dt.date | None]  # end of the household's land-contract term

    member: Mapped[Member] = relationship()
    shares: Mapped[list[LandShare]] = relationship(back_populates="parcel")


class LandShare(OptimisticLock, Base):
    """Land-management rights of a parcel contributed as shares, with an optional guaranteed rent (保底)."""

    __tablename__ = "land_share"
    __table_args__ = (
        CheckConstraint("area_mu > 0", name="area_mu"),
        CheckConstraint("end_on > start_on", name="term"),
        CheckConstraint("guarantee_per_mu IS NULL OR guarantee_per_mu >= 0", name="guarantee"),
        CheckConstraint("shares_per_mu IS NULL OR shares_per_mu > 0", name="shares_per_mu"),
    )
    __versioned__: ClassVar[dict[str, object]] = {}

    id: Mapped[int] = mapped_column(primary_key=True)
    parcel_id: Mapped[int] = mapped_column(ForeignKey("land_parcel.id"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id"), index=True)
    area_mu: Mapped[Quantity]
    start_on: Mapped[dt.date]
    end_on: Mapped[dt.date]
    guarantee_per_mu: Mapped[Money | None]  # yuan per mu per year
    # docs/land.md: shares either per mu (东院头: 1 mu = 8,000 shares) or by an agreed value.
    shares_per_mu: Mapped[Quantity | None]
    share_value: Mapped[Money | None]

    parcel: Mapped[LandParcel] = relationship(back_populates="shares")
    member: Mapped[Member] = relationship()

    def is_active_on(self, day: dt.date) -> bool:
        """True if the share runs on that day."""
        return self.start_on <= day <= self.end_on
