"""The audit trail: SQLAlchemy-Continuum keeps a version row per change of every `__versioned__` model."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session
from sqlalchemy_continuum import make_versioned
from sqlalchemy_continuum.plugins.base import Plugin

# Whoever performs a change puts their user id here; the admin and the CLI both do.
USER_ID_KEY = "coop_user_id"


class SessionUserPlugin(Plugin):  # type: ignore[misc]
    """Record the acting user, taken from `session.info`, on each audited transaction."""

    def transaction_args(self, uow: Any, session: Session) -> dict[str, Any]:
        return {"user_id": session.info.get(USER_ID_KEY)}


def act_as(session: Session, user_id: int | None) -> None:
    """Attribute the session's following changes to a user in the audit trail."""
    session.info[USER_ID_KEY] = user_id


make_versioned(user_cls="User", plugins=[SessionUserPlugin()])
