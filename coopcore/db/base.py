"""The declarative base with a constraint naming convention, so migrations can name every constraint."""

from __future__ import annotations

from typing import Any

from sqlalchemy import MetaData, text
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column

# Explicit names let Alembic drop and alter constraints on every backend (SQLite batch mode needs them).
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Base class of every coopcore model."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class OptimisticLock:
    """A row version checked on every UPDATE: a save based on an outdated read changes nothing and fails.

    SQLAlchemy adds `WHERE version = <the version read>` to each UPDATE and raises StaleDataError when no row
    matched (someone else saved first); the admin carries the version through its edit forms.
    """

    version: Mapped[int] = mapped_column(server_default=text("1"))

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:  # noqa: N805 - a declared attribute receives the class
        return {"version_id_col": cls.__table__.c.version}  # type: ignore[attr-defined]
