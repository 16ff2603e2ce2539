"""Income and expense records by the 2021 accounts, special-fund property (subsidies, donations), and the
movements of subsidy money that form no property (专项应付款)."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from sqlalchemy import CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from coopcore.db.base import Base, OptimisticLock
from coopcore.db.types import Money, StrEnumType
from coopcore.terms import FundForm, FundSource, IncomeCategory, Origin, SpecialPayableKind


class IncomeExpense(OptimisticLock, Base):
    """A profit-and-loss record; 本年盈余 is income minus expenses of the year ([KJ 第五十二条])."""

    __tablename__ = "income_expense"
    __table_args__ = (
        Index("ix_income_expense_cooperative_id_recorded_on", "cooperative_id", "recorded_on"),
        Index("ix_income_expense_recorded_on_id", "recorded_on", "id", "cooperative_id"),  # admin.keyset
        # Only investment income (511) may be a loss; every other account carries its sign in the category.
        CheckConstraint("amount >= 0 OR category = 'investment_income'", name="amount_sign"),
    )
    __versioned__: ClassVar[dict[str, object]] = {}

    id: Mapped[int] = mapped_column(primary_key=True)
    cooperative_id: Mapped[int] = mapped_column(ForeignKey("cooperative.id"))
    recorded_on: Mapped[dt.date]
    category: Mapped[IncomeCategory] = mapped_column(StrEnumType(IncomeCategory, "category"))
    amount: Mapped[Money]
    memo: Mapped[str] = mapped_column(String(200), default="")
    voucher_no: Mapped[str | None] = mapped_column(String(40))
    # 对方科目: the account the row is booked against (coopcore.rules.entries.income_expense); 102 银行存款 unless
    # the accountant names another. Rows a service writes (land guarantees, a federation's returns) book their own.
    counter_account: Mapped[str] = mapped_column(String(20), default="102", server_default="102")
    source: Mapped[str] = mapped_column(String(60), default="")  # what booked it, e.g. "land_guarantee:2024:7"
    # Which path wrote the row (coopcore.terms.Origin); unclaimed rows count as typed by hand.
    origin: Mapped[Origin] = mapped_column(
        StrEnumType(Origin, "origin"), default=Origin.MANUAL, server_default="manual"
    )


class SpecialFund(OptimisticLock, Base):
    """专项基金 property from a direct fiscal subsidy or a donation, quantified equally to members ([L-44])."""

    __tablename__ = "special_fund"
    __table_args__ = (
        Index("ix_special_fund_cooperative_id_received_on", "cooperative_id", "received_on"),
        CheckConstraint("amount > 0", name="amount"),
        CheckConstraint("disposed_on IS NULL OR disposed_on >= received_on", name="disposed"),
        # Subsidy money is held on 235 before it becomes property; only a donation arrives as money to 311
        # [KJ 235 二, 三; 311 四].
        CheckConstraint(
            "(form <> 'from_subsidy' OR source = 'fiscal_subsidy') AND (form <> 'cash' OR source = 'donation')",
            name="form_source",
        ),
    )
    __versioned__: ClassVar[dict[str, object]] = {}

    id: Mapped[int] = mapped_column(primary_key=True)
    cooperative_id: Mapped[int] = mapped_column(ForeignKey("cooperative.id"))
    received_on: Mapped[dt.date]
    source: Mapped[FundSource] = mapped_column(StrEnumType(FundSource, "source"))
    amount: Mapped[Money]
    memo: Mapped[str] = mapped_column(String(200), default="")
    is_poverty_asset: Mapped[bool] = mapped_column(default=False)  # [KJ 第三十三条] memorandum book
    disposed_on: Mapped[dt.date | None]
    form: Mapped[FundForm] = mapped_column(
        StrEnumType(FundForm, "form"), default=FundForm.ASSET, server_default=FundForm.ASSET.value
    )
    # The property's account (151 unless named: 141, 142, 153, 161); money donated is booked to 102.
    asset_account: Mapped[str | None] = mapped_column(String(20))
    # Which path wrote the row (coopcore.terms.Origin); unclaimed rows count as typed by hand.
    origin: Mapped[Origin] = mapped_column(
        StrEnumType(Origin, "origin"), default=Origin.MANUAL, server_default="manual"
    )

    def is_held_on(self, day: dt.date) -> bool:
        """True if the property is held on that day."""
        return self.received_on <= day and (self.disposed_on is None or self.disposed_on > day)


class SpecialPayable(OptimisticLock, Base):
    """Subsidy money on 235 专项应付款: received, spent on services, applied to past spending or returned.

    Money spent on property is a SpecialFund (form from_subsidy): it leaves 235 for 311 as the property forms.
    """

    __tablename__ = "special_payable"
    __table_args__ = (
        Index("ix_special_payable_cooperative_id_moved_on", "cooperative_id", "moved_on"),
        CheckConstraint("amount > 0", name="amount"),
    )
    __versioned__: ClassVar[dict[str, object]] = {}

    id: Mapped[int] = mapped_column(primary_key=True)
    cooperative_id: Mapped[int] = mapped_column(ForeignKey("cooperative.id"))
    moved_on: Mapped[dt.date]
    kind: Mapped[SpecialPayableKind] = mapped_column(StrEnumType(SpecialPayableKind, "kind"))
    amount: Mapped[Money]
    project: Mapped[str] = mapped_column(String(100), default="")  # the subsidy project (auxiliary on 235)
    # covers_expense: the expense account the subsidy is applied to (521 or 523, 523 unless named).
    expense_account: Mapped[str | None] = mapped_column(String(20))
    memo: Mapped[str] = mapped_column(String(200), default="")
    # Which path wrote the row (coopcore.terms.Origin); unclaimed rows count as typed by hand.
    origin: Mapped[Origin] = mapped_column(
        StrEnumType(Origin, "origin"), default=Origin.MANUAL, server_default="manual"
    )
