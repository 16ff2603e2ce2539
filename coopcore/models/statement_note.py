"""What the accountant writes in the 附注 (notes to the statements) of a cooperative's year, item by item."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from sqlalchemy import CheckConstraint, ForeignKey, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coopcore.db.base import Base, OptimisticLock
from coopcore.db.types import StrEnumType
from coopcore.terms import Origin

if TYPE_CHECKING:
    from coopcore.models.cooperative import Cooperative


class StatementNote(OptimisticLock, Base):
    """One item of a year's 附注 as the accountant wrote it ([KJ 第五十八条]; items 1-9 of domain.md §2.3).

    Items 2, 3 and 7 are mostly generated from the books and the register (coopcore.services.statements.notes):
    their text adds what no record holds (main business, the board, litigation …). Not guarded by the closed
    year: the final statements of a year are written after its distribution closes it; the audit trail keeps
    every wording.
    """

    __tablename__ = "statement_note"
    __table_args__ = (
        UniqueConstraint("cooperative_id", "year", "item"),
        CheckConstraint("item BETWEEN 1 AND 9", name="item"),
        CheckConstraint("year BETWEEN 1990 AND 2200", name="year_range"),
    )
    __versioned__: ClassVar[dict[str, object]] = {}

    id: Mapped[int] = mapped_column(primary_key=True)
    cooperative_id: Mapped[int] = mapped_column(ForeignKey("cooperative.id"))
    year: Mapped[int]
    item: Mapped[int]
    body: Mapped[str] = mapped_column(Text, default="")
    # Which path wrote the row (coopcore.terms.Origin): the admin's form or `coop statements notes`, both typed.
    origin: Mapped[Origin] = mapped_column(
        StrEnumType(Origin, "origin"), default=Origin.MANUAL, server_default="manual"
    )

    cooperative: Mapped[Cooperative] = relationship()

    def __str__(self) -> str:
        return f"{self.year} 附注{self.item}"
