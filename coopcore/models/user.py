"""Users of the admin and their scope: one role, a township or a set of cooperatives."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, ClassVar

from sqlalchemy import CheckConstraint, Column, ForeignKey, String, Table, func, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coopcore.db.base import Base, OptimisticLock
from coopcore.db.types import StrEnumType
from coopcore.terms import Role

if TYPE_CHECKING:
    from coopcore.models.cooperative import Cooperative
    from coopcore.models.geography import Township

user_cooperative = Table(
    "user_cooperative",
    Base.metadata,
    Column("user_id", ForeignKey("user.id"), primary_key=True),
    Column("cooperative_id", ForeignKey("cooperative.id"), primary_key=True),
)


class User(OptimisticLock, Base):
    """An admin account; the password is stored only as an argon2 hash."""

    __tablename__ = "user"
    __table_args__ = (CheckConstraint("role <> 'township_official' OR township_id IS NOT NULL", name="township_scope"),)
    # The hash never goes into the audit trail, nor the session counter (it moves at every sign-out), nor the row
    # version (coopcore.db.audit).
    __versioned__: ClassVar[dict[str, object]] = {"exclude": ["password_hash", "session_version", "version"]}

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(40), unique=True)
    display_name: Mapped[str] = mapped_column(String(60), default="")
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[Role] = mapped_column(StrEnumType(Role, "role"))
    township_id: Mapped[int | None] = mapped_column(ForeignKey("township.id"))
    is_active: Mapped[bool] = mapped_column(default=True)
    # Every signed-in session carries this number; raising it ends them all (sign-out, new password, disabling).
    session_version: Mapped[int] = mapped_column(default=1, server_default=text("1"))
    created_at: Mapped[dt.datetime] = mapped_column(server_default=func.current_timestamp())

    township: Mapped[Township | None] = relationship()
    cooperatives: Mapped[list[Cooperative]] = relationship(secondary=user_cooperative)

    def __str__(self) -> str:
        return self.display_name or self.username
