"""The audit trail: SQLAlchemy-Continuum keeps a version row per change of every `__versioned__` model."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session
from sqlalchemy_continuum import make_versioned, versioning_manager
from sqlalchemy_continuum.plugins.base import Plugin
from sqlalchemy_continuum.unit_of_work import UnitOfWork

# Whoever performs a change puts their user id here; the admin and the CLI both do.
USER_ID_KEY = "coop_user_id"


class SessionUserPlugin(Plugin):  # type: ignore[misc]
    """Record the acting user, taken from `session.info`, on each audited transaction."""

    def transaction_args(self, uow: Any, session: Session) -> dict[str, Any]:
        return {"user_id": session.info.get(USER_ID_KEY)}


def act_as(session: Session, user_id: int | None) -> None:
    """Attribute the session's following changes to a user in the audit trail."""
    session.info[USER_ID_KEY] = user_id


class JoinedUnitOfWork(UnitOfWork):  # type: ignore[misc]
    """Continuum's unit of work, with its version session joined to the caller's transaction.

    Continuum writes versions through a second Session on the same connection. With SQLAlchemy's default
    join mode that Session opens its own SAVEPOINT whenever the caller is inside one (a service's
    begin_nested, a test's rolled-back outer transaction), which leaves the caller's savepoint orphaned.
    Joining it as "rollback_only" makes it write inside whatever transaction is current.
    """

    @property
    def version_session(self) -> Session | None:
        return self._version_session

    @version_session.setter
    def version_session(self, session: Session | None) -> None:
        if session is not None and session.bind is not None:
            session = Session(bind=session.bind, join_transaction_mode="rollback_only")
        self._version_session = session


versioning_manager.uow_class = JoinedUnitOfWork
# The row version of optimistic locking (coopcore.db.base.OptimisticLock) says nothing worth auditing.
make_versioned(user_cls="User", plugins=[SessionUserPlugin()], options={"exclude": ["version"]})
