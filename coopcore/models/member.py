"""Members of a cooperative and their append-only member account (成员账户)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, ClassVar

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint, event, false, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coopcore.db.base import Base, OptimisticLock
from coopcore.db.types import Money, Quantity, StrEnumType
from coopcore.errors import AppendOnly
from coopcore.terms import AccountEntryKind, MemberKind, Origin

if TYPE_CHECKING:
    from coopcore.models.cooperative import Cooperative


class Member(OptimisticLock, Base):
    """成员: a household (户), a village collective, an organisation, an individual, or a member cooperative."""

    __tablename__ = "member"
    __table_args__ = (
        UniqueConstraint("cooperative_id", "code"),
        Index("ix_member_cooperative_id_kind", "cooperative_id", "kind"),
        CheckConstraint("left_on IS NULL OR left_on >= joined_on", name="left_after_joined"),
        CheckConstraint("additional_votes >= 0", name="additional_votes"),
        CheckConstraint("household_size IS NULL OR household_size > 0", name="household_size"),
    )
    __versioned__: ClassVar[dict[str, object]] = {}

    id: Mapped[int] = mapped_column(primary_key=True)
    cooperative_id: Mapped[int] = mapped_column(ForeignKey("cooperative.id"))
    code: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[MemberKind] = mapped_column(StrEnumType(MemberKind, "kind"))
    # Resident ID for persons, unified social credit code for organisations (docs/identifiers.md).
    id_number: Mapped[str] = mapped_column(String(18), index=True)
    household_head: Mapped[str | None] = mapped_column(String(40))
    household_size: Mapped[int | None]
    phone: Mapped[str | None] = mapped_column(String(20))
    address: Mapped[str | None] = mapped_column(String(200))
    joined_on: Mapped[dt.date]
    exit_applied_on: Mapped[dt.date | None]
    left_on: Mapped[dt.date | None]
    is_founder: Mapped[bool] = mapped_column(default=False)
    # Where payment runs pay the household (coopcore.services.payees): bank, account or card number (一卡通),
    # the holder's name, and whether and when they were checked against a document (bank book, card).
    payee_bank: Mapped[str | None] = mapped_column(String(100))
    payee_account: Mapped[str | None] = mapped_column(String(40))
    payee_name: Mapped[str | None] = mapped_column(String(100))
    payee_checked: Mapped[bool] = mapped_column(default=False, server_default=false())
    payee_checked_on: Mapped[dt.date | None]
    # [L-22]: additional votes for large contributions or transactions, capped at 20% of basic votes.
    additional_votes: Mapped[int] = mapped_column(default=0)
    # Set when the member is itself a cooperative (federations, [L-56]) or the village collective.
    member_cooperative_id: Mapped[int | None] = mapped_column(ForeignKey("cooperative.id"))
    village_collective_id: Mapped[int | None] = mapped_column(ForeignKey("village_collective.id"))
    # A member cooperative's own account its contributions leave from, in its books (Cr of Dr 131 对外投资, [KJ 131
    # 二]): 101/102/109 for money, an asset's account for assets; None: 102 for money, what the federation takes in
    # for assets (coopcore.rules.entries.invested_with).
    investment_account: Mapped[str | None] = mapped_column(String(20))

    cooperative: Mapped[Cooperative] = relationship(back_populates="members", foreign_keys=[cooperative_id])
    member_cooperative: Mapped[Cooperative | None] = relationship(foreign_keys=[member_cooperative_id])
    entries: Mapped[list[MemberAccountEntry]] = relationship(
        back_populates="member", order_by="[MemberAccountEntry.entry_on, MemberAccountEntry.id]"
    )

    def is_member_on(self, day: dt.date) -> bool:
        """True if the member is on the roster on that day (a year-end leaver still is on 31 Dec)."""
        return self.joined_on <= day and (self.left_on is None or self.left_on >= day)

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class MemberAccountEntry(Base):
    """One line of a member account; balances are sums of entries, corrections are reversing entries."""

    __tablename__ = "member_account_entry"
    __table_args__ = (
        Index("ix_member_account_entry_member_id_entry_on", "member_id", "entry_on"),
        CheckConstraint("area_mu IS NULL OR area_mu > 0", name="area_mu"),
        # A distribution writes one entry of a kind per member: a second posting of it cannot be stored.
        UniqueConstraint("distribution_id", "member_id", "kind"),
        # An entry is reversed once; a reversal names what it reverses, not the distribution.
        UniqueConstraint("reverses_id"),
        CheckConstraint("distribution_id IS NULL OR reverses_id IS NULL", name="reversal_or_distribution"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id"))
    entry_on: Mapped[dt.date]
    kind: Mapped[AccountEntryKind] = mapped_column(StrEnumType(AccountEntryKind, "kind"))
    amount: Mapped[Money]
    # A contribution's value above its share of capital (a late joiner's premium, to 321 资本公积), or below it
    # (negative: an asset valued lower than the share it buys) [KJ 第四十条; 321 二]. Only the share is 股金.
    premium: Mapped[Money | None]
    area_mu: Mapped[Quantity | None]
    memo: Mapped[str] = mapped_column(String(200), default="")
    # What produced the entry, e.g. "import", "distribution:12"; reversals point at what they undo.
    source: Mapped[str] = mapped_column(String(60), default="")
    # Which path wrote the row (coopcore.terms.Origin); unclaimed rows count as typed by hand.
    origin: Mapped[Origin] = mapped_column(
        StrEnumType(Origin, "origin"), default=Origin.MANUAL, server_default="manual"
    )
    reverses_id: Mapped[int | None] = mapped_column(ForeignKey("member_account_entry.id"))
    # The distribution that posted (or paid as capital) this entry.
    distribution_id: Mapped[int | None] = mapped_column(ForeignKey("distribution.id"))
    created_at: Mapped[dt.datetime] = mapped_column(server_default=func.current_timestamp())

    member: Mapped[Member] = relationship(back_populates="entries")


@event.listens_for(MemberAccountEntry, "before_update")
@event.listens_for(MemberAccountEntry, "before_delete")
def _refuse_change(mapper: Any, connection: Any, target: MemberAccountEntry) -> None:
    raise AppendOnly(what="Member account")
