"""A year's surplus distribution as planned, approved and posted, with one line per member."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, ClassVar

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coopcore.db.base import Base
from coopcore.db.types import Money, Quantity, Rate, StrEnumType
from coopcore.money import ZERO
from coopcore.terms import DistributionState, PatronageMeasure, PaymentMethod, ProvidentBasis

if TYPE_CHECKING:
    from coopcore.models.cooperative import Cooperative
    from coopcore.models.member import Member


class Distribution(Base):
    """盈余分配方案: draft → published → approved → posted → paid; a reversed one stays as history."""

    __tablename__ = "distribution"
    __table_args__ = (
        UniqueConstraint("cooperative_id", "year", "revision"),
        CheckConstraint("members_present IS NULL OR members_present >= 0", name="present"),
        CheckConstraint("votes_for IS NULL OR votes_for >= 0", name="votes_for"),
        CheckConstraint("loss_covered_by_provident_fund >= 0", name="loss_covered_by_provident_fund"),
    )

    __versioned__: ClassVar[dict[str, object]] = {}  # each state change, with who made it

    id: Mapped[int] = mapped_column(primary_key=True)
    cooperative_id: Mapped[int] = mapped_column(ForeignKey("cooperative.id"))
    year: Mapped[int]
    revision: Mapped[int] = mapped_column(default=1)  # a new plan after a reversal gets the next revision
    state: Mapped[DistributionState] = mapped_column(
        StrEnumType(DistributionState, "state"), default=DistributionState.DRAFT
    )
    # The bylaws as applied, frozen with the plan.
    provident_fund_rate: Mapped[Rate]
    patronage_ratio: Mapped[Rate]
    provident_basis: Mapped[ProvidentBasis] = mapped_column(StrEnumType(ProvidentBasis, "provident_basis"))
    patronage_measure: Mapped[PatronageMeasure] = mapped_column(StrEnumType(PatronageMeasure, "patronage_measure"))
    # The waterfall (02表 lines 12-20).
    surplus: Mapped[Money]
    opening_undistributed: Mapped[Money]
    loss_covered: Mapped[Money]
    carried_loss: Mapped[Money]
    retained_from_prior_years: Mapped[Money]
    provident_fund: Mapped[Money]
    distributable: Mapped[Money]
    patronage_pool: Mapped[Money]
    residual_pool: Mapped[Money]
    subsidy_property: Mapped[Money]
    donation_property: Mapped[Money]
    planned_at: Mapped[dt.datetime] = mapped_column(server_default=func.current_timestamp())
    # [L-40] published at the office at least 15 days before the assembly; [L-29, L-30] approved by it.
    published_on: Mapped[dt.date | None]
    assembly_on: Mapped[dt.date | None]
    members_present: Mapped[int | None]
    votes_for: Mapped[int | None]
    resolution: Mapped[str] = mapped_column(String(200), default="")
    # [L-29(八), L-42; KJ 332 二] the loss the assembly covered from 盈余公积 when it approved the plan: the loss
    # the year's surplus leaves, Dr 322 / Cr 332—未分配盈余, 02表 line 14 (其他转入).
    loss_covered_by_provident_fund: Mapped[Money] = mapped_column(default=ZERO, server_default="0")
    posted_at: Mapped[dt.datetime | None]
    reversed_at: Mapped[dt.datetime | None]

    cooperative: Mapped[Cooperative] = relationship()
    lines: Mapped[list[DistributionLine]] = relationship(
        back_populates="distribution", order_by="DistributionLine.member_code", cascade="all, delete-orphan"
    )

    @property
    def source(self) -> str:
        """The tag that marks the account entries and linked records this distribution wrote."""
        return f"distribution:{self.id}"


class DistributionLine(Base):
    """One member's share of a distribution, with the inputs it was computed from and its payment."""

    __tablename__ = "distribution_line"
    __table_args__ = (
        UniqueConstraint("distribution_id", "member_id"),
        Index("ix_distribution_line_member_id", "member_id"),
        CheckConstraint("patronage_return >= 0 AND residual_distribution >= 0", name="shares"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    distribution_id: Mapped[int] = mapped_column(ForeignKey("distribution.id"))
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id"))
    member_code: Mapped[str] = mapped_column(String(20))
    contribution: Mapped[Money]
    provident_share_opening: Mapped[Money]
    patronage: Mapped[Quantity]
    transaction_amount: Mapped[Money]
    provident_share_added: Mapped[Money]
    subsidy_share: Mapped[Money]
    donation_share: Mapped[Money]
    residual_weight: Mapped[Money]
    patronage_return: Mapped[Money]
    residual_distribution: Mapped[Money]
    # [L-44; KJ 332 六] what the assembly converted into contribution when it approved the plan (§15 rule 25b):
    # booked to 301 instead of 221/222, never paid.
    converted: Mapped[Money] = mapped_column(default=ZERO, server_default="0")
    paid_on: Mapped[dt.date | None]
    payment_method: Mapped[PaymentMethod | None] = mapped_column(StrEnumType(PaymentMethod, "payment_method"))

    distribution: Mapped[Distribution] = relationship(back_populates="lines")
    member: Mapped[Member] = relationship()

    @property
    def total(self) -> Decimal:
        """The member's dividend: patronage return plus residual distribution."""
        return self.patronage_return + self.residual_distribution

    @property
    def payable(self) -> Decimal:
        """What is paid to the member (or converted later, §15 rule 25a): the dividend less what the assembly
        converted with the plan."""
        return self.total - self.converted
