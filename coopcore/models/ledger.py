"""The cooperative's books ([KJ 第四、八条]): its chart of accounts, monthly periods, vouchers and their lines.

The chart a cooperative starts from is data (coopcore/charts/*.csv), copied into its own accounts, to which it
adds detail accounts. A voucher's lines carry the cooperative and period of their voucher so that balances are
one scan of one table; the service that writes a voucher keeps them equal.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import ClassVar

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coopcore.db.base import Base, OptimisticLock
from coopcore.db.types import Money, Quantity, StrEnumType
from coopcore.terms import AccountClass, PeriodState, Side, VoucherOrigin, VoucherState

ZERO = Decimal("0.00")


class Account(OptimisticLock, Base):
    """A cooperative's account: one of its chart's, or a detail account it added under one (50101 苹果销售)."""

    __tablename__ = "account"
    __table_args__ = (UniqueConstraint("cooperative_id", "code", name="uq_account_cooperative_id_code"),)
    __versioned__: ClassVar[dict[str, object]] = {}

    id: Mapped[int] = mapped_column(primary_key=True)
    cooperative_id: Mapped[int] = mapped_column(ForeignKey("cooperative.id"))
    code: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(60))
    name_en: Mapped[str] = mapped_column(String(120), default="")
    account_class: Mapped[AccountClass] = mapped_column(StrEnumType(AccountClass, "account_class"))
    side: Mapped[Side] = mapped_column(StrEnumType(Side, "side"))  # the normal balance side
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("account.id"))
    # Kept per member ([KJ 114 五, 221 四, 222 四, 301 八]): every line on it names the member.
    member_detail: Mapped[bool] = mapped_column(default=False)
    # Split by 是否扶贫项目资产 ([KJ 141 九, 142 七, 151 八, 161 五]): every line on it says whether.
    poverty_split: Mapped[bool] = mapped_column(default=False)
    is_active: Mapped[bool] = mapped_column(default=True)  # a cooperative may omit accounts it does not need
    chart: Mapped[str] = mapped_column(String(40), default="")  # the chart it was seeded from; "" if added

    parent: Mapped[Account | None] = relationship(remote_side="Account.id")


class Period(Base):
    """One month of a cooperative's books; closed months refuse every booking ([KJ 第八条], 结账)."""

    __tablename__ = "ledger_period"
    __table_args__ = (
        UniqueConstraint("cooperative_id", "year", "month", name="uq_ledger_period_cooperative_id_year_month"),
        CheckConstraint("month BETWEEN 1 AND 12", name="month"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cooperative_id: Mapped[int] = mapped_column(ForeignKey("cooperative.id"))
    year: Mapped[int]
    month: Mapped[int]
    state: Mapped[PeriodState] = mapped_column(StrEnumType(PeriodState, "state"), default=PeriodState.OPEN)
    closed_at: Mapped[dt.datetime | None]
    closed_by: Mapped[str] = mapped_column(String(60), default="")


class Voucher(OptimisticLock, Base):
    """A 记账凭证: numbered without gaps per cooperative and month; only a draft changes, a posted one never."""

    __tablename__ = "voucher"
    __table_args__ = (
        UniqueConstraint("cooperative_id", "year", "month", "number", name="uq_voucher_number"),
        # One voucher per business event: booking the same event again finds it (idempotent).
        UniqueConstraint("cooperative_id", "source_ref", name="uq_voucher_source_ref"),
        UniqueConstraint("reverses_id", name="uq_voucher_reverses_id"),  # a voucher is reversed once
        CheckConstraint("month BETWEEN 1 AND 12", name="month"),
        Index("ix_voucher_cooperative_id_voucher_date", "cooperative_id", "voucher_date"),
        # The few vouchers balances treat apart from plain posted ones: unposted, and opening balances
        # (coopcore.services.ledger.balances; red reversals are found by uq_voucher_reverses_id).
        Index("ix_voucher_cooperative_id_state", "cooperative_id", "state", "year", "month"),
        Index("ix_voucher_cooperative_id_origin", "cooperative_id", "origin", "year", "month"),
    )
    __versioned__: ClassVar[dict[str, object]] = {}

    id: Mapped[int] = mapped_column(primary_key=True)
    cooperative_id: Mapped[int] = mapped_column(ForeignKey("cooperative.id"))
    year: Mapped[int]
    month: Mapped[int]
    word: Mapped[str] = mapped_column(String(4), default="记")  # 凭证字
    number: Mapped[int]
    voucher_date: Mapped[dt.date]
    summary: Mapped[str] = mapped_column(String(200), default="")  # 摘要
    attachments: Mapped[int] = mapped_column(default=0)  # 附单据张数
    state: Mapped[VoucherState] = mapped_column(StrEnumType(VoucherState, "state"), default=VoucherState.DRAFT)
    # Who prepared, audited and posted it (user names; "" for a step not taken, "system" for a service).
    prepared_by: Mapped[str] = mapped_column(String(60), default="")
    audited_by: Mapped[str] = mapped_column(String(60), default="")
    posted_by: Mapped[str] = mapped_column(String(60), default="")
    posted_at: Mapped[dt.datetime | None]
    origin: Mapped[VoucherOrigin] = mapped_column(StrEnumType(VoucherOrigin, "origin"), default=VoucherOrigin.MANUAL)
    # The business event a service booked it from ("trade:812"); None for vouchers typed or imported.
    source_ref: Mapped[str | None] = mapped_column(String(80))
    reverses_id: Mapped[int | None] = mapped_column(ForeignKey("voucher.id"))  # a 红字冲销 names what it reverses

    lines: Mapped[list[VoucherLine]] = relationship(
        back_populates="voucher", cascade="all, delete-orphan", order_by="VoucherLine.line_no"
    )


class VoucherLine(Base):
    """One line of a voucher: an account, its auxiliaries, and an amount on exactly one side."""

    __tablename__ = "voucher_line"
    __table_args__ = (
        CheckConstraint("debit >= 0 AND credit >= 0", name="amounts"),
        CheckConstraint("(debit = 0) <> (credit = 0)", name="one_side"),  # exactly one side carries the amount
        Index("ix_voucher_line_voucher_id", "voucher_id"),
        Index("ix_voucher_line_balances", "cooperative_id", "year", "account_id", "member_id"),
        # Sums of months per account read from the index alone (coopcore.services.ledger.balances): without the
        # month and amounts in it, summing December looked up every line of the year in the table.
        Index("ix_voucher_line_months", "cooperative_id", "year", "month", "account_id", "debit", "credit"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    voucher_id: Mapped[int] = mapped_column(ForeignKey("voucher.id", ondelete="CASCADE"))
    line_no: Mapped[int]
    # The voucher's cooperative and period, repeated so that balances read one table.
    cooperative_id: Mapped[int] = mapped_column(ForeignKey("cooperative.id"))
    year: Mapped[int]
    month: Mapped[int]
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"))
    summary: Mapped[str] = mapped_column(String(200), default="")
    debit: Mapped[Money] = mapped_column(default=ZERO)
    credit: Mapped[Money] = mapped_column(default=ZERO)
    # Auxiliary accounting (辅助核算).
    member_id: Mapped[int | None] = mapped_column(ForeignKey("member.id"))
    counterparty: Mapped[str] = mapped_column(String(100), default="")  # an enterprise or other non-member
    product_id: Mapped[int | None] = mapped_column(ForeignKey("product.id"))
    project: Mapped[str] = mapped_column(String(100), default="")
    poverty_asset: Mapped[bool | None]  # 是否扶贫项目资产, on accounts split by it
    quantity: Mapped[Quantity | None]
    unit_price: Mapped[Quantity | None]

    voucher: Mapped[Voucher] = relationship(back_populates="lines")
    account: Mapped[Account] = relationship()


class PeriodBalance(Base):
    """A closed month's debits and credits per account, stored by its close ([KJ 第八条] 结账): balances read
    them instead of the month's lines, which can no longer change (the database refuses, 9ebc1ea3f4b6).

    The sums are kept apart as the trial balance shows them: lines of opening-balance vouchers (期初) and of
    red reversals (红字冲销) each have their own row. Reopening the month deletes its rows.
    """

    __tablename__ = "ledger_balance"
    __table_args__ = (
        UniqueConstraint("cooperative_id", "year", "month", "account_id", "opening", "red", name="uq_ledger_balance"),
        CheckConstraint("month BETWEEN 1 AND 12", name="month"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cooperative_id: Mapped[int] = mapped_column(ForeignKey("cooperative.id"))
    year: Mapped[int]
    month: Mapped[int]
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"))
    opening: Mapped[bool]  # the lines of opening-balance vouchers (origin OPENING)
    red: Mapped[bool]  # the lines of red reversals (reverses_id set)
    # A month's sum of one account: wider than a line's amount.
    debit: Mapped[Money]  # a month's sum on one account: Money's 12 integer digits are ample for a cooperative
    credit: Mapped[Money]
