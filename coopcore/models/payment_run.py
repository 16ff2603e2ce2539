"""Payment runs (付款批次): what the cooperative pays its households in one bank batch (代发) or cash list."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, ClassVar

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coopcore.db.base import Base, OptimisticLock
from coopcore.db.types import Money, StrEnumType
from coopcore.terms import PaymentRunState, PayoutChannel, PayoutKind, PayoutResult

if TYPE_CHECKING:
    from coopcore.models.cooperative import Cooperative
    from coopcore.models.distribution import DistributionLine
    from coopcore.models.member import Member


class PaymentRun(OptimisticLock, Base):
    """One batch of payments: chosen, exported, sent, then settled with the bank's result transfer by transfer.

    A household's lines are one transfer (笔, one row of the file: coopcore.rules.transfers). Settling books one
    voucher (Dr 114/221/222 per household / Cr 101 or 102 for the paid total); a returned transfer's lines stay
    owed. A run's lines and their payee details are frozen when it is chosen, so its file re-exports the same.
    """

    __tablename__ = "payment_run"
    __table_args__ = (UniqueConstraint("cooperative_id", "number"),)
    __versioned__: ClassVar[dict[str, object]] = {}

    id: Mapped[int] = mapped_column(primary_key=True)
    cooperative_id: Mapped[int] = mapped_column(ForeignKey("cooperative.id"))
    number: Mapped[int]  # 1, 2, … within the cooperative
    made_on: Mapped[dt.date]
    channel: Mapped[PayoutChannel] = mapped_column(StrEnumType(PayoutChannel, "channel"))
    purpose: Mapped[str] = mapped_column(String(60))  # 用途, as the bank file carries it
    state: Mapped[PaymentRunState] = mapped_column(StrEnumType(PaymentRunState, "state"), default=PaymentRunState.DRAFT)
    sent_on: Mapped[dt.date | None]
    settled_on: Mapped[dt.date | None]  # the day of the bank's result: the payment voucher's date
    created_at: Mapped[dt.datetime] = mapped_column(server_default=func.current_timestamp())

    cooperative: Mapped[Cooperative] = relationship()
    lines: Mapped[list[PaymentRunLine]] = relationship(
        back_populates="run", order_by="PaymentRunLine.line_no", cascade="all, delete-orphan"
    )

    def __str__(self) -> str:
        return f"付款批次 {self.number}"


class PaymentRunLine(Base):
    """One thing a run pays a household: what, out of which account, to which payee, and the result of its transfer."""

    __tablename__ = "payment_run_line"
    __table_args__ = (
        UniqueConstraint("run_id", "line_no"),
        # What a line pays can be claimed by one line at a time: a pending or paid line holds its claim, a
        # returned or cancelled one gives it up (NULL, which a unique column admits many times on every backend).
        UniqueConstraint("claim"),
        Index("ix_payment_run_line_member_id", "member_id"),
        CheckConstraint("amount > 0", name="amount"),
    )
    __versioned__: ClassVar[dict[str, object]] = {}

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("payment_run.id"))
    line_no: Mapped[int]
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id"))
    kind: Mapped[PayoutKind] = mapped_column(StrEnumType(PayoutKind, "kind"))
    account: Mapped[str] = mapped_column(String(4))  # 114, 221 or 222: what the payment debits
    # The distribution line a return or residual is paid on (none for 114).
    distribution_line_id: Mapped[int | None] = mapped_column(ForeignKey("distribution_line.id"))
    amount: Mapped[Money]
    # The payee as it was when the run was chosen (户名, 账号, 开户行).
    payee_name: Mapped[str] = mapped_column(String(100), default="")
    payee_account: Mapped[str] = mapped_column(String(40), default="")
    payee_bank: Mapped[str] = mapped_column(String(100), default="")
    result: Mapped[PayoutResult] = mapped_column(StrEnumType(PayoutResult, "result"), default=PayoutResult.PENDING)
    return_reason: Mapped[str] = mapped_column(String(200), default="")
    claim: Mapped[str | None] = mapped_column(String(80))

    run: Mapped[PaymentRun] = relationship(back_populates="lines")
    member: Mapped[Member] = relationship()
    distribution_line: Mapped[DistributionLine | None] = relationship()
