"""Townships, their villages, each village's collective economic organisation and party branch."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coopcore.db.base import Base, OptimisticLock

if TYPE_CHECKING:
    from coopcore.models.cooperative import Cooperative


class Township(OptimisticLock, Base):
    """乡镇/街道: the unit a township official oversees."""

    __tablename__ = "township"
    __versioned__: ClassVar[dict[str, object]] = {}

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(60), unique=True)
    district: Mapped[str] = mapped_column(String(60), default="")
    region_code: Mapped[str | None] = mapped_column(String(12))
    is_demo: Mapped[bool] = mapped_column(default=False)

    villages: Mapped[list[Village]] = relationship(back_populates="township", order_by="Village.name")

    def __str__(self) -> str:
        return self.name


class Village(OptimisticLock, Base):
    """村/社区."""

    __tablename__ = "village"
    __table_args__ = (UniqueConstraint("township_id", "name"),)
    __versioned__: ClassVar[dict[str, object]] = {}

    id: Mapped[int] = mapped_column(primary_key=True)
    township_id: Mapped[int] = mapped_column(ForeignKey("township.id"), index=True)
    name: Mapped[str] = mapped_column(String(60))
    region_code: Mapped[str | None] = mapped_column(String(12))

    township: Mapped[Township] = relationship(back_populates="villages")
    collective: Mapped[VillageCollective | None] = relationship(back_populates="village")
    party_branch: Mapped[PartyBranch | None] = relationship(back_populates="village")
    cooperatives: Mapped[list[Cooperative]] = relationship(back_populates="village")

    def __str__(self) -> str:
        return self.name


class VillageCollective(OptimisticLock, Base):
    """村股份经济合作社: the village's collective economic organisation, a special legal person [JJ-6]."""

    __tablename__ = "village_collective"
    __versioned__: ClassVar[dict[str, object]] = {}

    id: Mapped[int] = mapped_column(primary_key=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("village.id"), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    credit_code: Mapped[str | None] = mapped_column(String(18), unique=True)

    village: Mapped[Village] = relationship(back_populates="collective")

    def __str__(self) -> str:
        return self.name


class PartyBranch(OptimisticLock, Base):
    """党支部 of a village; it may lead (领办) cooperatives."""

    __tablename__ = "party_branch"
    __versioned__: ClassVar[dict[str, object]] = {}

    id: Mapped[int] = mapped_column(primary_key=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("village.id"), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    secretary: Mapped[str] = mapped_column(String(40), default="")

    village: Mapped[Village] = relationship(back_populates="party_branch")

    def __str__(self) -> str:
        return self.name
